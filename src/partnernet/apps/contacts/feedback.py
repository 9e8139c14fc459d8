"""Rules that turn parsed replies to a mailing into contact changes, proposals and tasks.

What a message proves is applied at once: an address bounced or answered, a complaint puts the
address on the suppression list. What it suggests about people (left, on leave, replaced, a new
phone, a stand-in) becomes a *proposal*; in ``mode="apply"`` proposals are accepted straight
away, so both modes leave the same trail. Follow-up work becomes a *task*: find the successor,
check a company whose every address bounces, ask a partner to whitelist our server.

Every message is applied once (keyed by ``message_ref``); its changes are kept with their
before/after values and can be undone with :func:`feedback_revert`.

The rules decide one message at a time; :func:`feedback_apply_many` runs them over a batch
against a :class:`~.feedback_store.RuleStore` (everything the batch refers to read in a few
queries, every write made in one statement per table), with the same result as applying the
messages one by one. :func:`feedback_apply` is a batch of one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Literal

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.apps.audit.services import object_type_of
from partnernet.apps.register.models import Company, CompanyEmail, CompanyPhone
from partnernet.engines.mailfeedback import ExtractedContact, FeedbackResult, RecipientResult
from partnernet.engines.mailfeedback.reasons import RECEPTION_FILTER

from .changes import ChangeSet, batch_of, changes_revert
from .feedback_store import LogRow, RuleStore
from .models import (
    EmailAddress,
    EmailStatus,
    EmploymentStatus,
    FeedbackApplication,
    Person,
    PersonPhone,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Suppression,
    SuppressionReason,
    Task,
    TaskKind,
    address_hash,
)

Mode = Literal["propose", "apply"]

# The mailbox is gone: the person most likely left (sisimai's vocabulary).
LEFT_REASONS = frozenset({"userunknown", "hasmoved", "suspend"})
# The whole mail domain is gone.
DOMAIN_REASONS = frozenset({"hostunknown", "notaccept"})
# Their server refuses our mail: the mailbox may be fine, our server is not welcome.
WHITELIST_REASONS = frozenset(
    {"blocked", "rejected", "policyviolation", "spamdetected", "securityerror", "filtered"}
)


# sisimai labels a bare "User unknown" refused before RCPT as ``filtered`` (a content filter
# may be hiding the real cause). For a contact base the words matter more than the label: a hard
# refusal that says the mailbox does not exist means the person is gone, not that we are blocked.
_MAILBOX_GONE_TEXT = re.compile(
    r"user unknown|unknown user|no such (?:user|mailbox|recipient)|"
    r"mailbox (?:does not exist|not found|unavailable)|recipient (?:not found|unknown)|"
    r"нет такого (?:пользователя|ящика)|пользователь не найден|адрес не существует",
    re.IGNORECASE,
)


def effective_reason(reason: str, *, permanent: bool, diagnostic: str) -> str:
    """The reason the contact rules act on: a permanent ``filtered`` refusal with mailbox-gone
    words is userunknown.

    >>> effective_reason("filtered", permanent=True, diagnostic="550 5.1.1 User unknown")
    'userunknown'
    >>> effective_reason("filtered", permanent=True, diagnostic="550 Message content rejected")
    'filtered'
    """
    text = diagnostic or ""
    if (
        reason == "filtered"
        and permanent
        and _MAILBOX_GONE_TEXT.search(text)
        # au/KDDI's "550 : User unknown" is the recipient's own filter, the mailbox exists
        and not RECEPTION_FILTER.search(text)
    ):
        return "userunknown"
    return reason


def is_permanent(recipient: RecipientResult) -> bool:
    """A refusal the server will repeat: hard in the bounce vocabulary, or a 5xx status or
    reply. (sisimai's vocabulary never calls ``filtered`` hard, though "550 User unknown" after
    DATA is as final as at RCPT; the engine keeps that vocabulary, the rules read the code.)"""
    code = recipient.status or recipient.reply_code or ""
    return recipient.hard or code.startswith("5")


@dataclass
class FeedbackInput:
    """One parsed message to apply (see :func:`feedback_apply` for the fields)."""

    result: FeedbackResult
    message_ref: str
    delivery_address: str | None = None
    received_at: datetime | None = None


class _BatchChangeSet(ChangeSet):
    """A ChangeSet whose saves and log entries wait for the store's flush (one statement per
    table for the whole batch); the change items are the same as with immediate writes."""

    def __init__(self, store: RuleStore, *, reason: str, user: Any, batch: str) -> None:
        super().__init__(reason=reason, user=user, batch=batch)
        self.store = store
        self._now = timezone.now()
        self._who = _user_fields(user)

    def _entry(self, action: str, obj: models.Model, changes: dict[str, Any]) -> LogRow:
        return LogRow(
            time=self._now,
            user_id=self._who["user"].pk if self._who["user"] is not None else None,
            user_name=self._who["user_name"],
            action=action,
            object_type=object_type_of(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:500],
            changes=changes,
            reason=self.reason,
            batch=self.batch,
        )

    def _before_update(self, obj: models.Model, values: dict[str, Any]) -> None:
        if isinstance(obj, EmailAddress) and "status" in values and values["status"] != obj.status:
            self.store.email_status_changed(obj, obj.status, values["status"])

    def _save(self, obj: models.Model, fields: list[str]) -> None:
        self.store.changed(obj, fields)

    def _record(
        self, action: str, obj: models.Model, changes: dict[str, Any], item: dict[str, Any]
    ) -> None:
        self.store.log(obj, item, self._entry(action, obj, changes))

    def m2m_add(self, obj: models.Model, field: str, target: models.Model, summary: str) -> None:
        raise NotImplementedError("the rules propose links; accepting a proposal makes them")


def _user_fields(user: Any) -> dict[str, Any]:
    if user is not None and getattr(user, "is_authenticated", False):
        return {"user": user, "user_name": user.get_username()[:150]}
    return {"user": None, "user_name": str(user or "")[:150]}


@dataclass
class _Run:
    result: FeedbackResult
    ref: str
    when: datetime
    mode: Mode
    cs: ChangeSet
    store: RuleStore
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def day(self) -> date:
        return timezone.localdate(self.when) if timezone.is_aware(self.when) else self.when.date()


def feedback_apply(
    *,
    result: FeedbackResult,
    message_ref: str,
    delivery_address: str | None = None,
    received_at: datetime | None = None,
    mode: Mode = "propose",
    user: Any = None,
) -> list[dict[str, Any]]:
    """Apply one parsed message; returns the changes made (empty when it was applied before).

    ``message_ref`` identifies the stored message (its id or Message-ID); ``delivery_address`` is
    the address our delivery went to when the VERP return path tells it (more reliable than what
    the bounce quotes). Each change is ``{"op": "create"|"update"|"m2m_add", "object_type",
    "object_id", "summary", "before", "after"}``.
    """
    item = FeedbackInput(
        result=result,
        message_ref=message_ref,
        delivery_address=delivery_address,
        received_at=received_at,
    )
    try:
        with transaction.atomic():
            return feedback_apply_many(items=[item], mode=mode, user=user)[0]
    except IntegrityError:
        # Another worker applied the same message at the same moment.
        if FeedbackApplication.objects.filter(message_ref=message_ref).exists():
            return []
        raise


def _message_addresses(item: FeedbackInput) -> set[str]:
    """Every address a message's rules may look up (loaded for the batch in one go)."""
    result = item.result
    found = [item.delivery_address, result.from_address, *(result.original_to or [])]
    found += [r.address for r in result.recipients]
    if result.autoreply is not None:
        found.append(result.autoreply.sender)
    if result.feedback is not None:
        found.append(result.feedback.original_recipient)
    return {normalise_email(a) for a in found if a and "@" in a}


