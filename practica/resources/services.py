"""Verbs that change resources: contribute, edit, rate, mark used, mark "needs review", flag,
review (restore, edit, remove), count a view, and the settings.

Each takes the actor first, asks the gate (via ``selectors.can_contribute`` /
``can_review``, built on ``communities.access``), validates (rules stated once here, for pages
and the API alike), writes in one transaction, keeps the credibility score and the search index
in step, and emits an event delivered after commit (docs/events.md).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import IO, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from practica.accounts.models import Organization, User
from practica.communities import access
from practica.communities.models import Community, Role
from practica.lib.errors import Conflict, Forbidden, Invalid
from practica.lib.markdown import cook
from practica.lib.validation import clean_choice, clean_text, raise_if
from practica.notifications.services import notify
from practica.realtime.bus import emit
from practica.recognition.privileges import Privilege, has_privilege
from practica.resources import credibility, selectors, uploads
from practica.resources.models import (
    DESCRIPTION_MAX,
    NOTE_MAX,
    REASON_MAX,
    TITLE_MAX,
    URL_MAX,
    AudienceRole,
    Decision,
    Flag,
    FlagReason,
    GradeBand,
    Kind,
    ModerationEntry,
    NeedsReviewMark,
    Resource,
    ResourceRating,
    ResourceSettings,
    Status,
    UploadLimits,
    UsedMark,
)
from practica.scheduling.services import schedule
from practica.search import index
from practica.tags.models import Tag

MAX_TAGS = 5
SETTING_MIN, SETTING_MAX = 1, 100
LIMIT_MIN_MB, LIMIT_MAX_MB = 1, 10_240
JOB_REFRESH = "resources.refresh"
_url_validator = URLValidator(schemes=["http", "https"])


def resource_url(resource: Resource) -> str:
    return reverse("resources:detail", args=[resource.community.slug, resource.pk])


def file_url(resource: Resource) -> str:
    """The page URL of the file (checks access on every request)."""
    return reverse("resources:file", args=[resource.community.slug, resource.pk])


# --- Validation helpers -------------------------------------------------------------------------


def _tag_names(raw: str | list[str] | None) -> list[str]:
    items = raw.split(",") if isinstance(raw, str) else list(raw or [])
    seen: dict[str, str] = {}
    for item in items:
        name = str(item).strip()
        if name and slugify(name) and slugify(name) not in seen:
            seen[slugify(name)] = name
    return list(seen.values())


def _clean_tags(
    errors: dict[str, str], actor: User, community: Community, raw: str | list[str] | None
) -> list[str]:
    """The tag names (at most five); missing ones may be created only with CREATE_TAGS."""
    names = _tag_names(raw)
    if len(names) > MAX_TAGS:
        errors["tags"] = f"Use at most {MAX_TAGS} tags (you gave {len(names)})."
        return names
    existing = set(
        Tag.objects.filter(community=community, slug__in=[slugify(n) for n in names]).values_list(
            "slug", flat=True
        )
    )
    missing = [n for n in names if slugify(n) not in existing]
    if missing and not has_privilege(actor, community, Privilege.CREATE_TAGS):
        errors["tags"] = (
            f"No tag {', '.join(repr(n) for n in missing)} in {community.name} yet, and creating "
            "tags takes more standing: pick existing tags or ask an expert or facilitator."
        )
    return names


def _apply_tags(resource: Resource, actor: User, names: list[str]) -> None:
    tags = []
    for name in names:
        tag, _ = Tag.objects.get_or_create(
            community=resource.community,
            slug=slugify(name)[:40],
            defaults={"name": name[:40], "created_by": actor},
        )
        tags.append(tag)
    resource.tags.set(tags)


def _clean_related_post(errors: dict[str, str], community: Community, post_id: int | None) -> Any:
    if not post_id:
        return None
    from practica.qa.models import Post

    post = Post.objects.filter(pk=post_id, community=community, deleted_at__isnull=True).first()
    if post is None:
        errors["related_post"] = f"No question #{post_id} in {community.name}."
    return post


def _clean_wiki_page(errors: dict[str, str], community: Community, page_id: int | None) -> None:
    """A wiki page id is kept only if the wiki has such a page in this community."""
    if not page_id:
        return
    try:
        page_model = apps.get_model("wiki", "Page")
    except LookupError:
        errors["wiki_page"] = "The wiki is not available yet: leave the wiki page empty."
        return
    pages = page_model._default_manager.filter(
        pk=page_id, space__community=community, deleted_at__isnull=True
    )
    if not pages.exists():
        errors["wiki_page"] = f"No wiki page #{page_id} in {community.name}."


def _clean_url(errors: dict[str, str], url: str) -> str:
    url = (url or "").strip()
    if len(url) > URL_MAX:
        errors["url"] = f"The link must be at most {URL_MAX} characters."
    else:
        try:
            _url_validator(url)
        except ValidationError:
            errors["url"] = "Give a full web address starting with http:// or https://."
    return url


@dataclass
class Fields:
    title: str
    description: str
    tags: list[str]
    grade_band: str
    audience_role: str
    related_post: Any
    wiki_page_id: int | None


def _clean_fields(
    errors: dict[str, str],
    actor: User,
    community: Community,
    *,
    title: str,
    description: str,
    tags: str | list[str] | None,
    grade_band: str,
    audience_role: str,
    related_post_id: int | None,
    wiki_page_id: int | None,
) -> Fields:
    fields = Fields(
        title=clean_text(errors, "title", title, max_len=TITLE_MAX),
        description=clean_text(
            errors, "description", description, max_len=DESCRIPTION_MAX, required=False
        ),
        tags=_clean_tags(errors, actor, community, tags),
        grade_band=clean_choice(errors, "grade_band", grade_band or "", GradeBand.values),
        audience_role=clean_choice(
            errors, "audience_role", audience_role or "", AudienceRole.values
        ),
        related_post=_clean_related_post(errors, community, related_post_id),
        wiki_page_id=wiki_page_id or None,
    )
    _clean_wiki_page(errors, community, wiki_page_id)
    return fields


@dataclass(frozen=True)
class CheckedFile:
    upload: IO[bytes]
    type: uploads.FileType
    name: str
    size: int


def check_file(community: Community, upload: UploadedFile) -> CheckedFile:
    """The upload's type (by content), stored name and size, within the organization's limits;
    Invalid on the ``file`` field otherwise."""
    try:
        found = uploads.sniff(upload, upload.name or "")
    except uploads.Refused as exc:
        raise Invalid({"file": str(exc)}) from exc
    limits = uploads.limits_for_organization(community.organization_id, community.organization.name)
    if (upload.size or 0) > limits.max_bytes(found.kind):
        raise Invalid({"file": limits.too_large(found.kind)})
    return CheckedFile(
        upload, found, uploads.safe_name(upload.name or "", found.extension), upload.size or 0
    )


# --- Contributing -------------------------------------------------------------------------------


def _next_midnight(now: datetime) -> datetime:
    return datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)


def create_resource(
    actor: User,
    community: Community,
    *,
    title: str,
    description: str = "",
    tags: str | list[str] | None = None,
    grade_band: str = "",
    audience_role: str = "",
    related_post_id: int | None = None,
    wiki_page_id: int | None = None,
    url: str = "",
    upload: UploadedFile | None = None,
) -> Resource:
    """Contribute a resource: an uploaded file or a link (exactly one). Members only."""
    access.require(
        selectors.can_contribute(actor, community),
        f"Only members of {community.name} may contribute resources.",
    )
    errors: dict[str, str] = {}
    fields = _clean_fields(
        errors,
        actor,
        community,
        title=title,
        description=description,
        tags=tags,
        grade_band=grade_band,
        audience_role=audience_role,
        related_post_id=related_post_id,
        wiki_page_id=wiki_page_id,
    )
    checked: CheckedFile | None = None
    if upload is not None and (url or "").strip():
        errors["url"] = "Give a file or a link, not both."
    elif upload is None and not (url or "").strip():
        errors["file"] = "Choose a file to upload, or give a link."
    elif upload is not None:
        try:
            checked = check_file(community, upload)
        except Invalid as exc:
            errors.update(exc.errors)
    else:
        url = _clean_url(errors, url)
    raise_if(errors)
    return _store(actor, community, fields, url, checked)


def _store(
    actor: User, community: Community, fields: Fields, url: str, checked: CheckedFile | None
) -> Resource:
    now = timezone.now()
    resource = Resource(
        community=community,
        author=actor,
        kind=checked.type.kind if checked else Kind.LINK,
        title=fields.title,
        description=fields.description,
        description_html=cook(fields.description),
        grade_band=fields.grade_band,
        audience_role=fields.audience_role,
        related_post=fields.related_post,
        wiki_page_id=fields.wiki_page_id,
        url=url if checked is None else "",
        created_at=now,
        updated_at=now,
    )
    if checked is not None:
        resource.storage_token = uuid.uuid4().hex
        resource.file_name = checked.name
        resource.content_type = checked.type.mime
        resource.file_size = checked.size
        resource.preview_text, resource.extracted_text = _extract(checked)
    try:
        with transaction.atomic():
            if checked is not None:
                # Stored first so the row never points at a missing file; removed below if the
                # transaction fails, so a refused write leaves nothing on disk.
                resource.file.save(checked.name, checked.upload, save=False)
            resource.save()
            _apply_tags(resource, actor, fields.tags)
            credibility.recompute(resource, now)
            index.update(resource)
            schedule(JOB_REFRESH, JOB_REFRESH, _next_midnight(now))
            emit(
                "resources.created",
                community_id=community.pk,
                resource_id=resource.pk,
                author_id=actor.pk,
                kind=resource.kind,
                tag_ids=sorted(resource.tags.values_list("pk", flat=True)),
            )
    except BaseException:
        if resource.file:
            resource.file.storage.delete(resource.file.name)
        raise
    return resource


def _extract(checked: CheckedFile) -> tuple[str, str]:
    from practica.resources.previews import extract

    return extract(checked.upload, checked.type.mime)


def require_editor(actor: User, resource: Resource) -> None:
    """Forbidden unless ``actor`` is the author or one of the community's reviewers."""
    is_author = resource.author_id == actor.pk
    access.require(
        is_author or selectors.can_review(actor, resource.community),
        "Only the author or the community's moderators may edit this resource.",
    )


