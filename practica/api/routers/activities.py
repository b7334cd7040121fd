"""Activities: the shared library (filtered, paginated), one activity, a community's own
activities, adapting one for a community, and editing a community's activity.

Reads go through ``activities.selectors`` (lineage never names a community the caller may not
see); writes through ``activities.services``, which validate everything before writing.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from practica.accounts.models import User
from practica.api.auth import AUTH, OPTIONAL_AUTH, OPTIONAL_AUTH_OPENAPI, caller, viewer
from practica.api.pagination import paginate
from practica.api.schemas import ErrorOut, PageOut, PageParams, Text
from practica.communities import access as community_access
from practica.lib.errors import Invalid, NotFound
from practica.practice.activities import selectors, services
from practica.practice.activities.models import Activity, Purpose
from practica.practice.activities.selectors import ActivityFilters, Setting

router = Router(tags=["activities"])

COMMUNITY_ACTIVITIES = "/communities/{slug:slug}/activities"
ONE = COMMUNITY_ACTIVITIES + "/{slug:activity_slug}"
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


# --- Schemas ------------------------------------------------------------------------------------


class ActivityRef(Schema):
    id: int
    slug: str
    title: str
    community: str | None = Field(..., description="The community's slug; null: the library.")
    url: str


class ActivityOut(Schema):
    id: int
    slug: str
    title: str
    purpose: Purpose
    summary: str
    duration_minutes: int
    min_group: int
    max_group: int
    in_person: bool
    virtual: bool
    materials: str
    steps: list[str]
    community: str | None = Field(..., description="The community's slug; null: the library.")
    adapted_from: ActivityRef | None = Field(
        ..., description="The source, when there is one and you may see it."
    )
    adaptation_note: str = Field(..., description="What changed and why (adaptations).")
    created_at: datetime
    updated_at: datetime
    url: str = Field(..., description="The activity's page in the web interface.")


class ActivityDetailOut(ActivityOut):
    adaptations: list[ActivityRef] = Field(
        ..., description="Adaptations of this activity in communities you may see."
    )


class ActivityPage(PageOut):
    items: list[ActivityOut]


class ActivityFilterParams(Schema):
    purpose: Purpose | None = None
    max_duration: int | None = Field(None, ge=1, le=1000, description="At most this long.")
    setting: Setting | None = Field(None, description="Works in this setting.")
    group_size: int | None = Field(None, ge=1, le=1000, description="Works for this many.")
    q: Text = Field("", max_length=100, description="Words in the title, summary or steps.")

    def filters(self) -> ActivityFilters:
        return ActivityFilters(
            purpose=self.purpose or "",
            max_duration=self.max_duration,
            setting=self.setting or "",
            group_size=self.group_size,
            q=self.q,
        )


class ActivityIn(Schema):
    """A whole activity (PUT replaces every field)."""

    title: Text
    purpose: Purpose
    summary: Text
    duration_minutes: int = Field(..., description="1 to 90.")
    min_group: int
    max_group: int
    in_person: bool
    virtual: bool = Field(..., description="At least one of in_person and virtual is true.")
    materials: Text = ""
    steps: list[Text] = Field(..., description="1 to 15 one-line steps, 500 characters each.")
    note: Text = Field(..., description="What changed from the source, and why.")


class AdaptIn(Schema):
    """Adapt ``source``; omitted fields are copied from it."""

    source: Text = Field(
        ...,
        description="The activity to adapt: its id, a library slug, or "
        "'community-slug/activity-slug'.",
    )
    note: Text = Field(..., description="What changed and why (required).")
    title: Text | None = None
    purpose: Purpose | None = None
    summary: Text | None = None
    duration_minutes: int | None = None
    min_group: int | None = None
    max_group: int | None = None
    in_person: bool | None = None
    virtual: bool | None = None
    materials: Text | None = None
    steps: list[Text] | None = None


# --- Output -------------------------------------------------------------------------------------


def _ref(request: HttpRequest, activity: Activity) -> ActivityRef:
    return ActivityRef(
        id=activity.pk,
        slug=activity.slug,
        title=activity.title,
        community=activity.community.slug if activity.community else None,
        url=request.build_absolute_uri(activity.get_absolute_url()),
    )


def activity_out(
    request: HttpRequest, activity: Activity, user: User | AnonymousUser
) -> ActivityOut:
    """Needs ``selectors.LIST_RELATED`` loaded, so a page of these makes no queries."""
    source = selectors.visible_source(user, activity)
    return ActivityOut(
        id=activity.pk,
        slug=activity.slug,
        title=activity.title,
        purpose=Purpose(activity.purpose),
        summary=activity.summary,
        duration_minutes=activity.duration_minutes,
        min_group=activity.min_group,
        max_group=activity.max_group,
        in_person=activity.in_person,
        virtual=activity.virtual,
        materials=activity.materials,
        steps=list(activity.steps),
        community=activity.community.slug if activity.community else None,
        adapted_from=_ref(request, source) if source else None,
        adaptation_note=activity.adaptation_note,
        created_at=activity.created_at,
        updated_at=activity.updated_at,
        url=request.build_absolute_uri(activity.get_absolute_url()),
    )


def _detail_out(
    request: HttpRequest, activity: Activity, user: User | AnonymousUser
) -> ActivityDetailOut:
    adaptations = selectors.visible_adaptations(user, activity)[:100]
    return ActivityDetailOut(
        **activity_out(request, activity, user).dict(),
        adaptations=[_ref(request, a) for a in adaptations],
    )


def _community_activity(user: User | AnonymousUser, slug: str, activity_slug: str) -> Activity:
    community = community_access.get_community_for(user, slug)
    activity = selectors.community_activity(community, activity_slug)
    if activity is None:
        raise NotFound("No such activity in this community.")
    return activity


# --- Endpoints ----------------------------------------------------------------------------------


@router.get("/activities", auth=AUTH, response={200: ActivityPage, 401: ErrorOut, 422: ErrorOut})
def list_activities(
    request: HttpRequest, filters: Query[ActivityFilterParams], paging: Query[PageParams]
) -> dict[str, object]:
    """The shared library, by title, filtered by purpose, maximum duration, setting, group
    size and words (``q``: every word must appear in the title, summary, materials or steps)."""
    user = caller(request)
    # Library rows have no community and no source: nothing to join.
    activities = selectors.library(user, filters.filters())
    return paginate(activities, paging, lambda a: activity_out(request, a, user))


@router.get(
    "/activities/{slug:slug}",
    auth=AUTH,
    response={200: ActivityDetailOut, 401: ErrorOut, 404: ErrorOut},
)
def get_activity(request: HttpRequest, slug: str) -> ActivityDetailOut:
    """One library activity, with its adaptations in communities you may see."""
    user = caller(request)
    activity = selectors.library_activity(slug)
    if activity is None:
        raise NotFound("No such activity in the library.")
    return _detail_out(request, activity, user)


@router.get(
    COMMUNITY_ACTIVITIES,
    auth=OPTIONAL_AUTH,
    response={200: ActivityPage, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_community_activities(
    request: HttpRequest,
    slug: str,
    filters: Query[ActivityFilterParams],
    paging: Query[PageParams],
) -> dict[str, object]:
    """A community's adapted activities (same filters as the library). Readable by whoever may
    read the community; signed out, only a public community's."""
    user = viewer(request)
    community = community_access.get_community_for(user, slug)
    activities = selectors.community_activities(community, filters.filters())
    return paginate(activities, paging, lambda a: activity_out(request, a, user))


