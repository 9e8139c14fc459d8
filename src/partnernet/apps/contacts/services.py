"""Writes of the contacts app: people, addresses, suppression, proposals, tasks, erasure.

The rules that turn mail feedback into changes live in :mod:`.feedback` (``feedback_apply``);
imports in :mod:`.imports`; legal-status checks in :mod:`.legal`. Everything here records its
changes in the audit log with the user or the message as the source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from partnernet.apps.audit.models import ChangeAction, ChangeLogEntry
from partnernet.apps.audit.services import audit_record
from partnernet.apps.register.models import Company
from partnernet.engines.contactinfo.domains import registered_domain
from partnernet.engines.contactinfo.phones import normalise_phone
from partnernet.engines.names.person import PersonName, parse_person_name

from .changes import ChangeSet, changes_revert, snapshot
from .models import (
    EmailAddress,
    EmailStatus,
    EmploymentEvent,
    EmploymentStatus,
    LegalBasis,
    Person,
    PersonChange,
    PersonPhone,
    PhoneKind,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Suppression,
    SuppressionReason,
    Task,
    TaskKind,
    TaskStatus,
    address_hash,
)
from .signals import person_erased

# --- settings ---------------------------------------------------------------------------------


def left_after_bounces() -> int:
    """Hard "no such mailbox" bounces of one address before it counts as dead and its owner as
    gone. 1 (the default) acts at once; 2 waits for a second mailing to confirm."""
    return max(1, int(getattr(settings, "PARTNERNET_LEFT_AFTER_BOUNCES", 1)))


def guess_confirm_days() -> int:
    """Days after sending to a guessed address without a bounce that confirm the guess."""
    return int(getattr(settings, "PARTNERNET_GUESS_CONFIRM_DAYS", 7))


# --- small helpers ----------------------------------------------------------------------------


def normalise_email(address: str) -> str:
    value = (address or "").strip().strip("<>").strip().lower()
    if value.startswith("mailto:"):
        value = value[7:]
    return value


def is_email(value: str) -> bool:
    local, _, domain = value.rpartition("@")
    return bool(local) and "." in domain and " " not in value


def email_domain(address: str) -> str:
    """Registered domain of an address (firma.ru for ivanov@mail.firma.ru)."""
    host = normalise_email(address).rpartition("@")[2]
    return registered_domain(host) or host


def name_parts(full_name: str) -> dict[str, str]:
    parsed = parse_person_name(full_name or "")
    if parsed is None:
        return {"surname": "", "first_name": "", "patronymic": "", "name_key": ""}
    return {
        "surname": parsed.last or "",
        "first_name": parsed.first or "",
        "patronymic": parsed.patronymic or "",
        "name_key": parsed.key,
    }


def _name_key(surname: str, first_name: str, patronymic: str) -> str:
    # The key the name parser gives, so a name typed in parts and one parsed from text agree.
    return PersonName(surname, first_name or None, patronymic or None).key


# --- suppression ------------------------------------------------------------------------------


def _suppression_keys(address: str) -> list[str]:
    value = normalise_email(address)
    host = value.rpartition("@")[2]
    keys = {value}
    # The host and every parent domain of it (mail.firma.ru, firma.ru), not the bare TLD.
    labels = host.split(".")
    keys.update(".".join(labels[i:]) for i in range(max(0, len(labels) - 1)))
    return [address_hash(k) for k in keys if k]


def suppression_is_blocked(address: str) -> bool:
    """True when no mailing may go to ``address``: the address, its host or its domain is on the
    suppression list (also for erased people, stored only as a hash). Call before every send."""
    if not normalise_email(address):
        return True
    return Suppression.objects.filter(value_hash__in=_suppression_keys(address)).exists()


def suppression_add(
    *,
    value: str,
    reason: str,
    source: str = "",
    message_ref: str = "",
    user: Any = None,
    keep_value: bool = True,
    changes: ChangeSet | None = None,
) -> tuple[Suppression, bool]:
    """Put an address (or a domain: a value without ``@``) on the list; (entry, created).

    ``keep_value=False`` stores only the hash (erasure). An existing entry keeps its first reason.
    """
    normal = normalise_email(value)
    if not normal:
        raise ValueError(gettext("empty address"))
    digest = address_hash(normal)
    existing = Suppression.objects.filter(value_hash=digest).first()
    if existing is not None:
        if not keep_value and existing.value:
            existing.value = ""
            existing.save(update_fields=["value"])
        return existing, False
    entry = Suppression.objects.create(
        is_domain="@" not in normal,
        value=normal if keep_value else "",
        value_hash=digest,
        reason=reason,
        source=source,
        message_ref=message_ref,
    )
    if changes is not None:
        changes.created(entry, f"suppressed {entry} ({entry.get_reason_display()})")
    elif keep_value:
        audit_record(action=ChangeAction.CREATE, obj=entry, user=user, reason=source or reason)
    else:
        audit_record(
            action=ChangeAction.CREATE,
            obj=entry,
            object_repr=f"#{digest[:12]}",
            user=user,
            reason=reason,
        )
    return entry, True


def suppression_remove(*, entry: Suppression, user: Any = None, reason: str = "") -> None:
    """Take an entry off the list (a mistaken manual entry); erasure entries stay."""
    if entry.reason == SuppressionReason.ERASED:
        raise ValueError(gettext("entries of erased people cannot be removed"))
    audit_record(
        action=ChangeAction.DELETE,
        obj=entry,
        changes={"before": snapshot(entry)},
        user=user,
        reason=reason,
    )
    entry.delete()


def _suppressed_q(prefix: str = "") -> Q:
    """Addresses matched by the list's readable entries (erased ones match by hash at send).

    Addresses by a subquery (the list may hold hundreds of thousands); domains one by one, as
    there are few of them, so that a subdomain entry (mail.firma.ru) matches too.
    """
    readable = Suppression.objects.exclude(value="")
    q = Q(**{f"{prefix}address__in": readable.filter(is_domain=False).values("value")})
    for domain in readable.filter(is_domain=True).values_list("value", flat=True):
        q |= Q(**{f"{prefix}domain": domain})
        q |= Q(**{f"{prefix}address__endswith": "@" + domain})
        q |= Q(**{f"{prefix}address__endswith": "." + domain})
    return q


def mailable_emails(queryset: QuerySet[EmailAddress] | None = None) -> QuerySet[EmailAddress]:
    """Addresses a mailing may use: not bounced, not an untried guess, not suppressed, owner
    not gone."""
    qs = EmailAddress.objects.all() if queryset is None else queryset
    return (
        qs.filter(use_for_mailing=True)
        .exclude(status=EmailStatus.BOUNCED)
        .exclude(person__status=EmploymentStatus.LEFT)
        .exclude(_suppressed_q())
    )


def audience_filter(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a queryset of ``Person`` or ``EmailAddress`` to what a mailing may reach.

    For people: those not gone with at least one mailable address. For addresses: the mailable
    ones. The list's hashed entries (erased people) are checked by :func:`suppression_is_blocked`,
    which the sender calls for every delivery.
    """
    if queryset.model is EmailAddress:
        return mailable_emails(queryset)
    if queryset.model is Person:
        ids = mailable_emails().values("person_id")
        return queryset.exclude(status=EmploymentStatus.LEFT).filter(pk__in=ids)
    raise TypeError(f"audience_filter takes people or e-mail addresses, not {queryset.model}")


