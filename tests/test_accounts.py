"""Accounts: sign-up, log in/out, password reset, profile, API tokens, e-mail over real SMTP."""

from __future__ import annotations

import re
import socket
import time

import pytest
from django.core import mail
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from practica.accounts import services
from practica.accounts.models import ApiToken, DeclaredExpertise, User
from practica.lib.testing import PASSWORD, Cast


def test_signup_sends_a_verification_email_and_hashes_with_argon2(client, db) -> None:
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Lena Park",
            "email": "Lena@School.test",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="lena@school.test")
    assert user.name == "Lena Park"
    assert user.password.startswith("argon2")
    assert "confirm-email" in mail.outbox[-1].body
    # Unverified: logging in is held at the verification step.
    client.logout()
    login = client.post(
        reverse("account_login"), {"login": "lena@school.test", "password": PASSWORD}
    )
    assert login["Location"].startswith("/accounts/confirm-email/")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 121}, "at most 120 characters"),
        ({"password2": "different"}, "You must type the same password each time."),
        ({"password1": "123", "password2": "123"}, "too short"),
    ],
)
def test_signup_rejects_bad_input_clearly(
    cast: Cast, client, data: dict[str, str], message: str
) -> None:
    before = User.objects.count()
    form = {
        "name": "Lena",
        "email": "lena@school.test",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **data,
    }
    response = client.post(reverse("account_signup"), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == before


def test_signup_with_a_taken_address_reveals_nothing(cast: Cast, client) -> None:
    """No account enumeration: the page looks like a normal sign-up; the owner gets a note."""
    before = User.objects.count()
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Imposter",
            "email": cast.member.email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert User.objects.count() == before
    assert mail.outbox[-1].to == [cast.member.email]
    assert "already" in mail.outbox[-1].body.lower()
    assert cast.member.check_password(PASSWORD)


def test_log_in_and_out(cast: Cast, client) -> None:
    response = client.post(
        reverse("account_login"), {"login": cast.member.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "Welcome, Mia Member" in client.get("/").content.decode()
    client.post(reverse("account_logout"))
    assert "Create your account" in client.get("/").content.decode()
    bad = client.post(reverse("account_login"), {"login": cast.member.email, "password": "nope"})
    assert "not correct" in bad.content.decode()
    assert "Create your account" in client.get("/").content.decode()


def test_password_reset_by_email(cast: Cast, client) -> None:
    client.post(reverse("account_reset_password"), {"email": cast.member.email})
    link = re.search(r"http://\S+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    new_password = "a whole new passphrase 42"
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    cast.member.refresh_from_db()
    assert cast.member.check_password(new_password)


def test_edit_profile_with_expertise_and_time_zone(cast: Cast) -> None:
    client = cast.client("member")
    response = client.post(
        reverse("accounts:profile"),
        {
            "name": "Mia Moreno",
            "title": "Grade 7 math teacher",
            "bio": "Ten years in.",
            "timezone": "America/Los_Angeles",
            "expertise": "Formative assessment, ELL;  formative   assessment , Number talks",
        },
    )
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert (cast.member.name, cast.member.timezone) == ("Mia Moreno", "America/Los_Angeles")
    labels = list(
        DeclaredExpertise.objects.filter(user=cast.member).values_list("label", flat=True)
    )
    assert sorted(labels) == ["ELL", "Formative assessment", "Number talks"]
    form = client.get(reverse("accounts:profile")).content.decode()
    assert '<option value="America/Los_Angeles" selected>' in form
    assert form.count(" selected>") == 1
    page = client.get(reverse("accounts:person", args=[cast.member.pk])).content.decode()
    assert "Number talks" in page and "Grade 7 math teacher" in page
    assert '<span class="avatar avatar-lg"' in page and ">MM</span>" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "Select a valid choice"),
        ({"name": ""}, "This field is required."),
        ({"expertise": ", ".join(f"topic {i}" for i in range(13))}, "at most 12 topics"),
    ],
)
def test_profile_rejects_bad_input_and_keeps_the_old_values(
    cast: Cast, changes: dict[str, str], message: str
) -> None:
    data = {
        "name": "Changed",
        "title": "",
        "bio": "",
        "timezone": "UTC",
        "expertise": "",
        **changes,
    }
    response = cast.client("member").post(reverse("accounts:profile"), data)
    assert message in response.content.decode()
    cast.member.refresh_from_db()
    assert cast.member.name == "Mia Member"


@given(st.lists(st.text(max_size=50), max_size=20))
def test_expertise_parsing_is_unique_and_bounded(items: list[str]) -> None:
    parsed = services.parse_expertise(", ".join(items))
    slugs = [slug for slug, _ in parsed]
    assert len(slugs) == len(set(slugs))
    assert all(0 < len(slug) <= 40 and len(label) <= 40 for slug, label in parsed)
    assert services.parse_expertise(", ".join(label for _, label in parsed)) == parsed


def test_tokens_are_shown_once_and_revocable(cast: Cast) -> None:
    client = cast.client("member")
    page = client.post(reverse("accounts:tokens"), {"name": "My script"}).content.decode()
    raw = re.search(r'id="new-token">(prt_[^<]+)<', page)
    assert raw is not None
    token = ApiToken.objects.get(user=cast.member)
    assert token.digest != raw.group(1) and raw.group(1) not in token.digest
    assert services.user_for_token(raw.group(1)) == cast.member
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert raw.group(1) not in listing and "My script" in listing
    # Someone else can't revoke it.
    other = cast.client("expert").post(
        reverse("accounts:token-revoke", args=[token.pk]), follow=True
    )
    assert "No such token" in other.content.decode()
    client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert services.user_for_token(raw.group(1)) is None


def test_inactive_users_tokens_stop_working(cast: Cast) -> None:
    _, raw = services.create_api_token(cast.member, "x")
    cast.member.is_active = False
    cast.member.save()
    assert services.user_for_token(raw) is None
    assert services.user_for_token("garbage") is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_verification_email_goes_through_a_real_smtp_server(db, client, settings) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[object] = []

    class Collect(Message):  # type: ignore[misc]
        def handle_message(self, message: object) -> None:
            received.append(message)

    port = _free_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        client.post(
            reverse("account_signup"),
            {
                "name": "Sam Smtp",
                "email": "sam@smtp.test",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    assert len(received) == 1
    message = received[0]
    assert message["To"] == "sam@smtp.test"  # type: ignore[index]
    assert "confirm-email" in message.get_payload(decode=True).decode()  # type: ignore[attr-defined]