def feedback_apply_many(
    *, items: Sequence[FeedbackInput], mode: Mode = "propose", user: Any = None
) -> list[list[dict[str, Any]]]:
    """Apply parsed messages in order, in one transaction; the changes of each (empty for one
    applied before). The result is the same as applying them one by one with
    :func:`feedback_apply`: every message sees what the earlier ones changed. An error in any
    message rolls back the whole batch (the caller may then apply the messages one by one)."""
    if mode not in ("propose", "apply"):
        raise ValueError(f"mode must be 'propose' or 'apply', not {mode!r}")
    if any(not item.message_ref for item in items):
        raise ValueError("message_ref is required (it makes applying idempotent)")
    out: list[list[dict[str, Any]]] = []
    with transaction.atomic():
        store = RuleStore()
        store.load_applied(item.message_ref for item in items)
        addresses = set().union(*(_message_addresses(item) for item in items)) if items else set()
        contacts = [
            (contact.email or "", contact.name or "")
            for item in items
            if item.result.autoreply is not None
            for contact in item.result.autoreply.contacts
        ]
        store.load(addresses, {_domain(a) for a in addresses}, contacts)
        for item in items:
            out.append(_apply_one(store, item, mode, user))
        store.flush()
    return out


def _apply_one(
    store: RuleStore, item: FeedbackInput, mode: Mode, user: Any
) -> list[dict[str, Any]]:
    ref = item.message_ref
    if ref in store.applied_refs:
        return []
    result = item.result
    run = _Run(
        result=result,
        ref=ref,
        when=item.received_at or timezone.now(),
        mode=mode,
        cs=_BatchChangeSet(
            store,
            reason=_("reply to a mailing: %(ref)s") % {"ref": ref},
            user=user or "mail feedback",
            batch=ref,
        ),
        store=store,
    )
    if result.kind == "bounce" and not result.delayed:
        _apply_bounce(run, item.delivery_address)
    elif result.kind == "autoreply" and result.autoreply is not None:
        _apply_autoreply(run, item.delivery_address)
    elif result.kind == "feedback":
        _apply_complaint(run, item.delivery_address)
    if mode == "apply" and run.proposals:
        # Accepting writes through the services: everything so far goes to the database first,
        # and what the store read is read again afterwards.
        store.flush()
        for proposal in run.proposals:
            run.cs.items.extend(proposal_accept(proposal=proposal, user=user or "rules"))
        store.reset()
    # Its unique message_ref makes a concurrent second run fail and roll back.
    store.applied(
        FeedbackApplication(
            message_ref=ref,
            mode=mode,
            kind=result.kind,
            applied_at=timezone.now(),
            changes=run.cs.items,
        )
    )
    return run.cs.items