def edit_resource(
    actor: User,
    resource: Resource,
    *,
    title: str,
    description: str = "",
    tags: str | list[str] | None = None,
    grade_band: str = "",
    audience_role: str = "",
    related_post_id: int | None = None,
    wiki_page_id: int | None = None,
    url: str | None = None,
) -> Resource:
    """Change a resource's details (not its file). Its author, or a reviewer."""
    require_editor(actor, resource)
    if resource.status == Status.REMOVED:
        raise Conflict("This resource was removed.", code="resource_removed")
    errors: dict[str, str] = {}
    fields = _clean_fields(
        errors,
        actor,
        resource.community,
        title=title,
        description=description,
        tags=tags,
        grade_band=grade_band,
        audience_role=audience_role,
        related_post_id=related_post_id,
        wiki_page_id=wiki_page_id,
    )
    if url is not None and resource.kind == Kind.LINK:
        url = _clean_url(errors, url)
    raise_if(errors)
    with transaction.atomic():
        _apply_fields(resource, actor, fields)
        if url is not None and resource.kind == Kind.LINK:
            resource.url = url
        resource.save()
        credibility.recompute(resource)  # the tags weigh the raters' expertise
        index.update(resource)
        emit(
            "resources.edited",
            community_id=resource.community_id,
            resource_id=resource.pk,
            author_id=resource.author_id,
            editor_id=actor.pk,
        )
    return resource


