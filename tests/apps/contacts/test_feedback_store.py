"""The batch store's row writers put in the database exactly what Django's own writes put."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.contacts.feedback_store import LogRow, insert_rows, update_rows
from partnernet.apps.contacts.models import EmailAddress, Person, Proposal, Task
from partnernet.apps.mailing.models import FeedbackMessage
from partnernet.apps.register.models import Company

pytestmark = pytest.mark.django_db


def _columns(model, *, skip=(), **filters):
    names = [
        f.attname for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip
    ]
    return [
        tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
        for row in model.objects.filter(**filters).order_by("id").values_list(*names)
    ]


def _log(reason: str, now: dt.datetime) -> list[ChangeLogEntry]:
    return [
        ChangeLogEntry(
            time=now - dt.timedelta(minutes=i % 3),
            action="update",
            object_type="contacts.emailaddress",
            object_id=str(i),
            object_repr=f"Иванов Пётр {i}",
            changes={"status": ["valid", "bounced"], "bounce_count": [i, i + 1], "note": None},
            reason=reason,
            batch="feedback:1",
            user_name="mail feedback",
        )
        for i in range(7)
    ]


def test_insert_without_ids_writes_what_bulk_create_writes():
    now = timezone.now()
    ChangeLogEntry.objects.bulk_create(_log("django", now))
    assert insert_rows(ChangeLogEntry, _log("ours", now), with_ids=False) == 7
    django_rows = _columns(ChangeLogEntry, skip=["reason"], reason="django")
    our_rows = _columns(ChangeLogEntry, skip=["reason"], reason="ours")
    assert our_rows == django_rows
    assert len(our_rows) == 7
    # The batch's plain log rows, in another time zone too, give the same rows again.
    moscow = dt.timezone(dt.timedelta(hours=3))
    plain = [
        LogRow(
            time=e.time.astimezone(moscow),
            user_id=None,
            user_name=e.user_name,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            object_repr=e.object_repr,
            changes=e.changes,
            reason="plain",
            batch=e.batch,
        )
        for e in _log("plain", now)
    ]
    insert_rows(ChangeLogEntry, plain, with_ids=False)
    assert _columns(ChangeLogEntry, skip=["reason"], reason="plain") == django_rows
    with pytest.raises(ValueError):
        insert_rows(ChangeLogEntry, plain, with_ids=True)


def test_insert_with_ids_sets_keys_and_writes_every_kind_of_column():
    company = Company.objects.create(display_name="ООО «Вега»", name_key="вега")
    person = Person.objects.create(company=company, full_name="Петров Иван", source="test")
    when = timezone.now() - dt.timedelta(days=2)

    def messages(prefix: str) -> list[FeedbackMessage]:
        return [
            FeedbackMessage(
                sha256=f"{prefix}{i:03d}",
                raw=b"From: a@b.example\n\n\xd0\xbf\xd1\x80\xd0\xb8\r\n" * (i + 1),
                size=10 + i,
                subject="Автоответ",
                received_at=when,
                kind="bounce",
                result={"kind": "bounce", "recipients": [{"address": f"x{i}@b.example"}]},
                applied_at=None if i % 2 else when,
                change_count=i,
            )
            for i in range(5)
        ]

    FeedbackMessage.objects.bulk_create(messages("d"))
    ours = messages("o")
    insert_rows(FeedbackMessage, ours)
    assert [m.pk for m in ours] == list(
        FeedbackMessage.objects.filter(sha256__startswith="o")
        .order_by("id")
        .values_list("pk", flat=True)
    )
    assert all(not m._state.adding for m in ours)
    theirs = _columns(FeedbackMessage, skip=["sha256"], sha256__startswith="d")
    assert _columns(FeedbackMessage, skip=["sha256"], sha256__startswith="o") == theirs

    # A key set from an object that was saved after it was assigned, as bulk_create allows.
    later = Company(display_name="ООО «Позже»", name_key="позже")
    task = Task(kind="company_check", key="company_check:later", company=later, payload={"a": 1})
    later.save()
    proposal = Proposal(kind="mark_left", person=person, company=None, payload={"date": "x"})
    insert_rows(Task, [task])
    insert_rows(Proposal, [proposal])
    assert Task.objects.get(pk=task.pk).company_id == later.pk
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.person_id, stored.company_id, stored.payload) == (person.pk, None, {"date": "x"})


def test_update_rows_writes_the_fields_given():
    company = Company.objects.create(display_name="ООО «Вега»", name_key="вега")
    person = Person.objects.create(company=company, full_name="Петров Иван", source="test")
    email = EmailAddress.objects.create(person=person, address="i.petrov@vega.example")
    when = timezone.now()
    email.status, email.bounce_count, email.last_bounce_at = "bounced", 2, when
    email.confidence = 0.25  # not among the fields written
    update_rows(EmailAddress, [email], ["status", "bounce_count", "last_bounce_at"])
    stored = EmailAddress.objects.get(pk=email.pk)
    assert (stored.status, stored.bounce_count, stored.last_bounce_at) == ("bounced", 2, when)
    assert stored.confidence != 0.25
