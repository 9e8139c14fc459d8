"""Duplicates of one person: find them, merge two into the one the user keeps, and un-merge.

A merge keeps everything: the duplicate's addresses, phones, employment history, proposals,
tasks, delivery links (and any other app's rows that point at a person) move to the survivor.
An address or phone both have becomes one row with the combined evidence. The duplicate stays as
a hidden record (``merged_into``) so that old links and the change log still lead somewhere.
Every step is a recorded change, so :func:`~.editing.person_change_undo` un-merges: what nobody
changed since goes back to the duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from partnernet.apps.audit.models import ChangeAction
from partnernet.apps.audit.services import audit_record
from partnernet.engines.names.diminutives import same_first_name
from partnernet.engines.names.person import parse_person_name

from .changes import ChangeSet
from .editing import _record
from .models import (
    EmailAddress,
    EmailStatus,
    EmploymentStatus,
    LegalBasis,
    Person,
    PersonChange,
    PersonChangeKind,
    PersonPhone,
    PhoneKind,
    Proposal,
)
from .services import _name_key

# Which of two rows of the same address tells the truth when neither has dated evidence.
_STATUS_RANK = {
    EmailStatus.VALID: 3,
    EmailStatus.UNVERIFIED: 2,
    EmailStatus.GUESSED: 1,
    EmailStatus.BOUNCED: 0,
}
# Proposal payload keys that name a person by id.
_PAYLOAD_PEOPLE = ("successor_of", "stand_in_for", "successor_id", "stand_in_id")


# --- likely duplicates ------------------------------------------------------------------------


@dataclass
class Duplicate:
    person: Person
    reasons: list[str] = field(default_factory=list)


def _name_parts(person: Person) -> tuple[str, str, str] | None:
    """(surname, first name, patronymic) as the name key writes them (lower case, ё as е), a
    part the key lacks taken as its initial from the full name ("Тарасенко А. В."), or None
    without a surname and a first name or initial."""
    parts = person.name_key.split("|")
    if len(parts) != 3 or not parts[0]:
        return None
    surname, first, patronymic = parts
    if not first or not patronymic:
        parsed = parse_person_name(person.full_name or "")
        if parsed is not None and parsed.last.lower().replace("ё", "е") == surname:
            first = first or (parsed.first_initial or "").lower().replace("ё", "е")
            patronymic = patronymic or (parsed.patronymic_initial or "").lower().replace("ё", "е")
    return (surname, first, patronymic) if first else None


def _same_or_initial(a: str, b: str) -> bool:
    """Two first names or patronymics that may be the same: equal, one missing, or one an
    initial of the other ("а" and "андрей")."""
    if not a or not b or a == b:
        return True
    return (len(a) == 1 or len(b) == 1) and a[0] == b[0]


def _name_match(mine: tuple[str, str, str], theirs: tuple[str, str, str]) -> str | None:
    """Why two names at one company may be one person, or None."""
    if not _same_or_initial(mine[2], theirs[2]):
        return None
    if mine[1] == theirs[1] and len(mine[1]) > 1:
        return _("same name at the same company")
    if _same_or_initial(mine[1], theirs[1]):
        return _("same surname and initials at the same company")
    if same_first_name(mine[1], theirs[1]):
        return _("same surname, the first name in a short form, at the same company")
    return None


def person_duplicates(person: Person) -> list[Duplicate]:
    """People who are probably the same as ``person``: the same surname at the same company with
    the same first name and patronymic, where either may be missing or written as an initial on
    one side ("Тарасенко А. В." and "Тарасенко Андрей"), the first name also in its everyday
    short form ("Саша" for Александр), or an e-mail address in common."""
    found: dict[int, Duplicate] = {}
    live = Person.objects.filter(merged_into__isnull=True).exclude(pk=person.pk)
    mine = _name_parts(person)
    if mine is not None and person.company_id is not None:
        for other in live.filter(company_id=person.company_id, name_key__startswith=f"{mine[0]}|"):
            theirs = _name_parts(other)
            why = _name_match(mine, theirs) if theirs is not None else None
            if why is not None:
                found.setdefault(other.pk, Duplicate(other)).reasons.append(why)
    addresses = list(person.emails.values_list("address", flat=True))
    if addresses:
        shared: dict[int, list[str]] = {}
        for pk, address in EmailAddress.objects.filter(
            address__in=addresses, person__in=live
        ).values_list("person_id", "address"):
            shared.setdefault(pk, []).append(address)
        others = live.in_bulk(list(shared))
        for pk, common in shared.items():
            found.setdefault(pk, Duplicate(others[pk])).reasons.append(
                _("same address %(address)s") % {"address": ", ".join(sorted(common))}
            )
    return sorted(found.values(), key=lambda d: (str(d.person), d.person.pk))


# --- merge ------------------------------------------------------------------------------------


def _joined(*values: str, limit: int = 300) -> str:
    parts: list[str] = []
    for value in values:
        for part in (value or "").split("; "):
            if part and part not in parts:
                parts.append(part)
    return "; ".join(parts)[:limit]


def _earliest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _evidence(email: EmailAddress) -> tuple[datetime | None, int]:
    return _latest(email.last_confirmed, email.last_bounce_at), _STATUS_RANK[
        EmailStatus(email.status)
    ]


def _combined_email(kept: EmailAddress, other: EmailAddress) -> dict[str, Any]:
    """One row for an address both people had: the status of the row with the newest evidence
    (a confirmation or a bounce), the counts added up, the dates widened."""
    kept_time, kept_rank = _evidence(kept)
    other_time, other_rank = _evidence(other)
    if kept_time is None and other_time is None:
        newer = other if other_rank > kept_rank else kept
    elif other_time is not None and (kept_time is None or other_time > kept_time):
        newer = other
    else:
        newer = kept
    bounce_at = _latest(kept.last_bounce_at, other.last_bounce_at)
    confidences = [c for c in (kept.confidence, other.confidence) if c is not None]
    return {
        "status": newer.status,
        "use_for_mailing": newer.use_for_mailing,
        "confidence": max(confidences) if confidences else None,
        "guess_explanation": kept.guess_explanation or other.guess_explanation,
        "source": _joined(kept.source, other.source),
        "first_seen": _earliest(kept.first_seen, other.first_seen),
        "last_confirmed": _latest(kept.last_confirmed, other.last_confirmed),
        "last_sent_at": _latest(kept.last_sent_at, other.last_sent_at),
        "bounce_count": kept.bounce_count + other.bounce_count,
        "soft_bounce_count": kept.soft_bounce_count + other.soft_bounce_count,
        "last_bounce_at": bounce_at,
        "last_bounce_reason": (
            other.last_bounce_reason
            if bounce_at is not None and bounce_at == other.last_bounce_at
            else kept.last_bounce_reason
        ),
    }


def _repoint(cs: ChangeSet, old: models.Model, new: models.Model, summary: str) -> None:
    """Rows of other tables that point at ``old`` (a delivery at an address) point at ``new``."""
    for relation in old._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        manager = relation.related_model._default_manager  # type: ignore[union-attr]
        for row in manager.filter(**{relation.field.name: old}):
            cs.update(row, {relation.field.attname: new.pk}, summary)


def _survivor_values(survivor: Person, absorbed: Person) -> dict[str, Any]:
    """What the survivor takes from the duplicate: blanks filled, sources and notes joined,
    the widest dates; its own status and legal basis stay unless they say less."""
    values: dict[str, Any] = {}
    for name in ("company_id", "position", "surname", "first_name", "patronymic", "full_name"):
        if not getattr(survivor, name) and getattr(absorbed, name):
            values[name] = getattr(absorbed, name)
    if {"surname", "first_name", "patronymic"} & set(values):
        values["name_key"] = _name_key(
            *(values.get(k, getattr(survivor, k)) for k in ("surname", "first_name", "patronymic"))
        )
    values["source"] = _joined(survivor.source, absorbed.source)
    if absorbed.notes and absorbed.notes not in survivor.notes:
        values["notes"] = "\n\n".join(n for n in (survivor.notes, absorbed.notes) if n)
    values["first_seen"] = min(survivor.first_seen, absorbed.first_seen)
    values["last_confirmed"] = max(survivor.last_confirmed, absorbed.last_confirmed)
    if survivor.status == EmploymentStatus.UNKNOWN and absorbed.status != EmploymentStatus.UNKNOWN:
        values["status"] = absorbed.status
        values["on_leave_until"] = absorbed.on_leave_until
        values["left_on"] = absorbed.left_on
    # Consent is the one basis that must not be lost: it was asked for and given.
    if absorbed.legal_basis == LegalBasis.CONSENT:
        values["legal_basis"] = LegalBasis.CONSENT
    if (
        survivor.successor_id is None
        and absorbed.successor_id is not None
        and absorbed.successor_id != survivor.pk
    ):
        values["successor_id"] = absorbed.successor_id
    if survivor.successor_id == absorbed.pk:
        values["successor_id"] = None
    return values


def person_merge(
    *, survivor: Person, absorbed: Person, user: Any = None, reason: str = ""
) -> PersonChange:
    """Merge ``absorbed`` into ``survivor`` (the one the user keeps); see the module doc."""
    if survivor.pk == absorbed.pk:
        raise ValidationError(_("A contact cannot be merged with itself."))
    with transaction.atomic():
        locked = Person.objects.select_for_update().in_bulk([survivor.pk, absorbed.pk])
        survivor, absorbed = locked[survivor.pk], locked[absorbed.pk]
        for person in (survivor, absorbed):
            if person.merged_into_id is not None:
                raise ValidationError(
                    _("%(person)s was already merged into another contact.") % {"person": person}
                )
        cs = ChangeSet(
            reason=reason or f"duplicate {absorbed.pk} merged into {survivor.pk}",
            user=user,
            batch=f"merge:{absorbed.pk}:{survivor.pk}",
        )
        label = f"merge {absorbed.pk} into {survivor.pk}"
        _merge_emails(cs, survivor, absorbed, label)
        _merge_phones(cs, survivor, absorbed, label)
        _move_rows(cs, survivor, absorbed, label)
        _merge_links(cs, survivor, absorbed, label)
        cs.update(survivor, _survivor_values(survivor, absorbed), f"{label}: {survivor} completed")
        cs.update(
            absorbed,
            # The blank key keeps imports and replies from finding the hidden duplicate by name.
            {"merged_into_id": survivor.pk, "name_key": ""},
            f"{label}: {absorbed} merged",
        )
        audit_record(
            action=ChangeAction.MERGE,
            obj=survivor,
            changes={"merged": [absorbed.pk, survivor.pk], "changes": len(cs.items)},
            reason=reason,
            user=user,
            batch=cs.batch,
        )
        change = _record(
            kind=PersonChangeKind.MERGE,
            person=survivor,
            cs=cs,
            summary=_("%(absorbed)s (#%(id)d) merged into %(survivor)s")
            % {"absorbed": absorbed, "id": absorbed.pk, "survivor": survivor},
            reason=reason,
            user=user,
        )
        assert change is not None
        change.other_person = absorbed
        change.save(update_fields=["other_person"])
    return change


def _merge_emails(cs: ChangeSet, survivor: Person, absorbed: Person, label: str) -> None:
    kept = {e.address: e for e in EmailAddress.objects.filter(person=survivor)}
    for email in EmailAddress.objects.filter(person=absorbed).order_by("id"):
        twin = kept.get(email.address)
        if twin is None:
            cs.update(email, {"person_id": survivor.pk}, f"{label}: address {email.address}")
            continue
        cs.update(twin, _combined_email(twin, email), f"{label}: address {email.address} joined")
        _repoint(cs, email, twin, f"{label}: link to {email.address}")
        cs.delete(email, f"{label}: second row of {email.address}")


def _merge_phones(cs: ChangeSet, survivor: Person, absorbed: Person, label: str) -> None:
    kept = {p.number: p for p in PersonPhone.objects.filter(person=survivor)}
    for phone in PersonPhone.objects.filter(person=absorbed).order_by("id"):
        twin = kept.get(phone.number)
        if twin is None:
            cs.update(phone, {"person_id": survivor.pk}, f"{label}: phone {phone.number}")
            continue
        values = {
            "source": _joined(twin.source, phone.source),
            "first_seen": min(twin.first_seen, phone.first_seen),
            "last_confirmed": max(twin.last_confirmed, phone.last_confirmed),
        }
        if twin.kind != phone.kind and PhoneKind.MOBILE in (twin.kind, phone.kind):
            values["kind"] = PhoneKind.MOBILE
        cs.update(twin, values, f"{label}: phone {phone.number} joined")
        _repoint(cs, phone, twin, f"{label}: link to {phone.number}")
        cs.delete(phone, f"{label}: second row of {phone.number}")


def _move_rows(cs: ChangeSet, survivor: Person, absorbed: Person, label: str) -> None:
    """Every other row pointing at the duplicate (history, proposals, tasks, deliveries,
    certifications, whatever apps add later) points at the survivor."""
    skip = {EmailAddress, PersonPhone, PersonChange, Person}
    for relation in Person._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        model = relation.related_model
        if model in skip:
            continue
        manager = model._default_manager  # type: ignore[union-attr]
        for row in manager.filter(**{relation.field.name: absorbed}).order_by("pk"):
            cs.update(row, {relation.field.attname: survivor.pk}, f"{label}: {row}")
    # Proposals that name the duplicate in their payload (the successor of, a stand-in for).
    for proposal in Proposal.objects.all().filter(
        models.Q(payload__successor_of=absorbed.pk)
        | models.Q(payload__stand_in_for=absorbed.pk)
        | models.Q(payload__successor_id=absorbed.pk)
        | models.Q(payload__stand_in_id=absorbed.pk)
    ):
        payload = dict(proposal.payload)
        for key in _PAYLOAD_PEOPLE:
            if payload.get(key) == absorbed.pk:
                payload[key] = survivor.pk
        cs.update(proposal, {"payload": payload}, f"{label}: proposal {proposal.pk}")


def _merge_links(cs: ChangeSet, survivor: Person, absorbed: Person, label: str) -> None:
    """Successor and stand-in links between people follow the duplicate to the survivor."""
    for predecessor in Person.objects.filter(successor=absorbed).exclude(pk=survivor.pk):
        cs.update(
            predecessor, {"successor_id": survivor.pk}, f"{label}: successor of {predecessor}"
        )
    for stand_in in absorbed.stand_ins.exclude(pk=survivor.pk):
        cs.m2m_add(survivor, "stand_ins", stand_in, f"{label}: stand-in {stand_in}")
    for stand_in in list(absorbed.stand_ins.all()):
        cs.m2m_remove(absorbed, "stand_ins", stand_in, f"{label}: stand-in {stand_in} moved")
    for absent in Person.objects.filter(stand_ins=absorbed):
        if absent.pk != survivor.pk:
            cs.m2m_add(absent, "stand_ins", survivor, f"{label}: {absent} stand-in")
        cs.m2m_remove(absent, "stand_ins", absorbed, f"{label}: {absent} stand-in moved")
