"""HTML forms for resources. They parse types (numbers, choices, the file); the rules (lengths,
tags, links, file types and sizes, who may) are the services', shared with the API, and come
back as form errors."""

from __future__ import annotations

from django import forms

from practica.resources.models import (
    DESCRIPTION_MAX,
    NOTE_MAX,
    REASON_MAX,
    TITLE_MAX,
    URL_MAX,
    AudienceRole,
    Decision,
    FlagReason,
    GradeBand,
)
from practica.resources.uploads import ACCEPTED_NAMES


class ResourceForm(forms.Form):
    """Contribute (with ``file`` or ``url``) or edit (details only). The file input comes last:
    a refused upload stops reading the body there, and the fields before it are kept."""

    title = forms.CharField(label="Title", max_length=TITLE_MAX)
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX,
        required=False,
        help_text="What it is, how you use it, what to watch for. Markdown works.",
    )
    tags = forms.CharField(
        label="Tags",
        max_length=300,
        required=False,
        help_text="Comma-separated, e.g. fractions, routines (at most 5).",
    )
    grade_band = forms.ChoiceField(label="Grade band", choices=GradeBand.choices, required=False)
    audience_role = forms.ChoiceField(label="For", choices=AudienceRole.choices, required=False)
    related_post = forms.IntegerField(
        label="Related question (number)", required=False, min_value=1,
        help_text="The number in the question's address, if it answers one.",
    )  # fmt: skip
    wiki_page = forms.IntegerField(label="Related wiki page (number)", required=False, min_value=1)
    url = forms.CharField(
        label="Link",
        max_length=URL_MAX,
        required=False,
        help_text="Share a web page (http:// or https://) — or upload a file below.",
    )
    file = forms.FileField(
        label="File",
        required=False,
        help_text=f"{ACCEPTED_NAMES}.",
    )

    def __init__(self, *args: object, editing: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if editing:
            del self.fields["file"]


class RateForm(forms.Form):
    value = forms.TypedChoiceField(
        label="How useful is it for your practice?",
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )


class UsedForm(forms.Form):
    note = forms.CharField(
        label="How did it go?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX,
        required=False,
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label="What's wrong?", choices=FlagReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Details",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        required=False,
        help_text="Moderators and the author see this.",
    )


class NeedsReviewForm(forms.Form):
    note = forms.CharField(label="What has changed?", max_length=REASON_MAX, required=False)


class ReviewedForm(forms.Form):
    reason = forms.CharField(label="Why is it still accurate?", max_length=REASON_MAX)


class ModerateForm(forms.Form):
    action = forms.ChoiceField(
        label="Decision",
        choices=[
            (Decision.RESTORE, "Restore it as it is"),
            (Decision.EDIT, "Edit it, then restore"),
            (Decision.REMOVE, "Remove it"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (logged and sent to the author)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
    )
    title = forms.CharField(label="Title (when editing)", max_length=TITLE_MAX, required=False)
    description = forms.CharField(
        label="Description (when editing)",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=DESCRIPTION_MAX,
        required=False,
    )


class SettingsForm(forms.Form):
    flag_threshold = forms.IntegerField(
        label="Hide a resource when its flags weigh at least",
        help_text="Each open flag adds its weight; a moderator then reviews it.",
    )
    weight_member = forms.IntegerField(label="Weight of a member's flag")
    weight_expert = forms.IntegerField(label="Weight of an expert's flag")
    weight_leader = forms.IntegerField(
        label="Weight of a moderator's, facilitator's or coordinator's flag"
    )


class LimitsForm(forms.Form):
    media_max_mb = forms.IntegerField(label="Largest video or audio file (MB)")
    other_max_mb = forms.IntegerField(label="Largest document or image (MB)")