def _apply_fields(resource: Resource, actor: User, fields: Fields) -> None:
    resource.title = fields.title
    resource.description = fields.description
    resource.description_html = cook(fields.description)
    resource.grade_band = fields.grade_band
    resource.audience_role = fields.audience_role
    resource.related_post = fields.related_post
    resource.wiki_page_id = fields.wiki_page_id
    resource.updated_at = timezone.now()
    _apply_tags(resource, actor, fields.tags)


# --- Credibility signals ------------------------------------------------------------------------


def _lock(resource: Resource) -> Resource:
    locked = Resource.objects.select_for_update(of=("self",)).get(pk=resource.pk)
    locked.community = resource.community
    return locked


def _require_signal(actor: User, resource: Resource, what: str) -> None:
    access.require(
        selectors.can_contribute(actor, resource.community),
        f"Only members of {resource.community.name} may {what}.",
    )
    if resource.author_id == actor.pk:
        raise Forbidden(f"You can't {what} your own resource.", code="own_resource")
    if resource.status != Status.VISIBLE:
        raise Conflict("This resource is hidden pending review.", code="resource_hidden")


def rate(actor: User, resource: Resource, value: int) -> ResourceRating:
    """Rate 1–5 how useful it is for your practice; a second rating replaces the first."""
    _require_signal(actor, resource, "rate")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise Invalid({"value": "Rate from 1 (not useful) to 5 (very useful)."})
    with transaction.atomic():
        locked = _lock(resource)
        rating = ResourceRating.objects.filter(resource=locked, user=actor).first()
        old_value = rating.value if rating is not None else 0
        if rating is None:
            rating = ResourceRating.objects.create(resource=locked, user=actor, value=value)
        else:
            rating.value, rating.updated_at = value, timezone.now()
            rating.save(update_fields=["value", "updated_at"])
        _rescore(resource, locked)
        emit(
            "resources.rated",
            community_id=resource.community_id,
            resource_id=resource.pk,
            rater_id=actor.pk,
            author_id=resource.author_id,
            old_value=old_value,
            new_value=value,
        )
    return rating


