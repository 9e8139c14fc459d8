"""Reads of the contacts app: lists, one person, the review queue, freshness."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.register.models import Company
from partnernet.engines.freshness import (
    BOOK_DECAY_RANGE,
    ContactHistory,
    decay_by_age,
    estimate_decay,
    stalest,
)

from .models import (
    EmailAddress,
    EmploymentStatus,
    Person,
    PersonChange,
    PersonChangeKind,
    Proposal,
    ProposalStatus,
    Suppression,
    Task,
    TaskStatus,
)


def person_list() -> QuerySet[Person]:
    return (
        Person.objects.filter(merged_into__isnull=True)
        .select_related("company")
        .prefetch_related("emails", "phones")
        .annotate(email_count=Count("emails", distinct=True))
        .order_by("surname", "first_name", "id")
    )


def person_detail(pk: int) -> Person:
    return (
        Person.objects.select_related("company", "successor", "merged_into")
        .prefetch_related(
            "emails", "phones", "events", "stand_ins", "predecessors", "standing_in_for"
        )
        .get(pk=pk)
    )


def person_history(person: Person) -> QuerySet[ChangeLogEntry]:
    """Changes of the person (and of duplicates merged into them) and of their addresses and
    phones, newest first."""
    merged = person.merged_people.values_list("pk", flat=True)
    people = [str(person.pk), *(str(pk) for pk in merged)]
    q = Q(object_type="contacts.person", object_id__in=people)
    email_ids = [str(pk) for pk in person.emails.values_list("pk", flat=True)]
    phone_ids = [str(pk) for pk in person.phones.values_list("pk", flat=True)]
    if email_ids:
        q |= Q(object_type="contacts.emailaddress", object_id__in=email_ids)
    if phone_ids:
        q |= Q(object_type="contacts.personphone", object_id__in=phone_ids)
    return ChangeLogEntry.objects.filter(q).order_by("-time", "-id")[:200]


def proposal_queue(status: str = ProposalStatus.PENDING) -> QuerySet[Proposal]:
    return Proposal.objects.filter(status=status).select_related("person", "company")


def task_list(status: str | None = TaskStatus.OPEN) -> QuerySet[Task]:
    qs = Task.objects.select_related("company", "person")
    return qs.filter(status=status) if status else qs


def suppression_list() -> QuerySet[Suppression]:
    return Suppression.objects.all()


def contact_histories() -> list[ContactHistory]:
    """Every person as the freshness engine sees them (dates only)."""
    tz = timezone.get_current_timezone()
    histories = []
    for pk, first_seen, last_confirmed, left_on, status in Person.objects.filter(
        merged_into__isnull=True
    ).values_list("pk", "first_seen", "last_confirmed", "left_on", "status"):
        first = first_seen.astimezone(tz).date()
        confirmed = last_confirmed.astimezone(tz).date() if last_confirmed else None
        if status == EmploymentStatus.LEFT and left_on is None:
            left_on = confirmed or first
        histories.append(ContactHistory(pk, first, confirmed, left_on))
    return histories


def freshness_report(*, today: date | None = None, limit: int = 50) -> dict[str, Any]:
    """Measured yearly decay next to the book's 5-10%, decay by age, the stalest records."""
    today = today or timezone.localdate()
    histories = contact_histories()
    estimate = estimate_decay(histories, today=today)
    by_age = decay_by_age(histories, today=today)
    stale = stalest(histories, today=today, limit=limit)
    people = Person.objects.select_related("company").in_bulk([h.id for h, _ in stale])
    companies = (
        Company.objects.filter(merged_into__isnull=True)
        .annotate(people_count=Count("people"), last_person=Max("people__last_confirmed"))
        .filter(people_count__gt=0)
        .order_by("last_confirmed", "id")[:limit]
    )
    return {
        "today": today,
        "estimate": estimate,
        "book_range": BOOK_DECAY_RANGE,
        "by_age": by_age,
        "stalest_people": [(people[h.id], days) for h, days in stale if h.id in people],
        "stalest_companies": [(c, (today - c.last_confirmed.date()).days) for c in companies],
    }


def decay_chart_spec(
    by_age: list[dict[str, Any]], *, title: str, axis_x: str, axis_y: str
) -> dict[str, Any]:
    """Vega-Lite: share of contacts found gone in each year of age, the book's band behind it."""
    low, high = BOOK_DECAY_RANGE
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": "container",
        "height": 240,
        "layer": [
            {
                "data": {"values": [{"low": low, "high": high}]},
                "mark": {"type": "rect", "opacity": 0.15, "color": "#198754"},
                "encoding": {
                    "y": {"field": "low", "type": "quantitative"},
                    "y2": {"field": "high"},
                },
            },
            {
                "data": {"values": by_age},
                "mark": {"type": "bar", "tooltip": True},
                "encoding": {
                    "x": {"field": "year", "type": "ordinal", "title": axis_x},
                    "y": {
                        "field": "share_left",
                        "type": "quantitative",
                        "title": axis_y,
                        "axis": {"format": "%"},
                    },
                    "tooltip": [
                        {"field": "year", "title": axis_x},
                        {"field": "at_risk"},
                        {"field": "left"},
                        {"field": "share_left", "format": ".1%"},
                    ],
                },
            },
        ],
    }


def company_people(company: Company) -> QuerySet[Person]:
    return (
        company.people.filter(merged_into__isnull=True)
        .prefetch_related("emails", "phones")
        .order_by("status", "surname")
    )


def company_mailable_count(company: Company) -> int:
    from .services import mailable_emails

    return mailable_emails(EmailAddress.objects.filter(person__company=company)).count()


def person_changes(person: Person, limit: int = 30) -> QuerySet[PersonChange]:
    """Changes made by hand to the person and merges into them, newest first."""
    return PersonChange.objects.filter(person=person).order_by("-created_at", "-id")[:limit]


def person_merge_record(person: Person) -> PersonChange | None:
    """The merge that hid ``person`` (a duplicate), if it is still in force."""
    return (
        PersonChange.objects.filter(
            other_person=person, kind=PersonChangeKind.MERGE, undone_at__isnull=True
        )
        .order_by("-created_at")
        .first()
    )
