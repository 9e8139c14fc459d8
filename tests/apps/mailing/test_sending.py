"""Sending against a real SMTP server (aiosmtpd on 127.0.0.1): VERP, headers, pacing, resume."""

from __future__ import annotations

import email
from email import policy
from typing import Any

import pytest

from partnernet.apps.contacts.models import Suppression
from partnernet.apps.contacts.services import suppression_add
from partnernet.apps.mailing.models import Campaign, CampaignStatus, Delivery, DeliveryStatus
from partnernet.apps.mailing.services import (
    CampaignLocked,
    campaign_create,
    campaign_prepare,
    campaign_send,
    deliveries_requeue_interrupted,
    unsubscribe_token_apply,
)
from partnernet.engines.mailing import verp_decode

from .conftest import SECRET

pytestmark = pytest.mark.django_db

BODY = (
    "Здравствуйте, {{ greeting_name }}!\n\n"
    "Приглашаем **{{ company }}** на вебинар о новой линейке СХД.\n\n"
    "[Регистрация](https://partnernet.example/webinar)\n"
)


class Crash(BaseException):
    """A crash of the sending process (not an Exception: nothing may catch it)."""


def make_campaign(**extra: Any) -> Campaign:
    values = {
        "subject": "Приглашение на вебинар",
        "body": BODY,
        "from_address": "news@partnernet.example",
        "from_name": "Partnernet News",
        "audience": {"region": ["Москва"]},
    }
    values.update(extra)
    return campaign_create(**values)


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def test_send_sets_verp_unsubscribe_headers_and_personalises(partners, smtp_settings) -> None:
    campaign = make_campaign()
    report = campaign_send(campaign=campaign)

    vega_addresses = {
        "b.shinkarev@vega-it.example",
        "p.gorskin@vega-it.example",
        "r.tsyganov@vega-it.example",
    }
    assert report.sent == 3
    assert sorted(smtp_settings.recipients()) == sorted(vega_addresses)
    for received in smtp_settings.messages:
        delivery = Delivery.objects.get(address=received.rcpt_tos[0])
        # Envelope sender is the VERP address naming exactly this delivery.
        assert received.mail_from == f"bounces+{delivery.token}@news.partnernet.example"
        assert verp_decode(received.mail_from, SECRET.encode()) == delivery.pk
        message = parsed(received.data)
        assert message["Message-ID"] == delivery.message_id
        unsubscribe = message["List-Unsubscribe"]
        assert f"<mailto:unsubscribe+{delivery.token}@news.partnernet.example" in unsubscribe
        assert f"<https://partnernet.example/unsubscribe/{delivery.token}/>" in unsubscribe
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        first, patronymic = delivery.person.first_name, delivery.person.patronymic
        greeting = " ".join(p for p in (first, patronymic) if p)
        assert f"Здравствуйте, {greeting}!" in text
        assert "<strong>ООО «Вега ИТ»</strong>" in html
        assert "Регистрация (https://partnernet.example/webinar)" in text
        assert f"/unsubscribe/{delivery.token}/" in text  # the footer added to every letter
        assert delivery.status == DeliveryStatus.SENT and delivery.sent_at is not None
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DONE

    # A second run sends nothing: every row is already sent.
    again = campaign_send(campaign=campaign)
    assert again.sent == 0
    assert len(smtp_settings.messages) == 3


def test_suppressed_and_left_contacts_are_not_sent(partners, smtp_settings) -> None:
    campaign = make_campaign()
    campaign_prepare(campaign=campaign)
    assert campaign.deliveries.count() == 3
    # After the recipients were fixed: one unsubscribes elsewhere, erased people are hashed.
    suppression_add(value="p.gorskin@vega-it.example", reason="unsubscribed")
    suppression_add(value="r.tsyganov@vega-it.example", reason="erased", keep_value=False)
    assert Suppression.objects.filter(value="").count() == 1

    report = campaign_send(campaign=campaign)
    assert report.sent == 1 and report.suppressed == 2
    assert smtp_settings.recipients() == ["b.shinkarev@vega-it.example"]
    statuses = dict(campaign.deliveries.values_list("address", "status"))
    assert statuses["p.gorskin@vega-it.example"] == DeliveryStatus.SUPPRESSED
    assert statuses["r.tsyganov@vega-it.example"] == DeliveryStatus.SUPPRESSED


def test_one_delivery_per_address_even_when_prepared_twice(partners, smtp_settings) -> None:
    campaign = make_campaign(audience={})
    assert campaign_prepare(campaign=campaign) == 5
    assert campaign_prepare(campaign=campaign) == 0
    assert campaign.deliveries.count() == 5
    assert len(set(campaign.deliveries.values_list("token", flat=True))) == 5


def test_rate_limit_spaces_messages(partners, smtp_settings) -> None:
    campaign = make_campaign(audience={}, rate_per_minute=600)  # one every 0.1 s
    campaign_send(campaign=campaign)
    times = sorted(m.at for m in smtp_settings.messages)
    assert len(times) == 5
    # Lower bound only (never a speed assertion): five messages at 600/min need at least four
    # intervals of 0.1 s between the first and the last (less the first SMTP round trip).
    assert times[-1] - times[0] >= 0.35


