"""HTML forms for norms. They parse types (dates, numbers, choices); the rules (lengths, dates in
the past, who may) are the services', shared with the API, and come back as form errors."""

from __future__ import annotations

from django import forms

from practica.practice.norms.models import (
    COMMENT_MAX,
    NOTE_MAX,
    REASON_MAX,
    STATEMENT_MAX,
    WHY_MAX,
    ProposalKind,
    Stance,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(choices=ProposalKind.choices, widget=forms.HiddenInput)
    norm = forms.IntegerField(required=False, widget=forms.HiddenInput)
    statement = forms.CharField(
        label="The norm",
        max_length=STATEMENT_MAX,
        help_text="One sentence the group can hold itself to, e.g. “We start and end on time.”",
    )
    why = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=WHY_MAX,
        help_text="What it would help the group do, or what it would prevent.",
    )
    closes_on = forms.DateField(
        label="Responses open until",
        widget=DateInput(),
        help_text="The last day members can respond (the end of that day, your time).",
    )


class RetireForm(ProposalForm):
    """Retiring keeps the norm's words; only the reason is written."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["statement"].required = False
        self.fields["statement"].widget = forms.HiddenInput()
        self.fields["why"].label = "Why retire it"
        self.fields["why"].help_text = "What has changed, so the group no longer needs it."


class ResponseForm(forms.Form):
    stance = forms.ChoiceField(
        label="Where do you stand?", choices=Stance.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        required=False,
        help_text="Required to object (what harm do you see?); optional to stand aside.",
    )
    signed = forms.BooleanField(
        label="Show my name with my reason",
        required=False,
        help_text="Unless you tick this, no one sees who gave this response.",
    )


class ReviseForm(forms.Form):
    """``closes_on`` is optional: empty keeps the current close date."""

    statement = forms.CharField(label="The norm", max_length=STATEMENT_MAX)
    why = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 4}), max_length=WHY_MAX)
    note = forms.CharField(
        label="What changed",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX,
        required=False,
        help_text="Tell the group how this version meets the objections.",
    )
    closes_on = forms.DateField(
        label="Responses open until",
        widget=DateInput(),
        required=False,
    )

    def __init__(self, *args: object, retire: bool, keeps: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Retiring keeps the norm's words: there is no statement to write.
        self.fields["statement"].required = not retire
        self.fields[
            "closes_on"
        ].help_text = f"Leave empty to keep {keeps}; the round lasts at least two more days."


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add to the discussion",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_MAX,
        help_text="Markdown works: **bold**, lists, links.",
    )


class SettingsForm(forms.Form):
    quorum_percent = forms.IntegerField(
        label="Quorum (percent of members)",
        help_text="How many members must have responded before a norm can be adopted.",
    )
    revisit_interval_days = forms.IntegerField(
        label="Revisit every (days)",
        help_text="After each revisit round, the next one is this many days later.",
    )
    next_revisit_on = forms.DateField(
        label="Next revisit",
        widget=DateInput(),
        required=False,
        help_text="The day a revisit round opens (your time). Today opens one right away.",
    )


class NoteForm(forms.Form):
    note = forms.CharField(max_length=NOTE_MAX, required=False)
