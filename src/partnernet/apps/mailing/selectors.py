"""Reads of the mailing app: a campaign's audience, statistics, deliveries and feedback."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet

from partnernet.apps.contacts.models import (
    EmailAddress,
    EmailStatus,
    EmploymentStatus,
    FeedbackApplication,
    Person,
    Proposal,
    Task,
)
from partnernet.apps.contacts.services import audience_addresses

from .models import Campaign, Delivery, DeliveryStatus, FeedbackMessage

# The keys a saved audience filter may hold (docs/mailing.md, "Audience").
AUDIENCE_KEYS = (
    "q",
    "company",
    "people",
    "position",
    "domain",
    "city",
    "region",
    "federal_district",
    "vendor",
    "status",
    "shortlist",
)
# Which of a person's addresses a campaign uses: one per person, the surest first.
_EMAIL_RANK: dict[str, int] = {
    EmailStatus.VALID: 0,
    EmailStatus.UNVERIFIED: 1,
    EmailStatus.GUESSED: 2,
}


def _as_list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        return [v for v in value if v not in (None, "")]
    return [value]


def _shortlist_company_ids(shortlist: Any) -> list[int]:
    """Companies of a selection shortlist (by id or name), in rank order."""
    from partnernet.apps.selection.models import Shortlist
    from partnernet.apps.selection.selectors import shortlist_company_ids

    lookup = {"pk": shortlist} if str(shortlist).isdigit() else {"name": shortlist}
    found = Shortlist.objects.filter(**lookup).first()
    return shortlist_company_ids(shortlist=found) if found else []


def audience_people(audience: dict[str, Any] | None) -> QuerySet[Person]:
    """People chosen by a saved filter (before suppression and address checks)."""
    audience = audience or {}
    qs = Person.objects.all()
    statuses = _as_list(audience.get("status")) or [
        EmploymentStatus.ACTIVE,
        EmploymentStatus.ON_LEAVE,
        EmploymentStatus.UNKNOWN,
    ]
    qs = qs.filter(status__in=statuses)
    if text := str(audience.get("q") or "").strip():
        qs = qs.filter(
            Q(full_name__icontains=text)
            | Q(position__icontains=text)
            | Q(company__display_name__icontains=text)
            | Q(emails__address__icontains=text)
        )
    if companies := _as_list(audience.get("company")):
        qs = qs.filter(company_id__in=[int(c) for c in companies])
    if people := _as_list(audience.get("people")):
        qs = qs.filter(pk__in=[int(p) for p in people])
    if position := str(audience.get("position") or "").strip():
        qs = qs.filter(position__icontains=position)
    if domains := _as_list(audience.get("domain")):
        qs = qs.filter(emails__domain__in=[str(d).lower() for d in domains])
    for key, field in (
        ("city", "company__city_name"),
        ("region", "company__region"),
        ("federal_district", "company__federal_district"),
    ):
        if values := _as_list(audience.get(key)):
            cond = Q()
            for value in values:
                cond |= Q(**{f"{field}__iexact": value})
            qs = qs.filter(cond)
    if vendors := _as_list(audience.get("vendor")):
        cond = Q()
        for vendor in vendors:
            cond |= Q(company__vendors_text__icontains=vendor)
        qs = qs.filter(cond)
    if audience.get("shortlist") not in (None, ""):
        ids = _shortlist_company_ids(audience["shortlist"])
        qs = qs.filter(company_id__in=ids or [])
    return qs.distinct()


def audience_recipients(audience: dict[str, Any] | None) -> list[EmailAddress]:
    """One mailable address per person of the audience (valid before unverified before a guess
    the user chose to try; then the highest confidence)."""
    people = audience_people(audience)
    best: dict[int, EmailAddress] = {}
    for email in audience_addresses(people).select_related("person", "person__company"):
        current = best.get(email.person_id)
        if current is None or _rank(email) < _rank(current):
            best[email.person_id] = email
    return sorted(best.values(), key=lambda e: e.pk)


def _rank(email: EmailAddress) -> tuple[int, float, int]:
    return (_EMAIL_RANK.get(email.status, 3), -(email.confidence or 0.0), email.pk)


def audience_count(audience: dict[str, Any] | None) -> dict[str, int]:
    """People matched, and how many of them a mailing can reach."""
    people = audience_people(audience)
    return {
        "people": people.count(),
        "recipients": audience_addresses(people).values("person_id").distinct().count(),
    }


def campaign_stats(campaign: Campaign) -> dict[str, int]:
    counts = Counter(
        dict(
            campaign.deliveries.values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
    )
    stats = {status: counts.get(status, 0) for status in DeliveryStatus.values}
    stats["total"] = sum(counts.values())
    stats["interrupted"] = campaign.deliveries.filter(interrupted=True).count()
    stats["feedback"] = FeedbackMessage.objects.filter(delivery__campaign=campaign).count()
    return stats


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.annotate(
        delivery_count=Count("deliveries"),
        sent_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
        bounce_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.BOUNCED)),
    ).order_by("-created_at", "-id")


def delivery_list(campaign: Campaign | None = None) -> QuerySet[Delivery]:
    qs = Delivery.objects.select_related("campaign", "person", "person__company")
    return qs.filter(campaign=campaign) if campaign is not None else qs


def feedback_message_list() -> QuerySet[FeedbackMessage]:
    return FeedbackMessage.objects.defer("raw").select_related("delivery", "delivery__campaign")


def feedback_message_outcome(message: FeedbackMessage) -> dict[str, Any]:
    """What the rules made of one message: proposals and tasks under its reference."""
    ref = message.message_ref
    application = FeedbackApplication.objects.filter(message_ref=ref).first()
    changes = application.changes if application is not None else []
    # A task may have been opened by an earlier message; this one then added evidence to it.
    task_ids = {int(c["object_id"]) for c in changes if c.get("object_type") == "contacts.task"}
    return {
        "application": application,
        "changes": changes,
        "proposals": list(
            Proposal.objects.filter(message_ref=ref).select_related("person", "company")
        ),
        "tasks": list(
            Task.objects.filter(Q(created_from=ref) | Q(pk__in=task_ids)).select_related(
                "person", "company"
            )
        ),
    }
