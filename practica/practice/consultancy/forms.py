"""HTML forms for consultancy. They parse types (numbers, dates, choices); the rules (required
fields, who may be chosen, lengths) are the services', shared with the API, and come back as
form errors."""

from __future__ import annotations

from typing import Any

from django import forms

from practica.accounts.models import User
from practica.practice.consultancy.models import (
    CASE_TEXT_MAX,
    CONTRIBUTION_MAX,
    FOCUS_MAX,
    NOTE_MAX,
    REFLECTION_MAX,
    STEP_MINUTES_MAX,
    STEP_NAME_MAX,
    STEP_PURPOSE_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    CaseVisibility,
    ContributionKind,
    Protocol,
    Speakers,
)

FOLLOWUP_CHOICES = [
    (7, "in 1 week"),
    (14, "in 2 weeks"),
    (21, "in 3 weeks"),
    (28, "in 4 weeks"),
    (42, "in 6 weeks"),
    (56, "in 8 weeks"),
]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class _AnyMember(forms.TypedChoiceField):
    """A person, by id. Whether they are a member is the service's rule (and message)."""

    def valid_value(self, value: Any) -> bool:
        return True


class _AnyMembers(forms.TypedMultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


def _person_label(user: User) -> str:
    return user.display_name


class CaseForm(forms.Form):
    """A case and who is in the session. Required fields say so in the services' words; who
    may be chosen is the service's rule (shared with the API)."""

    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        error_messages={"required": "Title is required."},
        help_text="A few words for the case, e.g. “A schedule change nobody asked for”.",
    )
    context = forms.CharField(
        label="Context",
        max_length=CASE_TEXT_MAX,
        error_messages={"required": "Context is required."},
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The situation, what you have tried, what is at stake. Markdown.",
    )
    dilemma = forms.CharField(
        label="The dilemma",
        max_length=CASE_TEXT_MAX,
        error_messages={"required": "The dilemma is required."},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What pulls you in two directions? Markdown.",
    )
    focusing_question = forms.CharField(
        label="Focusing question",
        max_length=FOCUS_MAX,
        error_messages={"required": "The focusing question is required."},
        help_text="The one question you want the group to help you think about, e.g. “How "
        "can I …?”",
    )
    materials = forms.CharField(
        label="Materials",
        max_length=CASE_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Links or excerpts the group should see (Markdown).",
    )
    protocol = forms.ModelChoiceField(
        label="Protocol",
        queryset=Protocol.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose one of this community's protocols."},
    )
    facilitator = _AnyMember(
        label="Facilitator",
        coerce=int,
        empty_value=None,
        error_messages={"required": "Choose a facilitator to keep time and guide the steps."},
    )
    participants = _AnyMembers(
        label="Participants",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scheduled_for = forms.DateTimeField(
        label="When",
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text="Your time zone. Leave empty if you have not set a time yet.",
    )
    visibility = forms.ChoiceField(
        label="Who may read this case",
        choices=CaseVisibility.choices,
        initial=CaseVisibility.PARTICIPANTS,
        widget=forms.RadioSelect,
    )
    followup_after_days = forms.TypedChoiceField(
        label="Ask me for a follow-up",
        choices=FOLLOWUP_CHOICES,
        coerce=int,
        initial=14,
        help_text="After the session: what did you try, and what happened?",
    )

    def __init__(
        self,
        *args: Any,
        protocols: list[Protocol],
        members: list[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        protocol_field = self.fields["protocol"]
        assert isinstance(protocol_field, forms.ModelChoiceField)
        protocol_field.queryset = Protocol.objects.filter(pk__in=[p.pk for p in protocols])
        protocol_field.choices = [(p.pk, p.title) for p in protocols]
        people = [(u.pk, _person_label(u)) for u in members]
        facilitator = self.fields["facilitator"]
        assert isinstance(facilitator, forms.TypedChoiceField)
        facilitator.choices = [("", "Choose a facilitator"), *people]
        participants = self.fields["participants"]
        assert isinstance(participants, forms.TypedMultipleChoiceField)
        participants.choices = people


class ContributionForm(forms.Form):
    body = forms.CharField(
        label="Your contribution",
        max_length=CONTRIBUTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    step = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReflectionForm(forms.Form):
    reflection = forms.CharField(
        label="Your reflection",
        max_length=REFLECTION_MAX,
        error_messages={"required": "Your reflection is required."},
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What struck you, what you see differently, what you will try. Markdown.",
    )
    followup_after_days = forms.TypedChoiceField(
        label="Ask me for a follow-up", choices=FOLLOWUP_CHOICES, coerce=int
    )


class FollowupForm(forms.Form):
    tried = forms.CharField(
        label="What I tried",
        max_length=REFLECTION_MAX,
        error_messages={"required": "What you tried is required."},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    happened = forms.CharField(
        label="What happened",
        max_length=REFLECTION_MAX,
        error_messages={"required": "What happened is required."},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(choices=CaseVisibility.choices)


class AdaptForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=TITLE_MAX, error_messages={"required": "Title is required."}
    )
    summary = forms.CharField(
        label="Summary",
        max_length=SUMMARY_MAX,
        error_messages={"required": "Summary is required."},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label="What you changed and why",
        max_length=NOTE_MAX,
        error_messages={"required": "What you changed and why is required."},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="So others can see how this version differs from the one it came from.",
    )


class StepForm(forms.Form):
    name = forms.CharField(label="Step", max_length=STEP_NAME_MAX, required=False)
    purpose = forms.CharField(
        label="Purpose",
        max_length=STEP_PURPOSE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    minutes = forms.IntegerField(
        label="Minutes", min_value=1, max_value=STEP_MINUTES_MAX, required=False
    )
    speakers = forms.ChoiceField(label="Who speaks", choices=Speakers.choices)
    contribution = forms.ChoiceField(label="Written down", choices=ContributionKind.choices)


StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True, max_num=12)
