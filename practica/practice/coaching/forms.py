"""Forms for coaching requests, goals, check-ins and stretch assignments."""

from __future__ import annotations

from django import forms

from practica.practice.coaching.models import (
    FOCUS_MAX,
    GOAL_MAX,
    MESSAGE_MAX,
    NOTES_MAX,
    TITLE_MAX,
    GoalStatus,
    Kind,
    Status,
)


class AskForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices, label="What are you asking for?")
    message = forms.CharField(
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A note (what you hope to work on)",
    )


class DecideForm(forms.Form):
    accept = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", "Accept"), ("0", "Decline")]
    )
    note = forms.CharField(required=False, max_length=MESSAGE_MAX, label="A note back")
    focus = forms.CharField(required=False, max_length=FOCUS_MAX, label="Our focus")


class GoalForm(forms.Form):
    text = forms.CharField(max_length=GOAL_MAX, label="Goal")
    stretch = forms.BooleanField(required=False, label="This is the stretch goal")


class GoalUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=GoalStatus.choices)
    progress = forms.IntegerField(min_value=0, max_value=100, label="Progress (%)")


class CheckInForm(forms.Form):
    held_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    notes = forms.CharField(max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 4}))


class StretchForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX, label="Stretch assignment")
    description = forms.CharField(
        required=False, max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Due"
    )


class DoneForm(forms.Form):
    reflection = forms.CharField(
        max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 3}), label="What I learned"
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
