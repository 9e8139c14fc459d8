"""The rules that turn replies to a mailing into contact changes, on messages parsed for real."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.contacts.models import (
    EmailAddress,
    EmailStatus,
    EmploymentStatus,
    Person,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Suppression,
    Task,
    TaskKind,
)
from partnernet.apps.contacts.services import (
    audience_filter,
    feedback_apply,
    feedback_revert,
    person_create,
    proposals_accept,
    suppression_is_blocked,
)
from partnernet.apps.register.models import Company
from partnernet.engines.mailfeedback import parse_message

from . import messages as m

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 11, 16, 11, 0, tzinfo=dt.UTC)


def apply(raw: bytes, ref: str, **kwargs):
    return feedback_apply(
        result=parse_message(raw), message_ref=ref, received_at=RECEIVED, **kwargs
    )


def test_user_unknown_after_data_labelled_filtered_still_proposes_departure(vega):
    # sisimai's vocabulary calls a "User unknown" refused after DATA "filtered" (not hard); the
    # 5xx code and the words say the mailbox is gone, so the rules treat it as userunknown.
    _company, people = vega
    raw = m.postfix_bounce(
        "p.gorskin@vega-it.example", code="550 5.0.0", text="User unknown", command="end of DATA"
    )
    result = parse_message(raw)
    assert [(r.reason, r.hard) for r in result.recipients] == [("filtered", False)]
    apply(raw, "msg-filtered")
    proposal = Proposal.objects.get(kind=ProposalKind.MARK_LEFT, person=people["gorskin"])
    assert proposal.status == ProposalStatus.PENDING
    assert not Task.objects.filter(kind=TaskKind.ASK_WHITELIST).exists()


def test_userunknown_bounce_marks_address_and_proposes_departure(vega):
    company, people = vega
    gorskin = people["gorskin"]
    changes = apply(m.postfix_bounce("p.gorskin@vega-it.example"), "msg-1")

    email = EmailAddress.objects.get(address="p.gorskin@vega-it.example")
    assert email.status == EmailStatus.BOUNCED
    assert email.bounce_count == 1
    assert email.last_bounce_reason == "userunknown"
    # The person is not changed yet: departure is a proposal in the review queue.
    gorskin.refresh_from_db()
    assert gorskin.status == EmploymentStatus.ACTIVE
    proposal = Proposal.objects.get(kind=ProposalKind.MARK_LEFT, person=gorskin)
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.message_ref == "msg-1"
    task = Task.objects.get(kind=TaskKind.FIND_SUCCESSOR)
    assert task.person == gorskin and task.company == company
    assert {c["object_type"] for c in changes} >= {
        "contacts.emailaddress",
        "contacts.proposal",
        "contacts.task",
    }
    # The bounced address leaves the audience; the other people stay.
    assert not audience_filter(EmailAddress.objects.filter(pk=email.pk)).exists()
    assert set(audience_filter(Person.objects.all())) == {people["shinkarev"], people["tsyganov"]}

    proposals_accept(proposals=[proposal])
    gorskin.refresh_from_db()
    assert gorskin.status == EmploymentStatus.LEFT
    assert gorskin.left_on == dt.date(2026, 11, 16)
    assert gorskin.events.get().status == EmploymentStatus.LEFT


def test_apply_mode_marks_left_at_once_and_keeps_the_person(vega):
    _, people = vega
    apply(m.exchange_ru_userunknown("p.gorskin@vega-it.example"), "msg-ru", mode="apply")
    gorskin = Person.objects.get(pk=people["gorskin"].pk)
    assert gorskin.status == EmploymentStatus.LEFT
    assert Proposal.objects.get(person=gorskin).status == ProposalStatus.ACCEPTED
    # Never deleted: history and phones stay.
    assert gorskin.events.count() == 1


def test_reapplying_the_same_message_changes_nothing(vega):
    raw = m.postfix_bounce("p.gorskin@vega-it.example")
    first = apply(raw, "msg-1")
    log_size = ChangeLogEntry.objects.count()
    again = apply(raw, "msg-1")
    assert first and again == []
    assert ChangeLogEntry.objects.count() == log_size
    assert EmailAddress.objects.get(address="p.gorskin@vega-it.example").bounce_count == 1
    assert Proposal.objects.count() == 1 and Task.objects.count() == 1


@override_settings(PARTNERNET_LEFT_AFTER_BOUNCES=2)
def test_second_confirmation_setting_waits_for_another_bounce(vega):
    apply(m.postfix_bounce("p.gorskin@vega-it.example", delivery="a"), "msg-a")
    email = EmailAddress.objects.get(address="p.gorskin@vega-it.example")
    assert email.bounce_count == 1 and email.status == EmailStatus.UNVERIFIED
    assert not Proposal.objects.exists() and not Task.objects.exists()
    assert audience_filter(EmailAddress.objects.filter(pk=email.pk)).exists()
    apply(m.exchange_ru_userunknown("p.gorskin@vega-it.example", delivery="b"), "msg-b")
    email.refresh_from_db()
    assert email.bounce_count == 2 and email.status == EmailStatus.BOUNCED
    assert Proposal.objects.filter(kind=ProposalKind.MARK_LEFT).count() == 1


def test_person_with_another_working_address_is_not_proposed_as_gone(vega):
    _, people = vega
    EmailAddress.objects.create(
        person=people["gorskin"],
        address="gorskin@vega-it.example",
        domain="vega-it.example",
        status=EmailStatus.VALID,
    )
    apply(m.postfix_bounce("p.gorskin@vega-it.example"), "msg-1")
    assert not Proposal.objects.exists()
    assert not Task.objects.exists()


def test_every_address_of_a_company_bouncing_opens_a_company_check(vega):
    company, _ = vega
    for n, who in enumerate(["p.gorskin", "b.shinkarev", "r.tsyganov"]):
        apply(m.postfix_bounce(f"{who}@vega-it.example", delivery=f"x{n}"), f"msg-{n}")
        checks = Task.objects.filter(kind=TaskKind.COMPANY_CHECK)
        assert checks.count() == (1 if n == 2 else 0)
    task = Task.objects.get(kind=TaskKind.COMPANY_CHECK)
    assert task.company == company
    assert task.payload["inn"] == "7707083893"
    assert len(task.payload["bounced_addresses"]) == 3
    assert Task.objects.filter(kind=TaskKind.FIND_SUCCESSOR).count() == 3


def test_hostunknown_checks_the_company_of_the_domain_without_marking_people_gone(vega):
    company, _people = vega
    apply(m.hostunknown("b.shinkarev@vega-it.example"), "msg-h")
    task = Task.objects.get(kind=TaskKind.COMPANY_CHECK)
    assert task.company == company
    assert "vega-it.example" in task.title
    email = EmailAddress.objects.get(address="b.shinkarev@vega-it.example")
    assert email.status == EmailStatus.BOUNCED
    assert not Proposal.objects.filter(kind=ProposalKind.MARK_LEFT).exists()


def test_hostunknown_for_an_unknown_address_still_finds_the_company_by_domain(vega):
    company, _ = vega
    apply(m.hostunknown("info@vega-it.example"), "msg-h2")
    assert Task.objects.get(kind=TaskKind.COMPANY_CHECK).company == company


def test_not_whitelisted_asks_the_partner_through_other_channels(vega):
    company, people = vega
    apply(m.not_whitelisted("b.shinkarev@vega-it.example"), "msg-w1")
    task = Task.objects.get(kind=TaskKind.ASK_WHITELIST)
    assert task.company == company
    channels = task.payload["channels"]
    assert channels["company_phones"] == ["+74957001020"]
    # Цыганов has a phone: he is another way in; Шинкарев's address was the rejected one.
    assert [p["name"] for p in channels["people"]] == [people["tsyganov"].full_name]
    email = EmailAddress.objects.get(address="b.shinkarev@vega-it.example")
    assert email.status != EmailStatus.BOUNCED and email.soft_bounce_count == 1
    # A second rejection adds evidence to the same task instead of opening another.
    apply(m.not_whitelisted("r.tsyganov@vega-it.example", delivery="d8"), "msg-w2")
    task = Task.objects.get(kind=TaskKind.ASK_WHITELIST)
    assert task.payload["messages"] == ["msg-w1", "msg-w2"]


def test_mailbox_full_is_only_counted(vega):
    apply(m.mailbox_full("b.shinkarev@vega-it.example"), "msg-f")
    email = EmailAddress.objects.get(address="b.shinkarev@vega-it.example")
    assert email.soft_bounce_count == 1 and email.status == EmailStatus.UNVERIFIED
    assert not Task.objects.exists() and not Proposal.objects.exists()


def test_verp_delivery_address_wins_over_a_rewritten_recipient(vega):
    # The bounce quotes an alias; the VERP return path tells which delivery it was.
    apply(
        m.postfix_bounce("pavel@mx-internal.example"),
        "msg-v",
        delivery_address="p.gorskin@vega-it.example",
    )
    assert EmailAddress.objects.get(address="p.gorskin@vega-it.example").status == "bounced"


LEFT_BODY = (
    "Павел Горскин больше не работает в компании.\n"
    "По всем вопросам обращайтесь к Ольге Смирновой, менеджеру по работе с партнёрами:\n"
    "o.smirnova@vega-it.example, +7 (495) 700-10-25.\n"
)


def test_autoreply_naming_a_replacement_proposes_the_successor(vega):
    company, people = vega
    apply(m.autoreply("p.gorskin@vega-it.example", "Павел Горскин", LEFT_BODY), "msg-l")
    kinds = sorted(Proposal.objects.values_list("kind", flat=True))
    assert kinds == [ProposalKind.MARK_LEFT, ProposalKind.NEW_CONTACT]
    new = Proposal.objects.get(kind=ProposalKind.NEW_CONTACT)
    assert new.payload["full_name"] == "Ольга Смирнова"
    assert new.payload["email"] == "o.smirnova@vega-it.example"
    assert new.payload["phones"] == ["+74957001025"]
    assert new.company == company
    # A replacement is named: no task to look for one.
    assert not Task.objects.filter(kind=TaskKind.FIND_SUCCESSOR).exists()

    proposals_accept(proposals=Proposal.objects.all())
    gorskin = Person.objects.get(pk=people["gorskin"].pk)
    smirnova = Person.objects.get(emails__address="o.smirnova@vega-it.example")
    assert gorskin.status == EmploymentStatus.LEFT
    assert gorskin.successor == smirnova
    assert smirnova.company == company
    assert (smirnova.surname, smirnova.first_name) == ("Смирнова", "Ольга")
    assert smirnova.position == "менеджер по работе с партнёрами"
    assert list(smirnova.phones.values_list("number", flat=True)) == ["+74957001025"]
    assert "msg-l" in smirnova.source


def test_left_autoreply_naming_a_known_colleague_links_them(vega):
    _, people = vega
    body = (
        "Павел Горскин в компании больше не работает.\n"
        "Ваши вопросы теперь ведёт Роман Цыганов: r.tsyganov@vega-it.example.\n"
    )
    apply(m.autoreply("p.gorskin@vega-it.example", "Павел Горскин", body), "msg-k", mode="apply")
    gorskin = Person.objects.get(pk=people["gorskin"].pk)
    assert gorskin.successor == people["tsyganov"]
    assert Person.objects.count() == 3


VACATION_BODY = (
    "Добрый день!\nЯ в отпуске до 18 января 2027 года, почту читаю нерегулярно.\n"
    "Срочные вопросы: моб. +7 916 555-44-33.\n"
    "В моё отсутствие обращайтесь к Роману Цыганову (r.tsyganov@vega-it.example) "
    "или к Елене Котовой (e.kotova@vega-it.example, +7 495 700-10-30).\n"
)


def test_vacation_proposes_leave_mobile_and_stand_ins(vega):
    company, people = vega
    shinkarev = people["shinkarev"]
    Company.objects.filter(pk=company.pk).update(last_confirmed=RECEIVED - dt.timedelta(days=400))
    apply(m.autoreply("b.shinkarev@vega-it.example", "Борис Шинкарев", VACATION_BODY), "msg-v1")
    by_kind = {p.kind: p for p in Proposal.objects.all()}
    assert set(by_kind) == {
        ProposalKind.ON_LEAVE,
        ProposalKind.NEW_PHONE,
        ProposalKind.STAND_IN,
        ProposalKind.NEW_CONTACT,
    }
    assert by_kind[ProposalKind.ON_LEAVE].payload["until"] == "2027-01-18"
    assert by_kind[ProposalKind.NEW_PHONE].payload == {"number": "+79165554433", "kind": "mobile"}
    assert by_kind[ProposalKind.STAND_IN].payload == {"stand_in_id": people["tsyganov"].pk}
    assert by_kind[ProposalKind.NEW_CONTACT].payload["stand_in_for"] == shinkarev.pk
    # The answer itself confirms the address, and that the company is alive.
    email = EmailAddress.objects.get(address="b.shinkarev@vega-it.example")
    assert email.status == EmailStatus.VALID and email.last_confirmed == RECEIVED
    company.refresh_from_db()
    assert company.last_confirmed == RECEIVED

    proposals_accept(proposals=Proposal.objects.all())
    shinkarev.refresh_from_db()
    assert shinkarev.status == EmploymentStatus.ON_LEAVE
    assert shinkarev.on_leave_until == dt.date(2027, 1, 18)
    assert shinkarev.phones.get(number="+79165554433").kind == "mobile"
    stand_ins = set(shinkarev.stand_ins.values_list("full_name", flat=True))
    assert stand_ins == {people["tsyganov"].full_name, "Елена Котова"}
    assert Person.objects.get(full_name="Елена Котова").company == company


def test_a_second_vacation_reply_does_not_duplicate_pending_proposals(vega):
    raw1 = m.autoreply("b.shinkarev@vega-it.example", "Борис Шинкарев", VACATION_BODY)
    raw2 = m.autoreply("b.shinkarev@vega-it.example", "Борис Шинкарев", VACATION_BODY, msgid="ar2")
    apply(raw1, "msg-v1")
    count = Proposal.objects.count()
    apply(raw2, "msg-v2")
    assert Proposal.objects.count() == count


def test_complaint_suppresses_the_address_at_once(vega):
    apply(m.arf_complaint("b.shinkarev@vega-it.example"), "msg-c")
    entry = Suppression.objects.get()
    assert entry.reason == "complained" and entry.value == "b.shinkarev@vega-it.example"
    assert suppression_is_blocked("B.Shinkarev@vega-it.example")
    assert not suppression_is_blocked("r.tsyganov@vega-it.example")
    emails = audience_filter(EmailAddress.objects.all())
    assert "b.shinkarev@vega-it.example" not in set(emails.values_list("address", flat=True))


def test_revert_undoes_a_message(vega):
    _, people = vega
    apply(
        m.autoreply("p.gorskin@vega-it.example", "Павел Горскин", LEFT_BODY), "msg-l", mode="apply"
    )
    assert Person.objects.count() == 4
    feedback_revert(message_ref="msg-l")
    gorskin = Person.objects.get(pk=people["gorskin"].pk)
    assert gorskin.status == EmploymentStatus.ACTIVE and gorskin.successor is None
    assert gorskin.left_on is None and not gorskin.events.exists()
    assert Person.objects.count() == 3
    assert not Proposal.objects.exists()
    # Once reverted, the message can be applied again.
    assert apply(m.autoreply("p.gorskin@vega-it.example", "Павел Горскин", LEFT_BODY), "msg-l")


def test_every_change_is_in_the_change_log_with_the_message_as_source(vega):
    changes = apply(m.postfix_bounce("p.gorskin@vega-it.example"), "msg-1")
    entries = ChangeLogEntry.objects.filter(batch="msg-1")
    assert entries.count() == len(changes)
    assert all("msg-1" in e.reason for e in entries)
    update = entries.get(object_type="contacts.emailaddress")
    assert update.changes["status"] == ["unverified", "bounced"]


def test_guessed_address_bounce_rejects_the_guess_not_the_person(vega):
    company, _ = vega
    kotov = person_create(full_name="Котов Олег", company=company, source="test")
    EmailAddress.objects.create(
        person=kotov,
        address="o.kotov@vega-it.example",
        domain="vega-it.example",
        status=EmailStatus.GUESSED,
        confidence=0.9,
        use_for_mailing=True,
    )
    apply(m.postfix_bounce("o.kotov@vega-it.example"), "msg-g")
    email = EmailAddress.objects.get(address="o.kotov@vega-it.example")
    assert email.status == EmailStatus.BOUNCED and not email.use_for_mailing
    assert not Proposal.objects.exists() and not Task.objects.exists()


def test_unknown_sender_and_unknown_company_change_nothing(db):
    Company.objects.create(display_name="ООО Прочее", name_key="прочее")
    changes = apply(m.postfix_bounce("nobody@elsewhere.example"), "msg-u")
    assert changes == []
    assert not Proposal.objects.exists() and not Task.objects.exists()


def test_suspended_mailbox_counts_as_gone(vega):
    _, _people = vega
    result = parse_message(m.exim_suspended("p.gorskin@vega-it.example"))
    assert result.recipients[0].reason == "suspend"
    feedback_apply(result=result, message_ref="msg-s", received_at=RECEIVED)
    assert EmailAddress.objects.get(address="p.gorskin@vega-it.example").status == "bounced"
    assert Proposal.objects.get().kind == ProposalKind.MARK_LEFT
    assert Task.objects.get().kind == TaskKind.FIND_SUCCESSOR


def test_moved_within_the_company_proposes_the_new_address(vega):
    _, people = vega
    body = (
        "Здравствуйте! Мой адрес изменился.\n"
        "Пишите мне, пожалуйста, на новый адрес: pavel.gorskin@vega-it.example\n"
    )
    result = parse_message(
        m.autoreply(
            "p.gorskin@vega-it.example", "Павел Горскин", body, subject="Автоответ: смена адреса"
        )
    )
    assert result.autoreply.type == "moved"
    apply(
        m.autoreply(
            "p.gorskin@vega-it.example", "Павел Горскин", body, subject="Автоответ: смена адреса"
        ),
        "msg-m",
        mode="apply",
    )
    gorskin = Person.objects.get(pk=people["gorskin"].pk)
    assert gorskin.status == EmploymentStatus.ACTIVE
    assert set(gorskin.emails.values_list("address", flat=True)) == {
        "p.gorskin@vega-it.example",
        "pavel.gorskin@vega-it.example",
    }


def test_moved_to_another_domain_means_the_person_left(vega):
    _, _people = vega
    body = (
        "Здравствуйте! Мой адрес изменился.\n"
        "Пишите мне, пожалуйста, на новый адрес: p.gorskin@other-firm.example\n"
    )
    raw = m.autoreply(
        "p.gorskin@vega-it.example", "Павел Горскин", body, subject="Автоответ: смена адреса"
    )
    assert parse_message(raw).autoreply.type == "moved"
    apply(raw, "msg-m2")
    proposal = Proposal.objects.get(kind=ProposalKind.MARK_LEFT)
    assert "p.gorskin@other-firm.example" in proposal.payload["note"]
    assert Task.objects.get().kind == TaskKind.FIND_SUCCESSOR


def test_unsubscribe_suppresses_once(vega):
    from partnernet.apps.contacts.services import unsubscribe_apply

    assert unsubscribe_apply(address="R.Tsyganov@vega-it.example", message_ref="u1")
    assert not unsubscribe_apply(address="r.tsyganov@vega-it.example", message_ref="u2")
    entry = Suppression.objects.get()
    assert entry.reason == "unsubscribed" and entry.message_ref == "u1"
    assert suppression_is_blocked("r.tsyganov@vega-it.example")


def test_unsubscribe_reply_suppresses_as_unsubscribed_not_complained(vega):
    raw = (
        b"From: Boris Shinkarev <b.shinkarev@vega-it.example>\r\n"
        b"To: unsubscribe@news.partnernet.example\r\n"
        b"Subject: unsubscribe\r\n"
        b"X-Apple-Unsubscribe: true\r\n"
        b"Message-ID: <u1@vega-it.example>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"This message was automatically generated by Mail to unsubscribe.\r\n"
    )
    apply(raw, "msg-u")
    entry = Suppression.objects.get()
    assert entry.reason == "unsubscribed" and entry.value == "b.shinkarev@vega-it.example"