def audience_addresses(people: QuerySet[Person]) -> QuerySet[EmailAddress]:
    """The mailable addresses of the given people (a mailing's recipients)."""
    return mailable_emails(EmailAddress.objects.filter(person__in=people)).select_related("person")


# --- people -----------------------------------------------------------------------------------


def email_add(
    *,
    person: Person,
    address: str,
    status: str = EmailStatus.UNVERIFIED,
    source: str = "",
    confidence: float | None = None,
    explanation: str = "",
    changes: ChangeSet | None = None,
    user: Any = None,
) -> EmailAddress | None:
    """Add an address to a person (None when it is not an address); an existing one is returned
    and, when it comes again from a list, confirmed."""
    value = normalise_email(address)
    if not is_email(value):
        return None
    existing = EmailAddress.objects.filter(person=person, address=value).first()
    if existing is not None:
        return existing
    email = EmailAddress.objects.create(
        person=person,
        address=value,
        domain=email_domain(value),
        status=status,
        confidence=confidence,
        guess_explanation=explanation[:500],
        # An address on the suppression list (even as an erased person's hash) is never used.
        use_for_mailing=status != EmailStatus.GUESSED and not suppression_is_blocked(value),
        source=source[:300],
        last_confirmed=timezone.now() if status == EmailStatus.VALID else None,
    )
    cs = changes or ChangeSet(reason=source, user=user)
    cs.created(email, f"address {value} for {person}")
    return email


