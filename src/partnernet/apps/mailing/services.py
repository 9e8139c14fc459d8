"""Writes of the mailing app (one import point; the work is done in :mod:`.sending` and
:mod:`.intake`).

Campaigns and sending::

    campaign_create(*, user=None, **fields) -> Campaign
    campaign_update(*, campaign, **fields) -> Campaign
    campaign_prepare(*, campaign, recipients=None) -> int        # delivery rows, once per address
    campaign_send(*, campaign, limit=None, rate_per_minute=None, progress=None, ...) -> SendReport
    deliveries_requeue_interrupted(*, campaign) -> int            # at-least-once, on purpose
    deliveries_requeue_failed(*, campaign) -> int
    unsubscribe_token_apply(*, token, via="link") -> Delivery | None

Intake::

    feedback_intake(*, raw, origin="", received_at=None, mode=None) -> FeedbackMessage
    feedback_intake_many(*, items, mode=None, batch_size=500, workers=1, ...) -> IntakeReport
    feedback_intake_paths(*, paths, ...) -> IntakeReport          # .eml, Maildir, mbox
    imap_poll(*, host, port, user, password, ssl, folder, processed_folder, ...) -> IntakeReport
    esp_import(*, data, name, mode=None) -> IntakeReport          # external service's CSV
    feedback_reparse(*, everything=False, reapply=False) -> dict
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from partnernet.apps.contacts.services import unsubscribe_apply
from partnernet.engines.mailing import verp_decode

from . import settings as mail_settings
from .intake import (
    IntakeItem,
    IntakeReport,
    delivery_for,
    esp_import,
    feedback_intake,
    feedback_intake_many,
    feedback_intake_paths,
    feedback_reparse,
    imap_poll,
)
from .models import Delivery, DeliveryStatus
from .sending import (
    CampaignLocked,
    SendAborted,
    SendReport,
    campaign_create,
    campaign_prepare,
    campaign_send,
    campaign_update,
    deliveries_requeue_failed,
    deliveries_requeue_interrupted,
)


def delivery_by_token(token: str) -> Delivery | None:
    """The delivery of an unsubscribe token (HMAC checked: a forged token finds nothing)."""
    delivery_id = verp_decode(token, mail_settings.verp_secret())
    if delivery_id is None:
        return None
    delivery = Delivery.objects.select_related("campaign").filter(pk=delivery_id).first()
    if delivery is None or delivery.token != token.strip().lower():
        return None
    return delivery


def unsubscribe_token_apply(*, token: str, via: str = "link") -> Delivery | None:
    """Unsubscribe the recipient of one delivery (link, RFC 8058 one-click POST): the address
    goes on the suppression list and the delivery is marked. Idempotent."""
    delivery = delivery_by_token(token)
    if delivery is None:
        return None
    with transaction.atomic():
        unsubscribe_apply(
            address=delivery.address,
            message_ref=f"unsubscribe:{delivery.pk}",
            user=f"unsubscribe {via}",
        )
        if delivery.status != DeliveryStatus.COMPLAINED:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.UNSUBSCRIBED, feedback_at=timezone.now()
            )
    delivery.refresh_from_db()
    return delivery


__all__ = [
    "CampaignLocked",
    "IntakeItem",
    "IntakeReport",
    "SendAborted",
    "SendReport",
    "campaign_create",
    "campaign_prepare",
    "campaign_send",
    "campaign_update",
    "deliveries_requeue_failed",
    "deliveries_requeue_interrupted",
    "delivery_by_token",
    "delivery_for",
    "esp_import",
    "feedback_intake",
    "feedback_intake_many",
    "feedback_intake_paths",
    "feedback_reparse",
    "imap_poll",
    "unsubscribe_token_apply",
]
