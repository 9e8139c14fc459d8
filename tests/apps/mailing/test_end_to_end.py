"""End to end with real servers: a campaign goes out through aiosmtpd, realistic bounces and
auto-replies come back through a real Dovecot mailbox (IMAP APPEND), the intake reads them and
the contacts rules change the base. Every resulting change is checked."""

from __future__ import annotations

import email
from email import policy

import pytest

from partnernet.apps.contacts.models import (
    EmailAddress,
    EmailStatus,
    Proposal,
    ProposalKind,
    Suppression,
    Task,
    TaskKind,
)
from partnernet.apps.mailing.models import DeliveryStatus, FeedbackMessage
from partnernet.apps.mailing.services import campaign_create, campaign_send, imap_poll

from . import messages

pytestmark = pytest.mark.django_db


def _headers(raw: bytes) -> str:
    return raw.split(b"\r\n\r\n", 1)[0].decode().replace("\r\n", "\n")


def test_campaign_replies_through_imap_change_the_contacts(partners, smtp_settings, imap_account):
    campaign = campaign_create(
        subject="Приглашение на вебинар",
        body="Здравствуйте, {{ greeting_name }}! Приглашаем на вебинар.",
        from_address="news@partnernet.example",
        audience={},
    )
    report = campaign_send(campaign=campaign)
    assert report.sent == 5
    sent = {m.rcpt_tos[0]: m for m in smtp_settings.messages}

    def verp(address: str) -> str:
        return sent[address].mail_from

    def message_id(address: str) -> str:
        return email.message_from_bytes(sent[address].data, policy=policy.default)["Message-ID"]

    replies = [
        # 1. Shinkarev's mailbox is gone (Postfix DSN to his VERP address).
        messages.postfix_bounce(
            to_verp=verp("b.shinkarev@vega-it.example"),
            recipient="b.shinkarev@vega-it.example",
            original_headers=_headers(sent["b.shinkarev@vega-it.example"].data),
        ),
        # 2. Orion's server refuses our server: not whitelisted.
        messages.exchange_ru_blocked(
            to_verp=verp("o.kim@orion-sys.example"), recipient="o.kim@orion-sys.example"
        ),
        # 3. Gorskin is on vacation, names a stand-in (to From, not to the VERP address).
        messages.vacation_ru(
            sender="p.gorskin@vega-it.example",
            sender_name="Павел Горскин",
            to="news@partnernet.example",
            original_message_id=message_id("p.gorskin@vega-it.example"),
        ),
        # 4. Lebedeva left and names her successor.
        messages.left_ru(
            sender="a.lebedeva@orion-sys.example",
            to="news@partnernet.example",
            original_message_id=message_id("a.lebedeva@orion-sys.example"),
        ),
        # 5. Tsyganov's provider forwards a spam complaint (ARF).
        messages.arf_complaint(
            to_verp=verp("r.tsyganov@vega-it.example"),
            recipient="r.tsyganov@vega-it.example",
            original_headers=_headers(sent["r.tsyganov@vega-it.example"].data),
        ),
    ]
    imap_account.append(replies)
    assert imap_account.count("INBOX") == 5

    intake = imap_poll(
        host=imap_account.host,
        port=imap_account.port,
        user=imap_account.user,
        password=imap_account.password,
        ssl=False,
        batch_size=2,
    )
    assert intake.stored == 5 and intake.applied == 5 and intake.errors == 0
    assert intake.matched == 5
    # Processed messages were moved, not deleted.
    assert imap_account.count("INBOX") == 0
    assert imap_account.count("partnernet-processed") == 5

    stored = {m.delivery.address: m for m in FeedbackMessage.objects.select_related("delivery")}
    assert stored["b.shinkarev@vega-it.example"].matched_by == "verp"
    # The auto-reply came to From, but its In-Reply-To quotes our Message-ID with the token.
    assert stored["p.gorskin@vega-it.example"].matched_by == "verp"
    assert stored["b.shinkarev@vega-it.example"].kind == "bounce"
    assert stored["b.shinkarev@vega-it.example"].reason == "userunknown"
    assert stored["o.kim@orion-sys.example"].reason == "blocked"
    assert stored["p.gorskin@vega-it.example"].kind == "autoreply"
    assert stored["r.tsyganov@vega-it.example"].kind == "feedback"

    # Delivery statuses follow the feedback.
    status = dict(campaign.deliveries.values_list("address", "status"))
    assert status["b.shinkarev@vega-it.example"] == DeliveryStatus.BOUNCED
    assert status["o.kim@orion-sys.example"] == DeliveryStatus.BOUNCED
    assert status["r.tsyganov@vega-it.example"] == DeliveryStatus.COMPLAINED
    assert status["p.gorskin@vega-it.example"] == DeliveryStatus.SENT
    assert status["a.lebedeva@orion-sys.example"] == DeliveryStatus.SENT

    people = partners["people"]
    # 1. Dead mailbox: address bounced, a task to find Shinkarev's successor.
    assert EmailAddress.objects.get(address="b.shinkarev@vega-it.example").status == (
        EmailStatus.BOUNCED
    )
    assert Task.objects.filter(kind=TaskKind.FIND_SUCCESSOR, person=people["shinkarev"]).exists()
    assert Proposal.objects.filter(
        kind=ProposalKind.MARK_LEFT,
        person=people["shinkarev"],
        message_ref=stored["b.shinkarev@vega-it.example"].message_ref,
    ).exists()
    # 2. Whitelisting task for Orion, with its other channels.
    whitelist = Task.objects.get(kind=TaskKind.ASK_WHITELIST)
    assert whitelist.company == partners["orion"]
    kim = EmailAddress.objects.get(address="o.kim@orion-sys.example")
    assert kim.status != EmailStatus.BOUNCED  # the mailbox itself is fine
    # 3. Vacation: on leave until 15.01.2027 and a stand-in proposed, with the mobile number.
    on_leave = Proposal.objects.get(kind=ProposalKind.ON_LEAVE, person=people["gorskin"])
    assert "2027-01-15" in str(on_leave.payload)
    gorskin_proposals = Proposal.objects.filter(
        message_ref=stored["p.gorskin@vega-it.example"].message_ref
    )
    assert "a.tarasenko@vega-it.example" in str([p.payload for p in gorskin_proposals])
    assert "+79162345678" in str([p.payload for p in gorskin_proposals])
    # 4. Left: marked left (proposed) and the successor proposed as a new contact.
    lebedeva_ref = stored["a.lebedeva@orion-sys.example"].message_ref
    kinds = set(Proposal.objects.filter(message_ref=lebedeva_ref).values_list("kind", flat=True))
    assert ProposalKind.MARK_LEFT in kinds
    assert ProposalKind.NEW_CONTACT in kinds or ProposalKind.SUCCESSOR in kinds
    assert "e.sokolova@orion-sys.example" in str(
        list(Proposal.objects.filter(message_ref=lebedeva_ref).values_list("payload", flat=True))
    )
    # 5. Complaint: suppressed at once.
    assert Suppression.objects.filter(
        value="r.tsyganov@vega-it.example", reason="complained"
    ).exists()

    # Polling again finds nothing; appending the same bounce again changes nothing.
    imap_account.append(replies[:1])
    again = imap_poll(
        host=imap_account.host,
        port=imap_account.port,
        user=imap_account.user,
        password=imap_account.password,
        ssl=False,
    )
    assert again.seen == 1 and again.duplicates == 1 and again.stored == 0 and again.changes == 0
    assert imap_account.count("INBOX") == 0
    assert FeedbackMessage.objects.count() == 5