def feedback_revert(*, message_ref: str, user: Any = None) -> int:
    """Undo what one message changed (and what accepting its proposals changed)."""
    record = FeedbackApplication.objects.get(message_ref=message_ref)
    undone = 0
    with transaction.atomic():
        for proposal in Proposal.objects.filter(
            message_ref=message_ref, status=ProposalStatus.ACCEPTED
        ):
            undone += changes_revert(proposal.result, user=user, reason=f"undo {message_ref}")
            proposal.result = []
            proposal.save(update_fields=["result"])
        own = [
            item
            for item in record.changes
            if not (item["object_type"] == "contacts.proposal" and item["op"] == "update")
        ]
        undone += changes_revert(own, user=user, reason=f"undo {message_ref}")
        record.delete()
    return undone


# --- writes the rules make (through the batch's store) -----------------------------------------


@lru_cache(maxsize=100_000)
def _domain(address: str) -> str:
    return email_domain(address)


def _task_open(
    run: _Run,
    *,
    kind: str,
    key: str,
    title: str,
    company: Company | None = None,
    person: Person | None = None,
    payload: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
) -> Task:
    """Open a task, or add the message to the open task of the same subject (as
    ``services.task_open``; the payload function runs only for a new task)."""
    existing = run.store.open_task(key)
    if existing is not None:
        messages = list(existing.payload.get("messages", []))
        if run.ref and run.ref not in messages:
            new_payload = {**existing.payload, "messages": [*messages, run.ref]}
            run.cs.update(existing, {"payload": new_payload}, f"more evidence: {title}")
        return existing
    data = dict((payload() if callable(payload) else payload) or {})
    data["messages"] = [run.ref] if run.ref else []
    task = Task(
        kind=kind,
        key=key[:300],
        title=title[:500],
        company=company,
        person=person,
        payload=data,
        created_from=run.ref[:300],
    )
    run.store.create(task)
    run.cs.created(task, f"task: {title}")
    return task


