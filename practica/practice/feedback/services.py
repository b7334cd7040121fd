"""Honest feedback: ask chosen colleagues about one aspect of your work; anonymous answers are
released together, in random order, once the round closes with at least ``k`` of them.

Rules (docs/feedback.md):
- Only members ask, only members are asked, never oneself; an anonymous round asks at least
  ``k`` people (else it could never be released).
- Only those asked answer, once, while the round is open. A second answer is refused by the
  receipt (see ``anonymity``) without anything tying the first answer to them.
- Anonymous answers are shown only after the round closes (on its date, or as soon as everyone
  asked has answered) with ``k`` or more answers; before that the requester sees "fewer than k"
  or "k or more so far", nothing finer. A round that closes short is withheld for good.
- Signed rounds show answers with names as they arrive (people chose to sign).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.communities import access
from practica.communities.models import Community, Membership
from practica.lib.errors import Conflict, Forbidden, Invalid, NotFound
from practica.lib.validation import clean_text
from practica.notifications.services import notify
from practica.practice.feedback import anonymity
from practica.practice.feedback.models import (
    ANSWER_MAX,
    ASPECT_MAX,
    CONTEXT_MAX,
    MAX_QUESTIONS,
    QUESTION_MAX,
    REFLECTION_MAX,
    FeedbackQuestion,
    FeedbackRequest,
    FeedbackStatus,
    Invitee,
    Receipt,
    SignedAnswer,
)
from practica.realtime.bus import emit
from practica.scheduling.services import schedule

JOB_CLOSE = "feedback.close"
PURPOSE = "feedback"
MAX_OPEN_DAYS = 60
MAX_INVITEES = 30
K_MIN, K_MAX = 2, 10


@dataclass(frozen=True)
class QuestionSpec:
    text: str
    with_scale: bool = False


def request_url(request: FeedbackRequest) -> str:
    return reverse("feedback:detail", args=[request.community.slug, request.pk])


def _require_member(user: User, community: Community, message: str) -> None:
    access.require(access.is_member(user, community), message)


def _validate_request(
    aspect: str,
    questions: list[QuestionSpec],
    invitee_ids: list[int],
    closes_at: datetime,
    anonymous: bool,
    k: int,
) -> tuple[str, list[QuestionSpec]]:
    errors: dict[str, str] = {}
    aspect = clean_text(errors, "aspect", aspect, max_len=ASPECT_MAX, label="The aspect")
    cleaned = [
        QuestionSpec(q.text.strip(), q.with_scale) for q in questions if q.text and q.text.strip()
    ]
    if not cleaned:
        errors["questions"] = "Ask at least one question."
    elif len(cleaned) > MAX_QUESTIONS:
        errors["questions"] = f"Ask at most {MAX_QUESTIONS} questions."
    elif any(len(q.text) > QUESTION_MAX for q in cleaned):
        errors["questions"] = f"Keep each question under {QUESTION_MAX} characters."
    if not K_MIN <= k <= K_MAX:
        errors["k"] = f"The threshold must be between {K_MIN} and {K_MAX}."
    elif not invitee_ids:
        errors["invitees"] = "Choose who to ask."
    elif len(invitee_ids) > MAX_INVITEES:
        errors["invitees"] = f"Ask at most {MAX_INVITEES} people."
    elif anonymous and len(invitee_ids) < k:
        errors["invitees"] = (
            f"Anonymous answers are shown only when at least {k} arrive: ask at least {k} people."
        )
    now = timezone.now()
    if closes_at <= now + timedelta(hours=1):
        errors["closes_at"] = "Choose a closing date at least an hour from now."
    elif closes_at > now + timedelta(days=MAX_OPEN_DAYS):
        errors["closes_at"] = f"Close the round within {MAX_OPEN_DAYS} days."
    if errors:
        raise Invalid(errors)
    return aspect, cleaned


def request_feedback(
    requester: User,
    community: Community,
    *,
    aspect: str,
    questions: list[QuestionSpec],
    invitee_ids: list[int],
    closes_at: datetime,
    context: str = "",
    anonymous: bool = True,
    k: int = 3,
) -> FeedbackRequest:
    """Open a feedback round and tell those asked."""
    _require_member(requester, community, "Only members of this community ask for feedback here.")
    invitee_ids = sorted(set(invitee_ids))
    aspect, cleaned = _validate_request(aspect, questions, invitee_ids, closes_at, anonymous, k)
    if requester.pk in invitee_ids:
        raise Invalid({"invitees": "You can't ask yourself."})
    if len(context) > CONTEXT_MAX:
        raise Invalid({"context": f"Keep the context under {CONTEXT_MAX} characters."})
    members = list(
        User.objects.filter(
            pk__in=invitee_ids, community_memberships__community=community, is_active=True
        )
    )
    if len(members) != len(invitee_ids):
        raise Invalid({"invitees": "Everyone you ask must be a member of this community."})
    with transaction.atomic():
        request = FeedbackRequest.objects.create(
            community=community,
            requester=requester,
            aspect=aspect,
            context=context.strip(),
            anonymous=anonymous,
            k=k,
            closes_at=closes_at,
        )
        FeedbackQuestion.objects.bulk_create(
            FeedbackQuestion(request=request, position=i, text=q.text, with_scale=q.with_scale)
            for i, q in enumerate(cleaned, start=1)
        )
        Invitee.objects.bulk_create(Invitee(request=request, user=u) for u in members)
        url = request_url(request)
        for person in members:
            notify(
                person,
                kind="feedback_requested",
                actor=requester,
                url=url,
                message=f"{requester.display_name} asks for your feedback: {aspect}",
            )
        schedule(JOB_CLOSE, f"{JOB_CLOSE}:{request.pk}", closes_at, request_id=request.pk)
        emit("feedback.requested", community_id=community.pk, request_id=request.pk)
    return request


def get_request_for(user: User | Any, community: Community, request_id: int) -> FeedbackRequest:
    """The request if ``user`` may see it: the requester, those asked, and — once the requester
    shares the result — the community's members. NotFound for everyone else."""
    request = (
        FeedbackRequest.objects.select_related("requester", "community")
        .filter(pk=request_id, community=community)
        .first()
    )
    if request is None or not user.is_authenticated:
        raise NotFound("No such feedback request.")
    if (
        request.requester_id == user.pk
        or Invitee.objects.filter(request=request, user=user).exists()
    ):
        return request
    if (
        request.shared
        and request.status == FeedbackStatus.RELEASED
        and access.is_member(user, community)
    ):
        return request
    raise NotFound("No such feedback request.")


