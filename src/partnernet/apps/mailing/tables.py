"""Tables of the mailing app (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Campaign, Delivery, FeedbackMessage


class CampaignTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Campaign"))
    subject = tables.Column(verbose_name=_("Subject"))
    status = tables.Column(verbose_name=_("Status"))
    delivery_count = tables.Column(
        verbose_name=_("Recipients"), attrs={"td": {"class": "text-end"}}
    )
    sent_count = tables.Column(verbose_name=_("Sent"), attrs={"td": {"class": "text-end"}})
    bounce_count = tables.Column(verbose_name=_("Bounced"), attrs={"td": {"class": "text-end"}})
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), format="Y-m-d H:i")

    class Meta:
        model = Campaign
        fields = (
            "name",
            "subject",
            "status",
            "delivery_count",
            "sent_count",
            "bounce_count",
            "created_at",
        )
        attrs = {"class": "table table-sm table-hover align-middle", "id": "campaign-table"}


class DeliveryTable(tables.Table):
    address = tables.Column(verbose_name=_("E-mail"))
    person = tables.Column(verbose_name=_("Contact"), linkify=False)
    company = tables.Column(
        accessor="person__company__display_name", verbose_name=_("Company"), default=""
    )
    status = tables.Column(verbose_name=_("Status"))
    bounce_reason = tables.Column(verbose_name=_("Bounce reason"))
    attempts = tables.Column(verbose_name=_("Attempts"), attrs={"td": {"class": "text-end"}})
    sent_at = tables.DateTimeColumn(verbose_name=_("Sent"), format="Y-m-d H:i:s")
    last_error = tables.Column(verbose_name=_("Last error"))
    message_id = tables.Column(verbose_name=_("Message-ID"), visible=False)

    class Meta:
        model = Delivery
        fields = (
            "address",
            "person",
            "company",
            "status",
            "bounce_reason",
            "attempts",
            "sent_at",
            "last_error",
            "message_id",
        )
        attrs = {"class": "table table-sm table-hover align-middle", "id": "delivery-table"}

    def render_status(self, value: str, record: Delivery) -> Any:
        if record.interrupted:
            return format_html(
                '{} <span class="badge text-bg-warning">{}</span>', value, _("interrupted")
            )
        return value

    def value_status(self, value: str, record: Delivery) -> str:
        return f"{record.status}{' (interrupted)' if record.interrupted else ''}"

    def value_person(self, value: Any, record: Delivery) -> str:
        return str(record.person) if record.person else ""


class FeedbackMessageTable(tables.Table):
    received_at = tables.DateTimeColumn(
        verbose_name=_("Received"), format="Y-m-d H:i", linkify=True
    )
    kind = tables.Column(verbose_name=_("Kind"))
    reason = tables.Column(verbose_name=_("Reason"))
    subject = tables.Column(verbose_name=_("Subject"))
    from_address = tables.Column(verbose_name=_("From"))
    delivery = tables.Column(verbose_name=_("Delivery"), accessor="delivery__address")
    change_count = tables.Column(verbose_name=_("Changes"), attrs={"td": {"class": "text-end"}})
    origin = tables.Column(verbose_name=_("Origin"), visible=False)

    class Meta:
        model = FeedbackMessage
        fields = (
            "received_at",
            "kind",
            "reason",
            "subject",
            "from_address",
            "delivery",
            "change_count",
            "origin",
        )
        attrs = {"class": "table table-sm table-hover align-middle", "id": "feedback-table"}

    def render_delivery(self, value: str, record: FeedbackMessage) -> Any:
        if record.delivery is None:
            return "—"
        url = reverse("mailing:campaign", args=[record.delivery.campaign_id])
        return format_html('<a href="{}">{}</a>', url, value)
