"""Resources: contributed files and links, their credibility signals (ratings, "used it"),
"needs review" marks, flags, moderation, and the settings (docs/resources.md).

Every community comes through ``access.get_community_for`` and every resource through
``selectors.get_resource`` (one the caller may not see is a 404, like one that does not exist;
signed out, a 401). Writes go through ``practica.resources.services``. Reads answer signed-out
clients for public communities, as the pages do.

Uploads are ``multipart/form-data``; the body is size-checked while it streams in (the
community's organization's limit), so an oversized file is answered 413 ``too_large`` and
nothing is kept. The file itself is at ``file_url``, which checks access on every request and
honours single byte ranges (206/416).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from practica.accounts.models import User
from practica.api.auth import AUTH, OPTIONAL_AUTH, OPTIONAL_AUTH_OPENAPI, caller, viewer
from practica.api.errors import ApiError
from practica.api.pagination import paginate
from practica.api.schemas import ErrorOut, PageOut, PageParams, Text
from practica.communities import access
from practica.lib.errors import NotFound
from practica.resources import selectors, services, serving, uploads
from practica.resources.models import (
    AudienceRole,
    Decision,
    FlagReason,
    GradeBand,
    Kind,
    ModerationEntry,
    Resource,
    ResourceSettings,
    UploadLimits,
    UsedMark,
)
from practica.resources.models import (
    Status as ResourceStatus,
)

router = Router(tags=["resources"])

COLLECTION = "/communities/{slug:slug}/resources"
ONE = "/resources/{resource_id}"
DB_INT_MAX = 2**63 - 1
READ = {200: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
FILE_OPENAPI: dict[str, Any] = {
    "security": [{}],
    "responses": {
        "200": {
            "description": "The whole file (type found by content at upload).",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        },
        "206": {
            "description": "The requested byte range (``Range: bytes=a-b``), with Content-Range.",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        },
        "416": {"description": "The range starts past the end (Content-Range: bytes */size)."},
    },
}


# --- Schemas ------------------------------------------------------------------------------------


class ResourcePersonOut(Schema):
    id: int
    name: str


class ResourceOut(Schema):
    id: int
    community: str = Field(..., description="The community's slug.")
    kind: Kind
    title: str
    description: str
    description_html: str = Field(..., description="Sanitized HTML of the Markdown.")
    tags: list[str]
    grade_band: str
    audience_role: str
    url: str = Field(..., description="The link, for kind 'link'; empty otherwise.")
    file_url: str | None = Field(..., description="The file (checks access; byte ranges).")
    file_name: str
    content_type: str
    file_size: int
    preview_text: str = Field(..., description="First-page text of a PDF/Word file, if any.")
    status: ResourceStatus
    credibility: float = Field(..., description="0–100; see docs/resources.md.")
    rating_count: int
    rating_mean: float
    used_count: int
    view_count: int = Field(..., description="Popularity: never part of credibility.")
    needs_review_count: int
    author: ResourcePersonOut | None
    related_post_id: int | None
    wiki_page_id: int | None
    created_at: datetime
    updated_at: datetime
    web_url: str


class ResourcePage(PageOut):
    items: list[ResourceOut]


class ResourceDetailOut(ResourceOut):
    my_rating: int | None
    i_used: bool
    i_flagged: bool


class ResourceEditIn(Schema):
    title: Text
    description: Text = ""
    tags: list[Text] = Field(default_factory=list)
    grade_band: GradeBand = GradeBand.ANY
    audience_role: AudienceRole = AudienceRole.ANY
    related_post_id: int | None = Field(None, ge=1, le=DB_INT_MAX)
    wiki_page_id: int | None = Field(None, ge=1, le=DB_INT_MAX)
    url: Text | None = Field(None, description="For links only: the new address.")


class RatingIn(Schema):
    value: int = Field(..., description="1 (not useful) to 5 (very useful) for your practice.")


class RatingOut(Schema):
    value: int
    credibility: float
    rating_count: int


class UsedIn(Schema):
    note: Text = Field("", description="How it went (Markdown, optional).")


class UsedOut(Schema):
    user: ResourcePersonOut
    note: str
    note_html: str
    created_at: datetime
    updated_at: datetime


class UsedPage(PageOut):
    items: list[UsedOut]


class NoteIn(Schema):
    note: Text = ""


class ReasonIn(Schema):
    reason: Text


class FlagIn(Schema):
    reason: FlagReason
    note: Text = ""


class FlagOut(Schema):
    id: int
    reason: FlagReason
    note: str
    weight: int
    created_at: datetime
    resource_status: ResourceStatus = Field(..., description="'hidden' once past the threshold.")


class ModerationIn(Schema):
    action: Decision = Field(..., description="restore, edit or remove.")
    reason: Text
    title: Text | None = Field(None, description="With 'edit'.")
    description: Text | None = Field(None, description="With 'edit'.")


class ModerationOut(Schema):
    action: Decision
    reason: str
    actor: ResourcePersonOut | None = Field(..., description="None when hidden by flags.")
    created_at: datetime


class ModerationPage(PageOut):
    items: list[ModerationOut]


class ResourceSettingsIO(Schema):
    flag_threshold: int
    weight_member: int
    weight_expert: int
    weight_leader: int


class UploadLimitsIO(Schema):
    media_max_mb: int = Field(..., description="Largest video or audio file, MB.")
    other_max_mb: int = Field(..., description="Largest document or image, MB.")


# --- Converters (never query: lists load what they need up front) ------------------------------


def _person(user: User | None) -> ResourcePersonOut | None:
    return ResourcePersonOut(id=user.pk, name=user.display_name) if user is not None else None


def api_file_url(resource: Resource) -> str | None:
    if not resource.is_file:
        return None
    return reverse("api:resource_file", kwargs={"resource_id": resource.pk})


def _fields(r: Resource) -> dict[str, Any]:
    return {
        "id": r.pk,
        "community": r.community.slug,
        "kind": r.kind,
        "title": r.title,
        "description": r.description,
        "description_html": r.description_html,
        "tags": [t.name for t in r.tags.all()],
        "grade_band": r.grade_band,
        "audience_role": r.audience_role,
        "url": r.url,
        "file_url": api_file_url(r),
        "file_name": r.file_name,
        "content_type": r.content_type,
        "file_size": r.file_size,
        "preview_text": r.preview_text,
        "status": r.status,
        "credibility": round(r.credibility, 2),
        "rating_count": r.rating_count,
        "rating_mean": round(r.rating_mean, 2),
        "used_count": r.used_count,
        "view_count": r.view_count,
        "needs_review_count": r.needs_review_count,
        "author": _person(r.author),
        "related_post_id": r.related_post_id,
        "wiki_page_id": r.wiki_page_id,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
        "web_url": services.resource_url(r),
    }


def _out(r: Resource) -> ResourceOut:
    return ResourceOut(**_fields(r))


def _detail(r: Resource, user: User | AnonymousUser) -> ResourceDetailOut:
    mine = selectors.mine(user if isinstance(user, User) else None, r)
    return ResourceDetailOut(
        **_fields(r), my_rating=mine.rating, i_used=mine.used is not None, i_flagged=mine.flagged
    )


def _entry_out(e: ModerationEntry) -> ModerationOut:
    return ModerationOut(
        action=Decision(e.action), reason=e.reason, actor=_person(e.actor), created_at=e.created_at
    )


def _settings_out(row: ResourceSettings) -> ResourceSettingsIO:
    return ResourceSettingsIO(
        flag_threshold=row.flag_threshold,
        weight_member=row.weight_member,
        weight_expert=row.weight_expert,
        weight_leader=row.weight_leader,
    )


def _resource(request: HttpRequest, resource_id: int, *, signed_in: bool = True) -> Resource:
    user = caller(request) if signed_in else viewer(request)
    if not 1 <= resource_id <= DB_INT_MAX:
        raise NotFound("No such resource.")
    return selectors.get_resource(user, resource_id)


# --- Lists and contributing ---------------------------------------------------------------------


@router.get(
    COLLECTION,
    auth=OPTIONAL_AUTH,
    response={**READ, 200: ResourcePage},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
    url_name="community_resources",
)
def list_resources(
    request: HttpRequest,
    slug: str,
    paging: Query[PageParams],
    sort: str = "top",
    tag: str = "",
    grade_band: GradeBand | None = None,
    audience_role: AudienceRole | None = None,
) -> dict[str, object]:
    """Visible resources: ``?sort=top`` (credibility), ``newest`` or ``used``; filter by
    ``tag`` (slug), ``grade_band``, ``audience_role``."""
    community = access.get_community_for(viewer(request), slug)
    if sort not in selectors.SORTS:
        raise ApiError(422, "sort: use top, newest or used.", "invalid")
    rows = selectors.resources(
        community,
        sort=sort,
        tag=tag,
        grade_band=grade_band or "",
        audience_role=audience_role or "",
    ).select_related("community")
    return paginate(rows, paging, _out)


@router.post(
    COLLECTION,
    auth=AUTH,
    response={**WRITE, 201: ResourceOut, 413: ErrorOut},
    url_name="community_resources",
)
def create_resource(
    request: HttpRequest,
    slug: str,
    title: Form[str] = "",
    description: Form[str] = "",
    tags: str = Form("", description="Comma-separated tag names."),
    grade_band: Form[str] = "",
    audience_role: Form[str] = "",
    related_post_id: Form[int | None] = None,
    wiki_page_id: Form[int | None] = None,
    url: str = Form("", description="A link (http/https) — or send ``file``."),
    file: File[UploadedFile | None] = None,
) -> Status[ResourceOut]:
    """Members: contribute a file (``file``) or a link (``url``) as multipart/form-data. The
    file's type is judged by its content (its name must agree); 413 ``too_large`` past the
    organization's limit; 422 ``invalid`` with per-field messages otherwise. Nothing is kept
    on refusal."""
    user = caller(request)
    refused = uploads.refusal(request)
    if refused:
        raise ApiError(413, refused, "too_large")
    community = access.get_community_for(user, slug)
    resource = services.create_resource(
        user,
        community,
        title=title,
        description=description,
        tags=tags,
        grade_band=grade_band,
        audience_role=audience_role,
        related_post_id=related_post_id,
        wiki_page_id=wiki_page_id,
        url=url,
        upload=file,
    )
    return Status(201, _out(selectors.get_resource(user, resource.pk)))


@router.get(
    COLLECTION + "/review",
    auth=AUTH,
    response={**READ, 200: ResourcePage, 403: ErrorOut},
)
def list_resources_for_review(
    request: HttpRequest, slug: str, paging: Query[PageParams]
) -> dict[str, object]:
    """Reviewers: hidden resources and those with open flags."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    access.require(
        selectors.can_review(user, community),
        "Only moderators, facilitators and coordinators review resources.",
    )
    return paginate(selectors.review_queue(community).select_related("community"), paging, _out)


