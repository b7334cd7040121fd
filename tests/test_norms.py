"""Norms through HTTP: proposing, responding by consent, revising, withdrawing an objection,
quorum, closing, reminders and nudges, the norm set and its versions, revisit rounds, the API,
the anonymity of unsigned objections, and the demo.

The cast's communities each have four members (member, expert, facilitator, coordinator), so
the default quorum (50%) is two responses.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practica.accounts.services import create_api_token
from practica.communities.models import Community, Membership
from practica.lib.errors import Conflict
from practica.lib.testing import Cast
from practica.notifications.models import Notification
from practica.practice.norms import selectors, services
from practica.practice.norms.consent import Tally, quorum_needed, tally
from practica.practice.norms.models import (
    Comment,
    Norm,
    NormSettings,
    NormSetVersion,
    Nudge,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Response,
    RevisitResponse,
    RevisitRound,
    Stance,
)
from practica.scheduling.models import DueJob
from practica.scheduling.services import run_due

API = "/api/v1"
STATEMENT = "We assume good intent and ask before we judge."
WHY = "Hard conversations about our teaching need trust first."
SECRET_REASON = "Zebra-crossing: this would silence people who disagree."


# --- helpers ------------------------------------------------------------------------------------


def _url(name: str, community: Community, *args: object) -> str:
    return reverse(f"norms:{name}", args=[community.slug, *args])


def _in_days(days: int) -> str:
    return (timezone.now().date() + timedelta(days=days)).isoformat()


def _propose(
    cast: Cast, who: str = "member", community: Community | None = None, **changes: Any
) -> Any:
    community = community or cast.org_community
    data = {
        "kind": "new",
        "statement": STATEMENT,
        "why": WHY,
        "closes_on": _in_days(7),
        **changes,
    }
    return cast.client(who).post(_url("propose", community), data)


def _proposed(cast: Cast, who: str = "member", **changes: Any) -> Proposal:
    response = _propose(cast, who, **changes)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Proposal.objects.latest("id")


def _respond(
    cast: Cast, who: str, proposal: Proposal, stance: str, reason: str = "", **extra: Any
) -> Any:
    data = {"stance": stance, "reason": reason, **extra}
    return cast.client(who).post(_url("respond", proposal.community, proposal.pk), data)


def _text(response: Any) -> str:
    return response.content.decode()


def _state(proposal: Proposal) -> str:
    proposal.refresh_from_db()
    return proposal.status


def _bearer(user: Any) -> Client:
    _, raw = create_api_token(user, "norms test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _api(client: Client, method: str, path: str, body: Any = None) -> Any:
    if method == "get":
        return client.get(API + path)
    call = getattr(client, method)
    return call(API + path, data=json.dumps(body or {}), content_type="application/json")


def _counts() -> dict[str, int]:
    """Rows a refused write must not have touched."""
    return {
        "proposals": Proposal.objects.count(),
        "versions": ProposalVersion.objects.count(),
        "responses": Response.objects.count(),
        "notifications": Notification.objects.count(),
        "jobs": DueJob.objects.count(),
        "norms": Norm.objects.count(),
        "comments": Comment.objects.count(),
    }


# --- proposing ----------------------------------------------------------------------------------


def test_a_member_proposes_and_every_other_member_is_asked(cast: Cast, capture_events) -> None:
    with capture_events() as events:
        response = _propose(cast)
    proposal = Proposal.objects.get()
    assert response["Location"] == _url("proposal", cast.org_community, proposal.pk)
    assert (proposal.statement, proposal.why, proposal.current_version) == (STATEMENT, WHY, 1)
    assert proposal.proposed_by == cast.member
    assert proposal.versions.get().statement == STATEMENT
    # It closes at the end of the chosen day (the proposer is in UTC).
    assert proposal.closes_at.date() == timezone.now().date() + timedelta(days=8)
    told = set(
        Notification.objects.filter(kind="norms.proposed").values_list("recipient", flat=True)
    )
    assert told == {cast.expert.pk, cast.facilitator.pk, cast.coordinator.pk}
    assert {j.key for j in DueJob.objects.filter(key__startswith="norms.")} == {
        f"norms.close:{proposal.pk}",
        f"norms.remind:{proposal.pk}",
    }
    proposed = [e for e in events if e.name.startswith("norms.")]
    assert [e.name for e in proposed] == ["norms.proposed"]
    assert proposed[0].payload == {
        "community_id": cast.org_community.pk,
        "proposal_id": proposal.pk,
        "actor_id": cast.member.pk,
        "kind": "new",
    }
    page = _text(cast.client("expert").get(_url("index", cast.org_community)))
    assert STATEMENT in page
    assert "0 of 4 members have responded" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"statement": "  "}, "This field is required."),
        ({"statement": "x" * 301}, "at most 300 characters"),
        ({"why": ""}, "This field is required."),
        ({"closes_on": "2020-01-01"}, "is in the past"),
        ({"closes_on": _in_days(0)}, "at least until tomorrow"),
        ({"closes_on": _in_days(61)}, "at most 60 days"),
        ({"closes_on": "not a date"}, "Enter a valid date."),
        ({"statement": "nul\x00here"}, "Null characters are not allowed."),
    ],
)
def test_bad_proposals_are_explained_and_change_nothing(
    cast: Cast, changes: dict[str, str], message: str
) -> None:
    before = _counts()
    response = _propose(cast, **changes)
    assert response.status_code == 200
    assert message in _text(response)
    assert 'aria-invalid="true"' in _text(response)
    assert _counts() == before


def test_only_members_propose(cast: Cast) -> None:
    assert _propose(cast, "org_member").status_code == 403
    assert _propose(cast, "org_admin").status_code == 403
    assert _propose(cast, "staff").status_code == 403
    assert not Proposal.objects.exists()


# --- consent ------------------------------------------------------------------------------------


def test_quorum_and_no_objection_adopts_at_once(cast: Cast, capture_events) -> None:
    proposal = _proposed(cast)
    _respond(cast, "expert", proposal, "agree")
    assert _state(proposal) == ProposalStatus.OPEN  # 1 of 4: below the quorum of 2
    with capture_events() as events:
        response = _respond(cast, "facilitator", proposal, "stand_aside", "Fine, not for me.")
    assert response.status_code == 302
    assert _state(proposal) == ProposalStatus.ADOPTED
    norm = Norm.objects.get()
    assert (norm.statement, norm.why, norm.proposed_by) == (STATEMENT, WHY, cast.member)
    version = NormSetVersion.objects.get()
    assert (version.number, version.change, version.proposed_by) == (1, "adopt", cast.member)
    assert version.snapshot == [{"id": norm.pk, "statement": STATEMENT, "why": WHY}]
    names = [e.name for e in events]
    assert names == ["norms.responded", "notifications.created", "norms.adopted"]
    assert events[0].payload == {"community_id": cast.org_community.pk, "proposal_id": proposal.pk}
    assert events[-1].payload == {
        "community_id": cast.org_community.pk,
        "proposal_id": proposal.pk,
        "norm_id": norm.pk,
        "norm_set_version": 1,
        "kind": "new",
    }
    # The norm set has its revisit date now, with the revisit scheduled; the round's jobs are gone.
    row = NormSettings.objects.get(community=cast.org_community)
    assert row.next_revisit_on == timezone.now().date() + timedelta(days=90)
    keys = set(DueJob.objects.filter(key__startswith="norms.").values_list("key", flat=True))
    assert keys == {f"norms.revisit:{cast.org_community.pk}"}
    assert selectors.current_norms(cast.org_community) == [norm]
    assert selectors.norm_set_version(cast.org_community) == version
    assert selectors.open_proposal_count(cast.org_community) == 0
    # The proposer hears the outcome; the page says so.
    assert Notification.objects.filter(recipient=cast.member, kind="norms.decided").exists()
    page = _text(cast.client("member").get(_url("index", cast.org_community)))
    assert STATEMENT in page and "Version 1" in page


def test_an_objection_needs_a_reason(cast: Cast) -> None:
    proposal = _proposed(cast)
    before = _counts()
    response = _respond(cast, "expert", proposal, "object", "   ")
    assert response.status_code == 200
    assert "An objection needs a reason" in _text(response)
    assert _counts() == before


def test_bad_stance_is_refused(cast: Cast) -> None:
    proposal = _proposed(cast)
    response = _respond(cast, "expert", proposal, "veto", "because")
    assert "Select a valid choice" in _text(response)
    assert not Response.objects.exists()


def test_one_response_per_member_changeable_until_closed(cast: Cast) -> None:
    settings_row = services.ensure_settings(cast.org_community)
    settings_row.quorum_percent = 100
    settings_row.save()
    proposal = _proposed(cast)
    _respond(cast, "expert", proposal, "agree")
    _respond(cast, "expert", proposal, "stand_aside", "Unsure.")
    _respond(cast, "expert", proposal, "object", "It could be used to shut down dissent.")
    mine = Response.objects.get()
    assert (mine.stance, mine.reason) == ("object", "It could be used to shut down dissent.")
    services.close_job(proposal.pk)
    assert _state(proposal) == ProposalStatus.NOT_ADOPTED
    response = _respond(cast, "expert", proposal, "agree")
    assert "This proposal is closed" in _text(response)
    assert Response.objects.get().stance == "object"


def test_an_objection_blocks_until_the_proposer_revises(cast: Cast, capture_events) -> None:
    proposal = _proposed(cast)
    _respond(cast, "expert", proposal, "object", SECRET_REASON)
    _respond(cast, "facilitator", proposal, "agree")
    _respond(cast, "coordinator", proposal, "agree")
    assert _state(proposal) == ProposalStatus.OPEN  # 3 of 4 responded, but an objection stands
    page = _text(cast.client("coordinator").get(_url("proposal", cast.org_community, proposal.pk)))
    assert "3 of 4 members have responded" in page
    assert "1 objection" in page and SECRET_REASON in page
    assert "An objection stands" in page

    # Only the proposer may revise.
    assert (
        cast.client("expert").get(_url("revise", cast.org_community, proposal.pk)).status_code
        == 403
    )
    revised = {
        "statement": STATEMENT,
        "why": WHY + " We name disagreement as welcome.",
        "note": "Met the objection.",
    }
    with capture_events() as events:
        response = cast.client("member").post(
            _url("revise", cast.org_community, proposal.pk), revised
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.current_version == 2 and proposal.versions.count() == 2
    assert "norms.revised" in [e.name for e in events]
    # The objection no longer blocks, but early adoption waits for the objector to look again.
    assert _state(proposal) == ProposalStatus.OPEN
    detail = selectors.proposal_detail(proposal, None)
    assert (detail.tally.responded, detail.tally.objections, detail.tally.awaiting_revision) == (
        2,
        0,
        1,
    )
    # Everyone who responded is told, privately; the objector is asked to respond again.
    told = Notification.objects.filter(kind="norms.revised")
    assert {n.recipient_id for n in told} == {
        cast.expert.pk,
        cast.facilitator.pk,
        cast.coordinator.pk,
    }
    assert "respond again" in told.get(recipient=cast.expert).message
    # The round lasts at least two more days after a revision.
    assert proposal.closes_at >= timezone.now() + timedelta(days=2) - timedelta(minutes=1)

    _respond(cast, "expert", proposal, "agree")
    assert _state(proposal) == ProposalStatus.ADOPTED
    assert Norm.objects.get().why == revised["why"]


def test_withdrawing_an_objection_lets_consent_hold(cast: Cast) -> None:
    proposal = _proposed(cast)
    _respond(cast, "expert", proposal, "object", SECRET_REASON)
    _respond(cast, "facilitator", proposal, "agree")
    assert _state(proposal) == ProposalStatus.OPEN
    # Someone without an objection has nothing to withdraw.
    response = cast.client("facilitator").post(
        _url("withdraw-objection", cast.org_community, proposal.pk), follow=True
    )
    assert "no objection to withdraw" in _text(response)
    cast.client("expert").post(_url("withdraw-objection", cast.org_community, proposal.pk))
    mine = Response.objects.get(user=cast.expert)
    assert (mine.stance, mine.reason) == (Stance.STAND_ASIDE, SECRET_REASON)
    assert _state(proposal) == ProposalStatus.ADOPTED


def test_the_quorum_is_a_community_setting(cast: Cast) -> None:
    client = cast.client("coordinator")
    response = client.post(
        _url("settings", cast.org_community),
        {"quorum_percent": "100", "revisit_interval_days": "30", "next_revisit_on": ""},
    )
    assert response.status_code == 302
    proposal = _proposed(cast)
    for who in ("member", "expert", "facilitator"):
        _respond(cast, who, proposal, "agree")
    assert _state(proposal) == ProposalStatus.OPEN  # 3 of 4 < 100%
    _respond(cast, "coordinator", proposal, "stand_aside")
    assert _state(proposal) == ProposalStatus.ADOPTED


def test_only_current_members_count(cast: Cast) -> None:
    proposal = _proposed(cast)
    _respond(cast, "expert", proposal, "object", "No.")
    Membership.objects.filter(community=cast.org_community, user=cast.expert).delete()
    # The former member's objection no longer stands; quorum is now 2 of 3.
    _respond(cast, "facilitator", proposal, "agree")
    assert _state(proposal) == ProposalStatus.OPEN
    _respond(cast, "coordinator", proposal, "agree")
    assert _state(proposal) == ProposalStatus.ADOPTED


def test_htmx_respond_swaps_the_block_and_reloads_once_adopted(cast: Cast) -> None:
    proposal = _proposed(cast)
    url = _url("respond", cast.org_community, proposal.pk)
    response = cast.client("expert").post(url, {"stance": "agree"}, HTTP_HX_REQUEST="true")
    body = _text(response)
    assert body.lstrip().startswith('<section class="card norm-responses" id="respond"')
    assert "1 of 4 members has responded" in body
    assert "Thank you: your response is in." in body
    bad = cast.client("facilitator").post(url, {"stance": "object"}, HTTP_HX_REQUEST="true")
    assert "An objection needs a reason" in _text(bad)
    done = cast.client("facilitator").post(url, {"stance": "agree"}, HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == _url("proposal", cast.org_community, proposal.pk)
    assert _state(proposal) == ProposalStatus.ADOPTED


# --- revising -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "Nothing changed"),
        ({"why": ""}, "This field is required."),
        ({"why": "New why.", "closes_on": "2020-02-02"}, "is in the past"),
    ],
)
def test_bad_revisions_change_nothing(cast: Cast, changes: dict[str, str], message: str) -> None:
    proposal = _proposed(cast)
    before = _counts()
    data = {"statement": STATEMENT, "why": WHY, "note": "", "closes_on": "", **changes}
    response = cast.client("member").post(_url("revise", cast.org_community, proposal.pk), data)
    assert response.status_code == 200
    assert message in _text(response)
    assert _counts() == before
    proposal.refresh_from_db()
    assert proposal.current_version == 1


# --- closing, reminders and nudges --------------------------------------------------------------


def test_at_the_close_date_a_proposal_without_consent_is_not_adopted(
    cast: Cast, capture_events
) -> None:
    proposal = _proposed(cast)
    _respond(cast, "expert", proposal, "agree")
    later = proposal.closes_at + timedelta(minutes=1)
    with capture_events() as events:
        run_due(later)
    assert _state(proposal) == ProposalStatus.NOT_ADOPTED
    closed = [e for e in events if e.name == "norms.closed"]
    assert closed[0].payload == {
        "community_id": cast.org_community.pk,
        "proposal_id": proposal.pk,
        "outcome": "not_adopted",
    }
    assert not Norm.objects.exists()
    # Idempotent: running the close again changes nothing.
    assert services.close_job(proposal.pk) is None


def test_at_the_close_date_consent_adopts_even_if_an_objector_stayed_silent(cast: Cast) -> None:
    proposal = _proposed(cast)
    _respond(cast, "expert", proposal, "object", "Too vague.")
    _respond(cast, "facilitator", proposal, "agree")
    _respond(cast, "coordinator", proposal, "agree")
    services.revise(cast.member, proposal, statement=STATEMENT + " Always.", why=WHY)
    proposal.refresh_from_db()
    assert _state(proposal) == ProposalStatus.OPEN  # waiting for the objector
    run_due(proposal.closes_at + timedelta(minutes=1))
    assert _state(proposal) == ProposalStatus.ADOPTED


def test_reminders_before_the_close_are_sent_once(cast: Cast) -> None:
    proposal = _proposed(cast, closes_on=_in_days(3))
    _respond(cast, "expert", proposal, "object", "Not yet.")
    reminder_time = proposal.closes_at - timedelta(hours=23)
    run_due(reminder_time)
    reminded = set(
        Notification.objects.filter(kind="norms.reminder").values_list("recipient", flat=True)
    )
    # The three who have not responded; the proposer also hears that an objection stands.
    assert reminded == {cast.member.pk, cast.facilitator.pk, cast.coordinator.pk}
    to_proposer = Notification.objects.get(kind="norms.reminder", recipient=cast.member)
    assert "An objection to" in to_proposer.message
    count = Notification.objects.filter(kind="norms.reminder").count()
    assert services.remind_job(proposal.pk) == 0  # a rerun the same day sends nothing
    assert Notification.objects.filter(kind="norms.reminder").count() == count


def test_the_facilitator_sees_who_is_not_heard_and_nudges_once_a_day(
    cast: Cast, capture_events
) -> None:
    proposal = _proposed(cast)
    _respond(cast, "member", proposal, "agree")
    page = _text(cast.client("facilitator").get(_url("proposal", cast.org_community, proposal.pk)))
    waiting = page.split('id="waiting"')[1].split("</section>")[0]
    assert "Ethan Expert" in waiting and "Cora Coordinator" in waiting
    assert "Mia Member" not in waiting
    # Members don't see the list.
    assert 'id="waiting"' not in _text(
        cast.client("expert").get(_url("proposal", cast.org_community, proposal.pk))
    )
    nudge = _url("nudge", cast.org_community, proposal.pk, cast.expert.pk)
    with capture_events() as events:
        response = cast.client("facilitator").post(nudge, follow=True)
    assert "Ethan Expert was asked for their voice." in _text(response)
    told = Notification.objects.get(kind="norms.nudge")
    assert (told.recipient, told.actor) == (cast.expert, cast.facilitator)
    assert told.url == _url("proposal", cast.org_community, proposal.pk)
    nudged = [e for e in events if e.name == "norms.nudged"]
    assert nudged[0].payload["user_id"] == cast.expert.pk
    # Once a day, whoever asks.
    again = cast.client("coordinator").post(nudge, follow=True)
    assert "already nudged" in _text(again)
    assert Notification.objects.filter(kind="norms.nudge").count() == 1
    # Someone who responded is not nudged; members may not nudge at all.
    done = cast.client("facilitator").post(
        _url("nudge", cast.org_community, proposal.pk, cast.member.pk), follow=True
    )
    assert "already responded" in _text(done)
    assert cast.client("member").post(nudge).status_code == 403
    assert Nudge.objects.count() == 1


# --- anonymity ----------------------------------------------------------------------------------


def test_an_unsigned_objection_never_names_the_objector(cast: Cast, capture_events) -> None:
    """Look for the objector through every page and API answer, as everyone, and fail."""
    community = cast.org_community
    proposal = _proposed(cast)
    with capture_events() as events:
        _respond(cast, "expert", proposal, "object", SECRET_REASON)
    _respond(cast, "facilitator", proposal, "agree")
    services.comment(cast.coordinator, proposal, body="Could we say *why* first?")
    services.revise(cast.member, proposal, statement=STATEMENT, why=WHY + " Disagreement welcome.")
    _respond(cast, "expert", proposal, "object", SECRET_REASON + " Still.")
    services.remind_job(proposal.pk)

    assert all("user_id" not in e.payload for e in events if e.name == "norms.responded")
    name, pk = cast.expert.display_name, cast.expert.pk
    pages = [
        _url("index", community),
        _url("proposals", community),
        _url("history", community),
        _url("proposal", community, proposal.pk),
        _url("revise", community, proposal.pk),
        reverse("notifications:inbox"),
    ]
    api_paths = [
        f"/communities/{community.slug}/norms/proposals",
        f"/communities/{community.slug}/norms/proposals/{proposal.pk}",
        f"/communities/{community.slug}/norms/proposals/{proposal.pk}/comments",
        f"/communities/{community.slug}/norms/proposals/{proposal.pk}/waiting",
    ]
    for who in ("member", "facilitator", "coordinator", "staff", "org_admin"):
        client = cast.client(who)
        for url in pages:
            body = _text(client.get(url))
            assert name not in body, (who, url)
            assert reverse("accounts:person", args=[pk]) not in body, (who, url)
        api = _bearer(getattr(cast, who))
        for path in api_paths:
            body = _text(_api(api, "get", path))
            assert name not in body, (who, path)
            assert f'"id": {pk}' not in body and f'"id":{pk}' not in body, (who, path)
    detail = _api(_bearer(cast.coordinator), "get", api_paths[1]).json()
    assert [r["signed_by"] for r in detail["objection_reasons"]] == [None]
    assert detail["objections"] == 1 and detail["my_response"] is None
    # The expert sees their own response, and only they do.
    mine = _api(_bearer(cast.expert), "get", api_paths[1]).json()["my_response"]
    assert mine["stance"] == "object" and mine["signed"] is False


def test_a_former_objector_is_not_singled_out_after_a_revision(cast: Cast) -> None:
    proposal = _proposed(cast)
    _respond(cast, "expert", proposal, "object", SECRET_REASON)
    _respond(cast, "facilitator", proposal, "agree")
    services.revise(cast.member, proposal, statement=STATEMENT, why=WHY + " Revised.")
    page = _text(cast.client("coordinator").get(_url("proposal", cast.org_community, proposal.pk)))
    waiting = page.split('id="waiting"')[1].split("</section>")[0]
    assert "Ethan Expert" not in waiting  # listing them would name the objector
    assert "Not listed: 1 who objected" in waiting
    # Nudging them answers exactly as nudging someone who agreed.
    for person in (cast.expert, cast.facilitator):
        response = cast.client("coordinator").post(
            _url("nudge", cast.org_community, proposal.pk, person.pk), follow=True
        )
        assert "has already responded" in _text(response)


def test_a_signed_objection_shows_the_name(cast: Cast) -> None:
    proposal = _proposed(cast)
    _respond(cast, "expert", proposal, "object", SECRET_REASON, signed="on")
    page = _text(cast.client("member").get(_url("proposal", cast.org_community, proposal.pk)))
    reasons = page.split("1 objection</h3>")[1].split("</ul>")[0]
    assert SECRET_REASON in reasons and "Ethan Expert" in reasons


@pytest.mark.parametrize(
    "path",
    [
        "propose/?kind=change&norm=abc",
        "propose/?kind=retire&norm=99999999999999999999999",
        "propose/?kind=change",
        "p/99999999999999999999999/",
        "revisit/99999999999999999999999/",
    ],
)
def test_junk_ids_are_not_found(cast: Cast, path: str) -> None:
    response = cast.client("member").get(_url("index", cast.org_community) + path)
    assert response.status_code == 404


def test_nudging_a_junk_person_is_a_message(cast: Cast) -> None:
    proposal = _proposed(cast)
    url = _url("nudge", cast.org_community, proposal.pk, 2**70)
    response = cast.client("facilitator").post(url, follow=True)
    assert "not a member of this community" in _text(response)
    outsider = _url("nudge", cast.org_community, proposal.pk, cast.outsider.pk)
    assert "not a member" in _text(cast.client("facilitator").post(outsider, follow=True))


# --- discussion ---------------------------------------------------------------------------------


def test_discussion_is_markdown_cooked_safely(cast: Cast, capture_events) -> None:
    proposal = _proposed(cast)
    url = _url("comment", cast.org_community, proposal.pk)
    with capture_events() as events:
        cast.client("expert").post(url, {"body": "I like it **a lot**<script>alert(1)</script>"})
    stored = Comment.objects.get()
    assert "<strong>a lot</strong>" in stored.html and "<script>" not in stored.html
    assert [e.name for e in events] == ["norms.commented"]
    page = _text(cast.client("member").get(_url("proposal", cast.org_community, proposal.pk)))
    assert "<strong>a lot</strong>" in page and "<script>alert" not in page
    empty = cast.client("expert").post(url, {"body": "  "})
    assert empty.status_code == 200 and "This field is required." in _text(empty)
    assert cast.client("org_member").post(url, {"body": "hi"}).status_code == 403
    assert Comment.objects.count() == 1


# --- the norm set: changes, retirements, versions -----------------------------------------------


def _adopt(cast: Cast, statement: str = STATEMENT, **changes: Any) -> Proposal:
    proposal = _proposed(cast, statement=statement, **changes)
    _respond(cast, "expert", proposal, "agree")
    _respond(cast, "facilitator", proposal, "agree")
    assert _state(proposal) == ProposalStatus.ADOPTED
    return proposal


def test_changing_and_retiring_norms_make_new_versions(cast: Cast) -> None:
    _adopt(cast, "We start and end on time.")
    _adopt(cast, "We share the airtime.")
    first, second = selectors.current_norms(cast.org_community)
    change = _proposed(
        cast,
        "coordinator",
        kind="change",
        norm=str(first.pk),
        statement="We start on time and end five minutes early.",
        why="Room to breathe.",
    )
    # A second proposal about the same norm while one is open is refused, clearly.
    again = _propose(cast, "expert", kind="retire", norm=str(first.pk), why="Obsolete.")
    assert "already has an open proposal" in _text(again)
    _respond(cast, "expert", change, "agree")
    _respond(cast, "member", change, "agree")
    assert _state(change) == ProposalStatus.ADOPTED
    first.refresh_from_db()
    assert first.statement == "We start on time and end five minutes early."
    assert (first.version, first.proposed_by) == (2, cast.coordinator)
    retire = _proposed(
        cast, "expert", kind="retire", norm=str(second.pk), why="We never needed it."
    )
    assert retire.statement == "We share the airtime."
    _respond(cast, "member", retire, "agree")
    _respond(cast, "facilitator", retire, "stand_aside")
    assert selectors.current_norms(cast.org_community) == [first]
    versions = list(NormSetVersion.objects.order_by("number").values_list("number", "change"))
    assert versions == [(1, "adopt"), (2, "adopt"), (3, "change"), (4, "retire")]
    history = _text(cast.client("member").get(_url("history", cast.org_community)))
    assert "Version 4" in history and "<del>We share the airtime.</del>" in history
    latest = NormSetVersion.objects.get(number=4)
    assert [n["statement"] for n in latest.snapshot] == [first.statement]


def test_retiring_the_last_norm_clears_the_revisit(cast: Cast) -> None:
    _adopt(cast)
    norm = Norm.objects.get()
    retire = _proposed(cast, kind="retire", norm=str(norm.pk), why="Served its purpose.")
    _respond(cast, "expert", retire, "agree")
    _respond(cast, "facilitator", retire, "agree")
    assert NormSettings.objects.get(community=cast.org_community).next_revisit_on is None
    assert not DueJob.objects.filter(key__startswith="norms.revisit").exists()


def test_a_change_must_change_something(cast: Cast) -> None:
    _adopt(cast)
    norm = Norm.objects.get()
    same = _propose(cast, kind="change", norm=str(norm.pk), statement=norm.statement, why=norm.why)
    assert "the norm as it stands" in _text(same)
    assert Proposal.objects.count() == 1


# --- settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"next_revisit_on": "2020-01-01"}, "is in the past"),
        ({"quorum_percent": "0"}, "1 to 100"),
        ({"quorum_percent": "101"}, "1 to 100"),
        ({"revisit_interval_days": "3"}, "7 to 730"),
        ({"next_revisit_on": ""}, "choose a revisit date"),
        ({"quorum_percent": "half"}, "Enter a whole number."),
    ],
)
def test_bad_settings_are_explained_and_change_nothing(
    cast: Cast, changes: dict[str, str], message: str
) -> None:
    _adopt(cast)
    row = NormSettings.objects.get(community=cast.org_community)
    before = (row.quorum_percent, row.revisit_interval_days, row.next_revisit_on)
    jobs = list(DueJob.objects.values_list("key", "due_at"))
    data = {
        "quorum_percent": "60",
        "revisit_interval_days": "30",
        "next_revisit_on": _in_days(10),
        **changes,
    }
    response = cast.client("coordinator").post(_url("settings", cast.org_community), data)
    assert response.status_code == 200
    assert message in _text(response)
    row.refresh_from_db()
    assert (row.quorum_percent, row.revisit_interval_days, row.next_revisit_on) == before
    assert list(DueJob.objects.values_list("key", "due_at")) == jobs


def test_settings_are_for_coordinators(cast: Cast) -> None:
    url = _url("settings", cast.org_community)
    assert cast.client("facilitator").get(url).status_code == 403
    assert cast.client("coordinator").get(url).status_code == 200
    response = cast.client("coordinator").post(
        url, {"quorum_percent": "75", "revisit_interval_days": "60", "next_revisit_on": _in_days(5)}
    )
    assert response.status_code == 302
    row = NormSettings.objects.get(community=cast.org_community)
    assert (row.quorum_percent, row.revisit_interval_days) == (75, 60)
    job = DueJob.objects.get(key=f"norms.revisit:{cast.org_community.pk}")
    assert job.payload["scheduled_for"] == _in_days(5)


# --- revisiting ---------------------------------------------------------------------------------


def test_the_revisit_round_opens_on_its_date_once_and_closes(cast: Cast, capture_events) -> None:
    community = cast.org_community
    _adopt(cast, "We start and end on time.")
    _adopt(cast, "We share the airtime.")
    first, second = selectors.current_norms(community)
    row = NormSettings.objects.get(community=community)
    revisit_at = services.start_of(row.next_revisit_on, row.time_zone)
    # Other features' recurring work (digests, backfills) is not what this test counts.
    DueJob.objects.exclude(key__startswith="norms.").delete()
    assert run_due(revisit_at - timedelta(minutes=1)) == 0
    with capture_events() as events:
        assert run_due(revisit_at + timedelta(minutes=1)) == 1
    revisit = RevisitRound.objects.get()
    opened = [e for e in events if e.name == "norms.revisit_opened"]
    assert [e.payload for e in opened] == [{"community_id": community.pk, "round_id": revisit.pk}]
    told = Notification.objects.filter(kind="norms.revisit")
    assert told.count() == 4
    # Idempotent: opening again (a rerun, or the same date) finds the round.
    assert services.open_revisit_job(community.pk, row.next_revisit_on) == revisit
    assert RevisitRound.objects.count() == 1
    assert selectors.open_revisit(community) == revisit
    index = _text(cast.client("member").get(_url("index", community)))
    assert "time to revisit our norms" in index

    # Members reaffirm a norm, or propose a change (which counts as their word on it).
    url = _url("reaffirm", community, revisit.pk)
    with capture_events() as events:
        cast.client("member").post(url, {"norm": str(first.pk)})
    assert [e.name for e in events] == ["norms.reaffirmed"]
    assert events[0].payload == {
        "community_id": community.pk,
        "round_id": revisit.pk,
        "norm_id": first.pk,
    }
    _proposed(
        cast,
        "expert",
        kind="change",
        norm=str(second.pk),
        statement="We share airtime: two minutes each.",
        why="Clearer.",
    )
    cast.client("facilitator").post(url, {"norm": "all"})
    choices = set(RevisitResponse.objects.values_list("user__email", "norm_id", "choice"))
    assert choices == {
        (cast.member.email, first.pk, "reaffirm"),
        (cast.expert.email, second.pk, "change"),
        (cast.facilitator.email, first.pk, "reaffirm"),
        (cast.facilitator.email, second.pk, "reaffirm"),
    }
    page = _text(cast.client("coordinator").get(_url("revisit", community, revisit.pk)))
    assert "3 of 4 members took part" in page
    assert "2 reaffirmed · 0 proposed a change" in page
    assert "1 reaffirmed · 1 proposed a change" in page
    assert cast.client("org_member").post(url, {"norm": str(first.pk)}).status_code == 403

    # The reminder goes once to who has said nothing; the round closes; the next is scheduled.
    run_due(revisit.closes_at - timedelta(days=2))
    assert set(
        Notification.objects.filter(kind="norms.revisit_reminder").values_list(
            "recipient", flat=True
        )
    ) == {cast.coordinator.pk}
    assert services.remind_revisit_job(revisit.pk) == 0
    with capture_events() as events:
        run_due(revisit.closes_at + timedelta(minutes=1))
    revisit.refresh_from_db()
    assert revisit.status == "closed"
    assert "norms.revisit_closed" in [e.name for e in events]
    row.refresh_from_db()
    assert row.next_revisit_on == timezone.now().date() + timedelta(days=row.revisit_interval_days)
    assert DueJob.objects.get(key=f"norms.revisit:{community.pk}").done_at is None
    late = cast.client("member").post(url, {"norm": str(first.pk)}, follow=True)
    assert "This revisit round is closed." in _text(late)


def test_the_norm_set_partial_for_the_home_page_and_agenda(cast: Cast) -> None:
    from django.template.loader import render_to_string

    community = cast.org_community
    empty = render_to_string("norms/_norm_set.html", {"community": community, "norms": []})
    assert "No norms adopted yet" in empty
    _adopt(cast, "We start and end on time.")
    html = render_to_string(
        "norms/_norm_set.html",
        {
            "community": community,
            "norms": selectors.current_norms(community),
            "norm_version": selectors.norm_set_version(community),
        },
    )
    assert "We start and end on time." in html and "Version 1" in html
    assert _url("index", community) in html


def test_a_revisit_date_of_today_opens_a_round_at_once(cast: Cast) -> None:
    _adopt(cast)
    cast.client("coordinator").post(
        _url("settings", cast.org_community),
        {"quorum_percent": "50", "revisit_interval_days": "90", "next_revisit_on": _in_days(0)},
    )
    run_due(timezone.now())
    assert RevisitRound.objects.filter(community=cast.org_community, status="open").count() == 1


# --- queries ------------------------------------------------------------------------------------


def _many(cast: Cast, n: int) -> None:
    """``n`` adopted norms and ``n`` open proposals with responses, without the HTTP cost."""
    for i in range(n):
        proposal = services.propose(cast.member, cast.org_community, statement=f"Norm {i}", why="w")
        services.respond(cast.expert, proposal, stance="agree")
        services.respond(cast.facilitator, proposal, stance="agree")
        open_one = services.propose(cast.expert, cast.org_community, statement=f"Open {i}", why="w")
        services.respond(cast.member, open_one, stance="object", reason="no")


@pytest.mark.parametrize("page", ["index", "proposals", "history"])
def test_list_pages_do_not_query_per_row(
    cast: Cast, page: str, django_assert_max_num_queries: Any
) -> None:
    client = cast.client("facilitator")
    url = _url(page, cast.org_community)
    _many(cast, 1)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    baseline = len(few.captured_queries)
    _many(cast, 8)
    with django_assert_max_num_queries(baseline):
        assert client.get(url).status_code == 200


def test_proposal_page_does_not_query_per_response(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    proposal = _proposed(cast)
    url = _url("proposal", cast.org_community, proposal.pk)
    client = cast.client("facilitator")
    _respond(cast, "expert", proposal, "object", "one")
    services.comment(cast.member, proposal, body="first")
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    baseline = len(few.captured_queries)  # now: the next request resets Django's query log
    for i in range(6):
        services.comment(cast.member, proposal, body=f"comment {i}")
    _respond(cast, "coordinator", proposal, "stand_aside", "two", signed="on")
    with django_assert_max_num_queries(baseline):
        assert client.get(url).status_code == 200


# --- the API ------------------------------------------------------------------------------------


def test_api_proposal_round_trip(cast: Cast) -> None:
    slug = cast.org_community.slug
    base = f"/communities/{slug}/norms"
    member, expert, facilitator = (
        _bearer(cast.member),
        _bearer(cast.expert),
        _bearer(cast.facilitator),
    )
    created = _api(
        member,
        "post",
        f"{base}/proposals",
        {"statement": STATEMENT, "why": WHY, "closes_on": _in_days(5)},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    pid = body["id"]
    assert (body["status"], body["version"], body["members"], body["responded"]) == (
        "open",
        1,
        4,
        0,
    )
    assert body["quorum_needed"] == 2

    objected = _api(
        expert,
        "put",
        f"{base}/proposals/{pid}/response",
        {"stance": "object", "reason": SECRET_REASON},
    )
    assert objected.status_code == 200
    assert objected.json()["my_response"]["stance"] == "object"
    no_reason = _api(facilitator, "put", f"{base}/proposals/{pid}/response", {"stance": "object"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    _api(facilitator, "put", f"{base}/proposals/{pid}/response", {"stance": "agree"})
    assert _api(facilitator, "get", f"{base}/proposals/{pid}").json()["objections"] == 1

    waiting = _api(facilitator, "get", f"{base}/proposals/{pid}/waiting").json()
    assert {p["name"] for p in waiting["items"]} == {"Mia Member", "Cora Coordinator"}
    assert _api(expert, "get", f"{base}/proposals/{pid}/waiting").status_code == 403
    nudged = _api(
        facilitator, "post", f"{base}/proposals/{pid}/nudges", {"user_id": cast.coordinator.pk}
    )
    assert nudged.status_code == 201
    again = _api(
        facilitator, "post", f"{base}/proposals/{pid}/nudges", {"user_id": cast.coordinator.pk}
    )
    assert again.status_code == 409 and again.json()["code"] == "already_nudged"

    comment = _api(
        expert, "post", f"{base}/proposals/{pid}/comments", {"body": "Could we *add* a why?"}
    )
    assert comment.status_code == 201 and "<em>add</em>" in comment.json()["html"]
    comments = _api(member, "get", f"{base}/proposals/{pid}/comments").json()
    assert comments["count"] == 1 and set(comments) == {"items", "count", "page", "page_size"}

    forbidden = _api(
        expert, "post", f"{base}/proposals/{pid}/versions", {"statement": "x", "why": "y"}
    )
    assert forbidden.status_code == 403
    unchanged = _api(
        member, "post", f"{base}/proposals/{pid}/versions", {"statement": STATEMENT, "why": WHY}
    )
    assert unchanged.status_code == 422 and unchanged.json()["code"] == "invalid"
    revised = _api(
        member,
        "post",
        f"{base}/proposals/{pid}/versions",
        {"statement": STATEMENT, "why": WHY + " Revised.", "note": "Added a why."},
    )
    assert revised.status_code == 201
    assert (revised.json()["version"], revised.json()["awaiting_revision"]) == (2, 1)
    withdrawn = _api(expert, "post", f"{base}/proposals/{pid}/withdraw-objection")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "adopted"
    twice = _api(expert, "post", f"{base}/proposals/{pid}/withdraw-objection")
    assert twice.status_code == 409 and twice.json()["code"] == "proposal_closed"

    norms = _api(member, "get", base).json()
    assert [n["statement"] for n in norms["items"]] == [STATEMENT]
    versions = _api(member, "get", f"{base}/versions").json()["items"]
    assert versions[0]["number"] == 1 and versions[0]["proposed_by"]["name"] == "Mia Member"
    listed = _api(member, "get", f"{base}/proposals?status=adopted").json()
    assert [p["id"] for p in listed["items"]] == [pid]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"statement": STATEMENT, "why": WHY, "closes_on": "2020-01-01"}, "closes_on"),
        ({"statement": "", "why": WHY}, "statement"),
        ({"statement": STATEMENT, "why": WHY, "kind": "change"}, "norm"),
        ({"statement": STATEMENT, "why": WHY, "closes_on": "9999-12-31"}, "closes_on"),
        ({"statement": STATEMENT, "why": WHY, "kind": "veto"}, "kind"),
    ],
)
def test_api_bad_proposals_change_nothing(cast: Cast, body: dict[str, Any], field: str) -> None:
    client = _bearer(cast.member)
    before = _counts()
    response = _api(client, "post", f"/communities/{cast.org_community.slug}/norms/proposals", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert _counts() == before


def test_api_settings_refuse_a_past_revisit_date(cast: Cast) -> None:
    path = f"/communities/{cast.org_community.slug}/norms/settings"
    coordinator = _bearer(cast.coordinator)
    assert _api(coordinator, "get", path).json() == {
        "quorum_percent": 50,
        "revisit_interval_days": 90,
        "next_revisit_on": None,
        "time_zone": "UTC",
    }
    past = {"quorum_percent": 60, "revisit_interval_days": 30, "next_revisit_on": "2020-01-01"}
    response = _api(coordinator, "put", path, past)
    assert response.status_code == 422
    assert "in the past" in response.json()["errors"]["next_revisit_on"]
    assert not NormSettings.objects.exists()
    ok = _api(coordinator, "put", path, {**past, "next_revisit_on": _in_days(3)})
    assert ok.status_code == 200 and ok.json()["quorum_percent"] == 60
    assert _api(_bearer(cast.facilitator), "put", path, past).status_code == 403


def test_api_revisit_rounds(cast: Cast) -> None:
    _adopt(cast)
    norm = Norm.objects.get()
    revisit = services.open_revisit_job(cast.org_community.pk, timezone.now().date())
    assert revisit is not None
    base = f"/communities/{cast.org_community.slug}/norms/revisits"
    member = _bearer(cast.member)
    assert _api(member, "get", base).json()["items"][0]["id"] == revisit.pk
    put = _api(member, "put", f"{base}/{revisit.pk}/norms/{norm.pk}", {"note": "Still true."})
    assert put.status_code == 200 and put.json()["choice"] == "reaffirm"
    detail = _api(member, "get", f"{base}/{revisit.pk}").json()
    assert detail["took_part"] == 1 and detail["norms"][0]["reaffirmed"] == 1
    assert detail["norms"][0]["my_choice"] == "reaffirm"
    outsider = _api(_bearer(cast.org_member), "put", f"{base}/{revisit.pk}/norms/{norm.pk}", {})
    assert outsider.status_code == 403
    missing = _api(member, "put", f"{base}/{revisit.pk}/norms/999999", {})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_api_lists_do_not_query_per_row(cast: Cast, django_assert_max_num_queries: Any) -> None:
    client = _bearer(cast.member)
    base = f"/communities/{cast.org_community.slug}/norms"
    paths = [base, f"{base}/versions", f"{base}/proposals"]
    _many(cast, 1)
    few = {}
    for path in paths:
        with django_assert_max_num_queries(20) as queries:
            assert _api(client, "get", path).status_code == 200
        few[path] = len(queries.captured_queries)
    _many(cast, 6)
    for path in paths:
        with django_assert_max_num_queries(few[path]):
            assert _api(client, "get", path).json()["count"] >= 6


def test_openapi_documents_every_norms_endpoint(db: None) -> None:
    schema = Client().get(f"{API}/openapi.json").json()
    base = "/communities/{slug}/norms"
    operations = {
        (method.upper(), path.removeprefix(API))
        for path, item in schema["paths"].items()
        for method in item
        if "/norms" in path
    }
    assert operations == {
        ("GET", base),
        ("GET", f"{base}/versions"),
        ("GET", f"{base}/settings"),
        ("PUT", f"{base}/settings"),
        ("GET", f"{base}/proposals"),
        ("POST", f"{base}/proposals"),
        ("GET", f"{base}/proposals/{{proposal_id}}"),
        ("PUT", f"{base}/proposals/{{proposal_id}}/response"),
        ("POST", f"{base}/proposals/{{proposal_id}}/withdraw-objection"),
        ("POST", f"{base}/proposals/{{proposal_id}}/versions"),
        ("GET", f"{base}/proposals/{{proposal_id}}/comments"),
        ("POST", f"{base}/proposals/{{proposal_id}}/comments"),
        ("GET", f"{base}/proposals/{{proposal_id}}/waiting"),
        ("POST", f"{base}/proposals/{{proposal_id}}/nudges"),
        ("GET", f"{base}/revisits"),
        ("GET", f"{base}/revisits/{{round_id}}"),
        ("PUT", f"{base}/revisits/{{round_id}}/norms/{{norm_id}}"),
    }
    assert schema["components"]["schemas"]["Stance"]["enum"] == list(Stance.values)


# --- the consent rule, as a property -------------------------------------------------------------

STANCES = st.sampled_from([Stance.AGREE, Stance.STAND_ASIDE, Stance.OBJECT])


@given(
    members=st.integers(min_value=0, max_value=60),
    percent=st.integers(min_value=1, max_value=100),
    rows=st.lists(st.tuples(STANCES, st.integers(min_value=1, max_value=3)), max_size=60),
)
def test_consent_rule_property(members: int, percent: int, rows: list[tuple[str, int]]) -> None:
    result = tally(rows, members=members, quorum_percent=percent, current_version=3)
    needed = quorum_needed(members, percent)
    assert needed >= 1 and needed * 100 >= members * percent
    assert (needed - 1) * 100 < max(members * percent, 100)
    standing = sum(1 for s, v in rows if s == Stance.OBJECT and v == 3)
    awaiting = sum(1 for s, v in rows if s == Stance.OBJECT and v != 3)
    assert result.objections == standing and result.awaiting_revision == awaiting
    assert result.responded == len(rows) - awaiting
    # Consent: a quorum responded and no objection stands; never a majority vote.
    assert result.consent == (len(rows) - awaiting >= needed and standing == 0)
    assert result.adoptable_now == (result.consent and awaiting == 0)
    # One more objection to the latest version can never make a proposal adoptable.
    blocked = tally(
        [*rows, (Stance.OBJECT, 3)], members=members, quorum_percent=percent, current_version=3
    )
    assert not blocked.consent
    # One more agreement never removes consent that held.
    more = tally(
        [*rows, (Stance.AGREE, 1)], members=members, quorum_percent=percent, current_version=3
    )
    assert more.consent or not result.consent


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.lists(
        st.tuples(st.sampled_from(["member", "expert", "facilitator", "coordinator"]), STANCES),
        max_size=8,
    )
)
def test_services_adopt_exactly_when_consent_first_holds(
    cast: Cast, answers: list[tuple[str, str]]
) -> None:
    """Any sequence of responses: the proposal is adopted right after the first response after
    which a quorum has responded with no objection standing, and not before."""
    proposal = services.propose(cast.member, cast.org_community, statement=STATEMENT, why=WHY)
    current: dict[str, str] = {}
    expected_adopted = False
    for who, stance in answers:
        try:
            services.respond(getattr(cast, who), proposal, stance=stance, reason="r")
        except Conflict:
            assert expected_adopted  # only a decided proposal refuses responses
            continue
        current[who] = stance
        objections = sum(1 for s in current.values() if s == Stance.OBJECT)
        expected_adopted = expected_adopted or (len(current) >= 2 and objections == 0)
        proposal.refresh_from_db()
        assert (proposal.status == ProposalStatus.ADOPTED) == expected_adopted


def test_tally_of_nothing_is_not_consent() -> None:
    assert not Tally(members=0, quorum_percent=50).consent
    assert quorum_needed(4, 50) == 2 and quorum_needed(5, 50) == 3 and quorum_needed(3, 100) == 3


# --- the demo -----------------------------------------------------------------------------------


def test_demo_norms_load_on_top_of_the_demo(db: None) -> None:
    from practica.demo import load_demo
    from practica.practice.norms.demo import DEMO_SLUG, load_demo_norms

    load_demo()
    load_demo_norms()
    community = Community.objects.get(slug=DEMO_SLUG)
    norms = selectors.current_norms(community)
    assert 4 <= len(norms) <= 6
    assert len({n.proposed_by_id for n in norms}) >= 3
    version = selectors.norm_set_version(community)
    assert version is not None and version.number > len(norms)  # a history, not one batch
    open_one = Proposal.objects.get(community=community, status=ProposalStatus.OPEN)
    detail = selectors.proposal_detail(open_one, None)
    assert [r.signed_by is not None for r in detail.objections] == [True]
    assert detail.tally.responded >= 3
    assert NormSettings.objects.get(community=community).next_revisit_on is not None
    before = (Proposal.objects.count(), Norm.objects.count(), Response.objects.count())
    load_demo_norms()  # safe to call again: nothing doubles
    assert (Proposal.objects.count(), Norm.objects.count(), Response.objects.count()) == before


def test_dates_are_read_in_the_proposers_time_zone(cast: Cast) -> None:
    cast.member.timezone = "Pacific/Kiritimati"  # UTC+14: their "today" may be UTC's tomorrow
    cast.member.save()
    today_there = timezone.now().astimezone(services._zone("Pacific/Kiritimati")).date()
    proposal = services.propose(
        cast.member, cast.org_community, statement=STATEMENT, why=WHY,
        closes_on=today_there + timedelta(days=1),
    )  # fmt: skip
    assert proposal.open_until.astimezone(services._zone("Pacific/Kiritimati")).date() == (
        today_there + timedelta(days=1)
    )
    assert isinstance(services.local_today("No/Such_Zone"), date)
    assert re.match(r"\d{4}-\d\d-\d\d", _in_days(1))
