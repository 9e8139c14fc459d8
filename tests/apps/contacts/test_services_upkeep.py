"""The task rules no reply triggers: re-verify stale contacts, verify unsettled guesses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from partnernet.apps.contacts.models import (
    EmailAddress,
    EmailStatus,
    EmploymentStatus,
    Person,
    Task,
    TaskKind,
    TaskStatus,
)
from partnernet.apps.contacts.services import (
    guess_discard,
    guess_tasks_open,
    person_create,
    reverify_tasks_open,
    task_close,
    tasks_open_due,
)

pytestmark = pytest.mark.django_db


def _age(person: Person, days: int) -> None:
    when = timezone.now() - dt.timedelta(days=days)
    Person.objects.filter(pk=person.pk).update(first_seen=when, last_confirmed=when)


def test_reverify_tasks_for_contacts_older_than_n_months(vega):
    company, people = vega
    _age(people["shinkarev"], 800)
    _age(people["gorskin"], 400)
    _age(people["tsyganov"], 100)
    gone = person_create(full_name="Ушедший Иван", company=company, status=EmploymentStatus.LEFT)
    _age(gone, 900)

    assert reverify_tasks_open(months=12) == 2
    tasks = Task.objects.filter(kind=TaskKind.REVERIFY)
    assert {t.person_id for t in tasks} == {people["shinkarev"].pk, people["gorskin"].pk}
    task = tasks.get(person=people["shinkarev"])
    channel = task.payload["channels"]["people"][0]
    assert "b.shinkarev@vega-it.example" in channel["emails"]
    assert "+74957001020" in channel["phones"]  # the company's switchboard
    # Running again opens nothing new; a wider window adds the younger contact.
    assert reverify_tasks_open(months=12) == 0
    assert reverify_tasks_open(months=3) == 1
    # Stalest first within a limit.
    Task.objects.all().delete()
    assert reverify_tasks_open(months=3, limit=1) == 1
    assert Task.objects.get().person == people["shinkarev"]


def test_closing_a_reverify_task_as_done_confirms_the_person(vega):
    _company, people = vega
    _age(people["gorskin"], 500)
    reverify_tasks_open(months=12)
    task = Task.objects.get(kind=TaskKind.REVERIFY)
    task_close(task=task, status=TaskStatus.DONE, resolution="позвонил", user="tester")
    people["gorskin"].refresh_from_db()
    assert (timezone.now() - people["gorskin"].last_confirmed).days == 0
    # Dismissing one does not.
    _age(people["tsyganov"], 500)
    reverify_tasks_open(months=12)
    other = Task.objects.get(kind=TaskKind.REVERIFY, status=TaskStatus.OPEN)
    task_close(task=other, status=TaskStatus.DISMISSED)
    people["tsyganov"].refresh_from_db()
    assert (timezone.now() - people["tsyganov"].last_confirmed).days >= 499


def _guess(person: Person, address: str, days: int, **extra) -> EmailAddress:
    values = {"use_for_mailing": False, **extra}
    return EmailAddress.objects.create(
        person=person,
        address=address,
        status=EmailStatus.GUESSED,
        confidence=0.6,
        first_seen=timezone.now() - dt.timedelta(days=days),
        **values,
    )


def test_verify_guess_tasks_for_unsettled_guesses(vega):
    company, _people = vega
    waiting = person_create(full_name="Новиков Олег", company=company)
    _guess(waiting, "o.novikov@vega-it.example", 40)
    fresh = person_create(full_name="Петров Пётр", company=company)
    _guess(fresh, "p.petrov@vega-it.example", 5)
    known = person_create(
        full_name="Сидоров Сидор", company=company, emails=["sidorov@vega-it.example"]
    )
    _guess(known, "s.sidorov@vega-it.example", 40)
    # Tried 20 days ago without a bounce: the mailing settled it, no task.
    tried = person_create(full_name="Козлов Кирилл", company=company)
    sent = _guess(
        tried,
        "k.kozlov@vega-it.example",
        40,
        use_for_mailing=True,
        last_sent_at=timezone.now() - dt.timedelta(days=20),
    )

    assert guess_tasks_open(days=30) == {"opened": 1, "closed": 0}
    task = Task.objects.get(kind=TaskKind.VERIFY_GUESS)
    assert task.person == waiting
    assert task.payload["guesses"][0]["address"] == "o.novikov@vega-it.example"
    sent.refresh_from_db()
    assert sent.status == EmailStatus.VALID
    assert guess_tasks_open(days=30) == {"opened": 0, "closed": 0}

    # Discarding the only guess settles the task at once.
    guess_discard(email=EmailAddress.objects.get(person=waiting))
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_verify_guess_task_closes_when_a_working_address_appears(vega):
    company, _people = vega
    person = person_create(full_name="Новиков Олег", company=company)
    _guess(person, "o.novikov@vega-it.example", 40)
    tasks_open_due(months=120, days=30)
    EmailAddress.objects.create(person=person, address="oleg@vega-it.example")
    result = tasks_open_due(months=120, days=30)
    assert result == {"reverify": 0, "verify_guess": 0, "verify_guess_closed": 1}
    assert Task.objects.get().status == TaskStatus.DONE


def test_review_proposal_kind_is_gone():
    assert "review_proposal" not in TaskKind.values
