"""HTML forms for meetings. They parse types (dates, times, numbers); the rules (lengths,
ranges, "the agenda must fit the meeting") live in ``services`` and come back as field errors."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from practica.practice.meetings.models import (
    DEFAULT_OPENER_MINUTES,
    Recurrence,
    Weekday,
    WeekOfMonth,
)

COMMON_ZONES = (
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/New_York",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Toronto",
    "America/Mexico_City",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Africa/Johannesburg",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SeriesEditForm(forms.Form):
    title = forms.CharField(max_length=120, help_text="e.g. Weekly math collaborative")
    local_time = forms.TimeField(label="Starts at", widget=TIME)
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=1, max_value=10_000, initial=60
    )
    place = forms.CharField(
        label="Place", max_length=200, required=False, help_text="Room, building: if in person."
    )
    video_url = forms.CharField(
        label="Video link",
        max_length=500,
        required=False,
        help_text="If virtual (or hybrid): the meeting link.",
    )
    end_date = forms.DateField(label="Last meeting on or before", required=False, widget=DATE)


class SeriesForm(SeriesEditForm):
    recurrence = forms.ChoiceField(label="Repeats", choices=Recurrence.choices)
    weekday = forms.TypedChoiceField(
        label="On", choices=Weekday.choices, coerce=int, initial=Weekday.TUESDAY
    )
    week_of_month = forms.TypedChoiceField(
        label="Week of the month",
        choices=WeekOfMonth.choices,
        coerce=int,
        initial=WeekOfMonth.FIRST,
        required=False,
        help_text="For monthly meetings.",
    )
    timezone = forms.CharField(
        label="Time zone",
        max_length=64,
        help_text="The meeting's own clock (IANA name, e.g. America/Chicago): 15:30 stays 15:30 "
        "when the clocks change.",
        widget=forms.TextInput(attrs={"list": "zones", "autocomplete": "off"}),
    )
    start_date = forms.DateField(label="Starting", widget=DATE)
    add_members = forms.BooleanField(
        label="Put every current member in the rota (anyone can leave it)",
        required=False,
        initial=True,
    )

    field_order = (
        "title",
        "recurrence",
        "weekday",
        "week_of_month",
        "local_time",
        "timezone",
        "duration_minutes",
        "place",
        "video_url",
        "start_date",
        "end_date",
        "add_members",
    )


class SettingsForm(forms.Form):
    opener_minutes = forms.IntegerField(
        label="Community-building opener (minutes)",
        initial=DEFAULT_OPENER_MINUTES,
        min_value=0,
        max_value=10_000,
        help_text="The first block of every agenda. Applies to upcoming meetings.",
    )
    occurrences_ahead = forms.IntegerField(
        label="Meetings scheduled ahead",
        min_value=0,
        max_value=10_000,
        help_text="How many upcoming meetings of each series (and their turns) everyone sees.",
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200)
    minutes = forms.IntegerField(min_value=0, max_value=10_000, initial=10)
    details = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class RescheduleForm(forms.Form):
    date = forms.DateField(widget=DATE)
    time = forms.TimeField(label="Starts at", widget=TIME)
    duration_minutes = forms.IntegerField(label="Length (minutes)", min_value=1, max_value=10_000)


class NotesForm(forms.Form):
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text="Markdown: **bold**, - lists, [links](https://...).",
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ActionItemForm(forms.Form):
    text = forms.CharField(label="Action", max_length=300)
    owner = forms.TypedChoiceField(label="Who", coerce=int, choices=())
    due_date = forms.DateField(label="Due", required=False, widget=DATE)

    def __init__(
        self, *args: object, members: Sequence[tuple[int, str]] = (), **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["owner"].choices = [("", "Choose…"), *members]  # type: ignore[attr-defined]


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How did the opener land?",
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="A note for the opener",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )
