"""Forms for feedback requests, answers, reflections and the trust pulse settings."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from practica.accounts.models import User
from practica.practice.feedback.models import (
    ANSWER_MAX,
    ASPECT_MAX,
    CONTEXT_MAX,
    MAX_QUESTIONS,
    QUESTION_MAX,
    REFLECTION_MAX,
    FeedbackQuestion,
)
from practica.practice.feedback.services import QuestionSpec


class RequestForm(forms.Form):
    aspect = forms.CharField(
        max_length=ASPECT_MAX,
        label="What would you like feedback on?",
        help_text='One aspect of your work, e.g. "how I run our meetings".',
    )
    context = forms.CharField(
        required=False,
        max_length=CONTEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Context (optional)",
    )
    invitees = forms.TypedMultipleChoiceField(
        coerce=int, widget=forms.CheckboxSelectMultiple, label="Who do you ask?"
    )
    closes_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Closes on")
    anonymous = forms.BooleanField(
        required=False, initial=True, label="Answers are anonymous (recommended)"
    )
    k = forms.IntegerField(
        min_value=2, max_value=10, initial=3, label="Show anonymous answers only when at least"
    )

    def __init__(self, *args: Any, candidates: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invitees: Any = self.fields["invitees"]
        invitees.choices = [(u.pk, u.display_name) for u in candidates]
        for i in range(1, MAX_QUESTIONS + 1):
            self.fields[f"question_{i}"] = forms.CharField(
                required=i == 1, max_length=QUESTION_MAX, label=f"Question {i}"
            )
            self.fields[f"scale_{i}"] = forms.BooleanField(
                required=False, label="Also ask for a 1–5 rating"
            )
        if not self.is_bound:
            self.initial.setdefault("closes_on", (timezone.localdate() + timedelta(days=14)))

    def question_specs(self) -> list[QuestionSpec]:
        data = self.cleaned_data
        return [
            QuestionSpec(data.get(f"question_{i}") or "", bool(data.get(f"scale_{i}")))
            for i in range(1, MAX_QUESTIONS + 1)
        ]

    def closes_at(self, zone: str) -> datetime:
        """The end of the chosen day in the requester's time zone."""
        day = self.cleaned_data["closes_on"]
        return datetime.combine(day, time(23, 59), tzinfo=ZoneInfo(zone))


class AnswerForm(forms.Form):
    """One text box (and a 1-5 choice where asked) per question of the request."""

    def __init__(self, *args: Any, questions: list[FeedbackQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[f"q{q.pk}"] = forms.CharField(
                required=False,
                max_length=ANSWER_MAX,
                label=q.text,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            if q.with_scale:
                self.fields[f"s{q.pk}"] = forms.TypedChoiceField(
                    required=False,
                    coerce=int,
                    empty_value=None,
                    label="Rating (1–5)",
                    choices=[("", "—"), *[(v, str(v)) for v in range(1, 6)]],
                )

    def answers(self) -> dict[int, tuple[str, int | None]]:
        data = self.cleaned_data
        return {q.pk: (data.get(f"q{q.pk}") or "", data.get(f"s{q.pk}")) for q in self.questions}


class ReflectionForm(forms.Form):
    reflection = forms.CharField(
        required=False,
        max_length=REFLECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What I take from this",
    )
    will_change = forms.CharField(
        required=False,
        max_length=REFLECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What I will change",
    )
    shared = forms.BooleanField(required=False, label="Share the result with the community")


class TrustSettingsForm(forms.Form):
    statements = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Statements, one per line",
        help_text='Start a line with "(reverse)" when agreeing means less trust.',
    )
    cadence_days = forms.IntegerField(min_value=14, max_value=365, label="Every (days)")
    k = forms.IntegerField(min_value=3, max_value=20, label="Show results from (answers)")

    REVERSE = "(reverse)"

    @classmethod
    def statements_text(cls, statements: list[dict[str, Any]]) -> str:
        return "\n".join(
            (f"{cls.REVERSE} " if s["reverse"] else "") + s["text"] for s in statements
        )

    def parsed_statements(self) -> list[dict[str, Any]]:
        parsed = []
        for line in self.cleaned_data["statements"].splitlines():
            line = line.strip()
            reverse = line.lower().startswith(self.REVERSE)
            text = line[len(self.REVERSE) :].strip() if reverse else line
            if text:
                parsed.append({"text": text, "reverse": reverse})
        return parsed