def unrate(actor: User, resource: Resource) -> None:
    """Take back your rating (nothing happens if you had none)."""
    _require_signal(actor, resource, "rate")
    with transaction.atomic():
        locked = _lock(resource)
        old = ResourceRating.objects.filter(resource=locked, user=actor).first()
        if old is None:
            return
        old.delete()
        _rescore(resource, locked)
        emit(
            "resources.rated",
            community_id=resource.community_id,
            resource_id=resource.pk,
            rater_id=actor.pk,
            author_id=resource.author_id,
            old_value=old.value,
            new_value=0,
        )


def _rescore(resource: Resource, locked: Resource) -> None:
    credibility.recompute(locked)
    for name in ("credibility", "rating_count", "rating_mean", "used_count", "scored_at"):
        setattr(resource, name, getattr(locked, name))


def mark_used(actor: User, resource: Resource, note: str = "") -> tuple[UsedMark, bool]:
    """ "I used this", with an optional note of how it went; again: the note is updated.
    Returns the mark and whether it is new."""
    _require_signal(actor, resource, "mark as used")
    errors: dict[str, str] = {}
    note = clean_text(errors, "note", note, max_len=NOTE_MAX, required=False)
    raise_if(errors)
    with transaction.atomic():
        locked = _lock(resource)
        mark, created = UsedMark.objects.get_or_create(resource=locked, user=actor)
        mark.note, mark.note_html, mark.updated_at = note, cook(note), timezone.now()
        mark.save(update_fields=["note", "note_html", "updated_at"])
        _rescore(resource, locked)
        if created and resource.author is not None:
            notify(
                resource.author,
                kind="resource_used",
                message=f"{actor.display_name} used your resource “{resource.title}”.",
                url=resource_url(resource),
                actor=actor,
            )
        emit(
            "resources.used",
            community_id=resource.community_id,
            resource_id=resource.pk,
            user_id=actor.pk,
            author_id=resource.author_id,
            created=created,
        )
    return mark, created


