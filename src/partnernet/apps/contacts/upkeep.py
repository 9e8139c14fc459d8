"""Tasks no reply creates: re-verify stale contacts, verify guesses no mailing settled.

- **re-verify** (:func:`reverify_tasks_open`): active contacts not confirmed for N months, the
  freshness page's "stalest" list, become one task each with the person's channels on it. Closing
  such a task as *done* confirms the person (the user called or wrote and they are still there).
- **verify a guess** (:func:`guess_tasks_open`): a person whose only leads are guessed addresses,
  guessed more than N days ago and not settled by a mailing (nothing tried, or no answer yet),
  gets a task to verify by phone or through a colleague. It closes itself when the guesses are
  settled (confirmed, discarded, bounced).

:func:`tasks_open_due` runs both; the tasks page, the freshness page, the API and
``partnernet contacts tasks`` call it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.engines.freshness import stalest

from .changes import ChangeSet
from .models import (
    EmailAddress,
    EmailStatus,
    EmploymentStatus,
    Person,
    Task,
    TaskKind,
    TaskStatus,
)
from .selectors import contact_histories
from .services import guess_confirm_due, task_open


def reverify_months() -> int:
    """Months without a confirmation after which a contact gets a re-verify task."""
    return max(1, int(getattr(settings, "PARTNERNET_REVERIFY_MONTHS", 12)))


def verify_guess_days() -> int:
    """Days a guessed address may wait for a mailing to settle it before a task is opened."""
    return max(1, int(getattr(settings, "PARTNERNET_VERIFY_GUESS_DAYS", 30)))


def _channels(person: Person) -> dict[str, Any]:
    company = person.company
    return {
        "emails": [
            e.address
            for e in person.emails.all()
            if e.status != EmailStatus.BOUNCED and e.status != EmailStatus.GUESSED
        ],
        "phones": [p.number for p in person.phones.all()],
        "company_phones": (
            list(company.phones.values_list("number", flat=True)[:5]) if company else []
        ),
    }


def reverify_tasks_open(
    *,
    months: int | None = None,
    limit: int | None = None,
    today: date | None = None,
    user: Any = None,
) -> int:
    """Open a re-verify task for every contact still at work and not confirmed for ``months``
    (stalest first, at most ``limit``); returns how many tasks were opened."""
    months = months or reverify_months()
    today = today or timezone.localdate()
    min_days = (today - (today - relativedelta(months=months))).days
    histories = contact_histories()
    due = [(h, days) for h, days in stalest(histories, today=today, limit=len(histories))]
    due = [(h, days) for h, days in due if days >= min_days]
    people = (
        Person.objects.filter(
            pk__in=[h.id for h, _days in due],
            merged_into__isnull=True,
            status__in=[EmploymentStatus.ACTIVE, EmploymentStatus.ON_LEAVE],
        )
        .select_related("company")
        .prefetch_related("emails", "phones")
        .in_bulk()
    )
    open_keys = set(
        Task.objects.filter(kind=TaskKind.REVERIFY, status=TaskStatus.OPEN).values_list(
            "key", flat=True
        )
    )
    opened = 0
    cs = ChangeSet(reason=f"contacts not confirmed for {months} months", user=user or "rules")
    with transaction.atomic():
        for history, days in due:
            person = people.get(history.id)
            key = f"reverify:person:{history.id}"
            if person is None or key in open_keys:
                continue
            if limit is not None and opened >= limit:
                break
            since = history.last_confirmed or history.first_seen
            task_open(
                kind=TaskKind.REVERIFY,
                key=key,
                title=_("Re-verify %(person)s: not confirmed since %(date)s")
                % {"person": person, "date": since.strftime("%d.%m.%Y")},
                company=person.company,
                person=person,
                payload={
                    "why": _("not confirmed for %(days)d days") % {"days": days},
                    "last_confirmed": since.isoformat(),
                    "channels": {"people": [_person_channels(person)]},
                },
                changes=cs,
            )
            opened += 1
    return opened


def _person_channels(person: Person) -> dict[str, Any]:
    data = _channels(person)
    return {
        "name": str(person),
        "position": person.position,
        "phones": data["phones"] + data["company_phones"],
        "emails": data["emails"],
    }


def guess_tasks_open(
    *, days: int | None = None, now: datetime | None = None, user: Any = None
) -> dict[str, int]:
    """Open a task for every person whose guesses have waited ``days`` without being settled,
    and close the tasks of people whose guesses are settled; ``{"opened", "closed"}``."""
    now = now or timezone.now()
    days = days or verify_guess_days()
    # Guesses a mailing already settled (sent, no bounce for long enough) are confirmed first.
    guess_confirm_due(now=now)
    cutoff = now - timedelta(days=days)
    waiting = (
        EmailAddress.objects.filter(status=EmailStatus.GUESSED, first_seen__lte=cutoff)
        .exclude(person__status=EmploymentStatus.LEFT)
        .filter(person__merged_into__isnull=True)
    )
    # A person who has a working address does not need the guess verified.
    settled = EmailAddress.objects.filter(
        status__in=[EmailStatus.VALID, EmailStatus.UNVERIFIED]
    ).values("person_id")
    person_ids = set(waiting.exclude(person_id__in=settled).values_list("person_id", flat=True))
    cs = ChangeSet(reason=f"guesses unsettled after {days} days", user=user or "rules")
    opened = closed = 0
    with transaction.atomic():
        open_tasks = {
            t.person_id: t
            for t in Task.objects.filter(kind=TaskKind.VERIFY_GUESS, status=TaskStatus.OPEN)
        }
        still_waiting = set(
            EmailAddress.objects.filter(status=EmailStatus.GUESSED, person_id__in=list(open_tasks))
            .exclude(person_id__in=settled)
            .exclude(person__status=EmploymentStatus.LEFT)
            .values_list("person_id", flat=True)
        )
        for person_id, task in open_tasks.items():
            if person_id in still_waiting:
                continue
            cs.update(
                task,
                {
                    "status": TaskStatus.DONE,
                    "closed_at": now,
                    "closed_by": "rules",
                    "resolution": _("the guesses are settled"),
                },
                f"task {task.pk} settled",
            )
            closed += 1
        people = (
            Person.objects.filter(pk__in=person_ids - set(open_tasks))
            .select_related("company")
            .prefetch_related("emails", "phones")
        )
        for person in people:
            guesses = [e for e in person.emails.all() if e.status == EmailStatus.GUESSED]
            task_open(
                kind=TaskKind.VERIFY_GUESS,
                key=f"verify_guess:person:{person.pk}",
                title=_("Verify the guessed address of %(person)s") % {"person": person},
                company=person.company,
                person=person,
                payload={
                    "why": _("guessed %(days)d+ days ago, not settled by a mailing")
                    % {"days": days},
                    "guesses": [
                        {
                            "address": e.address,
                            "confidence": e.confidence,
                            "tried": bool(e.last_sent_at),
                            "explanation": e.guess_explanation,
                        }
                        for e in sorted(guesses, key=lambda e: -(e.confidence or 0))
                    ],
                    "channels": {"people": [_person_channels(person)]},
                },
                changes=cs,
            )
            opened += 1
    return {"opened": opened, "closed": closed}


def tasks_open_due(
    *,
    months: int | None = None,
    days: int | None = None,
    now: datetime | None = None,
    user: Any = None,
) -> dict[str, int]:
    """Both rules at once: ``{"reverify", "verify_guess", "verify_guess_closed"}``."""
    now = now or timezone.now()
    guesses = guess_tasks_open(days=days, now=now, user=user)
    reverify = reverify_tasks_open(months=months, today=timezone.localdate(now), user=user)
    return {
        "reverify": reverify,
        "verify_guess": guesses["opened"],
        "verify_guess_closed": guesses["closed"],
    }