def _proposal_create(
    run: _Run,
    *,
    kind: str,
    summary: str,
    payload: dict[str, Any],
    person: Person | None = None,
    company: Company | None = None,
) -> None:
    """Queue a proposal unless the same one is pending (as ``services.proposal_create``)."""
    if payload in run.store.pending_payloads(kind, person, company):
        return
    proposal = Proposal(
        kind=kind,
        person=person,
        company=company,
        summary=summary[:500],
        payload=payload,
        message_ref=run.ref[:300],
    )
    run.store.create(proposal)
    run.cs.created(proposal, f"proposal: {summary}")
    run.proposals.append(proposal)


def _suppress(run: _Run, *, value: str, reason: str, source: str) -> None:
    """Put an address on the suppression list unless it is there (as
    ``services.suppression_add``)."""
    normal = normalise_email(value)
    digest = address_hash(normal)
    if run.store.suppression(digest) is not None:
        return
    entry = Suppression(
        is_domain="@" not in normal,
        value=normal,
        value_hash=digest,
        reason=reason,
        source=source,
        message_ref=run.ref,
    )
    run.store.create(entry)
    run.cs.created(entry, f"suppressed {entry} ({entry.get_reason_display()})")


# --- lookups ----------------------------------------------------------------------------------


def _other_channels(company: Company | None, domain: str, exclude: set[int]) -> dict[str, Any]:
    """Ways to reach a partner when mail to its domain does not get through."""
    channels: dict[str, Any] = {"company_phones": [], "company_emails": [], "people": []}
    if company is None:
        return channels
    channels["company_phones"] = list(
        CompanyPhone.objects.filter(company=company).values_list("number", flat=True)[:10]
    )
    channels["company_emails"] = [
        a
        for a in CompanyEmail.objects.filter(company=company).values_list("address", flat=True)
        if not a.endswith("@" + domain)
    ][:10]
    # Plain rows, not objects: a new whitelist task per partner, and its people, phones and
    # addresses in the order the models give them (as prefetch_related read them).
    people = list(
        Person.objects.filter(company=company)
        .exclude(status=EmploymentStatus.LEFT)
        .exclude(pk__in=exclude)
        .values_list("pk", "full_name", "position")[:20]
    )
    ids = [pk for pk, _name, _position in people]
    phones: dict[int, list[str]] = {pk: [] for pk in ids}
    for pid, number in PersonPhone.objects.filter(person_id__in=ids).values_list(
        "person_id", "number"
    ):
        phones[pid].append(number)
    other_mail: dict[int, list[str]] = {pk: [] for pk in ids}
    for pid, address, email_domain_ in EmailAddress.objects.filter(person_id__in=ids).values_list(
        "person_id", "address", "domain"
    ):
        if email_domain_ != domain:
            other_mail[pid].append(address)
    for pk, full_name, position in people:
        if phones[pk] or other_mail[pk]:
            channels["people"].append(
                {
                    "id": pk,
                    "name": full_name,
                    "position": position,
                    "phones": phones[pk],
                    "emails": other_mail[pk],
                }
            )
    if company.primary_domain:
        channels["website"] = company.primary_domain
    return channels


