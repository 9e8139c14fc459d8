"""Edits of one person by hand: details, status, one address, one phone; each one undoable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.contacts.changes import ChangeSet
from partnernet.apps.contacts.editing import email_problem, phone_problem
from partnernet.apps.contacts.models import (
    EmailAddress,
    EmailStatus,
    EmploymentEvent,
    EmploymentStatus,
    Person,
    PersonChangeKind,
    PersonPhone,
    Suppression,
    Task,
    TaskKind,
    TaskStatus,
)
from partnernet.apps.contacts.services import (
    email_edit,
    email_remove,
    person_change_undo,
    person_edit,
    person_email_add,
    person_phone_add,
    person_status_set,
    phone_edit,
    phone_remove,
    suppression_add,
    task_open,
)
from partnernet.apps.mailing.models import Campaign, Delivery

pytestmark = pytest.mark.django_db


def _field_errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- validation messages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Enter an e-mail"),
        ("ivanov firma.ru", "spaces"),
        ("ivanov.firma.ru", "@"),
        ("@firma.ru", "mailbox name"),
        ("ivanov@firma", "no dot"),
        ("iva,nov@firma.ru", "not a valid e-mail"),
    ],
)
def test_email_problem_says_what_is_wrong(text, words):
    with translation.override("en"):
        assert words in (email_problem(text) or "")


def test_email_problem_accepts_a_real_address():
    assert email_problem(" <I.Ivanov@Firma.RU> ") is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Enter a phone"),
        ("звоните", "not a phone"),
        ("123-45-67", "area code"),
        ("+7 495 123 45 67 89 01 23", "Too many"),
        ("ИНН 7707083893", "tax number"),
        ("+999 123 456 789", "country code"),
    ],
)
def test_phone_problem_says_what_is_wrong(text, words):
    with translation.override("en"):
        assert words in (phone_problem(text) or "")


def test_phone_problem_is_none_for_a_number_the_engine_reads():
    assert phone_problem("8 (495) 123-45-67") is None


def test_validation_messages_are_russian_by_default():
    with translation.override("ru"):
        assert email_problem("ivanov.firma.ru") == (
            "В адресе e-mail нужен знак @ между именем ящика и доменом."
        )
        assert phone_problem("123-45-67").startswith("Не хватает кода города")


# --- details and status -----------------------------------------------------------------------


def test_person_edit_changes_name_parts_and_key_and_is_undone(vega):
    _company, people = vega
    gorskin = people["gorskin"]
    change = person_edit(
        person=gorskin,
        values={"patronymic": "Андреевич", "position": "инженер"},
        user="tester",
        reason="звонок",
    )
    gorskin.refresh_from_db()
    assert gorskin.patronymic == "Андреевич" and gorskin.position == "инженер"
    assert gorskin.name_key == "горскин|павел|андреевич"
    assert change.kind == PersonChangeKind.EDIT and change.reason == "звонок"
    entry = ChangeLogEntry.objects.filter(object_type="contacts.person", reason="звонок").get()
    assert entry.changes["position"] == ["", "инженер"]

    result = person_change_undo(change=change, user="tester")
    gorskin.refresh_from_db()
    assert result.undone == 1 and not result.kept
    assert gorskin.patronymic == "" and gorskin.position == ""
    assert gorskin.name_key == "горскин|павел|"


def test_person_edit_without_change_records_nothing(vega):
    _company, people = vega
    assert person_edit(person=people["gorskin"], values={"position": ""}) is None


def test_person_edit_needs_a_name(vega):
    _company, people = vega
    with pytest.raises(ValidationError) as exc:
        person_edit(
            person=people["gorskin"],
            values={"full_name": "", "surname": "", "first_name": "", "patronymic": ""},
        )
    assert "full_name" in _field_errors(exc)


def test_undo_keeps_values_changed_since(vega):
    _company, people = vega
    gorskin = people["gorskin"]
    first = person_edit(person=gorskin, values={"position": "инженер", "notes": "a"})
    person_edit(person=gorskin, values={"position": "руководитель"})
    result = person_change_undo(change=first)
    gorskin.refresh_from_db()
    # The newer position stays; the note the first edit wrote goes back.
    assert gorskin.position == "руководитель" and gorskin.notes == ""
    assert result.kept
    with pytest.raises(ValidationError):
        person_change_undo(change=first)


def test_on_leave_needs_an_end_date_after_its_start(vega):
    _company, people = vega
    with pytest.raises(ValidationError) as exc:
        person_status_set(person=people["gorskin"], status=EmploymentStatus.ON_LEAVE)
    assert "until" in _field_errors(exc)
    with pytest.raises(ValidationError):
        person_status_set(
            person=people["gorskin"],
            status=EmploymentStatus.ON_LEAVE,
            on_date=dt.date(2025, 5, 10),
            until=dt.date(2025, 5, 1),
        )


def test_status_on_leave_then_back_with_history_and_undo(vega):
    _company, people = vega
    gorskin = people["gorskin"]
    until = timezone.localdate() + dt.timedelta(days=14)
    change = person_status_set(
        person=gorskin, status=EmploymentStatus.ON_LEAVE, until=until, reason="автоответ"
    )
    gorskin.refresh_from_db()
    assert gorskin.status == EmploymentStatus.ON_LEAVE and gorskin.on_leave_until == until
    event = EmploymentEvent.objects.get(person=gorskin)
    assert event.previous_status == EmploymentStatus.ACTIVE and event.until == until

    person_change_undo(change=change)
    gorskin.refresh_from_db()
    assert gorskin.status == EmploymentStatus.ACTIVE and gorskin.on_leave_until is None
    assert not EmploymentEvent.objects.filter(person=gorskin).exists()


def test_left_with_successor(vega):
    _company, people = vega
    gorskin, tsyganov = people["gorskin"], people["tsyganov"]
    person_status_set(person=gorskin, status=EmploymentStatus.LEFT, successor=tsyganov)
    gorskin.refresh_from_db()
    assert gorskin.status == EmploymentStatus.LEFT and gorskin.successor == tsyganov
    assert gorskin.left_on == timezone.localdate()
    # No loops: the successor cannot name the one they replaced.
    with pytest.raises(ValidationError) as exc:
        person_status_set(person=tsyganov, status=EmploymentStatus.LEFT, successor=gorskin)
    assert "successor" in _field_errors(exc)
    with pytest.raises(ValidationError):
        person_status_set(person=gorskin, status=EmploymentStatus.LEFT, successor=gorskin)
    with pytest.raises(ValidationError):
        person_status_set(person=tsyganov, status=EmploymentStatus.ACTIVE, successor=gorskin)


# --- one address ------------------------------------------------------------------------------


def test_email_add_validates_and_records(vega):
    _company, people = vega
    gorskin = people["gorskin"]
    with pytest.raises(ValidationError) as exc:
        person_email_add(person=gorskin, address="pavel.gorskin@vega-it")
    assert "address" in _field_errors(exc)
    with pytest.raises(ValidationError):
        person_email_add(person=gorskin, address="P.Gorskin@vega-it.example")  # has it already
    with pytest.raises(ValidationError):
        person_email_add(person=gorskin, address="pg@vega-it.example", status=EmailStatus.GUESSED)

    email, change = person_email_add(
        person=gorskin, address=" Pavel@Vega-IT.example ", status=EmailStatus.VALID
    )
    assert email.address == "pavel@vega-it.example" and email.domain == "vega-it.example"
    assert email.last_confirmed is not None and email.use_for_mailing
    assert change.kind == PersonChangeKind.EMAIL_ADD

    person_change_undo(change=change)
    assert not EmailAddress.objects.filter(pk=email.pk).exists()


def test_email_add_of_a_suppressed_address_is_never_mailed(vega):
    _company, people = vega
    suppression_add(value="pavel@vega-it.example", reason="unsubscribed")
    email, _change = person_email_add(person=people["gorskin"], address="pavel@vega-it.example")
    assert not email.use_for_mailing
    with pytest.raises(ValidationError) as exc:
        email_edit(email=email, use_for_mailing=True)
    assert "use_for_mailing" in _field_errors(exc)


def test_email_edit_keeps_status_and_confidence_and_is_undone(vega):
    _company, _people = vega
    email = EmailAddress.objects.get(address="p.gorskin@vega-it.example")
    email.confidence = 0.8
    email.status = EmailStatus.VALID
    email.save()
    change = email_edit(email=email, address="pavel.gorskin@vega-it.example", reason="опечатка")
    email.refresh_from_db()
    assert email.address == "pavel.gorskin@vega-it.example"
    assert email.status == EmailStatus.VALID and email.confidence == 0.8

    marked = email_edit(email=email, status=EmailStatus.BOUNCED)
    email.refresh_from_db()
    assert email.status == EmailStatus.BOUNCED and email.last_bounce_at is not None

    person_change_undo(change=marked)
    person_change_undo(change=change)
    email.refresh_from_db()
    assert email.address == "p.gorskin@vega-it.example" and email.status == EmailStatus.VALID


def test_email_edit_refuses_a_duplicate_and_guessed_status(vega):
    _company, people = vega
    gorskin = people["gorskin"]
    other, _change = person_email_add(person=gorskin, address="pavel@vega-it.example")
    with pytest.raises(ValidationError):
        email_edit(email=other, address="p.gorskin@vega-it.example")
    with pytest.raises(ValidationError):
        email_edit(email=other, status=EmailStatus.GUESSED)


def test_marking_a_guess_valid_settles_the_other_guesses_and_the_task(vega):
    _company, _people = vega
    person = Person.objects.create(full_name="Новиков Олег", company=vega[0])
    right = EmailAddress.objects.create(
        person=person, address="o.novikov@vega-it.example", status=EmailStatus.GUESSED
    )
    wrong = EmailAddress.objects.create(
        person=person, address="novikov@vega-it.example", status=EmailStatus.GUESSED
    )
    task_open(
        kind=TaskKind.VERIFY_GUESS,
        key=f"verify_guess:person:{person.pk}",
        title="verify",
        person=person,
        changes=ChangeSet(reason="test"),
    )
    email_edit(email=right, status=EmailStatus.VALID)
    right.refresh_from_db()
    wrong.refresh_from_db()
    assert right.status == EmailStatus.VALID and right.use_for_mailing
    assert not wrong.use_for_mailing
    assert Task.objects.get(person=person).status == TaskStatus.DONE


def test_email_remove_unlinks_deliveries_and_undo_restores_them(vega):
    _company, people = vega
    email = EmailAddress.objects.get(address="p.gorskin@vega-it.example")
    campaign = Campaign.objects.create(name="webinar", subject="Вебинар")
    delivery = Delivery.objects.create(
        campaign=campaign, address=email.address, email=email, person=people["gorskin"]
    )
    change = email_remove(email=email, reason="не наш")
    assert not EmailAddress.objects.filter(pk=email.pk).exists()
    delivery.refresh_from_db()
    assert delivery.email_id is None and delivery.address == "p.gorskin@vega-it.example"

    result = person_change_undo(change=change)
    assert not result.kept
    restored = EmailAddress.objects.get(pk=email.pk)
    assert restored.address == email.address and restored.first_seen == email.first_seen
    delivery.refresh_from_db()
    assert delivery.email_id == email.pk


# --- one phone --------------------------------------------------------------------------------


def test_phone_add_normalises_and_explains(vega):
    _company, people = vega
    gorskin = people["gorskin"]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        person_phone_add(person=gorskin, number="123-45-67")
    assert "area code" in _field_errors(exc)["number"][0]

    phone, change = person_phone_add(person=gorskin, number="8 (916) 123-45-67")
    assert phone.number == "+79161234567" and phone.kind == "mobile"
    with pytest.raises(ValidationError):
        person_phone_add(person=gorskin, number="+7 916 1234567")  # the same number
    work, _change = person_phone_add(person=gorskin, number="+7 495 700-10-30 доб. 12")
    assert work.number == "+74957001030" and work.kind == "work"

    edited = phone_edit(phone=work, number="8 495 700 10 31", kind="mobile")
    work.refresh_from_db()
    assert work.number == "+74957001031" and work.kind == "mobile"
    person_change_undo(change=edited)
    work.refresh_from_db()
    assert work.number == "+74957001030" and work.kind == "work"

    removed = phone_remove(phone=phone)
    assert not PersonPhone.objects.filter(pk=phone.pk).exists()
    person_change_undo(change=removed)
    assert PersonPhone.objects.get(pk=phone.pk).number == "+79161234567"
    person_change_undo(change=change)
    assert not PersonPhone.objects.filter(pk=phone.pk).exists()


def test_undo_of_an_added_address_used_since_keeps_it(vega):
    _company, people = vega
    email, change = person_email_add(person=people["gorskin"], address="pavel@vega-it.example")
    campaign = Campaign.objects.create(name="news", subject="Новости")
    Delivery.objects.create(campaign=campaign, address=email.address, email=email)
    result = person_change_undo(change=change)
    assert result.kept and EmailAddress.objects.filter(pk=email.pk).exists()


def test_suppressed_erased_hash_is_respected(vega):
    _company, people = vega
    suppression_add(value="gone@vega-it.example", reason="erased", keep_value=False)
    assert Suppression.objects.get().value == ""
    email, _change = person_email_add(person=people["gorskin"], address="gone@vega-it.example")
    assert not email.use_for_mailing