def has_answered(request: FeedbackRequest, user: User) -> bool:
    digest = anonymity.receipt_digest(PURPOSE, request.pk, user.pk)
    return Receipt.objects.filter(purpose=PURPOSE, digest=digest).exists()


def _clean_answers(
    request: FeedbackRequest, answers: dict[int, tuple[str, int | None]]
) -> list[tuple[FeedbackQuestion, str, int | None]]:
    questions = list(request.questions.all())
    errors: dict[str, str] = {}
    cleaned = []
    for q in questions:
        text, scale = answers.get(q.pk, ("", None))
        text = (text or "").strip()
        if "\x00" in text:
            errors[f"q{q.pk}"] = "Remove the null character."
        if len(text) > ANSWER_MAX:
            errors[f"q{q.pk}"] = f"Keep each answer under {ANSWER_MAX} characters."
        if scale is not None and not (q.with_scale and 1 <= scale <= 5):
            errors[f"q{q.pk}"] = "Choose a rating from 1 to 5."
        cleaned.append((q, text, scale))
    unknown = set(answers) - {q.pk for q in questions}
    if unknown:
        errors["answers"] = "Some answers are for questions this request doesn't have."
    if not any(text or scale for _, text, scale in cleaned):
        errors["answers"] = "Answer at least one question."
    if errors:
        raise Invalid(errors)
    return cleaned


def respond(
    user: User, request: FeedbackRequest, answers: dict[int, tuple[str, int | None]]
) -> None:
    """Record ``user``'s answers (keyed by question id: (text, optional 1-5)). Anonymous
    answers go into the shuffled pool and nothing about them names the person."""
    if not Invitee.objects.filter(request=request, user=user).exists():
        raise Forbidden("Only the people asked answer this request.")
    cleaned = _clean_answers(request, answers)
    with transaction.atomic():
        locked = FeedbackRequest.objects.select_for_update().get(pk=request.pk)
        if not locked.is_open or locked.closes_at <= timezone.now():
            raise Conflict("This feedback round has closed.", code="closed")
        try:
            with transaction.atomic():
                Receipt.objects.create(
                    purpose=PURPOSE, digest=anonymity.receipt_digest(PURPOSE, locked.pk, user.pk)
                )
        except IntegrityError:
            raise Conflict("You have already answered.", code="already_answered") from None
        if locked.anonymous:
            pool = dict(locked.pool)
            for question, text, scale in cleaned:
                key = str(question.pk)
                pool[key] = anonymity.insert_at_random(
                    pool.get(key, []), {"text": text, "scale": scale}
                )
            locked.pool = pool
        else:
            SignedAnswer.objects.bulk_create(
                SignedAnswer(question=q, author=user, text=text, scale=scale)
                for q, text, scale in cleaned
            )
        locked.response_count += 1
        locked.save(update_fields=["pool", "response_count"])
        # No event names the person; the count moves in steps the requester can't see.
        if locked.response_count >= locked.invitees.count():
            _close(locked)


def close_job(request_id: int) -> None:
    """Due at the closing date: release or withhold (idempotent: a closed round is left alone)."""
    with transaction.atomic():
        request = FeedbackRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is not None and request.is_open:
            _close(request)


def _close(request: FeedbackRequest) -> None:
    released = request.response_count >= request.k or not request.anonymous
    request.status = FeedbackStatus.RELEASED if released else FeedbackStatus.WITHHELD
    request.released_at = timezone.now() if released else None
    request.save(update_fields=["status", "released_at"])
    url = reverse("feedback:detail", args=[request.community.slug, request.pk])
    if released:
        message = f"The feedback you asked for is ready: {request.aspect}"
    else:
        message = (
            f"Your feedback round closed with fewer than {request.k} answers, so none are shown "
            f"(to keep them anonymous): {request.aspect}"
        )
    # Deliberately no count and no names: the release itself must not hint at who answered.
    notify(request.requester, kind="feedback_released", message=message, url=url)
    emit(
        "feedback.closed",
        community_id=request.community_id,
        request_id=request.pk,
        released=released,
    )