# --- bounces ----------------------------------------------------------------------------------


def _bounce_targets(run: _Run, delivery_address: str | None) -> list[tuple[str, RecipientResult]]:
    failed = [
        r
        for r in run.result.recipients
        if (r.action or "failed") not in ("delayed", "delivered", "relayed", "expanded")
    ]
    if delivery_address:
        wanted = normalise_email(delivery_address)
        for r in failed:
            if normalise_email(r.address) == wanted:
                return [(wanted, r)]
        # VERP names the delivery; the bounce may quote a rewritten or forwarded address.
        if len(failed) == 1:
            return [(wanted, failed[0])]
        if not failed:
            return []
    return [(normalise_email(r.address), r) for r in failed if r.address]


def _apply_bounce(run: _Run, delivery_address: str | None) -> None:
    for address, recipient in _bounce_targets(run, delivery_address):
        permanent = is_permanent(recipient)
        reason = effective_reason(
            recipient.reason or "", permanent=permanent, diagnostic=recipient.diagnostic or ""
        )
        emails = run.store.emails_of(normalise_email(address))
        domain = _domain(address)
        if reason in LEFT_REASONS and (permanent or reason == "suspend"):
            for email in emails:
                _mailbox_gone(run, email, recipient)
        elif reason in DOMAIN_REASONS:
            for email in emails:
                _record_bounce(run, email, recipient, dead=True)
            owner = next((e.person.company for e in emails if e.person.company_id), None)
            _company_check(
                run,
                owner or run.store.company_of_domain(domain),
                domain,
                _("the mail domain %(domain)s does not receive mail (%(reason)s)")
                % {"domain": domain, "reason": reason},
            )
        elif reason in WHITELIST_REASONS:
            for email in emails:
                _record_bounce(run, email, recipient, dead=False)
            _ask_whitelist(run, emails, domain, recipient)
        else:
            for email in emails:
                _record_bounce(run, email, recipient, dead=False)


def _record_bounce(
    run: _Run, email: EmailAddress, recipient: RecipientResult, *, dead: bool
) -> None:
    values: dict[str, Any] = {
        "last_bounce_reason": (recipient.reason or "")[:40],
        "last_bounce_at": run.when,
    }
    if dead:
        values["bounce_count"] = email.bounce_count + 1
        values["status"] = EmailStatus.BOUNCED
    else:
        values["soft_bounce_count"] = email.soft_bounce_count + 1
    run.cs.update(email, values, f"{email.address}: bounce ({recipient.reason})")


def _mailbox_gone(run: _Run, email: EmailAddress, recipient: RecipientResult) -> None:
    person = email.person
    if email.status == EmailStatus.GUESSED:
        # A wrong guess, not a departure: the domain's model learns it from the bounced guess.
        run.cs.update(
            email,
            {
                "status": EmailStatus.BOUNCED,
                "use_for_mailing": False,
                "bounce_count": email.bounce_count + 1,
                "last_bounce_reason": recipient.reason[:40],
                "last_bounce_at": run.when,
            },
            f"guess {email.address} rejected ({recipient.reason})",
        )
        return
    count = email.bounce_count + 1
    dead = count >= left_after_bounces()
    values: dict[str, Any] = {
        "bounce_count": count,
        "last_bounce_reason": recipient.reason[:40],
        "last_bounce_at": run.when,
    }
    if dead:
        values["status"] = EmailStatus.BOUNCED
    run.cs.update(email, values, f"{email.address}: mailbox gone ({recipient.reason})")
    if not dead:
        return
    still_reachable = any(
        other.pk != email.pk and other.status not in (EmailStatus.BOUNCED, EmailStatus.GUESSED)
        for other in run.store.person_emails(person)
    )
    if not still_reachable and person.status != EmploymentStatus.LEFT:
        _proposal_create(
            run,
            kind=ProposalKind.MARK_LEFT,
            person=person,
            company=person.company,
            summary=_("%(person)s has probably left: %(address)s no longer exists")
            % {"person": person, "address": email.address},
            payload={
                "date": run.day.isoformat(),
                "note": f"{recipient.reason} {recipient.status or ''} {recipient.diagnostic}"[
                    :400
                ].strip(),
            },
        )
        if person.successor_id is None:
            _task_open(
                run,
                kind=TaskKind.FIND_SUCCESSOR,
                key=f"find_successor:person:{person.pk}",
                title=_("Find who replaced %(person)s") % {"person": person}
                + (f" ({person.company})" if person.company else ""),
                company=person.company,
                person=person,
                payload={"address": email.address, "reason": recipient.reason},
            )
    company = person.company
    if company is not None:
        known, alive = run.store.company_counts(company)
        if known and not alive:
            _company_check(
                run,
                company,
                email.domain,
                _("every known address at %(company)s bounces") % {"company": company},
            )


