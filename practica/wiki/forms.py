"""HTML forms of the wiki. They parse; the rules (lengths, slugs, who may, merging) are the
services', shared with the API, and come back as form errors."""

from __future__ import annotations

from typing import Any

from django import forms

from practica.wiki.models import SLUG_MAX, SUMMARY_MAX, TITLE_MAX


class PageForm(forms.Form):
    """Create or edit a page. ``base_revision`` is the revision the editor started from: the
    service merges with anything saved since (docs/wiki.md)."""

    title = forms.CharField(label="Title", max_length=TITLE_MAX)
    slug = forms.CharField(
        label="URL name",
        max_length=SLUG_MAX,
        required=False,
        help_text="Letters, digits and hyphens. Leave empty to make it from the title. "
        "Changing it keeps the old address working.",
    )
    parent = forms.TypedChoiceField(
        label="Parent page", required=False, coerce=int, empty_value=None
    )
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 18, "class": "wiki-editor", "spellcheck": "true"}),
        required=False,
        strip=False,
        help_text="Markdown: ## headings (they make the table of contents), **bold**, lists, "
        "links. Link a page of this wiki with [[Page title]] or [[Page title|label]].",
    )
    summary = forms.CharField(
        label="Edit summary",
        max_length=SUMMARY_MAX,
        required=False,
        help_text="A few words on what you changed, for the history.",
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, parents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "— none (a top-level page) —"), *parents]


class PromoteForm(forms.Form):
    title = forms.CharField(label="Page title", max_length=TITLE_MAX)
    slug = forms.CharField(label="URL name", max_length=SLUG_MAX, required=False,
                           help_text="Leave empty to make it from the title.")  # fmt: skip
    answer = forms.IntegerField(required=False, widget=forms.HiddenInput)
