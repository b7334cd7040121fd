"""The per-request session read and user lookup skip the ORM's compilation
(practica.accounts.sessions, practica.accounts.backends, practica.lib.prepared): they must
behave exactly like Django's own — same user object, and no session that Django would refuse."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.backends import _user_by_pk
from practica.accounts.models import User
from practica.lib.testing import Cast

pytestmark = pytest.mark.django_db


def _person(**extra: object) -> User:
    user = User.objects.create_user(email="fast@example.test", password="pw-1234567", **extra)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return user


def test_prepared_lookup_builds_the_same_user_as_the_orm() -> None:
    user = _person(name="Fast Reader", is_staff=True, timezone="Europe/Paris")
    fast = _user_by_pk.get(user.pk)
    slow = User.objects.get(pk=user.pk)
    assert fast is not None
    for field in User._meta.concrete_fields:
        fast_value, slow_value = getattr(fast, field.attname), getattr(slow, field.attname)
        assert fast_value == slow_value, field.name
        assert type(fast_value) is type(slow_value), field.name
    assert fast.last_login is not None and fast.last_login.tzinfo is not None
    assert fast._state.adding is False and fast._state.db == "default"
    assert _user_by_pk.get(user.pk + 1000) is None


def _signed_in() -> tuple[Client, User]:
    user = _person()
    client = Client()
    assert client.login(email="fast@example.test", password="pw-1234567")
    return client, user


def _is_signed_in(client: Client) -> bool:
    response = client.get(reverse("accounts:profile"))
    return response.status_code == 200


def test_a_live_session_signs_in() -> None:
    client, _ = _signed_in()
    assert _is_signed_in(client)


def test_an_expired_session_is_refused() -> None:
    client, _ = _signed_in()
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert not _is_signed_in(client)


def test_a_session_ended_elsewhere_is_refused_at_once() -> None:
    client, _ = _signed_in()
    Session.objects.all().delete()  # e.g. "log out everywhere", or an admin's purge
    assert not _is_signed_in(client)


def test_a_deactivated_person_is_signed_out_at_once() -> None:
    client, user = _signed_in()
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not _is_signed_in(client)


def test_a_password_change_elsewhere_ends_the_session() -> None:
    client, user = _signed_in()
    user.set_password("another-pw-98765")
    user.save()
    assert not _is_signed_in(client)


def test_a_forged_session_key_is_refused() -> None:
    _signed_in()
    client = Client()
    client.cookies["sessionid"] = "x" * 32
    assert not _is_signed_in(client)


def test_the_community_lookup_builds_the_same_community_as_the_orm(cast: Cast) -> None:
    from practica.communities.access import _community_by_slug, get_community_for

    for community in (cast.org_community, cast.private_community, cast.public_community):
        fast = _community_by_slug.get(community.slug)
        slow = type(community).objects.get(pk=community.pk)
        assert fast is not None
        for field in type(community)._meta.concrete_fields:
            assert getattr(fast, field.attname) == getattr(slow, field.attname), field.name
            assert type(getattr(fast, field.attname)) is type(getattr(slow, field.attname))
    assert _community_by_slug.get("no-such-community") is None
    found = get_community_for(cast.member, cast.org_community.slug)
    assert found.organization == cast.org_community.organization


def test_prepared_lookup_with_a_join_builds_what_select_related_builds(
    cast: Cast, django_assert_num_queries: object
) -> None:
    """``PreparedGet(related=...)``: one statement, and the same instances as the ORM's
    ``select_related`` — every field of both, the foreign key's cache filled."""
    from practica.communities.access import _community_by_slug
    from practica.communities.models import Community

    slow = Community.objects.select_related("organization").get(pk=cast.org_community.pk)
    with django_assert_num_queries(1):  # type: ignore[operator]
        fast = _community_by_slug.get(slow.slug)
        assert fast is not None
        fast_org = fast.organization  # cached: no second query
    for model, a, b in ((Community, fast, slow), (type(fast_org), fast_org, slow.organization)):
        for field in model._meta.concrete_fields:
            assert getattr(a, field.attname) == getattr(b, field.attname), field.name
            assert type(getattr(a, field.attname)) is type(getattr(b, field.attname)), field.name
    assert fast._state.adding is False and fast_org._state.db == "default"
    assert _community_by_slug.get("no-such-community") is None