def unmark_used(actor: User, resource: Resource) -> None:
    _require_signal(actor, resource, "mark as used")
    with transaction.atomic():
        locked = _lock(resource)
        deleted, _ = UsedMark.objects.filter(resource=locked, user=actor).delete()
        if deleted:
            _rescore(resource, locked)
            emit(
                "resources.unused",
                community_id=resource.community_id,
                resource_id=resource.pk,
                user_id=actor.pk,
            )


def record_view(resource: Resource, viewer: User | Any) -> None:
    """Count a view (popularity, shown apart; never part of the score). Authors' own views
    are not counted."""
    if getattr(viewer, "pk", None) is not None and viewer.pk == resource.author_id:
        return
    Resource.objects.filter(pk=resource.pk).update(view_count=F("view_count") + 1)
    resource.view_count += 1


# --- "Needs review" -----------------------------------------------------------------------------


def mark_needs_review(actor: User, resource: Resource, note: str = "") -> NeedsReviewMark:
    """Say the resource may be outdated (once per person)."""
    access.require(
        selectors.can_contribute(actor, resource.community),
        f"Only members of {resource.community.name} may mark resources for review.",
    )
    errors: dict[str, str] = {}
    note = clean_text(errors, "note", note, max_len=REASON_MAX, required=False)
    raise_if(errors)
    with transaction.atomic():
        locked = _lock(resource)
        mark, created = NeedsReviewMark.objects.get_or_create(
            resource=locked, user=actor, defaults={"note": note}
        )
        if not created:
            raise Conflict("You already marked it as needing review.", code="already_marked")
        Resource.objects.filter(pk=resource.pk).update(
            needs_review_count=F("needs_review_count") + 1
        )
        resource.needs_review_count = locked.needs_review_count + 1
        if resource.author is not None and resource.author_id != actor.pk:
            notify(
                resource.author,
                kind="resource_needs_review",
                message=f"Someone thinks “{resource.title}” may be outdated"
                + (f": {note}" if note else "."),
                url=resource_url(resource),
            )
        emit(
            "resources.needs_review",
            community_id=resource.community_id,
            resource_id=resource.pk,
            author_id=resource.author_id,
        )
    return mark


def mark_reviewed(actor: User, resource: Resource, reason: str) -> ModerationEntry:
    """The author or a reviewer says it is up to date: clears the marks, logged."""
    require_editor(actor, resource)
    errors: dict[str, str] = {}
    reason = clean_text(errors, "reason", reason, max_len=REASON_MAX)
    raise_if(errors)
    with transaction.atomic():
        NeedsReviewMark.objects.filter(resource=resource).delete()
        Resource.objects.filter(pk=resource.pk).update(needs_review_count=0)
        resource.needs_review_count = 0
        entry = ModerationEntry.objects.create(
            resource=resource, actor=actor, action=Decision.REVIEWED, reason=reason
        )
        emit(
            "resources.reviewed",
            community_id=resource.community_id,
            resource_id=resource.pk,
            actor_id=actor.pk,
        )
    return entry


# --- Flags and review ---------------------------------------------------------------------------


def flag_weight(actor: User, community: Community, settings: ResourceSettings) -> int:
    """A flag's weight by the flagger's standing: those who hold FLAG_HIDES (moderators,
    facilitators, coordinators, staff; later also members whose level grants it) weigh
    ``weight_leader``; experts ``weight_expert``; everyone else ``weight_member``."""
    if has_privilege(actor, community, Privilege.FLAG_HIDES) or selectors.can_review(
        actor, community
    ):
        return settings.weight_leader
    if access.role_in(actor, community) == Role.EXPERT:
        return settings.weight_expert
    return settings.weight_member


