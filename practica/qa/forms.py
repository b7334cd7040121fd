"""Forms of the Q&A pages. They only parse: lengths and rules are checked once, by the services
(so a 1 MB body gets the same clear message on a page and in the API)."""

from __future__ import annotations

from django import forms

from practica.qa.models import PostKind

KIND_HELP = {
    PostKind.QUESTION: "Ask something you want to know.",
    PostKind.STRUGGLE: "Share a challenge you're facing. Everyone here has had lessons that "
    "didn't land; colleagues answer to help, never to judge.",
    PostKind.SUCCESS: "Share what worked, so others can try it.",
}
TEXTAREA = {"rows": 8}


class AskForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you sharing?",
        choices=[(k, f"{label} — {KIND_HELP[PostKind(k)]}") for k, label in PostKind.choices],
        widget=forms.RadioSelect,
        initial=PostKind.QUESTION,
    )
    title = forms.CharField(
        label="Title",
        error_messages={"required": "Title is required."},
        help_text="One sentence a colleague could answer. Similar posts appear as you type.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label="Details",
        required=False,
        help_text="Markdown works. Mention a colleague with @ and the first part of their "
        "e-mail address (e.g. @hannah.liu).",
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        help_text="Up to 5, separated by spaces or commas (e.g. fractions number-sense).",
    )


class EditPostForm(forms.Form):
    title = forms.CharField(label="Title", error_messages={"required": "Title is required."})
    body = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs=TEXTAREA))
    tags = forms.CharField(label="Tags", required=False)
    reason = forms.CharField(
        label="Why this edit",
        required=False,
        help_text="Shown in the history; required when you edit someone else's post.",
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="Your answer",
        error_messages={"required": "Write your answer first."},
        help_text="Markdown works. What would you try, and why?",
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class EditAnswerForm(forms.Form):
    body = forms.CharField(
        label="The answer",
        error_messages={"required": "The answer cannot be empty."},
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    reason = forms.CharField(
        label="Why this edit",
        required=False,
        help_text="Shown in the history; required when you edit someone else's answer.",
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RateForm(forms.Form):
    educational_value = forms.TypedChoiceField(
        label="How much did this answer teach you?",
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Rate from 1 (taught me little) to 5 (a lot)."},
    )
    note = forms.CharField(
        label="What I learned",
        required=False,
        help_text="Optional; shown with the answer, with your name.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DuplicateForm(forms.Form):
    duplicate_of = forms.IntegerField(
        label="Number of the original post",
        min_value=1,
        help_text="The number in the original's address: …/questions/<number>/",
    )


class SettingsForm(forms.Form):
    accepted_first = forms.BooleanField(
        label="Show the accepted answer first (otherwise answers are ordered by educational "
        "value only)",
        required=False,
    )


class TagForm(forms.Form):
    name = forms.CharField(label="Name", required=False)
    description = forms.CharField(
        label="Short description", required=False, help_text="What belongs under this tag."
    )


class DescribeTagForm(forms.Form):
    description = forms.CharField(label="Short description", required=False)
