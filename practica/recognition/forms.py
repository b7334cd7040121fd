"""HTML forms for recognition. They parse types; the rules are the services' (shared with the
API) and come back as form errors."""

from __future__ import annotations

from typing import Any

from django import forms

from practica.recognition.levels import DEFAULTS
from practica.recognition.models import GOAL_TITLE_MAX, NOTE_MAX, REASON_MAX, GoalMetric, Level


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class KudosForm(forms.Form):
    community = forms.TypedChoiceField(label="Where they helped", coerce=int)
    note = forms.CharField(
        label="Your thanks",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What they did and what it changed for you. Shown on their profile.",
    )

    def __init__(self, *args: Any, communities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = communities  # type: ignore[attr-defined]


class GoalForm(forms.Form):
    title = forms.CharField(label="Goal", max_length=GOAL_TITLE_MAX)
    metric = forms.ChoiceField(label="Measured by", choices=GoalMetric.choices)
    target = forms.IntegerField(
        label="Target", min_value=1, help_text="A percentage for the % measures, else a count."
    )
    starts_on = forms.DateField(label="From", widget=DateInput())
    ends_on = forms.DateField(label="Until", widget=DateInput())


class LevelForm(forms.Form):
    level = forms.TypedChoiceField(label="Lower to", coerce=int, choices=Level.choices)
    reason = forms.CharField(
        label="Reason (kept in the log, shown to the person)",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LiftForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=REASON_MAX)


class SettingsForm(forms.Form):
    leaderboard_enabled = forms.BooleanField(
        label="Show a leaderboard of educational value earned this month",
        required=False,
        help_text="Off by default. Members can always opt out of appearing on it.",
    )


class PreferencesForm(forms.Form):
    leaderboard_opt_out = forms.BooleanField(
        label="Leave me off community leaderboards", required=False
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label="Why it is revoked", max_length=REASON_MAX)


class ThresholdsForm(forms.Form):
    """Reputation, people helped and days active for each level above newcomer."""

    def __init__(self, *args: Any, current: dict[int, tuple[int, int, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for level in Level.values[1:]:
            have = current.get(level) or (
                DEFAULTS[level].reputation,
                DEFAULTS[level].people_helped,
                DEFAULTS[level].days_active,
            )
            label = Level(level).label
            for i, (key, what) in enumerate(
                (("rep", "reputation"), ("helped", "people helped"), ("days", "days active"))
            ):
                self.fields[f"l{level}_{key}"] = forms.IntegerField(
                    label=f"{label}: {what}", min_value=0, max_value=1_000_000, initial=have[i]
                )

    def requirements(self) -> dict[int, tuple[int, int, int]]:
        data = self.cleaned_data
        return {
            level: (data[f"l{level}_rep"], data[f"l{level}_helped"], data[f"l{level}_days"])
            for level in Level.values[1:]
        }