def phone_add(
    *,
    person: Person,
    number: str,
    kind: str = PhoneKind.WORK,
    source: str = "",
    changes: ChangeSet | None = None,
    user: Any = None,
) -> PersonPhone | None:
    value = normalise_phone(number or "")
    if not value:
        return None
    existing = PersonPhone.objects.filter(person=person, number=value).first()
    if existing is not None:
        return existing
    phone = PersonPhone.objects.create(person=person, number=value, kind=kind, source=source)
    cs = changes or ChangeSet(reason=source, user=user)
    cs.created(phone, f"phone {value} for {person}")
    return phone


def phone_kind(number: str) -> str:
    """Mobile for mobile numbers (Russian +79…), work otherwise."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, "RU")
    except phonenumbers.NumberParseException:
        return PhoneKind.WORK
    if phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE:
        return PhoneKind.MOBILE
    return PhoneKind.WORK


def person_create(
    *,
    full_name: str = "",
    surname: str = "",
    first_name: str = "",
    patronymic: str = "",
    company: Company | None = None,
    position: str = "",
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    legal_basis: str = LegalBasis.LEGITIMATE_INTEREST,
    source: str = "",
    status: str = EmploymentStatus.ACTIVE,
    notes: str = "",
    first_seen: datetime | None = None,
    user: Any = None,
    changes: ChangeSet | None = None,
) -> Person:
    """Create a person; name parts are read from ``full_name`` when not given."""
    if not full_name:
        full_name = " ".join(p for p in (surname, first_name, patronymic) if p)
    if not (surname or first_name):
        parts = name_parts(full_name)
        surname, first_name, patronymic = parts["surname"], parts["first_name"], parts["patronymic"]
    now = timezone.now()
    person = Person.objects.create(
        company=company,
        full_name=full_name.strip()[:300],
        surname=surname[:120],
        first_name=first_name[:120],
        patronymic=patronymic[:120],
        name_key=_name_key(surname, first_name, patronymic),
        position=position[:300],
        status=status,
        legal_basis=legal_basis,
        source=source[:300],
        notes=notes,
        first_seen=first_seen or now,
        last_confirmed=first_seen or now,
    )
    cs = changes or ChangeSet(reason=source or "contact created", user=user)
    cs.created(person, f"new contact {person}")
    for address in emails:
        email_add(person=person, address=address, source=source, changes=cs)
    for number in phones:
        phone_add(person=person, number=number, kind=phone_kind(number), source=source, changes=cs)
    return person


PERSON_EDITABLE = {
    "company",
    "company_id",
    "full_name",
    "surname",
    "first_name",
    "patronymic",
    "position",
    "legal_basis",
    "source",
    "notes",
    "last_confirmed",
    "successor",
    "successor_id",
}


def person_update(
    *, person: Person, user: Any = None, reason: str = "", **values: Any
) -> list[dict[str, Any]]:
    """Change a person's fields (status goes through :func:`person_set_status`)."""
    unknown = set(values) - PERSON_EDITABLE
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    cs = ChangeSet(reason=reason or "edited", user=user)
    if {"surname", "first_name", "patronymic"} & set(values):
        parts = [values.get(k, getattr(person, k)) for k in ("surname", "first_name", "patronymic")]
        values["name_key"] = _name_key(*parts)
    cs.update(person, values, f"edited {person}")
    return cs.items