@pytest.mark.parametrize("stage", ["claimed", "accepted"])
def test_resume_after_crash_sends_nothing_twice(partners, smtp_settings, stage) -> None:
    campaign = make_campaign(audience={})
    calls = {"n": 0}

    def crash_on_third(at: str, delivery: Delivery) -> None:
        if at == stage:
            calls["n"] += 1
            if calls["n"] == 3:
                raise Crash

    with pytest.raises(Crash):
        campaign_send(campaign=campaign, hook=crash_on_third)
    arrived_before = len(smtp_settings.messages)
    assert arrived_before == (2 if stage == "claimed" else 3)
    assert campaign.deliveries.filter(status=DeliveryStatus.SENDING).count() == 1

    report = campaign_send(campaign=campaign)
    assert report.interrupted_found == 1
    interrupted = campaign.deliveries.get(interrupted=True)
    assert interrupted.status == DeliveryStatus.FAILED
    received = smtp_settings.recipients()
    assert len(received) == len(set(received)), "a delivery was sent twice"
    assert len(received) == 4 + (1 if stage == "accepted" else 0)
    # Nothing is lost: every row is sent, except the interrupted one, which is visible.
    assert campaign.deliveries.filter(status=DeliveryStatus.SENT).count() == 4
    if stage == "claimed":
        # The user chooses to send the interrupted row again (at least once, on purpose).
        assert deliveries_requeue_interrupted(campaign=campaign) == 1
        campaign_send(campaign=campaign)
        assert sorted(smtp_settings.recipients()) == sorted(
            campaign.deliveries.values_list("address", flat=True)
        )


def test_temporary_and_permanent_refusals(partners, smtp_settings, settings) -> None:
    settings.PARTNERNET_MAIL_MAX_ATTEMPTS = 2
    smtp_settings.refuse["p.gorskin@vega-it.example"] = "450 4.2.1 Mailbox busy, try later"
    smtp_settings.refuse["r.tsyganov@vega-it.example"] = "550 5.1.1 No such user"
    campaign = make_campaign()
    report = campaign_send(campaign=campaign)
    rows = {d.address: d for d in campaign.deliveries.all()}
    assert rows["b.shinkarev@vega-it.example"].status == DeliveryStatus.SENT
    busy = rows["p.gorskin@vega-it.example"]
    assert busy.status == DeliveryStatus.FAILED and busy.attempts == 2
    assert "450" in busy.last_error
    gone = rows["r.tsyganov@vega-it.example"]
    assert gone.status == DeliveryStatus.FAILED and gone.attempts == 1 and "550" in gone.last_error
    assert report.sent == 1 and report.retried == 1 and report.failed == 2


def test_connection_lost_after_data_is_interrupted_not_resent(partners, smtp_settings) -> None:
    smtp_settings.drop_after_data.add("p.gorskin@vega-it.example")
    campaign = make_campaign()
    campaign_send(campaign=campaign)
    row = campaign.deliveries.get(address="p.gorskin@vega-it.example")
    assert row.status == DeliveryStatus.FAILED and row.interrupted
    received = smtp_settings.recipients()
    assert sorted(received) == sorted(set(received))
    assert campaign.deliveries.filter(status=DeliveryStatus.SENT).count() == 2


def test_server_down_pauses_and_keeps_queue(partners, settings) -> None:
    from tests.servers.fixtures import free_port

    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    campaign = make_campaign()
    report = campaign_send(campaign=campaign)
    assert report.aborted and report.sent == 0
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PAUSED and campaign.last_error
    assert campaign.deliveries.filter(status=DeliveryStatus.QUEUED).count() == 3


def test_live_run_holds_the_lock(partners, smtp_settings) -> None:
    import os
    from datetime import timedelta

    from django.utils import timezone

    campaign = make_campaign()
    # A run in another live process of this host (our parent) holds a fresh lease.
    Campaign.objects.filter(pk=campaign.pk).update(
        lock_owner=f"{__import__('socket').gethostname()}:{os.getppid()}:other",
        lock_expires=timezone.now() + timedelta(minutes=1),
    )
    with pytest.raises(CampaignLocked):
        campaign_send(campaign=campaign)
    assert smtp_settings.messages == []


def test_unsubscribe_token_suppresses_and_marks(partners, smtp_settings) -> None:
    campaign = make_campaign()
    campaign_send(campaign=campaign)
    delivery = campaign.deliveries.get(address="p.gorskin@vega-it.example")
    # Forged: the last character changed (to another one: a token may end in "x" itself).
    forged = delivery.token[:-1] + ("y" if delivery.token.endswith("x") else "x")
    assert unsubscribe_token_apply(token=forged) is None
    result = unsubscribe_token_apply(token=delivery.token)
    assert result is not None and result.status == DeliveryStatus.UNSUBSCRIBED
    assert Suppression.objects.filter(
        value="p.gorskin@vega-it.example", reason="unsubscribed"
    ).exists()
    # The next campaign skips the address (filtered out of the audience).
    second = make_campaign()
    campaign_prepare(campaign=second)
    assert "p.gorskin@vega-it.example" not in set(
        second.deliveries.values_list("address", flat=True)
    )
