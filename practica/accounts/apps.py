from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "practica.accounts"
    label = "accounts"
    verbose_name = "Accounts and organizations"

    def ready(self) -> None:
        from practica.accounts import signals  # noqa: F401  (connects allauth receivers)
