"""Authentication backends: Django's and allauth's, with the per-request user lookup compiled
once (``practica.lib.prepared``): loading the signed-in user is on every page's path and the
ORM's compilation was most of its cost. Behaviour is otherwise exactly the parents'."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from practica.accounts.models import User
from practica.lib.prepared import PreparedGet

_user_by_pk: PreparedGet[User] = PreparedGet(lambda: User._default_manager.all())


def _get_user(backend: DjangoModelBackend, user_id: Any) -> User | None:
    """ModelBackend.get_user: the active user with this primary key, or None."""
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    user = _user_by_pk.get(pk)
    return user if user is not None and backend.user_can_authenticate(user) else None


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        return _get_user(self, user_id)


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id: Any) -> User | None:
        return _get_user(self, user_id)
