from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

from practica.lib.env import env_bool


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up can be closed by the operator (``PRACTICA_OPEN_SIGNUP=false``): people then
    arrive only through invitations or single sign-on."""

    def is_open_for_signup(self, request: Any) -> bool:
        return env_bool("PRACTICA_OPEN_SIGNUP", default=True)
