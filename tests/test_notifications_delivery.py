"""Notifications beyond the list: e-mail per kind to a real SMTP server (aiosmtpd, parsed),
digests exactly once (also across a worker dying mid-run), one-click unsubscribe without login
and only for its own person, quiet, watching and muting, and the settings page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from practica.communities import services as community_services
from practica.lib.errors import Invalid
from practica.lib.testing import Cast
from practica.notifications import delivery, services, watching
from practica.notifications.models import Digest, Level, Notification, NotificationSettings
from practica.scheduling.models import DueJob
from practica.scheduling.services import CLAIM_TIMEOUT, run_due


def _bodies(message: Any) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_an_immediate_kind_is_mailed_with_both_parts_and_unsubscribe_headers(
    cast: Cast, smtp_server: Any, capture_events: Callable[..., Any]
) -> None:
    url = f"/c/{cast.org_community.slug}/"
    with capture_events():
        services.notify(
            cast.member, kind="qa.mention", message="Ethan mentioned you <here>", url=url
        )
    [message] = smtp_server.messages
    assert message["To"] == cast.member.email
    assert "Ethan mentioned you <here>" in message["Subject"]
    text, html = _bodies(message)
    assert "Ethan mentioned you <here>" in text and f"http://127.0.0.1:8000{url}" in text
    assert "Ethan mentioned you &lt;here&gt;" in html
    unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text
    assert Notification.objects.get(recipient=cast.member).emailed_at is not None


def _only_digest_jobs() -> None:
    """Other due work (the outbox prune) would be counted by run_due."""
    DueJob.objects.exclude(kind="notifications.digest").delete()


def test_digest_kinds_wait_for_one_digest_per_person_sent_exactly_once(
    cast: Cast, smtp_server: Any, capture_events: Callable[..., Any]
) -> None:
    _only_digest_jobs()
    with capture_events():
        services.notify(cast.member, kind="qa.reply", message="Ethan answered “Fractions”")
        services.notify(cast.member, kind="norms.proposed", message="A norm was proposed")
        services.notify(cast.expert, kind="qa.reply", message="Mia answered “Ratios”")
    assert smtp_server.messages == []  # a digest, not one by one
    jobs = DueJob.objects.filter(kind="notifications.digest")
    assert jobs.count() == 2  # one per person and period
    due = max(job.due_at for job in jobs)
    assert run_due(now=due + timedelta(minutes=1)) == 2
    assert run_due(now=due + timedelta(hours=2)) == 0
    by_person = {m["To"]: m for m in smtp_server.messages}
    assert sorted(by_person) == sorted([cast.member.email, cast.expert.email])
    text, _ = _bodies(by_person[cast.member.email])
    assert "Ethan answered “Fractions”" in text and "A norm was proposed" in text
    assert "Ratios" not in text
    # Running the same digest again (a re-scheduled key, a second runner) sends nothing.
    job = jobs.filter(payload__user_id=cast.member.pk).get()
    delivery.send_digest(job.payload)
    assert len(smtp_server.messages) == 2


def test_a_digest_is_sent_once_when_the_worker_dies_mid_run(
    cast: Cast, smtp_server: Any, capture_events: Callable[..., Any]
) -> None:
    _only_digest_jobs()
    with capture_events():
        services.notify(cast.member, kind="qa.reply", message="Ethan answered you")
    job = DueJob.objects.get(kind="notifications.digest")
    now = job.due_at + timedelta(minutes=1)

    class Killed(BaseException):  # like SIGKILL: nothing in the worker catches it
        pass

    with mock.patch.object(delivery, "_send", side_effect=Killed), pytest.raises(Killed):
        run_due(now=now)
    assert smtp_server.messages == []
    assert not Digest.objects.filter(sent_at__isnull=False).exists()  # rolled back
    assert run_due(now=now + timedelta(minutes=1)) == 0  # still claimed by the dead worker
    assert run_due(now=now + CLAIM_TIMEOUT + timedelta(minutes=1)) == 1
    assert run_due(now=now + CLAIM_TIMEOUT + timedelta(minutes=2)) == 0
    assert len(smtp_server.messages) == 1


def test_mail_never_includes_what_the_person_may_no_longer_see(
    cast: Cast, smtp_server: Any, capture_events: Callable[..., Any]
) -> None:
    private = f"/c/{cast.private_community.slug}/questions/1/"
    public = f"/c/{cast.public_community.slug}/"
    with capture_events():
        services.notify(cast.expert, kind="qa.reply", message="Secret circle news", url=private)
        services.notify(cast.expert, kind="qa.reply", message="Public news", url=public)
        services.notify(cast.expert, kind="qa.mention", message="Private mention", url=private)
    assert [m["Subject"] for m in smtp_server.messages] == ["[Practica] Private mention"]
    community_services.remove_member(cast.coordinator, cast.private_community, cast.expert)
    with capture_events():
        services.notify(
            cast.expert, kind="qa.mention", message="Another private mention", url=private
        )
    assert len(smtp_server.messages) == 1  # the immediate one is no longer sent
    job = DueJob.objects.get(kind="notifications.digest")
    run_due(now=job.due_at + timedelta(minutes=1))
    text, html = _bodies(smtp_server.messages[-1])
    assert "Public news" in text and "Secret" not in text and "Secret" not in html


def test_one_click_unsubscribe_works_signed_out_and_only_for_its_person(cast: Cast) -> None:
    url = delivery.unsubscribe_url(cast.member, "qa.reply").removeprefix("http://127.0.0.1:8000")
    anonymous = cast.client(None)
    page = anonymous.get(url)
    assert page.status_code == 200 and cast.member.email in page.content.decode()
    assert (
        services.email_choice(services.settings_for(cast.member), "qa.reply") == "daily"
    )  # GET changes nothing
    # Posted by a mail client (RFC 8058), no cookie, no CSRF token; or by someone else signed in.
    assert cast.client("expert").post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert services.email_choice(services.settings_for(cast.member), "qa.reply") == "never"
    assert services.email_choice(services.settings_for(cast.expert), "qa.reply") == "daily"
    assert services.email_choice(services.settings_for(cast.member), "qa.mention") == "immediately"
    tampered = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    assert anonymous.post(tampered).status_code == 400
    everything = delivery.unsubscribe_url(cast.expert, None).removeprefix("http://127.0.0.1:8000")
    anonymous.post(everything)
    prefs = services.settings_for(cast.expert)
    assert {services.email_choice(prefs, k) for k in ("qa.reply", "qa.mention", "norms")} == {
        "never"
    }


def test_quiet_holds_back_live_pushes_and_immediate_mail(
    cast: Cast, smtp_server: Any, capture_events: Callable[..., Any]
) -> None:
    until = timezone.now() + timedelta(days=1)
    services.set_quiet(cast.member, until)
    with capture_events() as events:
        note = services.notify(cast.member, kind="qa.mention", message="While you were away")
    assert [e.name for e in events if e.name == "notifications.created"] == []
    assert smtp_server.messages == []
    assert Notification.objects.get(pk=note.pk).email_mode == "daily"
    job = DueJob.objects.get(kind="notifications.digest")
    assert job.due_at >= until  # the digest waits for the pause to end
    assert services.unread_count(cast.member) == 1  # the list still fills up
    with pytest.raises(Invalid):
        services.set_quiet(cast.member, timezone.now() - timedelta(hours=1))
    assert NotificationSettings.objects.get(user=cast.member).quiet_until == until


def test_settings_page_saves_choices_and_refuses_nonsense(cast: Cast) -> None:
    client = cast.client("member")
    url = reverse("notifications:settings")
    assert client.get(url).status_code == 200
    response = client.post(url, {"email-qa.reply": "weekly", "email-qa.mention": "never"})
    assert response.status_code == 302
    prefs = services.settings_for(cast.member)
    assert services.email_choice(prefs, "qa.reply") == "weekly"
    assert services.email_choice(prefs, "qa.mention") == "never"
    bad = client.post(url, {"email-qa.reply": "hourly"})
    assert bad.status_code == 422
    assert services.email_choice(services.settings_for(cast.member), "qa.reply") == "weekly"
    assert client.post(url, {"quiet": "1d"}).status_code == 302
    assert services.settings_for(cast.member).is_quiet()
    assert client.post(url, {"quiet": "forever"}).status_code == 422
    assert client.post(url, {"quiet": ""}).status_code == 302
    assert not services.settings_for(cast.member).is_quiet()


def test_watching_a_community_and_muting_one(
    cast: Cast, capture_events: Callable[..., Any]
) -> None:
    from practica.qa.models import Post
    from practica.realtime.bus import emit

    community = cast.org_community
    watching.watch(cast.member, community, Level.WATCHING)
    watching.watch(cast.outsider, community, Level.WATCHING)  # may not see it: never told
    watching.watch(cast.facilitator, community, Level.MUTED)
    assert watching.level_for(cast.member, community) == Level.WATCHING
    assert list(watching.watchers(community)) == [cast.member] or set(
        watching.watchers(community)
    ) == {cast.member, cast.outsider}
    post = Post.objects.create(
        community=community, title="How do you open a lesson?", author=cast.expert
    )
    with capture_events():
        emit("qa.post_created", community_id=community.pk, post_id=post.pk, kind="question",
             author_id=cast.expert.pk, tag_ids=[])  # fmt: skip
    told = Notification.objects.filter(kind="watching.new_post")
    assert [n.recipient_id for n in told] == [cast.member.pk]
    # Muted: notifications linking into the community are kept but never shown or mailed.
    hidden = services.notify(
        cast.facilitator, kind="norms.proposed", message="x", url=f"/c/{community.slug}/norms/"
    )
    assert hidden.hidden and services.unread_count(cast.facilitator) == 0
    watching.watch(cast.facilitator, community, Level.NORMAL)
    assert watching.level_for(cast.facilitator, community) == Level.NORMAL
    with pytest.raises(Invalid):
        watching.watch(cast.member, community, "loud")


def test_watch_endpoint_through_the_gate(cast: Cast) -> None:
    url = reverse("notifications:watch")
    target = f"communities.community:{cast.private_community.pk}"
    member = cast.client("member")
    assert member.post(url, {"target": target, "level": "watching"}).status_code == 302
    assert watching.level_for(cast.member, cast.private_community) == "watching"
    assert member.post(url, {"target": target, "level": "loud"}).status_code == 422
    assert watching.level_for(cast.member, cast.private_community) == "watching"
    assert (
        cast.client("org_admin").post(url, {"target": target, "level": "watching"}).status_code
        == 404
    )
    assert member.post(url, {"target": "nothing:1", "level": "watching"}).status_code == 404


def test_inbox_filters_and_a_constant_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for i in range(3):
        services.notify(cast.member, kind="test.hello", message=f"Note {i}", actor=cast.expert)
    services.mark_read(cast.member, Notification.objects.filter(message="Note 0").get().pk)
    client = cast.client("member")
    unread = client.get(reverse("notifications:inbox") + "?show=unread").content.decode()
    assert "Note 1" in unread and "Note 0" not in unread
    read = client.get(reverse("notifications:inbox") + "?show=read").content.decode()
    assert "Note 0" in read and "Note 1" not in read
    with django_assert_max_num_queries(12):
        client.get(reverse("notifications:inbox"))
    for i in range(20):
        services.notify(cast.member, kind="test.hello", message=f"More {i}", actor=cast.expert)
    with django_assert_max_num_queries(12):
        client.get(reverse("notifications:inbox"))
    bell = client.get(reverse("notifications:bell")).content.decode()
    assert 'id="bell-count"' in bell and 'aria-label="22 unread"' in bell
