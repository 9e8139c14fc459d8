"""The background tasks run the same services (django-tasks' immediate backend here)."""

from __future__ import annotations

import pytest

from partnernet.apps.mailing.models import DeliveryStatus, FeedbackMessage
from partnernet.apps.mailing.services import campaign_create
from partnernet.apps.mailing.tasks import campaign_send_task, imap_poll_task

from . import messages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_send_task_and_imap_poll_task(partners, smtp_settings, imap_account, settings) -> None:
    campaign = campaign_create(
        subject="Новости",
        body="Текст",
        audience={"city": ["Казань"]},
        from_address="news@partnernet.example",
    )
    result = campaign_send_task.enqueue(campaign.pk)
    assert result.return_value["sent"] == 2
    delivery = campaign.deliveries.get(address="o.kim@orion-sys.example")
    assert delivery.status == DeliveryStatus.SENT

    imap_account.append(
        [
            messages.exchange_ru_blocked(
                to_verp=smtp_settings.messages[0].mail_from
                if smtp_settings.messages[0].rcpt_tos == [delivery.address]
                else smtp_settings.messages[1].mail_from,
                recipient=delivery.address,
            )
        ]
    )
    settings.PARTNERNET_IMAP_HOST = imap_account.host
    settings.PARTNERNET_IMAP_PORT = imap_account.port
    settings.PARTNERNET_IMAP_USER = imap_account.user
    settings.PARTNERNET_IMAP_PASSWORD = imap_account.password
    settings.PARTNERNET_IMAP_SSL = "0"
    report = imap_poll_task.enqueue(reschedule=False).return_value
    assert report["stored"] == 1 and report["matched"] == 1 and report["moved"] == 1
    assert FeedbackMessage.objects.get().delivery == delivery


def test_imap_task_without_a_mailbox_does_nothing(db) -> None:
    assert "skipped" in imap_poll_task.enqueue(reschedule=False).return_value
