"""The "person" search type: name, title, bio and declared expertise, linking to profiles.

Who may find whom is the gate's people rule (``access.visible_people_filter``), applied at query
time as a subquery (``SearchType.visible``), so memberships changing never requires reindexing.
``organization_id`` is stored for information (the person's first organization) only.

Kept in step by signals inside the writing transaction (profile fields, activation, declared
expertise rows) and, for the expertise that ``update_profile`` bulk-creates (no signals), by the
``accounts.profile_updated`` event after commit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from practica.accounts.models import DeclaredExpertise, OrgMembership, User
from practica.communities import access
from practica.realtime.bus import Event, subscribe
from practica.search import index
from practica.search.registry import Document, SearchType, register

PROFILE_FIELDS = frozenset({"name", "title", "bio", "is_active", "email"})


def person_document(user: User) -> Document | None:
    if not user.is_active:
        return None
    expertise = list(user.expertise.all())
    memberships = list(user.org_memberships.all())
    labels = ", ".join(e.label for e in expertise)
    body = "\n".join(
        part for part in (user.title, user.bio, f"Expertise: {labels}" if labels else "") if part
    )
    return Document(
        title=user.display_name,
        body=body,
        url=reverse("accounts:person", args=[user.pk]),
        created_at=user.date_joined,
        organization_id=min((m.organization_id for m in memberships), default=None),
        tags=[e.slug for e in expertise],
        author_id=user.pk,
    )


def visible_people(viewer: Any) -> QuerySet[User, Any]:
    return User.objects.filter(access.visible_people_filter(viewer)).values("pk")


def all_people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).prefetch_related(
        Prefetch("expertise", queryset=DeclaredExpertise.objects.order_by("label")),
        Prefetch("org_memberships", queryset=OrgMembership.objects.only("organization_id", "user")),
    )


def register_people() -> None:
    register(
        SearchType(
            name="person",
            model=User,
            document=person_document,
            label="People",
            visible=visible_people,
            queryset=all_people,
        )
    )
    post_save.connect(_user_saved, sender=User, dispatch_uid="search-person-saved")
    post_delete.connect(_user_deleted, sender=User, dispatch_uid="search-person-deleted")
    for model in (DeclaredExpertise, OrgMembership):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"search-person-{model}")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"search-person-d-{model}")


def _user_saved(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    # Logins save last_login only: not worth a reindex.
    if created or fields is None or PROFILE_FIELDS & set(fields):
        index.update(instance)


def _user_deleted(sender: Any, instance: User, **kwargs: Any) -> None:
    index.remove(instance)


def _part_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    user = User.objects.filter(pk=instance.user_id).first()
    if user is not None:
        index.update(user)


@subscribe("accounts.profile_updated")
@subscribe("accounts.org_member_added")
@subscribe("accounts.org_member_removed")
def _profile_changed(event: Event) -> None:
    user = User.objects.filter(pk=event.payload["user_id"]).first()
    if user is not None:
        index.update(user)