def person_set_status(
    *,
    person: Person,
    status: str,
    on_date: date | None = None,
    until: date | None = None,
    message_ref: str = "",
    note: str = "",
    changes: ChangeSet,
) -> None:
    """Record an employment change: the person's fields and a history event."""
    on_date = on_date or timezone.localdate()
    values: dict[str, Any] = {"status": status}
    if status == EmploymentStatus.LEFT:
        values["left_on"] = person.left_on or on_date
        values["on_leave_until"] = None
    elif status == EmploymentStatus.ON_LEAVE:
        values["on_leave_until"] = until
    elif status == EmploymentStatus.ACTIVE:
        values["on_leave_until"] = None
        values["left_on"] = None
    previous = person.status
    item = changes.update(person, values, f"{person}: {status}")
    if item is None:
        return
    event = EmploymentEvent.objects.create(
        person=person,
        status=status,
        previous_status=previous,
        on_date=on_date,
        until=until,
        message_ref=message_ref[:300],
        note=note[:500],
    )
    changes.created(event, f"history of {person}: {status}")


# --- tasks ------------------------------------------------------------------------------------


def task_open(
    *,
    kind: str,
    key: str,
    title: str,
    company: Company | None = None,
    person: Person | None = None,
    payload: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
    message_ref: str = "",
    changes: ChangeSet,
) -> Task:
    """Open a task, or add the message to the open task of the same subject.

    ``payload`` may be a function: it is called only when a new task is opened (a partner's
    server rejecting a whole campaign gives hundreds of bounces and one task).
    """
    existing = Task.objects.filter(key=key, status=TaskStatus.OPEN).order_by().first()
    if existing is not None:
        messages = list(existing.payload.get("messages", []))
        if message_ref and message_ref not in messages:
            new_payload = {**existing.payload, "messages": [*messages, message_ref]}
            changes.update(existing, {"payload": new_payload}, f"more evidence: {title}")
        return existing
    data = dict((payload() if callable(payload) else payload) or {})
    data["messages"] = [message_ref] if message_ref else []
    task = Task.objects.create(
        kind=kind,
        key=key[:300],
        title=title[:500],
        company=company,
        person=person,
        payload=data,
        created_from=message_ref[:300],
    )
    changes.created(task, f"task: {title}")
    return task


def task_close(
    *, task: Task, status: str = TaskStatus.DONE, resolution: str = "", user: Any = None
) -> Task:
    """Close a task. A re-verify task closed as done confirms its person: whoever closed it
    reached them (or learned they left, which they record on the person page)."""
    with transaction.atomic():
        cs = ChangeSet(reason=f"task closed: {resolution}", user=user)
        now = timezone.now()
        cs.update(
            task,
            {
                "status": status,
                "closed_at": now,
                "closed_by": _user_name(user)[:150],
                "resolution": resolution,
            },
            f"task {task.pk} {status}",
        )
        person = task.person
        if (
            task.kind == TaskKind.REVERIFY
            and status == TaskStatus.DONE
            and person is not None
            and person.status != EmploymentStatus.LEFT
        ):
            cs.update(person, {"last_confirmed": now}, f"{person} re-verified")
    return task


# --- proposals --------------------------------------------------------------------------------


def proposal_create(
    *,
    kind: str,
    summary: str,
    payload: dict[str, Any],
    person: Person | None = None,
    company: Company | None = None,
    message_ref: str = "",
    changes: ChangeSet,
) -> Proposal | None:
    """Queue a proposal; None when the same one is already pending."""
    duplicate = Proposal.objects.filter(
        kind=kind, person=person, company=company, status=ProposalStatus.PENDING
    )
    for other in duplicate:
        if other.payload == payload:
            return None
    proposal = Proposal.objects.create(
        kind=kind,
        person=person,
        company=company,
        summary=summary[:500],
        payload=payload,
        message_ref=message_ref[:300],
    )
    changes.created(proposal, f"proposal: {summary}")
    return proposal


