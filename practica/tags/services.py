"""Creating and describing a community's tags, and resolving the tags a post names.

Creating a tag is a privilege (``Privilege.CREATE_TAGS``): members without it pick from the
tags that exist. Names are matched by slug, so "Reading Fluency" and "reading-fluency" are one.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community
from practica.lib.errors import Conflict, Invalid
from practica.lib.validation import clean_text, raise_if
from practica.recognition.privileges import Privilege, has_privilege
from practica.tags.models import DESCRIPTION_MAX, NAME_MAX, Tag

MAX_TAGS_PER_POST = 5


def tag_slug(name: str) -> str:
    return slugify(name)[:NAME_MAX].strip("-")


def may_create_tags(user: User | None, community: Community) -> bool:
    return has_privilege(user, community, Privilege.CREATE_TAGS)


def create_tag(actor: User, community: Community, *, name: str, description: str = "") -> Tag:
    """A new tag in ``community``; Forbidden without CREATE_TAGS, Conflict if it exists."""
    access.require(
        may_create_tags(actor, community),
        "Creating tags takes more standing in this community; choose from the existing tags.",
    )
    errors: dict[str, str] = {}
    name = clean_text(errors, "name", name, max_len=NAME_MAX)
    description = clean_text(
        errors, "description", description, max_len=DESCRIPTION_MAX, required=False
    )
    slug = tag_slug(name)
    if name and not slug:
        errors["name"] = "Use letters or digits in a tag's name."
    raise_if(errors)
    try:
        with transaction.atomic():
            return Tag.objects.create(
                community=community,
                name=name.lower(),
                slug=slug,
                description=description,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict(f"The tag '{slug}' already exists.", code="tag_exists") from exc


def describe_tag(actor: User, tag: Tag, *, description: str) -> Tag:
    """Change a tag's short description (those who may create tags may describe them)."""
    access.require(
        may_create_tags(actor, tag.community),
        "Describing tags takes the same standing as creating them.",
    )
    errors: dict[str, str] = {}
    description = clean_text(
        errors, "description", description, max_len=DESCRIPTION_MAX, required=False
    )
    raise_if(errors)
    tag.description = description
    tag.save(update_fields=["description"])
    return tag


def split_names(raw: str | list[str]) -> list[str]:
    """Tag names from a form field ("fractions, number-sense") or an API list, in order."""
    items = raw if isinstance(raw, list) else raw.replace(",", " ").split()
    names: list[str] = []
    for item in items:
        slug = tag_slug(str(item))
        if slug and slug not in names:
            names.append(slug)
    return names


def resolve_tags(actor: User, community: Community, names: list[str]) -> list[Tag]:
    """The community's tags named by ``names`` (slugs), creating missing ones when ``actor``
    may (with an empty description, to be written later). Invalid (field ``tags``) for too many
    tags or for unknown tags when they may not create them. Call inside the caller's
    transaction: nothing is created if the post is then refused."""
    slugs = split_names(names)
    if len(slugs) > MAX_TAGS_PER_POST:
        raise Invalid({"tags": f"Use at most {MAX_TAGS_PER_POST} tags."})
    existing = {t.slug: t for t in Tag.objects.filter(community=community, slug__in=slugs)}
    missing = [s for s in slugs if s not in existing]
    if missing and not may_create_tags(actor, community):
        raise Invalid(
            {
                "tags": f"No such tag here: {', '.join(missing)}. Choose existing tags; creating "
                "new ones takes more standing in this community."
            }
        )
    for slug in missing:
        existing[slug] = Tag.objects.create(
            community=community, name=slug, slug=slug, created_by=actor
        )
    return [existing[s] for s in slugs]
