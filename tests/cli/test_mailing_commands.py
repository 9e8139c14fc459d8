"""``partnernet mailing …`` through call_command, against a real aiosmtpd server."""

from __future__ import annotations

import io
import json
import mailbox
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from partnernet.apps.mailing.models import DeliveryStatus, FeedbackMessage
from partnernet.apps.mailing.services import campaign_create
from tests.apps.mailing import messages
from tests.apps.mailing.conftest import _mail_settings, partners, smtp_settings  # noqa: F401
from tests.servers.fixtures import smtp_server  # noqa: F401

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_send_then_intake_then_reparse(partners, smtp_settings, tmp_path: Path) -> None:  # noqa: F811
    campaign = campaign_create(
        subject="Новости",
        body="Текст",
        audience={"city": ["Казань"]},
        from_address="news@partnernet.example",
    )
    first = run("mailing", "send", str(campaign.pk), "--limit", "1")
    assert first["sent"] == 1 and first["remaining"] == 1 and first["status"] == "paused"
    rest = run("mailing", "send", str(campaign.pk))
    assert rest["sent"] == 1 and rest["remaining"] == 0 and rest["status"] == "done"
    assert sorted(smtp_settings.recipients()) == [
        "a.lebedeva@orion-sys.example",
        "o.kim@orion-sys.example",
    ]

    delivery = campaign.deliveries.get(address="o.kim@orion-sys.example")
    box = mailbox.mbox(tmp_path / "replies.mbox")
    box.add(
        mailbox.mboxMessage(
            messages.postfix_bounce(
                to_verp=f"bounces+{delivery.token}@news.partnernet.example",
                recipient=delivery.address,
                original_headers=f"Message-ID: {delivery.message_id}\n",
            )
        )
    )
    box.flush()
    report = run("mailing", "intake", "--mbox", str(tmp_path / "replies.mbox"))
    assert report["stored"] == 1 and report["matched"] == 1 and report["kinds"] == {"bounce": 1}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BOUNCED

    FeedbackMessage.objects.update(parser_version="0.1")
    assert run("mailing", "reparse")["checked"] == 1

    csv = tmp_path / "export.csv"
    csv.write_text("email,event\na.lebedeva@orion-sys.example,complaint\n")
    esp = run("mailing", "import-esp", str(csv))
    assert esp["stored"] == 1 and esp["matched"] == 1


def test_errors_are_clear(db) -> None:
    with pytest.raises(CommandError):
        call_command("mailing", "send", "999")
    with pytest.raises(CommandError):
        call_command("mailing", "intake")
    with pytest.raises(CommandError):
        call_command("mailing", "intake", "--maildir", "/nonexistent/Maildir")
