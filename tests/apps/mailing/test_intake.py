"""Intake from files, Maildir and mbox; idempotency; recovery; reparse; ESP exports."""

from __future__ import annotations

import mailbox
from pathlib import Path

import pytest

from partnernet.apps.contacts.models import EmailAddress, EmailStatus, FeedbackApplication
from partnernet.apps.mailing.models import DeliveryStatus, FeedbackMessage
from partnernet.apps.mailing.services import (
    IntakeItem,
    campaign_create,
    campaign_prepare,
    esp_import,
    feedback_intake,
    feedback_intake_many,
    feedback_intake_paths,
    feedback_reparse,
)
from partnernet.engines.mailfeedback import PARSER_VERSION

from . import messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(partners):
    campaign = campaign_create(
        subject="Новости", body="Текст", from_address="news@partnernet.example", audience={}
    )
    campaign_prepare(campaign=campaign)
    campaign.deliveries.update(status=DeliveryStatus.SENT, sent_at="2026-11-26T07:00:00Z")
    return campaign


def bounce_for(campaign, address: str) -> bytes:
    delivery = campaign.deliveries.get(address=address)
    return messages.postfix_bounce(
        to_verp=f"bounces+{delivery.token}@news.partnernet.example",
        recipient=address,
        original_headers=f"Message-ID: {delivery.message_id}\nTo: {address}\n",
    )


def test_single_message_is_stored_matched_and_idempotent(campaign) -> None:
    raw = bounce_for(campaign, "r.tsyganov@vega-it.example")
    message = feedback_intake(raw=raw, origin="file:bounce.eml")
    assert message.kind == "bounce" and message.reason == "userunknown"
    assert bytes(message.raw) == raw and len(message.sha256) == 64
    assert message.parser_version == PARSER_VERSION
    assert message.result["recipients"][0]["address"] == "r.tsyganov@vega-it.example"
    assert message.delivery.address == "r.tsyganov@vega-it.example"
    assert message.matched_by == "verp" and message.applied_at is not None
    assert message.change_count > 0
    assert message.delivery.status == DeliveryStatus.BOUNCED
    assert message.delivery.bounce_reason == "userunknown"
    assert EmailAddress.objects.get(address="r.tsyganov@vega-it.example").status == (
        EmailStatus.BOUNCED
    )
    again = feedback_intake_many(items=[IntakeItem(origin="file:copy.eml", raw=raw)])
    assert again.duplicates == 1 and again.stored == 0 and again.changes == 0
    assert FeedbackMessage.objects.count() == 1


def test_autoreply_without_references_matches_by_sender(campaign) -> None:
    raw = messages.vacation_ru(
        sender="p.gorskin@vega-it.example",
        sender_name="Павел Горскин",
        to="news@partnernet.example",
        original_message_id="<unknown@elsewhere.example>",
    )
    message = feedback_intake(raw=raw)
    assert message.kind == "autoreply"
    assert message.matched_by == "sender"
    assert message.delivery.address == "p.gorskin@vega-it.example"


def test_forged_token_does_not_match(campaign) -> None:
    delivery = campaign.deliveries.get(address="o.kim@orion-sys.example")
    forged = delivery.token[:-2] + ("aa" if not delivery.token.endswith("aa") else "bb")
    raw = messages.postfix_bounce(
        to_verp=f"bounces+{forged}@news.partnernet.example",
        recipient="nobody@unknown.example",
        original_headers="Subject: x\n",
    )
    message = feedback_intake(raw=raw)
    assert message.delivery is None


def test_maildir_mbox_and_files(campaign, tmp_path: Path) -> None:
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    maildir.add(bounce_for(campaign, "r.tsyganov@vega-it.example"))
    maildir.add(bounce_for(campaign, "o.kim@orion-sys.example"))
    box = mailbox.mbox(tmp_path / "replies.mbox")
    box.add(mailbox.mboxMessage(bounce_for(campaign, "a.lebedeva@orion-sys.example")))
    box.add(mailbox.mboxMessage(bounce_for(campaign, "o.kim@orion-sys.example")))  # seen above
    box.flush()
    single = tmp_path / "one.eml"
    single.write_bytes(bounce_for(campaign, "p.gorskin@vega-it.example"))
    report = feedback_intake_paths(
        paths=[str(tmp_path / "Maildir"), str(tmp_path / "replies.mbox"), str(single)]
    )
    assert report.seen == 5
    # The mbox copy of Kim's bounce differs only by the "From " line the mbox format strips.
    assert report.stored + report.duplicates == 5
    assert report.stored >= 4 and report.errors == 0
    bounced = set(
        campaign.deliveries.filter(status=DeliveryStatus.BOUNCED).values_list("address", flat=True)
    )
    assert bounced == {
        "r.tsyganov@vega-it.example",
        "o.kim@orion-sys.example",
        "a.lebedeva@orion-sys.example",
        "p.gorskin@vega-it.example",
    }


def test_parallel_parsing_gives_the_same_result(campaign) -> None:
    items = [
        IntakeItem(origin=f"n{i}", raw=bounce_for(campaign, a))
        for i, a in enumerate(
            [
                "r.tsyganov@vega-it.example",
                "o.kim@orion-sys.example",
                "a.lebedeva@orion-sys.example",
            ]
        )
    ]
    report = feedback_intake_many(items=items, workers=2, batch_size=2)
    assert report.stored == 3 and report.applied == 3 and report.errors == 0


