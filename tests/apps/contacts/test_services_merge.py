"""Merging two people: nothing is lost, the survivor is the user's choice, un-merge restores."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from partnernet.apps.audit.models import ChangeAction, ChangeLogEntry
from partnernet.apps.contacts.changes import ChangeSet
from partnernet.apps.contacts.models import (
    EmailAddress,
    EmailStatus,
    EmploymentEvent,
    EmploymentStatus,
    LegalBasis,
    Person,
    PersonPhone,
    Proposal,
    ProposalKind,
    Task,
    TaskKind,
)
from partnernet.apps.contacts.selectors import company_people, person_history, person_list
from partnernet.apps.contacts.services import (
    audience_filter,
    person_change_undo,
    person_create,
    person_duplicates,
    person_merge,
    person_status_set,
    proposal_create,
    task_open,
)
from partnernet.apps.mailing.models import Campaign, Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(vega):
    """Шинкарев imported twice: once with a patronymic and a work address, once by an auto-reply
    with a mobile, the same work address (bounced since) and a new one."""
    company, people = vega
    first = people["shinkarev"]
    second = person_create(
        full_name="Шинкарев Борис",
        company=company,
        emails=["b.shinkarev@vega-it.example", "boris@vega-it.example"],
        phones=["+7 916 555-00-11", "+7 (495) 700-10-21"],
        source="auto-reply",
        legal_basis=LegalBasis.CONSENT,
    )
    return company, people, first, second


def test_duplicates_by_name_at_the_company_and_by_address(twins):
    company, people, first, second = twins
    found = {d.person.pk: d.reasons for d in person_duplicates(first)}
    assert set(found) == {second.pk}
    assert len(found[second.pk]) == 2  # the same name, and b.shinkarev@ in common
    # Another first name is another person; another patronymic too.
    assert person_duplicates(people["gorskin"]) == []
    other = person_create(full_name="Шинкарев Борис Иванович", company=company)
    assert other.pk not in {d.person.pk for d in person_duplicates(first)}
    assert other.pk in {d.person.pk for d in person_duplicates(second)}


def test_duplicates_with_initials_on_one_side(twins):
    company, _people, first, second = twins
    initials = person_create(full_name="Шинкарев Б. П.", company=company)
    with translation.override("en"):
        found = {d.person.pk: d.reasons for d in person_duplicates(initials)}
    assert set(found) == {first.pk, second.pk}
    assert found[first.pk] == ["same surname and initials at the same company"]
    # Another initial is another person; so is the same surname at another company.
    assert person_create(full_name="Шинкарев В.", company=company).pk not in {
        d.person.pk for d in person_duplicates(first)
    }
    elsewhere = person_create(full_name="Шинкарев Б.", company=None)
    assert person_duplicates(elsewhere) == []


def test_duplicates_by_a_short_first_name(twins):
    company, _people, first, second = twins
    borya = person_create(full_name="Боря Шинкарев", company=company)
    with translation.override("en"):
        found = {d.person.pk: d.reasons for d in person_duplicates(borya)}
    assert set(found) == {first.pk, second.pk}
    assert found[first.pk] == ["same surname, the first name in a short form, at the same company"]
    # A short form of another name is another person.
    vova = person_create(full_name="Вова Шинкарев", company=company)
    assert vova.pk not in {d.person.pk for d in person_duplicates(first)}


def test_merge_keeps_everything_and_unmerge_restores(twins):
    company, people, first, second = twins
    tsyganov = people["tsyganov"]
    shared_first = EmailAddress.objects.get(person=first, address="b.shinkarev@vega-it.example")
    shared_second = EmailAddress.objects.get(person=second, address="b.shinkarev@vega-it.example")
    shared_first.status = EmailStatus.VALID
    shared_first.last_confirmed = timezone.now() - dt.timedelta(days=30)
    shared_first.save()
    shared_second.status = EmailStatus.BOUNCED
    shared_second.bounce_count = 1
    shared_second.last_bounce_at = timezone.now() - dt.timedelta(days=2)
    shared_second.last_bounce_reason = "userunknown"
    shared_second.save()
    campaign = Campaign.objects.create(name="webinar", subject="Вебинар")
    delivery = Delivery.objects.create(
        campaign=campaign, address=shared_second.address, email=shared_second, person=second
    )
    cs = ChangeSet(reason="test")
    person_status_set(
        person=second,
        status=EmploymentStatus.ON_LEAVE,
        until=timezone.localdate() + dt.timedelta(days=10),
    )
    task = task_open(kind=TaskKind.FIND_SUCCESSOR, key="k", title="t", person=second, changes=cs)
    proposal = proposal_create(
        kind=ProposalKind.NEW_CONTACT,
        summary="s",
        payload={"full_name": "Новый", "successor_of": second.pk},
        company=company,
        changes=cs,
    )
    second.stand_ins.add(tsyganov)
    people["gorskin"].stand_ins.add(second)

    change = person_merge(survivor=first, absorbed=second, user="tester", reason="один человек")

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into == first and second.name_key == ""
    addresses = dict(EmailAddress.objects.filter(person=first).values_list("address", "status"))
    # The shared address is one row; the newest evidence (a bounce two days ago) wins.
    assert addresses == {
        "b.shinkarev@vega-it.example": EmailStatus.BOUNCED,
        "boris@vega-it.example": EmailStatus.UNVERIFIED,
    }
    assert EmailAddress.objects.get(pk=shared_first.pk).bounce_count == 1
    assert not EmailAddress.objects.filter(pk=shared_second.pk).exists()
    delivery.refresh_from_db()
    assert delivery.email_id == shared_first.pk and delivery.person_id == first.pk
    assert set(PersonPhone.objects.filter(person=first).values_list("number", flat=True)) == {
        "+79165550011",
        "+74957001021",
    }
    assert EmploymentEvent.objects.filter(person=first).count() == 1
    task.refresh_from_db()
    proposal.refresh_from_db()
    assert task.person_id == first.pk and proposal.payload["successor_of"] == first.pk
    assert list(first.stand_ins.all()) == [tsyganov]
    assert list(people["gorskin"].stand_ins.all()) == [first]
    # The survivor's own status stays (the user chose it); consent is never lost.
    assert first.status == EmploymentStatus.ACTIVE and first.legal_basis == LegalBasis.CONSENT
    assert first.patronymic == "Петрович" and "auto-reply" in first.source
    # The duplicate is hidden from lists and audiences, its history shows on the survivor.
    assert second not in person_list() and second not in company_people(company)
    assert not audience_filter(Person.objects.filter(pk=second.pk)).exists()
    assert ChangeLogEntry.objects.filter(action=ChangeAction.MERGE, object_id=first.pk).exists()
    assert {e.object_id for e in person_history(first)} >= {str(first.pk), str(second.pk)}
    with pytest.raises(ValidationError):
        person_merge(survivor=first, absorbed=second)

    result = person_change_undo(change=change, user="tester")
    assert not result.kept, result.kept
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into is None and second.name_key == "шинкарев|борис|"
    assert set(second.emails.values_list("address", flat=True)) == {
        "b.shinkarev@vega-it.example",
        "boris@vega-it.example",
    }
    assert EmailAddress.objects.get(pk=shared_second.pk).status == EmailStatus.BOUNCED
    assert EmailAddress.objects.get(pk=shared_first.pk).status == EmailStatus.VALID
    assert EmailAddress.objects.get(pk=shared_first.pk).bounce_count == 0
    delivery.refresh_from_db()
    assert delivery.email_id == shared_second.pk and delivery.person_id == second.pk
    assert set(second.phones.values_list("number", flat=True)) == {"+79165550011", "+74957001021"}
    assert first.phones.count() == 0 and EmploymentEvent.objects.get().person_id == second.pk
    task.refresh_from_db()
    proposal.refresh_from_db()
    assert task.person_id == second.pk and proposal.payload["successor_of"] == second.pk
    assert list(second.stand_ins.all()) == [tsyganov] and not first.stand_ins.exists()
    assert list(people["gorskin"].stand_ins.all()) == [second]
    assert first.legal_basis == LegalBasis.LEGITIMATE_INTEREST and first.source == "test"
    assert ChangeLogEntry.objects.filter(action=ChangeAction.UNMERGE).exists()
    assert Task.objects.count() == 1 and Proposal.objects.count() == 1


def test_merge_into_itself_is_refused(twins):
    _company, _people, first, _second = twins
    with pytest.raises(ValidationError):
        person_merge(survivor=first, absorbed=first)


def test_successor_links_follow_the_duplicate(twins):
    _company, people, first, second = twins
    gorskin = people["gorskin"]
    person_status_set(person=gorskin, status=EmploymentStatus.LEFT, successor=second)
    person_merge(survivor=first, absorbed=second)
    gorskin.refresh_from_db()
    assert gorskin.successor == first


def test_export_lists_changes_and_erasing_a_duplicate_drops_its_merge_record(twins):
    from partnernet.apps.contacts.models import PersonChange
    from partnernet.apps.contacts.services import person_erase, person_export

    _company, _people, first, second = twins
    change = person_merge(survivor=first, absorbed=second)
    exported = person_export(first)
    assert [c["id"] for c in exported["changes_by_hand"]] == [change.pk]
    person_erase(person=Person.objects.get(pk=second.pk))
    assert not PersonChange.objects.filter(pk=change.pk).exists()