def remind(requester: User, request: FeedbackRequest) -> int:
    """Nudge everyone asked who hasn't answered, without telling the requester who that is.
    At most once a day. Returns how many were nudged (shown only as "reminders sent")."""
    if request.requester_id != requester.pk:
        raise Forbidden("Only the person who asked sends reminders.")
    if not request.is_open:
        raise Conflict("This round has closed.", code="closed")
    key = f"feedback.remind:{request.pk}"
    from practica.scheduling.models import DueJob

    recent = DueJob.objects.filter(key=key, due_at__gte=timezone.now() - timedelta(days=1))
    if recent.exists():
        raise Conflict("Reminders were sent in the last day.", code="too_soon")
    invited = [i.user for i in request.invitees.select_related("user")]
    digests = {anonymity.receipt_digest(PURPOSE, request.pk, u.pk): u for u in invited}
    answered = set(
        Receipt.objects.filter(purpose=PURPOSE, digest__in=digests).values_list("digest", flat=True)
    )
    pending = [u for d, u in digests.items() if d not in answered]
    now = timezone.now()
    with transaction.atomic():
        for person in pending:
            notify(
                person,
                kind="feedback_reminder",
                url=request_url(request),
                message=f"A reminder: {request.requester.display_name} would value your feedback "
                f"on {request.aspect} (closes {request.closes_at:%b %d}).",
            )
        # A done marker row records when reminders went out (and throttles them).
        DueJob.objects.update_or_create(
            key=key,
            defaults={"kind": "feedback.reminded", "due_at": now, "done_at": now},
        )
    return len(pending)


def reflect(
    requester: User, request: FeedbackRequest, *, reflection: str, will_change: str, shared: bool
) -> FeedbackRequest:
    """The requester's reflection on released feedback, and whether to share it with members."""
    if request.requester_id != requester.pk:
        raise Forbidden("Only the person who asked writes the reflection.")
    if request.status != FeedbackStatus.RELEASED:
        raise Conflict("Reflect once the feedback is released.", code="not_released")
    errors: dict[str, str] = {}
    if len(reflection) > REFLECTION_MAX:
        errors["reflection"] = f"Keep it under {REFLECTION_MAX} characters."
    if len(will_change) > REFLECTION_MAX:
        errors["will_change"] = f"Keep it under {REFLECTION_MAX} characters."
    if "\x00" in reflection + will_change:
        errors["reflection"] = "Remove the null character."
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        request.reflection = reflection.strip()
        request.will_change = will_change.strip()
        request.shared = shared
        request.save(update_fields=["reflection", "will_change", "shared"])
        emit("feedback.reflected", community_id=request.community_id, request_id=request.pk)
    return request


@dataclass(frozen=True)
class ResultItem:
    text: str
    scale: int | None
    author: User | None  # only for signed rounds


@dataclass(frozen=True)
class QuestionResult:
    question: FeedbackQuestion
    items: list[ResultItem]
    scale_mean: float | None
    scale_count: int


def results(request: FeedbackRequest) -> list[QuestionResult] | None:
    """The answers per question, or None while they may not be shown. Anonymous answers come
    in a fresh random order each time, with no times and no names."""
    if request.status != FeedbackStatus.RELEASED:
        return None
    questions = list(request.questions.all())
    signed: dict[int, list[ResultItem]] = {}
    if not request.anonymous:
        for a in SignedAnswer.objects.filter(question__request=request).select_related("author"):
            signed.setdefault(a.question_id, []).append(ResultItem(a.text, a.scale, a.author))
    out = []
    for q in questions:
        if request.anonymous:
            raw = anonymity.shuffled(request.pool.get(str(q.pk), []))
            items = [ResultItem(i["text"], i["scale"], None) for i in raw]
        else:
            items = signed.get(q.pk, [])
        scales = [i.scale for i in items if i.scale]
        mean = sum(scales) / len(scales) if scales else None
        out.append(QuestionResult(q, [i for i in items if i.text or i.scale], mean, len(scales)))
    return out


def progress_label(request: FeedbackRequest) -> str:
    """What may be said about how many have answered: never an exact count before release."""
    if request.status == FeedbackStatus.RELEASED:
        return f"{request.response_count} answered"
    if request.status == FeedbackStatus.WITHHELD:
        return f"closed with fewer than {request.k} answers"
    if not request.anonymous:
        return f"{request.response_count} answered so far"
    if request.response_count < request.k:
        return f"fewer than {request.k} answers so far"
    return f"{request.k} or more answers so far"


def candidates(community: Community, requester: User) -> list[User]:
    """Members one may ask (everyone but oneself), by name."""
    return [
        m.user
        for m in Membership.objects.filter(community=community)
        .exclude(user=requester)
        .select_related("user")
        .order_by("user__name")
    ]