def test_stored_but_not_applied_is_applied_on_the_next_run(campaign) -> None:
    raw = bounce_for(campaign, "o.kim@orion-sys.example")
    message = feedback_intake(raw=raw)
    # Simulate a crash between storing and applying: forget the application.
    FeedbackApplication.objects.filter(message_ref=message.message_ref).delete()
    FeedbackMessage.objects.filter(pk=message.pk).update(applied_at=None)
    report = feedback_intake_many(items=[IntakeItem(origin="again", raw=raw)])
    assert report.stored == 0 and report.applied == 1
    assert FeedbackApplication.objects.filter(message_ref=message.message_ref).exists()


def test_rule_failure_keeps_the_message(campaign, monkeypatch) -> None:
    from partnernet.apps.mailing import intake

    def broken(**kwargs):
        raise RuntimeError("rules broke")

    monkeypatch.setattr(intake, "feedback_apply_many", broken)
    raw = bounce_for(campaign, "o.kim@orion-sys.example")
    report = feedback_intake_many(items=[IntakeItem(origin="x", raw=raw)])
    assert report.errors == 1
    message = FeedbackMessage.objects.get()
    assert "rules broke" in message.error and message.applied_at is None
    monkeypatch.undo()
    retry = feedback_intake_many(items=[IntakeItem(origin="x", raw=raw)])
    assert retry.applied == 1
    message.refresh_from_db()
    assert message.applied_at is not None and message.error == ""


def test_imap_crash_mid_run_loses_nothing(campaign, imap_account, monkeypatch) -> None:
    """The next batch is read ahead while one is written and moves wait for several commits; a
    crash in the second batch still moves the first and leaves it and every later message in
    the inbox, and the next poll takes them."""
    from partnernet.apps.mailing import intake
    from partnernet.apps.mailing.services import imap_poll

    addresses = [
        "b.shinkarev@vega-it.example",
        "p.gorskin@vega-it.example",
        "r.tsyganov@vega-it.example",
        "a.lebedeva@orion-sys.example",
        "o.kim@orion-sys.example",
    ]
    imap_account.append([bounce_for(campaign, a) for a in addresses])
    original = intake._intake_batch
    batches: list[int] = []

    def crashing(planned, *args, **kwargs):
        batches.append(len(planned))
        if len(batches) == 2:
            raise RuntimeError("power cut")
        return original(planned, *args, **kwargs)

    monkeypatch.setattr(intake, "_intake_batch", crashing)
    account = {
        "host": imap_account.host,
        "port": imap_account.port,
        "user": imap_account.user,
        "password": imap_account.password,
        "ssl": False,
        "batch_size": 2,
    }
    with pytest.raises(RuntimeError, match="power cut"):
        imap_poll(**account)
    assert imap_account.count("INBOX") == 3
    assert imap_account.count("partnernet-processed") == 2
    assert FeedbackMessage.objects.count() == 2
    monkeypatch.undo()
    report = imap_poll(**account, move_size=2)
    assert (report.stored, report.applied, report.moved, report.errors) == (3, 3, 3, 0)
    assert imap_account.count("INBOX") == 0
    assert imap_account.count("partnernet-processed") == 5
    bounced = EmailAddress.objects.filter(address__in=addresses, status=EmailStatus.BOUNCED)
    assert bounced.count() == 5


def test_reparse_updates_old_results_and_reapplies(campaign) -> None:
    message = feedback_intake(raw=bounce_for(campaign, "o.kim@orion-sys.example"))
    FeedbackMessage.objects.filter(pk=message.pk).update(
        parser_version="0.9", kind="other", reason="", result={"kind": "other", "recipients": []}
    )
    counts = feedback_reparse(reapply=True)
    assert counts == {"checked": 1, "changed": 1, "reapplied": 1}
    message.refresh_from_db()
    assert message.kind == "bounce" and message.parser_version == PARSER_VERSION
    assert FeedbackApplication.objects.filter(message_ref=message.message_ref).count() == 1
    assert feedback_reparse() == {"checked": 0, "changed": 0, "reapplied": 0}


ESP_CSV = (
    "Email;Статус;Причина;Дата\n"
    "r.tsyganov@vega-it.example;err_user_unknown;;2026-11-26 10:00\n"
    "o.kim@orion-sys.example;bounce;550 5.7.1 Sender is not whitelisted;2026-11-26 10:01\n"
    "p.gorskin@vega-it.example;spam;;2026-11-26 10:02\n"
    "a.lebedeva@orion-sys.example;delivered;;2026-11-26 10:03\n"
    "b.shinkarev@vega-it.example;unsubscribed;;2026-11-26 10:04\n"
)


def test_esp_export_import(campaign) -> None:
    data = ESP_CSV.encode("cp1251")
    report = esp_import(data=data, name="unisender.csv")
    assert report.stored == 4 and report.matched == 4  # the "delivered" row is skipped
    status = dict(campaign.deliveries.values_list("address", "status"))
    assert status["r.tsyganov@vega-it.example"] == DeliveryStatus.BOUNCED
    assert status["o.kim@orion-sys.example"] == DeliveryStatus.BOUNCED
    assert status["p.gorskin@vega-it.example"] == DeliveryStatus.COMPLAINED
    assert status["b.shinkarev@vega-it.example"] == DeliveryStatus.UNSUBSCRIBED
    assert status["a.lebedeva@orion-sys.example"] == DeliveryStatus.SENT
    assert EmailAddress.objects.get(address="r.tsyganov@vega-it.example").status == (
        EmailStatus.BOUNCED
    )
    from partnernet.apps.contacts.models import Suppression

    assert set(Suppression.objects.values_list("value", "reason")) >= {
        ("p.gorskin@vega-it.example", "complained"),
    }
    assert esp_import(data=data, name="unisender.csv").duplicates == 4