@router.get(
    ONE,
    auth=OPTIONAL_AUTH,
    response={200: ActivityDetailOut, 401: ErrorOut, 404: ErrorOut},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def get_community_activity(
    request: HttpRequest, slug: str, activity_slug: str
) -> ActivityDetailOut:
    """One of a community's activities, with its source and adaptations you may see.
    Signed out: only a public community's."""
    user = viewer(request)
    return _detail_out(request, _community_activity(user, slug, activity_slug), user)


@router.post(
    COMMUNITY_ACTIVITIES, auth=AUTH, response={201: ActivityDetailOut, **ERRORS, 422: ErrorOut}
)
def adapt_activity(request: HttpRequest, slug: str, payload: AdaptIn) -> Status[ActivityDetailOut]:
    """Adapt an activity for this community (you must be a member): a copy with your changes,
    ``note`` saying what changed and why, and a link to its source. An unknown source, or one
    you may not see, is a 422 with ``errors.source``."""
    user = caller(request)
    community = community_access.get_community_for(user, slug)
    source = selectors.find_activity(user, payload.source)
    fields = payload.dict(exclude={"source", "note"})
    if source is None:
        services.require_member(user, community)  # non-members hear 403 whatever the source
        raise Invalid({"source": "No activity you can see has that id or slug."})
    activity = services.adapt_activity(user, source, community, note=payload.note, **fields)
    return Status(201, _detail_out(request, activity, user))


@router.put(ONE, auth=AUTH, response={200: ActivityDetailOut, **ERRORS, 422: ErrorOut})
def update_activity(
    request: HttpRequest, slug: str, activity_slug: str, payload: ActivityIn
) -> ActivityDetailOut:
    """Replace a community activity's fields and note (its slug and lineage stay). Allowed to
    the member who adapted it, and to the community's facilitators and coordinators."""
    user = caller(request)
    activity = _community_activity(user, slug, activity_slug)
    activity = services.update_activity(user, activity, **payload.dict())
    return _detail_out(request, activity, user)
