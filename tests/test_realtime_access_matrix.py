"""The real-time and notifications access matrix: every page and endpoint this feature adds ×
the cast (× each visibility where a community is named) → the expected status.

``/events/stream`` is the bare ASGI app (not a Django URL): it is driven in-process; 401 for
the signed-out, 200 (a stream that starts with ``realtime.ready``) for everyone signed in —
what each person then *receives* is the audience matrix in test_realtime.py.
"""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse

from practica.communities.models import Visibility
from practica.lib.testing import Cast
from practica.notifications import delivery
from tests.realtime_support import StreamCall, run_streams, session_headers

CAST = (
    "anonymous", "outsider", "org_member", "member", "expert", "facilitator", "coordinator",
    "org_admin", "staff",
)  # fmt: skip
SIGNED_IN = dict.fromkeys(CAST, 200) | {"anonymous": 401}


@pytest.mark.parametrize("who", CAST)
def test_event_stream(cast: Cast, who: str) -> None:
    headers = session_headers(cast.client(who))

    async def body() -> None:
        call = StreamCall(headers)
        await call.start()
        await call.wait_for(lambda f: any(x.event == "realtime.ready" for x in f))
        await call.close()
        assert call.status == SIGNED_IN[who]

    async_to_sync(run_streams)(body)


# page name, method → expected status per person (anonymous goes to log in: 302)
PAGES = {
    ("inbox", "get"): 200,
    ("read", "post"): 302,
    ("bell", "get"): 200,
    ("settings", "get"): 200,
    ("settings", "post"): 302,
}


@pytest.mark.parametrize(("name", "method"), list(PAGES), ids=[f"{n}-{m}" for n, m in PAGES])
@pytest.mark.parametrize("who", CAST)
def test_own_notification_pages(cast: Cast, who: str, name: str, method: str) -> None:
    client = cast.client(who)
    url = reverse(f"notifications:{name}")
    data = {"quiet": "1h"} if name == "settings" else {}
    response = getattr(client, method)(url, data)
    expected = 302 if who == "anonymous" else PAGES[(name, method)]
    assert response.status_code == expected
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", CAST)
def test_unsubscribe_link_needs_no_login_and_acts_only_for_its_person(
    cast: Cast, who: str, method: str
) -> None:
    good = delivery.unsubscribe_url(cast.member, "qa.reply").removeprefix("http://127.0.0.1:8000")
    client = cast.client(who)
    assert getattr(client, method)(good).status_code == 200
    assert getattr(client, method)(good + "x").status_code == 400


def _sees(who: str, visibility: str) -> bool:
    if who == "anonymous":
        return False
    if visibility == Visibility.PUBLIC or who in {
        "member",
        "expert",
        "facilitator",
        "coordinator",
        "staff",
    }:
        return True
    return visibility == Visibility.ORGANIZATION and who in {"org_member", "org_admin"}


@pytest.mark.parametrize("visibility", [v.value for v in Visibility])
@pytest.mark.parametrize("who", CAST)
def test_watch_a_community(cast: Cast, who: str, visibility: str) -> None:
    community = cast.community(visibility)
    response = cast.client(who).post(
        reverse("notifications:watch"),
        {"target": f"communities.community:{community.pk}", "level": "watching"},
    )
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (302 if _sees(who, visibility) else 404)