def flag(actor: User, resource: Resource, reason: str, note: str = "") -> Flag:
    """Flag a resource. Past the community's threshold it is hidden pending review and its
    author is told why."""
    community = resource.community
    access.require(
        selectors.can_contribute(actor, community) or selectors.can_review(actor, community),
        f"Only members of {community.name} may flag resources.",
    )
    if resource.author_id == actor.pk:
        raise Forbidden("You can't flag your own resource; edit it instead.", code="own_resource")
    if resource.status == Status.REMOVED:
        raise Conflict("This resource was removed.", code="resource_removed")
    errors: dict[str, str] = {}
    reason = clean_choice(errors, "reason", reason, FlagReason.values)
    note = clean_text(errors, "note", note, max_len=REASON_MAX, required=False)
    raise_if(errors)
    settings = selectors.settings_for(community)
    weight = flag_weight(actor, community, settings)
    with transaction.atomic():
        locked = _lock(resource)
        try:
            with transaction.atomic():
                flagged = Flag.objects.create(
                    resource=locked, user=actor, reason=reason, note=note, weight=weight
                )
        except IntegrityError as exc:
            raise Conflict("You already flagged this resource.", code="already_flagged") from exc
        locked.flag_weight += weight
        Resource.objects.filter(pk=locked.pk).update(flag_weight=locked.flag_weight)
        resource.flag_weight = locked.flag_weight
        emit(
            "resources.flagged",
            community_id=community.pk,
            resource_id=resource.pk,
            flag_id=flagged.pk,
            flagger_id=actor.pk,
            reason=reason,
        )
        if locked.status == Status.VISIBLE and locked.flag_weight >= settings.flag_threshold:
            _hide(resource)
    return flagged


def _reasons_summary(resource: Resource) -> str:
    counts = Counter(
        Flag.objects.filter(resource=resource, resolved_at__isnull=True).values_list(
            "reason", flat=True
        )
    )
    labels = dict(FlagReason.choices)
    return ", ".join(f"{labels[r].lower()} ({n})" for r, n in counts.most_common())


def _hide(resource: Resource) -> None:
    now = timezone.now()
    Resource.objects.filter(pk=resource.pk).update(status=Status.HIDDEN, hidden_at=now)
    resource.status, resource.hidden_at = Status.HIDDEN, now
    why = _reasons_summary(resource)
    ModerationEntry.objects.create(
        resource=resource, actor=None, action=Decision.HIDE, reason=f"Flagged as {why}."
    )
    index.update(resource)
    url = resource_url(resource)
    if resource.author is not None:
        notify(
            resource.author,
            kind="resource_hidden",
            message=f"“{resource.title}” is hidden pending review: members flagged it as {why}. "
            "A moderator will restore, edit or remove it.",
            url=url,
        )
    for reviewer in selectors.reviewers(resource.community):
        notify(
            reviewer,
            kind="resource_flagged",
            message=f"“{resource.title}” was hidden by flags ({why}) and waits for review.",
            url=reverse("resources:review", args=[resource.community.slug]),
        )
    emit(
        "resources.hidden",
        community_id=resource.community_id,
        resource_id=resource.pk,
        author_id=resource.author_id,
    )


