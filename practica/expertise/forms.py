"""HTML forms of the expertise feature. They parse types; the rules (lengths, who may, links)
are the services', shared with the API, and come back as form errors."""

from __future__ import annotations

from django import forms

from practica.expertise.models import (
    CHANNEL_DESCRIPTION_MAX,
    CHANNEL_NAME_MAX,
    POST_BODY_MAX,
    POST_TITLE_MAX,
    VIDEO_URL_MAX,
    ChannelKind,
    ChannelPostKind,
)


class AskExpertForm(forms.Form):
    expert = forms.CharField(
        label="Ask a member by name",
        max_length=200,
        help_text="Their full name or e-mail, as on the members page.",
    )


class RoutingSettingsForm(forms.Form):
    reroute_after_hours = forms.IntegerField(
        label="Pass an unanswered question on after (hours)",
        help_text="When nobody has answered a question by then, it goes to the next experts.",
    )


class ChannelForm(forms.Form):
    name = forms.CharField(label="Name", max_length=CHANNEL_NAME_MAX)
    description = forms.CharField(
        label="What it is for",
        max_length=CHANNEL_DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(
        label="Who posts", choices=ChannelKind.choices, initial=ChannelKind.EXPERT
    )


class ChannelPostForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=ChannelPostKind.choices)
    title = forms.CharField(label="Title", max_length=POST_TITLE_MAX)
    body = forms.CharField(
        label="Text",
        required=False,
        max_length=POST_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown. Required for articles and tips; optional with a video.",
    )
    video_url = forms.CharField(
        label="Video link",
        required=False,
        max_length=VIDEO_URL_MAX,
        help_text="For a short video: its https:// address.",
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=300,
        help_text="Existing tags of this community, separated by spaces.",
    )
