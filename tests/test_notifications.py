"""In-app notifications: created by services, listed, counted, marked read."""

from __future__ import annotations

from django.urls import reverse

from practica.lib.testing import Cast
from practica.notifications import services
from practica.notifications.models import Notification


def test_inbox_lists_only_mine_and_marks_read(cast: Cast) -> None:
    services.notify(
        cast.member,
        kind="test.hello",
        message="Your turn to open <Tuesday>",
        url="/c/organization-math/",
    )
    services.notify(cast.expert, kind="test.hello", message="Not for Mia")
    client = cast.client("member")
    home = client.get("/").content.decode()
    assert 'aria-label="1 unread"' in home
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Your turn to open &lt;Tuesday&gt;" in inbox
    assert "Not for Mia" not in inbox
    client.post(reverse("notifications:read"))
    assert services.unread_count(cast.member) == 0
    assert services.unread_count(cast.expert) == 1


def test_one_cannot_mark_someone_elses_notification(cast: Cast) -> None:
    theirs = services.notify(cast.expert, kind="test.hello", message="x")
    cast.client("member").post(reverse("notifications:read"), {"id": str(theirs.pk)})
    assert Notification.objects.get(pk=theirs.pk).read_at is None