def _company_check(run: _Run, company: Company | None, domain: str, why: str) -> None:
    if company is None:
        return
    _task_open(
        run,
        kind=TaskKind.COMPANY_CHECK,
        key=f"company_check:company:{company.pk}",
        title=_("Check whether %(company)s still exists: %(why)s")
        % {"company": company, "why": why},
        company=company,
        payload=lambda: {
            "why": why,
            "domain": domain,
            "inn": company.inn if company.inn_valid else "",
            "website": company.primary_domain,
            "bounced_addresses": _bounced_addresses(run, company),
        },
    )


def _bounced_addresses(run: _Run, company: Company) -> list[str]:
    # Read in the model's order (people by name), after writing what the batch changed so far:
    # a new company-check task is rare, and this keeps the list exactly as one-by-one gives it.
    run.store.flush()
    return list(
        EmailAddress.objects.filter(
            person__company=company, status=EmailStatus.BOUNCED
        ).values_list("address", flat=True)[:50]
    )


def _ask_whitelist(
    run: _Run, emails: list[EmailAddress], domain: str, recipient: RecipientResult
) -> None:
    company = next((e.person.company for e in emails if e.person.company), None)
    company = company or run.store.company_of_domain(domain)
    if company is None and not emails:
        return
    subject = f"company:{company.pk}" if company else f"domain:{domain}"
    _task_open(
        run,
        kind=TaskKind.ASK_WHITELIST,
        key=f"ask_whitelist:{subject}",
        title=_("Ask %(who)s to whitelist our mail server") % {"who": company or domain},
        company=company,
        person=emails[0].person if emails else None,
        payload=lambda: {
            "domain": domain,
            "reason": recipient.reason,
            "status": recipient.status,
            "diagnostic": recipient.diagnostic[:1000],
            "remote_mta": recipient.remote_mta,
            "channels": _other_channels(company, domain, {e.person_id for e in emails}),
        },
    )


# --- auto-replies -----------------------------------------------------------------------------


def _autoreply_address(run: _Run, delivery_address: str | None) -> str:
    auto = run.result.autoreply
    for candidate in (
        delivery_address,
        auto.sender if auto else None,
        run.result.from_address,
        *(run.result.original_to or []),
    ):
        if candidate and "@" in candidate:
            return normalise_email(candidate)
    return ""


