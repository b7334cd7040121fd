"""Issued Open Badges 2.0 documents checked by 1EdTech's own validator (the ``openbadges``
package, installed by the Makefile from requirements/openbadges-validator.txt).

The validator fetches every document over HTTP, so the award is served by a live test server
on 127.0.0.1; only the JSON-LD context at w3id.org is answered locally (``responses``), from
the copy the validator ships. A published award passes; a revoked one and a tampered copy fail.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from practica.lib.testing import load_cast
from practica.qa import services as qa
from practica.recognition import services
from practica.recognition.models import Award

openbadges = pytest.importorskip("openbadges", reason="run `make setup` (installs the validator)")
responses = pytest.importorskip("responses")


@pytest.fixture
def award(transactional_db: None) -> Award:
    """``expert``'s Taught Something award (their answer was rated 5), published."""
    cast = load_cast()
    post = qa.create_post(
        cast.member, cast.org_community, title="Exit tickets that tell you something?",
        body="Mine only tell me who was awake.",
    )  # fmt: skip
    answer = qa.post_answer(cast.expert, post, body="Ask for one misconception, not a summary.")
    qa.rate_answer(cast.member, answer, value=5, note="Misconceptions!")  # committed: delivered
    found = Award.objects.select_related("user", "badge").get(
        user=cast.expert, badge__slug="taught-something"
    )
    return services.set_award_public(cast.expert, found, public=True)


@pytest.fixture
def validator_http(live_server: Any) -> Any:
    from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(
            responses.GET,
            "https://w3id.org/openbadges/v2",
            json=OPENBADGES_CONTEXT_V2_DICT,
            content_type="application/ld+json",
        )
        mock.add_passthru(live_server.url.replace("localhost", "127.0.0.1"))
        yield mock


def _url(live_server: Any, award: Award) -> str:
    # 127.0.0.1, as the issuer's origin: the assertion must be hosted where the issuer lives.
    return live_server.url.replace("localhost", "127.0.0.1") + reverse(
        "recognition:assertion", args=[award.uid]
    )


def _verify(url_or_json: str, email: str) -> dict[str, Any]:
    result: dict[str, Any] = openbadges.verify(url_or_json, recipient_profile={"email": email})
    return result


def _errors(result: dict[str, Any]) -> list[str]:
    return [m["result"] for m in result["report"]["messages"] if m.get("messageLevel") == "ERROR"]


def _rejected(result: dict[str, Any], because: str) -> None:
    """Invalid for the stated reason, not because a document could not be fetched."""
    errors = " ".join(_errors(result))
    assert not result["report"]["valid"]
    assert "ConnectionError" not in errors, errors
    assert because in errors, errors


def test_a_published_award_passes_the_validator(
    award: Award, live_server: Any, validator_http: Any
) -> None:
    result = _verify(_url(live_server, award), award.user.email)
    assert result["report"]["valid"], _errors(result)
    assert result["report"]["errorCount"] == 0
    assert result["report"]["recipientProfile"] == {"email": award.user.email}


def test_the_wrong_recipient_fails(award: Award, live_server: Any, validator_http: Any) -> None:
    result = _verify(_url(live_server, award), "someone.else@riverside.test")
    _rejected(result, "did not match")


def test_a_revoked_award_fails(award: Award, live_server: Any, validator_http: Any) -> None:
    cast = load_cast()
    services.revoke_award(cast.staff, award, reason="Awarded for a rating ring.")
    result = _verify(_url(live_server, award), award.user.email)
    print(_errors(result))
    _rejected(result, "recipient")


def test_a_tampered_copy_fails(award: Award, live_server: Any, validator_http: Any) -> None:
    """Someone edits a copy to claim the award for themselves: the validator checks the hosted
    original (hosted verification), whose recipient hash is not theirs."""
    import urllib.request

    with urllib.request.urlopen(_url(live_server, award)) as response:
        doc = json.loads(response.read())
    from practica.recognition.openbadges import recipient_hash

    doc["recipient"]["identity"] = recipient_hash(
        "mallory@elsewhere.test", doc["recipient"]["salt"]
    )
    result = _verify(json.dumps(doc), "mallory@elsewhere.test")
    _rejected(result, "did not match")
