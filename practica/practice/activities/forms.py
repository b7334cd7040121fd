"""Forms for the activity pages. Field rules (lengths, ranges, step limits) live in
``services.clean_activity`` and come back as form errors; these forms parse and present."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import forms

from practica.communities.models import Community
from practica.practice.activities.models import Activity, Purpose
from practica.practice.activities.selectors import ActivityFilters, Setting

DURATION_CHOICES = [
    ("", "Any length"),
    ("5", "5 minutes or less"),
    ("10", "10 minutes or less"),
    ("15", "15 minutes or less"),
    ("20", "20 minutes or less"),
    ("30", "30 minutes or less"),
]
SETTING_CHOICES = [
    ("both", "In person or virtual"),
    (Setting.IN_PERSON, "In person only"),
    (Setting.VIRTUAL, "Virtual only"),
]
# "1. ", "2) ", "- ", "* ", "• " at the start of a pasted line: the page numbers steps itself.
BULLET_RE = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+")


class ActivityFilterForm(forms.Form):
    """The library's filters, submitted with GET. Invalid values are ignored (and shown)."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    purpose = forms.ChoiceField(choices=[("", "Any purpose"), *Purpose.choices], required=False)
    max_duration = forms.TypedChoiceField(
        label="Length", choices=DURATION_CHOICES, coerce=int, empty_value=None, required=False
    )
    setting = forms.ChoiceField(choices=[("", "Any setting"), *Setting.choices], required=False)
    group_size = forms.IntegerField(label="Group size", min_value=1, max_value=1000, required=False)

    def filters(self) -> ActivityFilters:
        """The valid filters (``is_valid`` is called here); a bad field counts as empty."""
        self.is_valid()
        data = self.cleaned_data
        return ActivityFilters(
            purpose=data.get("purpose") or "",
            max_duration=data.get("max_duration"),
            setting=data.get("setting") or "",
            group_size=data.get("group_size"),
            q=(data.get("q") or "").replace("\x00", ""),
        )

    def querystring(self) -> str:
        """The submitted filters as ``&key=value``, for pager links."""
        pairs = {k: v for k, v in self.data.items() if k != "page" and v and k in self.fields}
        return "&" + urlencode(pairs) if pairs else ""


class ActivityForm(forms.Form):
    title = forms.CharField()
    purpose = forms.ChoiceField(choices=Purpose.choices)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One line: what happens and what it is good for.",
    )
    duration_minutes = forms.IntegerField(label="Minutes")
    min_group = forms.IntegerField(label="Smallest group")
    max_group = forms.IntegerField(label="Largest group")
    setting = forms.ChoiceField(
        label="Where it can run", choices=SETTING_CHOICES, widget=forms.RadioSelect
    )
    materials = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What to prepare or bring; leave empty if nothing is needed.",
    )
    steps = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="One step per line, in order; blank lines between steps are fine, and "
        "numbers are added for you. "
        "Write what the facilitator says or does, so someone running it for the first time "
        "can follow it. Up to 15 steps of up to 500 characters each.",
        error_messages={"required": "Add at least one step: what the facilitator does first."},
    )
    note = forms.CharField(
        label="What changed and why",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For your group and whoever adapts it next, e.g. 'Shortened to ten minutes "
        "and made it work online, because we meet by video in winter.'",
        error_messages={"required": "Say what you changed and why: it is how lineage helps."},
    )

    def clean_steps(self) -> list[str]:
        lines = self.cleaned_data["steps"].splitlines()
        return [BULLET_RE.sub("", line).strip() for line in lines if line.strip()]

    def activity_fields(self) -> dict[str, Any]:
        """The cleaned values as ``services`` keyword arguments (``note`` included)."""
        data = dict(self.cleaned_data)
        setting = data.pop("setting")
        data.pop("community", None)
        data["in_person"] = setting in ("both", Setting.IN_PERSON)
        data["virtual"] = setting in ("both", Setting.VIRTUAL)
        return data

    @staticmethod
    def initial_for(activity: Activity, *, note: str = "") -> dict[str, Any]:
        """The form's initial values from ``activity``, for adapting or editing it."""
        setting = (
            "both"
            if activity.in_person and activity.virtual
            else (Setting.IN_PERSON if activity.in_person else Setting.VIRTUAL)
        )
        return {
            "title": activity.title,
            "purpose": activity.purpose,
            "summary": activity.summary,
            "duration_minutes": activity.duration_minutes,
            "min_group": activity.min_group,
            "max_group": activity.max_group,
            "setting": str(setting),
            "materials": activity.materials,
            # A blank line between steps, so long steps that wrap are still easy to tell apart.
            "steps": "\n\n".join(activity.steps),
            "note": note,
        }


class AdaptForm(ActivityForm):
    """Adapt an activity: the same fields, plus the community to adapt it for."""

    community = forms.ModelChoiceField(
        label="Adapt for",
        queryset=Community.objects.none(),
        to_field_name="slug",
        empty_label=None,
        help_text="One of the communities you are a member of.",
    )
    field_order = ["community"]

    def __init__(self, *args: Any, communities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if communities is not None:
            self.fields["community"].queryset = communities  # type: ignore[attr-defined]