def _apply_autoreply(run: _Run, delivery_address: str | None) -> None:
    auto = run.result.autoreply
    assert auto is not None
    address = _autoreply_address(run, delivery_address)
    emails = run.store.emails_of(address) if address else []
    # An answer proves the mailbox exists: a guess is confirmed, a bounce count forgotten.
    for email in emails:
        values: dict[str, Any] = {"last_confirmed": run.when}
        if email.status != EmailStatus.VALID:
            values["status"] = EmailStatus.VALID
        if email.status == EmailStatus.GUESSED:
            values["confidence"] = 1.0
            values["use_for_mailing"] = True
        run.cs.update(email, values, f"{email.address} answered")
    people = list({e.person_id: e.person for e in emails}.values())
    domain = _domain(address) if address else ""
    company = next((p.company for p in people if p.company), None) or run.store.company_of_domain(
        domain
    )
    if company is not None and people and company.last_confirmed < run.when:
        # Someone there answered from the company's mail server: the company is alive.
        run.cs.update(company, {"last_confirmed": run.when}, f"{company} answered")
    if not people:
        # Nobody we know wrote back; a named replacement at a known company is still worth it.
        if company is not None and auto.type in ("left", "moved"):
            for contact in auto.contacts:
                if contact.role != "sender":
                    _propose_contact(run, contact, company, None, None)
        return
    for person in people:
        if auto.type == "vacation":
            _vacation(run, person, company)
        elif auto.type in ("left", "moved"):
            _left(run, person, company, address)
        else:
            if person.status == EmploymentStatus.ACTIVE:
                run.cs.update(person, {"last_confirmed": run.when}, f"{person} answered")
            _phones(run, person, auto.phones)


def _phones(run: _Run, person: Person, numbers: list[str]) -> None:
    from .services import phone_kind

    known = run.store.phones(person)
    for number in numbers:
        if number in known:
            continue
        kind = phone_kind(number)
        _proposal_create(
            run,
            kind=ProposalKind.NEW_PHONE,
            person=person,
            company=person.company,
            summary=_("%(person)s: phone %(number)s") % {"person": person, "number": number},
            payload={"number": number, "kind": kind},
        )


def _vacation(run: _Run, person: Person, company: Company | None) -> None:
    auto = run.result.autoreply
    assert auto is not None
    run.cs.update(person, {"last_confirmed": run.when}, f"{person} answered")
    until = auto.until
    if until is None or until > run.day:
        _proposal_create(
            run,
            kind=ProposalKind.ON_LEAVE,
            person=person,
            company=company,
            summary=_("%(person)s is away until %(until)s")
            % {"person": person, "until": until.strftime("%d.%m.%Y") if until else "?"},
            payload={
                "date": run.day.isoformat(),
                "until": until.isoformat() if until else None,
            },
        )
    own_phones = list(auto.phones)
    for contact in auto.contacts:
        if contact.role == "sender":
            own_phones.extend(contact.phones)
        else:
            _propose_contact(run, contact, company, None, person)
    _phones(run, person, list(dict.fromkeys(own_phones)))


def _left(run: _Run, person: Person, company: Company | None, address: str) -> None:
    auto = run.result.autoreply
    assert auto is not None
    domain = _domain(address)
    new_address = normalise_email(auto.new_address or "")
    if auto.type == "moved" and new_address and _domain(new_address) == domain:
        # Same company, new mailbox: the person stays, the address changes.
        _proposal_create(
            run,
            kind=ProposalKind.NEW_ADDRESS,
            person=person,
            company=company,
            summary=_("%(person)s now writes from %(address)s")
            % {"person": person, "address": new_address},
            payload={"address": new_address},
        )
        return
    replacements = [c for c in auto.contacts if c.role != "sender"]
    if person.status != EmploymentStatus.LEFT:
        _proposal_create(
            run,
            kind=ProposalKind.MARK_LEFT,
            person=person,
            company=company,
            summary=_("%(person)s has left (auto-reply)") % {"person": person},
            payload={
                "date": run.day.isoformat(),
                "note": (f"new address {new_address}" if new_address else "")
                or (auto.subject or "")[:200],
            },
        )
    for contact in replacements:
        _propose_contact(run, contact, company, person, None)
    if not replacements and person.successor_id is None:
        _task_open(
            run,
            kind=TaskKind.FIND_SUCCESSOR,
            key=f"find_successor:person:{person.pk}",
            title=_("Find who replaced %(person)s") % {"person": person}
            + (f" ({company})" if company else ""),
            company=company,
            person=person,
            payload={"address": address, "reason": f"auto-reply: {auto.type}"},
        )


