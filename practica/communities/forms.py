from __future__ import annotations

from django import forms

from practica.accounts.models import NAME_MAX, Organization
from practica.communities.models import JoinPolicy, Role, Visibility


class CommunityForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX)
    slug = forms.CharField(
        label="URL name",
        max_length=60,
        help_text="Lowercase letters, digits and hyphens; it appears in links (/c/your-name/).",
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), to_field_name="slug", empty_label=None
    )
    domain = forms.CharField(
        max_length=300,
        help_text="The shared concern: what this community's members care about and work on.",
    )
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        help_text="What the community wants to achieve together.",
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, widget=forms.RadioSelect)
    join_policy = forms.ChoiceField(
        label="Who may join", choices=JoinPolicy.choices, widget=forms.RadioSelect
    )


class CommunitySettingsForm(CommunityForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        del self.fields["slug"]
        del self.fields["organization"]


class CommunityInviteForm(forms.Form):
    email = forms.CharField(label="E-mail of the person to invite", max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER, required=False)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label="A note for the facilitators (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
