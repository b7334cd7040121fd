"""Forms: thin parsers; the rules live in services and lib.validation."""

from __future__ import annotations

import zoneinfo
from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from practica.accounts.models import NAME_MAX, OrganizationKind, OrgRole

TIMEZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones())]


class LongSelect(forms.Select):
    """A select for long flat lists, rendered in Python: Django renders each option through a
    template (~0.5 ms each), and the time-zone list has ~600 options."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = str(value) if value is not None else ""
        options = "".join(
            format_html(
                '<option value="{}"{}>{}</option>',
                key,
                mark_safe(" selected") if str(key) == selected else "",
                label,
            )
            for key, label in self.choices
        )
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))  # noqa: S308


class SignupForm(AllauthSignupForm):
    name = forms.CharField(
        max_length=NAME_MAX,
        label="Your name",
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": "Maya Ortiz"}),
    )
    field_order = ["name", "email", "password1", "password2"]

    def save(self, request: Any) -> Any:
        user = super().save(request)
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])
        return user


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX)
    title = forms.CharField(label="Role or title", max_length=120, required=False)
    bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False)
    timezone = forms.ChoiceField(label="Time zone", choices=TIMEZONE_CHOICES, widget=LongSelect)
    expertise = forms.CharField(
        label="Expertise",
        required=False,
        max_length=600,
        help_text="Topics you know about, separated by commas (e.g. formative assessment, ELL).",
    )


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX)
    slug = forms.CharField(label="URL name", max_length=60, help_text="e.g. lincoln-middle")
    kind = forms.ChoiceField(choices=OrganizationKind.choices, initial=OrganizationKind.SCHOOL)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    members_can_create_communities = forms.BooleanField(
        label="Members may start communities of practice", required=False, initial=True
    )


class OrganizationSettingsForm(OrganizationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["slug"]
        del self.fields["kind"]


class TokenForm(forms.Form):
    name = forms.CharField(label="Token name", max_length=80, initial="API token")


class InviteForm(forms.Form):
    email = forms.CharField(label="E-mail", max_length=254, required=False)
    name = forms.CharField(label="Name (optional)", max_length=NAME_MAX, required=False)
    role = forms.ChoiceField(choices=OrgRole.choices, initial=OrgRole.MEMBER)
    csv_file = forms.FileField(label="…or a CSV file", required=False)