@router.get(
    COLLECTION + "/settings",
    auth=OPTIONAL_AUTH,
    response={**READ, 200: ResourceSettingsIO},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def get_resource_settings(request: HttpRequest, slug: str) -> ResourceSettingsIO:
    """The flag threshold and the flag weights by standing."""
    community = access.get_community_for(viewer(request), slug)
    return _settings_out(selectors.settings_for(community))


@router.put(COLLECTION + "/settings", auth=AUTH, response={**WRITE, 200: ResourceSettingsIO})
def update_resource_settings(
    request: HttpRequest, slug: str, payload: ResourceSettingsIO
) -> ResourceSettingsIO:
    """Coordinators (org admins, staff): each value 1–100."""
    user = caller(request)
    community = access.get_community_for(user, slug)
    return _settings_out(services.update_settings(user, community, **payload.dict()))


@router.get(
    "/organizations/{slug:slug}/resource-limits",
    auth=AUTH,
    response={**READ, 200: UploadLimitsIO, 403: ErrorOut},
)
def get_upload_limits(request: HttpRequest, slug: str) -> UploadLimitsIO:
    """The organization's upload limits (readable by those who see the organization)."""
    org = access.get_org_for(caller(request), slug)
    limits = uploads.limits_for_organization(org.pk)
    return UploadLimitsIO(media_max_mb=limits.media_max_mb, other_max_mb=limits.other_max_mb)


@router.put(
    "/organizations/{slug:slug}/resource-limits",
    auth=AUTH,
    response={**WRITE, 200: UploadLimitsIO},
)
def update_upload_limits(
    request: HttpRequest, slug: str, payload: UploadLimitsIO
) -> UploadLimitsIO:
    """Organization admins: 1–10240 MB each."""
    user = caller(request)
    org = access.get_org_for(user, slug)
    row: UploadLimits = services.set_upload_limits(user, org, **payload.dict())
    return UploadLimitsIO(media_max_mb=row.media_max_mb, other_max_mb=row.other_max_mb)


# --- One resource -------------------------------------------------------------------------------


@router.get(
    ONE,
    auth=OPTIONAL_AUTH,
    response={**READ, 200: ResourceDetailOut},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def get_resource(request: HttpRequest, resource_id: int) -> ResourceDetailOut:
    """One resource with its scores, and your own rating and marks."""
    resource = _resource(request, resource_id, signed_in=False)
    return _detail(resource, viewer(request))


@router.put(ONE, auth=AUTH, response={**WRITE, 200: ResourceDetailOut})
def edit_resource(
    request: HttpRequest, resource_id: int, payload: ResourceEditIn
) -> ResourceDetailOut:
    """The author or a reviewer: change the details (not the file)."""
    user = caller(request)
    resource = _resource(request, resource_id)
    services.edit_resource(user, resource, **payload.dict())
    return _detail(selectors.get_resource(user, resource.pk), user)


@router.get(
    ONE + "/file",
    auth=OPTIONAL_AUTH,
    response={**READ},
    openapi_extra=FILE_OPENAPI,
    url_name="resource_file",
)
def get_resource_file(request: HttpRequest, resource_id: int) -> HttpResponseBase:
    """The uploaded file, to those who may see the resource; single byte ranges (206), 416
    when unsatisfiable; ``nosniff``; inline for media, images and PDF."""
    resource = _resource(request, resource_id, signed_in=False)
    if not resource.is_file or not resource.file:
        raise NotFound("This resource is a link, not a file.")
    return serving.serve(request, resource)


@router.put(ONE + "/rating", auth=AUTH, response={**WRITE, 200: RatingOut})
def rate_resource(request: HttpRequest, resource_id: int, payload: RatingIn) -> RatingOut:
    """Members (not the author): rate 1–5; again replaces your rating (one per person)."""
    resource = _resource(request, resource_id)
    rating = services.rate(caller(request), resource, payload.value)
    return RatingOut(
        value=rating.value,
        credibility=round(resource.credibility, 2),
        rating_count=resource.rating_count,
    )


@router.delete(ONE + "/rating", auth=AUTH, response={**WRITE, 204: None})
def unrate_resource(request: HttpRequest, resource_id: int) -> Status[None]:
    """Take back your rating."""
    services.unrate(caller(request), _resource(request, resource_id))
    return Status(204, None)


@router.post(ONE + "/used", auth=AUTH, response={**WRITE, 200: UsedOut, 201: UsedOut})
def mark_resource_used(request: HttpRequest, resource_id: int, payload: UsedIn) -> Status[UsedOut]:
    """Members (not the author): "I used this", with an optional note; 201 the first time,
    200 when it updates your note."""
    user = caller(request)
    mark, created = services.mark_used(user, _resource(request, resource_id), payload.note)
    return Status(201 if created else 200, _used_out(mark, user))


def _used_out(mark: UsedMark, user: User | None = None) -> UsedOut:
    person = _person(user or mark.user)
    assert person is not None
    return UsedOut(
        user=person,
        note=mark.note,
        note_html=mark.note_html,
        created_at=mark.created_at,
        updated_at=mark.updated_at,
    )


@router.delete(ONE + "/used", auth=AUTH, response={**WRITE, 204: None})
def unmark_resource_used(request: HttpRequest, resource_id: int) -> Status[None]:
    services.unmark_used(caller(request), _resource(request, resource_id))
    return Status(204, None)


@router.get(
    ONE + "/used",
    auth=OPTIONAL_AUTH,
    response={**READ, 200: UsedPage},
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
def list_resource_used(
    request: HttpRequest, resource_id: int, paging: Query[PageParams]
) -> dict[str, object]:
    """Who used it and how it went, latest first."""
    resource = _resource(request, resource_id, signed_in=False)
    return paginate(selectors.used_marks(resource), paging, _used_out)


@router.post(ONE + "/needs-review", auth=AUTH, response={**WRITE, 201: ResourceOut})
def mark_resource_needs_review(
    request: HttpRequest, resource_id: int, payload: NoteIn
) -> Status[ResourceOut]:
    """Members: say it may be outdated (409 ``already_marked`` the second time)."""
    resource = _resource(request, resource_id)
    services.mark_needs_review(caller(request), resource, payload.note)
    return Status(201, _out(resource))


@router.post(ONE + "/reviewed", auth=AUTH, response={**WRITE, 200: ModerationOut})
def mark_resource_reviewed(
    request: HttpRequest, resource_id: int, payload: ReasonIn
) -> ModerationOut:
    """The author or a reviewer: it is up to date (clears "needs review"; logged)."""
    entry = services.mark_reviewed(caller(request), _resource(request, resource_id), payload.reason)
    return _entry_out(entry)


@router.post(ONE + "/flags", auth=AUTH, response={**WRITE, 201: FlagOut})
def flag_resource(request: HttpRequest, resource_id: int, payload: FlagIn) -> Status[FlagOut]:
    """Members (not the author): flag it; past the community's threshold it is hidden pending
    review and the author is told why. 409 ``already_flagged`` for a second open flag."""
    resource = _resource(request, resource_id)
    flagged = services.flag(caller(request), resource, payload.reason, payload.note)
    return Status(
        201,
        FlagOut(
            id=flagged.pk,
            reason=FlagReason(flagged.reason),
            note=flagged.note,
            weight=flagged.weight,
            created_at=flagged.created_at,
            resource_status=ResourceStatus(resource.status),
        ),
    )


@router.post(ONE + "/moderation", auth=AUTH, response={**WRITE, 200: ModerationOut})
def moderate_resource(
    request: HttpRequest, resource_id: int, payload: ModerationIn
) -> ModerationOut:
    """Reviewers: ``restore`` (ratings intact), ``edit`` (with ``title``/``description``) or
    ``remove``, with a reason; logged, and the author is told."""
    entry = services.review(
        caller(request),
        _resource(request, resource_id),
        action=payload.action,
        reason=payload.reason,
        title=payload.title,
        description=payload.description,
    )
    return _entry_out(entry)


@router.get(ONE + "/moderation", auth=AUTH, response={**READ, 200: ModerationPage, 403: ErrorOut})
def list_resource_moderation(
    request: HttpRequest, resource_id: int, paging: Query[PageParams]
) -> dict[str, object]:
    """The review log (reviewers and the author): hides by flags and each decision."""
    user = caller(request)
    resource = _resource(request, resource_id)
    access.require(
        resource.author_id == user.pk or selectors.can_review(user, resource.community),
        "Only the author and the community's reviewers see the review log.",
    )
    return paginate(selectors.log(resource), paging, _entry_out)