def _propose_contact(
    run: _Run,
    contact: ExtractedContact,
    company: Company | None,
    successor_of: Person | None,
    stand_in_for: Person | None,
) -> None:
    """A person named in an auto-reply: link them when we know them, else propose them."""
    if not (contact.name or contact.email):
        return
    known = run.store.find_person(company, contact.email, contact.name)
    if known is not None and successor_of is not None and known.pk != successor_of.pk:
        if successor_of.successor_id != known.pk:
            _proposal_create(
                run,
                kind=ProposalKind.SUCCESSOR,
                person=successor_of,
                company=company,
                summary=_("%(new)s replaces %(old)s") % {"new": known, "old": successor_of},
                payload={"successor_id": known.pk},
            )
        return
    if known is not None and stand_in_for is not None and known.pk != stand_in_for.pk:
        if not run.store.is_stand_in(stand_in_for, known):
            _proposal_create(
                run,
                kind=ProposalKind.STAND_IN,
                person=stand_in_for,
                company=company,
                summary=_("%(who)s stands in for %(absent)s")
                % {"who": known, "absent": stand_in_for},
                payload={"stand_in_id": known.pk},
            )
        return
    if known is not None:
        return
    label = contact.name or contact.email or ""
    if successor_of is not None:
        summary = _("New contact %(name)s replaces %(old)s") % {"name": label, "old": successor_of}
    elif stand_in_for is not None:
        summary = _("New contact %(name)s stands in for %(absent)s") % {
            "name": label,
            "absent": stand_in_for,
        }
    else:
        summary = _("New contact %(name)s") % {"name": label}
    _proposal_create(
        run,
        kind=ProposalKind.NEW_CONTACT,
        person=None,
        company=company,
        summary=summary,
        payload={
            "full_name": contact.name or "",
            "email": normalise_email(contact.email or "") or None,
            "phones": list(contact.phones),
            "position": contact.position or "",
            "company_id": company.pk if company else None,
            "successor_of": successor_of.pk if successor_of else None,
            "stand_in_for": stand_in_for.pk if stand_in_for else None,
            "date": run.day.isoformat(),
        },
    )


# --- complaints -------------------------------------------------------------------------------


def _apply_complaint(run: _Run, delivery_address: str | None) -> None:
    fb = run.result.feedback
    address = normalise_email(
        delivery_address
        or (fb.original_recipient if fb else None)
        or next(iter(run.result.original_to or []), "")
    )
    if not address or "@" not in address:
        return
    # The law and the mailbox providers expect a complaint to stop mail at once: no review.
    # An ARF report of type "unsubscribe" is a wish to stop, not a complaint.
    unsubscribe = bool(fb and fb.type == "unsubscribe")
    _suppress(
        run,
        value=address,
        reason=SuppressionReason.UNSUBSCRIBED if unsubscribe else SuppressionReason.COMPLAINED,
        source=_("complaint (%(type)s)") % {"type": fb.type if fb else "abuse"},
    )


def unsubscribe_apply(*, address: str, message_ref: str = "", user: Any = None) -> bool:
    """An unsubscribe (link, List-Unsubscribe POST, reply): suppress the address; True when new."""
    cs = ChangeSet(
        reason=f"unsubscribe {message_ref}".strip(),
        user=user or "unsubscribe",
        batch=batch_of(message_ref) if message_ref else "",
    )
    _entry, created = suppression_add(
        value=address,
        reason=SuppressionReason.UNSUBSCRIBED,
        source=_("unsubscribed"),
        message_ref=message_ref,
        changes=cs,
    )
    return created


# Imported last: services re-exports this module's functions, so either may be imported first.
from .services import (  # noqa: E402
    email_domain,
    left_after_bounces,
    normalise_email,
    proposal_accept,
    suppression_add,
)