def _user_name(user: Any) -> str:
    if getattr(user, "is_authenticated", False):
        return str(user.get_username())
    return str(user or "")[:150]


def _find_person(company: Company | None, email: str | None, name: str | None) -> Person | None:
    if email:
        matches = list(Person.objects.filter(emails__address=normalise_email(email)))
        same = [p for p in matches if company is not None and p.company_id == company.pk]
        if same or matches:
            return (same or matches)[0]
    if name and company is not None:
        key = name_parts(name)["name_key"]
        if key:
            return Person.objects.filter(company=company, name_key=key).first()
    return None


def _apply_proposal(proposal: Proposal, cs: ChangeSet) -> None:
    data = proposal.payload
    person = proposal.person
    kind = proposal.kind
    when = date.fromisoformat(data["date"]) if data.get("date") else timezone.localdate()
    source = f"message {proposal.message_ref}" if proposal.message_ref else "review queue"
    if kind == ProposalKind.NEW_CONTACT:
        new = _find_person(proposal.company, data.get("email"), data.get("full_name"))
        if new is None:
            new = person_create(
                full_name=data.get("full_name") or "",
                company=proposal.company,
                position=data.get("position") or "",
                emails=[data["email"]] if data.get("email") else [],
                phones=data.get("phones") or [],
                legal_basis=LegalBasis.LEGITIMATE_INTEREST,
                source=source,
                changes=cs,
            )
        else:
            if data.get("email"):
                email_add(person=new, address=data["email"], source=source, changes=cs)
            for number in data.get("phones") or []:
                phone_add(
                    person=new, number=number, kind=phone_kind(number), source=source, changes=cs
                )
        if data.get("successor_of"):
            old = Person.objects.filter(pk=data["successor_of"]).first()
            if old is not None:
                cs.update(old, {"successor_id": new.pk}, f"{old}: successor {new}")
                if old.status != EmploymentStatus.LEFT:
                    person_set_status(
                        person=old,
                        status=EmploymentStatus.LEFT,
                        on_date=when,
                        message_ref=proposal.message_ref,
                        changes=cs,
                    )
        if data.get("stand_in_for"):
            absent = Person.objects.filter(pk=data["stand_in_for"]).first()
            if absent is not None and absent.pk != new.pk:
                cs.m2m_add(absent, "stand_ins", new, f"{absent}: stand-in {new}")
    elif person is None:
        raise ValueError(gettext("this proposal has no contact"))
    elif kind == ProposalKind.MARK_LEFT:
        person_set_status(
            person=person,
            status=EmploymentStatus.LEFT,
            on_date=when,
            message_ref=proposal.message_ref,
            note=data.get("note", ""),
            changes=cs,
        )
    elif kind == ProposalKind.ON_LEAVE:
        until = date.fromisoformat(data["until"]) if data.get("until") else None
        person_set_status(
            person=person,
            status=EmploymentStatus.ON_LEAVE,
            on_date=when,
            until=until,
            message_ref=proposal.message_ref,
            changes=cs,
        )
    elif kind == ProposalKind.NEW_PHONE:
        phone_add(
            person=person,
            number=data["number"],
            kind=data.get("kind") or phone_kind(data["number"]),
            source=source,
            changes=cs,
        )
    elif kind == ProposalKind.NEW_ADDRESS:
        email_add(person=person, address=data["address"], source=source, changes=cs)
    elif kind == ProposalKind.SUCCESSOR:
        cs.update(person, {"successor_id": data["successor_id"]}, f"{person}: successor")
    elif kind == ProposalKind.STAND_IN:
        target = Person.objects.get(pk=data["stand_in_id"])
        cs.m2m_add(person, "stand_ins", target, f"{person}: stand-in {target}")
    elif kind == ProposalKind.SUPPRESSION:
        suppression_add(
            value=data["value"],
            reason=data.get("reason", SuppressionReason.MANUAL),
            source=source,
            message_ref=proposal.message_ref,
            changes=cs,
        )


