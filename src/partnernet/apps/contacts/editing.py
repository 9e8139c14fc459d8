"""Changes of one person made by hand: details, employment status, one address, one phone.

Each function validates its input (raising :class:`django.core.exceptions.ValidationError` with
translated, field-keyed messages the forms and the API show as they are), applies the change in
one transaction, writes it to the change log with the user and their reason, and keeps it as a
:class:`~.models.PersonChange` whose before/after values :func:`person_change_undo` can give back.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.apps.audit.models import ChangeAction
from partnernet.apps.audit.services import audit_record
from partnernet.engines.contactinfo.phones import normalise_phone

from .changes import ChangeSet, UndoResult, changes_undo
from .models import (
    EmailAddress,
    EmailStatus,
    EmploymentStatus,
    Person,
    PersonChange,
    PersonChangeKind,
    PersonPhone,
    PhoneKind,
)
from .services import (
    PERSON_EDITABLE,
    _guess_task_settle,
    _name_key,
    _user_name,
    email_domain,
    normalise_email,
    person_set_status,
    phone_kind,
    suppression_is_blocked,
)

# Statuses a person may set by hand; "guessed" belongs to the address-inference engine.
MANUAL_EMAIL_STATUSES = (EmailStatus.UNVERIFIED, EmailStatus.VALID, EmailStatus.BOUNCED)


# --- validation -------------------------------------------------------------------------------


def email_problem(text: str) -> str | None:
    """Why ``text`` is not a usable e-mail address (translated), or None when it is one."""
    value = normalise_email(text)
    if not value:
        return _("Enter an e-mail address.")
    if any(ch.isspace() for ch in value):
        return _("An e-mail address cannot contain spaces.")
    if "@" not in value:
        return _("An e-mail address needs an @ between the mailbox and the domain.")
    local, _at, domain = value.rpartition("@")
    if not local:
        return _("The mailbox name before the @ is missing.")
    if "." not in domain:
        return _("The domain “%(domain)s” has no dot: the address is incomplete.") % {
            "domain": domain
        }
    try:
        validate_email(value)
    except ValidationError:
        return _("“%(value)s” is not a valid e-mail address (expected name@company.ru).") % {
            "value": value
        }
    return None


_PARSE_ERRORS = {
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "country",
    phonenumbers.NumberParseException.NOT_A_NUMBER: "not_a_number",
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "short",
    phonenumbers.NumberParseException.TOO_SHORT_NSN: "short",
    phonenumbers.NumberParseException.TOO_LONG: "long",
}
_POSSIBLE = {
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "country",
    phonenumbers.ValidationResult.TOO_SHORT: "short",
    phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "local",
    phonenumbers.ValidationResult.TOO_LONG: "long",
    phonenumbers.ValidationResult.INVALID_LENGTH: "length",
}


def _phone_reason(code: str) -> str:
    messages = {
        "empty": _("Enter a phone number."),
        "tax_id": _("This looks like a tax number (INN, OGRN), not a phone."),
        "country": _("Unknown country code."),
        "not_a_number": _("This is not a phone number."),
        "short": _("Too few digits for a phone number."),
        "local": _("The area code is missing (write it as 8 495 123-45-67 or +7 495 …)."),
        "long": _("Too many digits for a phone number."),
        "length": _("Wrong number of digits for a number of this country."),
    }
    return messages[code]


def phone_problem(text: str, region: str = "RU") -> str | None:
    """Why the contactinfo engine reads no phone number in ``text`` (translated), or None.

    The engine only says "no number"; this asks phonenumbers the same questions to tell the
    user which part is wrong.
    """
    if not (text or "").strip():
        return _phone_reason("empty")
    if normalise_phone(text, region) is not None:
        return None
    digits = sum(ch.isdigit() for ch in text)
    if digits == 0:
        return _phone_reason("not_a_number")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        return _phone_reason(_PARSE_ERRORS.get(exc.error_type, "not_a_number"))
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in _POSSIBLE:
        return _phone_reason(_POSSIBLE[reason])
    if digits < 7:
        return _phone_reason("short")
    # phonenumbers accepts it, the engine does not: it carries a tax-number label.
    return _phone_reason("tax_id")


def _normalised_phone(text: str) -> str:
    value = normalise_phone(text or "")
    if value is None:
        raise ValidationError({"number": phone_problem(text) or _("This is not a phone number.")})
    return value


def _valid_email(text: str) -> str:
    problem = email_problem(text)
    if problem:
        raise ValidationError({"address": problem})
    return normalise_email(text)


# --- recording --------------------------------------------------------------------------------


def _record(
    *, kind: str, person: Person, cs: ChangeSet, summary: str, reason: str, user: Any
) -> PersonChange | None:
    if not cs.items:
        return None
    return PersonChange.objects.create(
        kind=kind,
        person=person,
        summary=summary[:500],
        reason=reason[:500],
        items=cs.items,
        created_by=_user_name(user)[:150],
    )


def _changes(user: Any, reason: str, default: str) -> ChangeSet:
    return ChangeSet(reason=reason or default, user=user)


# --- the person's details and status ----------------------------------------------------------


def person_edit(
    *, person: Person, values: dict[str, Any], user: Any = None, reason: str = ""
) -> PersonChange | None:
    """Change a person's details (name parts, position, notes…); None when nothing changed.

    A changed name part also changes the name key that tells people apart within a company.
    """
    unknown = set(values) - PERSON_EDITABLE
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    if "full_name" in values and not values["full_name"]:
        parts = [values.get(k, getattr(person, k)) for k in ("surname", "first_name", "patronymic")]
        values["full_name"] = " ".join(p for p in parts if p)
    if not (values.get("full_name", person.full_name) or values.get("surname", person.surname)):
        raise ValidationError({"full_name": _("A contact needs a name or a surname.")})
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        cs = _changes(user, reason, "edited by hand")
        if {"surname", "first_name", "patronymic"} & set(values):
            parts = [
                values.get(k, getattr(person, k)) for k in ("surname", "first_name", "patronymic")
            ]
            values["name_key"] = _name_key(*parts)
        cs.update(person, values, f"{person}: details edited")
        return _record(
            kind=PersonChangeKind.EDIT,
            person=person,
            cs=cs,
            summary=_("Details of %(person)s edited") % {"person": person},
            reason=reason,
            user=user,
        )


def person_status_set(
    *,
    person: Person,
    status: str,
    until: date | None = None,
    on_date: date | None = None,
    successor: Person | None = None,
    user: Any = None,
    reason: str = "",
) -> PersonChange | None:
    """Set the employment status by hand: works there, on leave until a date, left (with the
    successor when known), unknown. The history gets an event as for a reply."""
    if status not in EmploymentStatus.values:
        raise ValidationError({"status": _("Unknown employment status.")})
    on_date = on_date or timezone.localdate()
    if status == EmploymentStatus.ON_LEAVE:
        if until is None:
            raise ValidationError({"until": _("Give the date the leave ends.")})
        if until < on_date:
            raise ValidationError({"until": _("The leave cannot end before it starts.")})
    elif until is not None:
        until = None
    if successor is not None:
        if status != EmploymentStatus.LEFT:
            raise ValidationError({"successor": _("Only a contact who left has a successor.")})
        if successor.pk == person.pk:
            raise ValidationError({"successor": _("A contact cannot be their own successor.")})
        if successor.merged_into_id is not None:
            raise ValidationError(
                {"successor": _("This contact was merged into another; choose that one.")}
            )
        if _successor_chain_reaches(successor, person):
            raise ValidationError(
                {"successor": _("%(other)s already follows this contact.") % {"other": successor}}
            )
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        cs = _changes(user, reason, "status set by hand")
        person_set_status(
            person=person,
            status=status,
            on_date=on_date,
            until=until,
            note=reason,
            changes=cs,
        )
        if successor is not None:
            cs.update(person, {"successor_id": successor.pk}, f"{person}: successor {successor}")
        if cs.items and status != EmploymentStatus.UNKNOWN:
            # Whoever set it knows: the person's record is confirmed today.
            cs.update(person, {"last_confirmed": timezone.now()}, f"{person}: confirmed")
        return _record(
            kind=PersonChangeKind.STATUS,
            person=person,
            cs=cs,
            summary=_("%(person)s: %(status)s")
            % {"person": person, "status": EmploymentStatus(status).label},
            reason=reason,
            user=user,
        )


def _successor_chain_reaches(start: Person, target: Person) -> bool:
    seen: set[int] = set()
    current: Person | None = start
    while current is not None and current.pk not in seen:
        if current.successor_id == target.pk:
            return True
        seen.add(current.pk)
        current = current.successor
    return False


# --- one address ------------------------------------------------------------------------------


def person_email_add(
    *,
    person: Person,
    address: str,
    status: str = EmailStatus.UNVERIFIED,
    user: Any = None,
    reason: str = "",
) -> tuple[EmailAddress, PersonChange | None]:
    """Add one address by hand. An address on the suppression list is stored but never used
    for mailings (``use_for_mailing`` is off)."""
    value = _valid_email(address)
    if status not in MANUAL_EMAIL_STATUSES:
        raise ValidationError({"status": _("This status cannot be set by hand.")})
    if EmailAddress.objects.filter(person=person, address=value).exists():
        raise ValidationError({"address": _("This contact already has this address.")})
    with transaction.atomic():
        now = timezone.now()
        email = EmailAddress.objects.create(
            person=person,
            address=value,
            domain=email_domain(value),
            status=status,
            use_for_mailing=not suppression_is_blocked(value),
            source=(reason or _("entered by hand"))[:300],
            last_confirmed=now if status == EmailStatus.VALID else None,
            last_bounce_at=now if status == EmailStatus.BOUNCED else None,
        )
        cs = _changes(user, reason, "address added by hand")
        cs.created(email, f"address {value} for {person}")
        change = _record(
            kind=PersonChangeKind.EMAIL_ADD,
            person=person,
            cs=cs,
            summary=_("Address %(address)s added") % {"address": value},
            reason=reason,
            user=user,
        )
    return email, change


def email_edit(
    *,
    email: EmailAddress,
    address: str | None = None,
    status: str | None = None,
    use_for_mailing: bool | None = None,
    user: Any = None,
    reason: str = "",
) -> PersonChange | None:
    """Correct an address, mark it (valid, bounced, not verified) or switch mailings to it off
    and on. Status and confidence stay unless changed here; a corrected address keeps them too
    (set the status if the old one was about the mistyped address)."""
    values: dict[str, Any] = {}
    if address is not None:
        value = _valid_email(address)
        if value != email.address:
            if (
                EmailAddress.objects.filter(person_id=email.person_id, address=value)
                .exclude(pk=email.pk)
                .exists()
            ):
                raise ValidationError({"address": _("This contact already has this address.")})
            values["address"] = value
            values["domain"] = email_domain(value)
            if suppression_is_blocked(value):
                values["use_for_mailing"] = False
    if status is not None and status != email.status:
        if status not in MANUAL_EMAIL_STATUSES:
            raise ValidationError({"status": _("This status cannot be set by hand.")})
        values["status"] = status
        if status == EmailStatus.VALID:
            values["last_confirmed"] = timezone.now()
            if email.status == EmailStatus.GUESSED:
                values["use_for_mailing"] = True
        elif status == EmailStatus.BOUNCED:
            values["last_bounce_at"] = timezone.now()
    if use_for_mailing is not None and "use_for_mailing" not in values:
        target = values.get("address", email.address)
        if use_for_mailing and suppression_is_blocked(target):
            raise ValidationError(
                {"use_for_mailing": _("This address is on the suppression list.")}
            )
        values["use_for_mailing"] = use_for_mailing
    with transaction.atomic():
        email = EmailAddress.objects.select_for_update().get(pk=email.pk)
        person = email.person
        cs = _changes(user, reason, "address edited by hand")
        was_guess = email.status == EmailStatus.GUESSED
        cs.update(email, values, f"address {email.address} of {person}")
        if was_guess and values.get("status") == EmailStatus.VALID:
            # As when a mailing confirms a guess: the person's other guesses are not needed.
            for other in EmailAddress.objects.filter(
                person=person, status=EmailStatus.GUESSED
            ).exclude(pk=email.pk):
                cs.update(other, {"use_for_mailing": False}, f"guess {other.address} not needed")
        if was_guess and "status" in values:
            _guess_task_settle(person.pk, cs, _("the guess was settled by hand"))
        return _record(
            kind=PersonChangeKind.EMAIL_EDIT,
            person=person,
            cs=cs,
            summary=_("Address %(address)s changed") % {"address": email.address},
            reason=reason,
            user=user,
        )


def email_remove(*, email: EmailAddress, user: Any = None, reason: str = "") -> PersonChange:
    """Remove one address (a wrong one). Deliveries that went to it keep the address text and
    lose only the link; the undo restores the address and the links."""
    with transaction.atomic():
        email = EmailAddress.objects.select_for_update().get(pk=email.pk)
        person = email.person
        cs = _changes(user, reason, "address removed by hand")
        cs.delete(email, f"address {email.address} of {person} removed")
        _guess_task_settle(person.pk, cs, _("no guessed address left"))
        change = _record(
            kind=PersonChangeKind.EMAIL_REMOVE,
            person=person,
            cs=cs,
            summary=_("Address %(address)s removed") % {"address": email.address},
            reason=reason,
            user=user,
        )
    assert change is not None
    return change


# --- one phone --------------------------------------------------------------------------------


def person_phone_add(
    *,
    person: Person,
    number: str,
    kind: str | None = None,
    user: Any = None,
    reason: str = "",
) -> tuple[PersonPhone, PersonChange | None]:
    """Add one phone, normalised to E.164 by the contactinfo engine; kind from the number
    (mobile or work) when not given."""
    value = _normalised_phone(number)
    if kind is not None and kind not in PhoneKind.values:
        raise ValidationError({"kind": _("Unknown kind of phone.")})
    if PersonPhone.objects.filter(person=person, number=value).exists():
        raise ValidationError({"number": _("This contact already has this number.")})
    with transaction.atomic():
        phone = PersonPhone.objects.create(
            person=person,
            number=value,
            kind=kind or phone_kind(value),
            source=(reason or _("entered by hand"))[:300],
        )
        cs = _changes(user, reason, "phone added by hand")
        cs.created(phone, f"phone {value} for {person}")
        change = _record(
            kind=PersonChangeKind.PHONE_ADD,
            person=person,
            cs=cs,
            summary=_("Phone %(number)s added") % {"number": value},
            reason=reason,
            user=user,
        )
    return phone, change


def phone_edit(
    *,
    phone: PersonPhone,
    number: str | None = None,
    kind: str | None = None,
    user: Any = None,
    reason: str = "",
) -> PersonChange | None:
    values: dict[str, Any] = {}
    if number is not None:
        value = _normalised_phone(number)
        if value != phone.number:
            if (
                PersonPhone.objects.filter(person_id=phone.person_id, number=value)
                .exclude(pk=phone.pk)
                .exists()
            ):
                raise ValidationError({"number": _("This contact already has this number.")})
            values["number"] = value
    if kind is not None and kind != phone.kind:
        if kind not in PhoneKind.values:
            raise ValidationError({"kind": _("Unknown kind of phone.")})
        values["kind"] = kind
    with transaction.atomic():
        phone = PersonPhone.objects.select_for_update().get(pk=phone.pk)
        cs = _changes(user, reason, "phone edited by hand")
        cs.update(phone, values, f"phone {phone.number} of {phone.person}")
        return _record(
            kind=PersonChangeKind.PHONE_EDIT,
            person=phone.person,
            cs=cs,
            summary=_("Phone %(number)s changed") % {"number": phone.number},
            reason=reason,
            user=user,
        )


def phone_remove(*, phone: PersonPhone, user: Any = None, reason: str = "") -> PersonChange:
    with transaction.atomic():
        phone = PersonPhone.objects.select_for_update().get(pk=phone.pk)
        person = phone.person
        cs = _changes(user, reason, "phone removed by hand")
        cs.delete(phone, f"phone {phone.number} of {person} removed")
        change = _record(
            kind=PersonChangeKind.PHONE_REMOVE,
            person=person,
            cs=cs,
            summary=_("Phone %(number)s removed") % {"number": phone.number},
            reason=reason,
            user=user,
        )
    assert change is not None
    return change


# --- undo -------------------------------------------------------------------------------------


def person_change_undo(*, change: PersonChange, user: Any = None, reason: str = "") -> UndoResult:
    """Undo a change made by hand or a merge. Values changed since (by a reply, an import or
    another edit) are kept and listed in the result; everything else goes back."""
    with transaction.atomic():
        change = PersonChange.objects.select_for_update().get(pk=change.pk)
        if change.undone_at is not None:
            raise ValidationError(_("This change was already undone."))
        result = changes_undo(
            change.items, user=user, reason=reason or f"undo: {change.summary}"[:500]
        )
        change.undone_at = timezone.now()
        change.undone_by = _user_name(user)[:150]
        change.save(update_fields=["undone_at", "undone_by"])
        if change.kind == PersonChangeKind.MERGE and change.other_person_id:
            audit_record(
                action=ChangeAction.UNMERGE,
                obj=change.person,
                changes={"unmerged": [change.other_person_id, change.person_id]},
                reason=reason or "merge undone",
                user=user,
            )
    return result