def review(
    actor: User,
    resource: Resource,
    *,
    action: str,
    reason: str,
    title: str | None = None,
    description: str | None = None,
) -> ModerationEntry:
    """A reviewer's decision on a (usually hidden) resource, logged with its reason:
    ``restore`` (visible again, ratings intact, open flags resolved), ``edit`` (fix the title
    or description, then restore) or ``remove``. The author is told."""
    community = resource.community
    access.require(
        selectors.can_review(actor, community),
        "Only moderators, facilitators and coordinators review resources.",
    )
    errors: dict[str, str] = {}
    action = clean_choice(
        errors, "action", action, [Decision.RESTORE, Decision.EDIT, Decision.REMOVE]
    )
    reason = clean_text(errors, "reason", reason, max_len=REASON_MAX)
    if action == Decision.EDIT:
        title = clean_text(errors, "title", title or "", max_len=TITLE_MAX)
        description = clean_text(
            errors, "description", description or "", max_len=DESCRIPTION_MAX, required=False
        )
    raise_if(errors)
    if action == Decision.REMOVE and resource.status == Status.REMOVED:
        raise Conflict("This resource is already removed.", code="resource_removed")
    with transaction.atomic():
        locked = _lock(resource)
        now = timezone.now()
        Flag.objects.filter(resource=locked, resolved_at__isnull=True).update(resolved_at=now)
        resource.flag_weight = 0
        resource.status = Status.REMOVED if action == Decision.REMOVE else Status.VISIBLE
        resource.hidden_at = None if action != Decision.REMOVE else locked.hidden_at
        if action == Decision.EDIT:
            resource.title = title or resource.title
            resource.description = description or ""
            resource.description_html = cook(resource.description)
            resource.updated_at = now
        resource.save(
            update_fields=[
                "flag_weight", "status", "hidden_at", "title", "description",
                "description_html", "updated_at",
            ]
        )  # fmt: skip
        entry = ModerationEntry.objects.create(
            resource=resource, actor=actor, action=action, reason=reason
        )
        index.update(resource)
        if resource.author is not None and resource.author_id != actor.pk:
            label = dict(Decision.choices)[action].lower()
            notify(
                resource.author,
                kind="resource_reviewed",
                message=f"“{resource.title}” was {label} by a moderator: {reason}",
                url=resource_url(resource),
                actor=actor,
            )
        emit(
            "resources.moderated",
            community_id=community.pk,
            resource_id=resource.pk,
            action=action,
            actor_id=actor.pk,
            author_id=resource.author_id,
        )
    return entry


# --- Settings -----------------------------------------------------------------------------------


def update_settings(
    actor: User,
    community: Community,
    *,
    flag_threshold: int,
    weight_member: int,
    weight_expert: int,
    weight_leader: int,
) -> ResourceSettings:
    """Coordinators (and org admins, staff): the flag threshold and the weights, 1–100 each."""
    access.require(
        access.can_steward(actor, community),
        "Only the community's coordinators may change how flags work.",
    )
    values = {
        "flag_threshold": flag_threshold,
        "weight_member": weight_member,
        "weight_expert": weight_expert,
        "weight_leader": weight_leader,
    }
    errors = {
        k: f"Use a whole number from {SETTING_MIN} to {SETTING_MAX}."
        for k, v in values.items()
        if not isinstance(v, int) or not SETTING_MIN <= v <= SETTING_MAX
    }
    raise_if(errors)
    with transaction.atomic():
        row, _ = ResourceSettings.objects.update_or_create(
            community=community,
            defaults={**values, "updated_at": timezone.now(), "updated_by": actor},
        )
        emit("resources.settings_updated", community_id=community.pk, actor_id=actor.pk)
    return row


def set_upload_limits(
    actor: User, organization: Organization, *, media_max_mb: int, other_max_mb: int
) -> UploadLimits:
    """Organization admins: the upload size limits for video/audio and for everything else."""
    access.require(
        access.can_admin_org(actor, organization),
        "Only this organization's admins may change its upload limits.",
    )
    values = {"media_max_mb": media_max_mb, "other_max_mb": other_max_mb}
    errors = {
        k: f"Use a whole number of megabytes from {LIMIT_MIN_MB} to {LIMIT_MAX_MB}."
        for k, v in values.items()
        if not isinstance(v, int) or not LIMIT_MIN_MB <= v <= LIMIT_MAX_MB
    }
    raise_if(errors)
    with transaction.atomic():
        row, _ = UploadLimits.objects.update_or_create(
            organization=organization,
            defaults={**values, "updated_at": timezone.now(), "updated_by": actor},
        )
        emit("resources.limits_updated", organization_id=organization.pk, actor_id=actor.pk)
    return row