def proposal_accept(
    *, proposal: Proposal, user: Any = None, edits: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Apply a pending proposal (optionally with the reviewer's edits of its payload)."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != ProposalStatus.PENDING:
            return []
        if edits:
            proposal.payload = {**proposal.payload, **edits}
        cs = ChangeSet(
            reason=f"proposal {proposal.pk} accepted ({proposal.summary})",
            user=user or "rules",
            batch=f"proposal:{proposal.pk}",
        )
        _apply_proposal(proposal, cs)
        proposal.status = ProposalStatus.ACCEPTED
        proposal.decided_at = timezone.now()
        proposal.decided_by = _user_name(user) or "rules"
        proposal.result = cs.items
        proposal.save(update_fields=["status", "decided_at", "decided_by", "result", "payload"])
        return cs.items


def proposal_reject(*, proposal: Proposal, user: Any = None) -> None:
    if proposal.status != ProposalStatus.PENDING:
        return
    cs = ChangeSet(reason=f"proposal {proposal.pk} rejected", user=user)
    cs.update(
        proposal,
        {
            "status": ProposalStatus.REJECTED,
            "decided_at": timezone.now(),
            "decided_by": _user_name(user),
        },
        f"rejected: {proposal.summary}",
    )


def proposals_accept(*, proposals: Iterable[Proposal], user: Any = None) -> int:
    """Bulk accept, oldest first (a new contact before the link that names it); returns count."""
    count = 0
    for proposal in sorted(proposals, key=lambda p: (p.created_at, p.pk)):
        if proposal_accept(proposal=proposal, user=user):
            count += 1
    return count


def proposals_reject(*, proposals: Iterable[Proposal], user: Any = None) -> int:
    count = 0
    for proposal in proposals:
        if proposal.status == ProposalStatus.PENDING:
            proposal_reject(proposal=proposal, user=user)
            count += 1
    return count


def proposal_revert(*, proposal: Proposal, user: Any = None) -> int:
    """Undo what accepting a proposal changed; it goes back to the queue."""
    undone = changes_revert(proposal.result, user=user, reason=f"proposal {proposal.pk} undone")
    proposal.status = ProposalStatus.PENDING
    proposal.decided_at = None
    proposal.result = []
    proposal.save(update_fields=["status", "decided_at", "result"])
    return undone


# --- guessed addresses ------------------------------------------------------------------------


def email_mark_sent(*, address: str, sent_at: datetime | None = None) -> int:
    """The sender notes a delivery; guesses sent long enough ago without a bounce get confirmed
    by :func:`guess_confirm_due`."""
    return EmailAddress.objects.filter(address=normalise_email(address)).update(
        last_sent_at=sent_at or timezone.now()
    )


def guess_confirm_delivered(
    *, address: str, message_ref: str = "", user: Any = None
) -> list[dict[str, Any]]:
    """A delivery to a guessed address did not bounce (or got a reply): the guess is right."""
    cs = ChangeSet(reason=f"delivered without a bounce {message_ref}".strip(), user=user or "rules")
    now = timezone.now()
    for email in EmailAddress.objects.filter(
        address=normalise_email(address), status=EmailStatus.GUESSED
    ):
        cs.update(
            email,
            {
                "status": EmailStatus.VALID,
                "confidence": 1.0,
                "use_for_mailing": True,
                "last_confirmed": now,
            },
            f"guess {email.address} confirmed",
        )
        # The person's other guesses were wrong for this person.
        for other in EmailAddress.objects.filter(
            person_id=email.person_id, status=EmailStatus.GUESSED
        ).exclude(pk=email.pk):
            cs.update(other, {"use_for_mailing": False}, f"guess {other.address} not needed")
        _guess_task_settle(email.person_id, cs, gettext("a mailing confirmed the guess"))
    return cs.items


def _guess_task_settle(person_id: int, changes: ChangeSet, resolution: str) -> None:
    """Close the person's open "verify the guess" task once no guess of theirs is left open."""
    open_tasks = Task.objects.filter(
        person_id=person_id, kind=TaskKind.VERIFY_GUESS, status=TaskStatus.OPEN
    )
    if not open_tasks.exists():
        return
    if EmailAddress.objects.filter(person_id=person_id, status=EmailStatus.GUESSED).exists():
        has_working = EmailAddress.objects.filter(
            person_id=person_id, status__in=[EmailStatus.VALID, EmailStatus.UNVERIFIED]
        ).exists()
        if not has_working:
            return
    for task in open_tasks:
        changes.update(
            task,
            {
                "status": TaskStatus.DONE,
                "closed_at": timezone.now(),
                "closed_by": "rules",
                "resolution": resolution,
            },
            f"task {task.pk} settled",
        )


def guess_confirm_due(*, now: datetime | None = None) -> int:
    """Confirm guesses that were sent at least ``PARTNERNET_GUESS_CONFIRM_DAYS`` ago and have
    not bounced since; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=guess_confirm_days())
    due = EmailAddress.objects.filter(
        status=EmailStatus.GUESSED, last_sent_at__isnull=False, last_sent_at__lte=cutoff
    ).filter(Q(last_bounce_at__isnull=True) | Q(last_bounce_at__lt=F("last_sent_at")))
    count = 0
    for address in set(due.values_list("address", flat=True)):
        if guess_confirm_delivered(address=address):
            count += 1
    return count


def guess_accept(*, email: EmailAddress, user: Any = None) -> None:
    """The user chooses to try a guessed address in the next mailing."""
    ChangeSet(reason="guess chosen for mailing", user=user).update(
        email, {"use_for_mailing": True}, f"try {email.address}"
    )


def guess_discard(*, email: EmailAddress, user: Any = None) -> None:
    if email.status != EmailStatus.GUESSED:
        raise ValueError(gettext("only guesses can be discarded"))
    with transaction.atomic():
        person_id = email.person_id
        audit_record(
            action=ChangeAction.DELETE,
            obj=email,
            changes={"before": snapshot(email)},
            user=user,
            reason="guess discarded",
        )
        email.delete()
        _guess_task_settle(
            person_id,
            ChangeSet(reason="guess discarded", user=user),
            gettext("the guesses were discarded"),
        )


# --- export and erasure (152-FZ, GDPR) --------------------------------------------------------


def _person_objects(person: Person) -> list[tuple[str, list[str]]]:
    return [
        ("contacts.person", [str(person.pk)]),
        ("contacts.emailaddress", [str(pk) for pk in person.emails.values_list("pk", flat=True)]),
        ("contacts.personphone", [str(pk) for pk in person.phones.values_list("pk", flat=True)]),
        (
            "contacts.employmentevent",
            [str(pk) for pk in person.events.values_list("pk", flat=True)],
        ),
        ("contacts.proposal", [str(pk) for pk in person.proposals.values_list("pk", flat=True)]),
        ("contacts.task", [str(pk) for pk in person.tasks.values_list("pk", flat=True)]),
    ]


def person_export(person: Person) -> dict[str, Any]:
    """Everything stored about one person, as JSON-able data (a subject access request)."""
    log = Q(pk__in=[])
    for object_type, ids in _person_objects(person):
        if ids:
            log |= Q(object_type=object_type, object_id__in=ids)
    return {
        "person": {
            **snapshot(person),
            "company": str(person.company) if person.company else None,
            "status_label": str(person.get_status_display()),
            "legal_basis_label": str(person.get_legal_basis_display()),
            "stand_ins": list(person.stand_ins.values_list("full_name", flat=True)),
            "successor": str(person.successor) if person.successor else None,
        },
        "emails": [snapshot(e) for e in person.emails.all()],
        "phones": [snapshot(p) for p in person.phones.all()],
        "history": [snapshot(e) for e in person.events.all()],
        "proposals": [snapshot(p) for p in person.proposals.all()],
        "tasks": [snapshot(t) for t in person.tasks.all()],
        "changes_by_hand": [snapshot(c) for c in person.changes.all()],
        "suppression": [
            {"reason": s.reason, "created_at": s.created_at.isoformat()}
            for s in Suppression.objects.filter(
                value_hash__in=[
                    address_hash(a) for a in person.emails.values_list("address", flat=True)
                ]
            )
        ],
        "change_log": [
            {
                "time": e.time.isoformat(),
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "changes": e.changes,
                "reason": e.reason,
            }
            for e in ChangeLogEntry.objects.filter(log).order_by("time", "id")
        ],
    }


def person_erase(*, person: Person, user: Any = None, reason: str = "") -> dict[str, Any]:
    """Erase a person's data. Their addresses stay on the suppression list as hashes only (never
    mailed again, even when a list brings them back); the change log keeps that an erasure
    happened, without the data, and its older entries about the person are blanked."""
    with transaction.atomic():
        addresses = list(person.emails.values_list("address", flat=True))
        for address in addresses:
            suppression_add(
                value=address, reason=SuppressionReason.ERASED, keep_value=False, user=user
            )
        scrubbed = 0
        for object_type, ids in _person_objects(person):
            if ids:
                scrubbed += ChangeLogEntry.objects.filter(
                    object_type=object_type, object_id__in=ids
                ).update(changes={"erased": True}, object_repr="(erased)")
        # Entries about other objects that quote the person (a proposal naming them as the
        # successor of someone else) are blanked by their text.
        person_id = person.pk
        for proposal in Proposal.objects.filter(
            Q(payload__successor_of=person_id) | Q(payload__stand_in_for=person_id)
        ):
            proposal.delete()
        Task.objects.filter(person=person).delete()
        # A merge record keeps the before/after values of the duplicate it absorbed.
        PersonChange.objects.filter(other_person=person).delete()
        # Other apps holding copies (a mailing's delivery rows) blank them on this signal.
        person_erased.send(sender=Person, person_id=person.pk, addresses=addresses)
        person.delete()
        audit_record(
            action=ChangeAction.DELETE,
            object_type="contacts.person",
            object_id=person_id,
            object_repr="(erased)",
            changes={"erased": True, "addresses": len(addresses), "log_entries_blanked": scrubbed},
            reason=reason or "personal data erased on request",
            user=user,
        )
    return {"person_id": person_id, "addresses_suppressed": len(addresses), "log_blanked": scrubbed}


# The feedback rules, edits by hand, merges and the task rules live in their own modules;
# they are services like the ones above.
from .editing import (  # noqa: E402
    email_edit,
    email_remove,
    person_change_undo,
    person_edit,
    person_email_add,
    person_phone_add,
    person_status_set,
    phone_edit,
    phone_remove,
)
from .feedback import feedback_apply, feedback_revert, unsubscribe_apply  # noqa: E402
from .merging import person_duplicates, person_merge  # noqa: E402
from .upkeep import guess_tasks_open, reverify_tasks_open, tasks_open_due  # noqa: E402

__all__ = [
    "audience_addresses",
    "audience_filter",
    "email_edit",
    "email_remove",
    "feedback_apply",
    "feedback_revert",
    "guess_confirm_delivered",
    "guess_confirm_due",
    "guess_tasks_open",
    "person_change_undo",
    "person_create",
    "person_duplicates",
    "person_edit",
    "person_email_add",
    "person_erase",
    "person_export",
    "person_merge",
    "person_phone_add",
    "person_status_set",
    "phone_edit",
    "phone_remove",
    "reverify_tasks_open",
    "suppression_add",
    "suppression_is_blocked",
    "tasks_open_due",
    "unsubscribe_apply",
]
