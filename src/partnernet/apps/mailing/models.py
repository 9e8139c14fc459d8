"""Mailings: campaigns, their deliveries, and the replies that come back (feedback messages).

A *campaign* is one message (Markdown rendered to HTML and text) sent to an audience of
contacts. Each recipient address gets one *delivery* row, unique per campaign and address, so
nothing is sent twice; the row carries the VERP token that ties every bounce to it. A *feedback
message* is any message read back from the bounce mailbox (IMAP, Maildir, mbox, .eml) or a row of
an external sending service's export, stored with its raw bytes and its parse result so that a
better parser can read it again.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnernet.apps.contacts.models import EmailAddress, Person


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENDING = "sending", _("sending")
    PAUSED = "paused", _("paused")
    DONE = "done", _("sent")


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(
        _("text (Markdown)"),
        help_text=_(
            "Markdown. Placeholders: {{ first_name }}, {{ greeting_name }}, {{ full_name }}, "
            "{{ company }}, {{ position }}, {{ unsubscribe_url }}."
        ),
    )
    from_address = models.EmailField(_("from address"))
    from_name = models.CharField(_("from name"), max_length=200, blank=True)
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    # Saved contact filter (query parameters of the contact list), see selectors.audience_people.
    audience = models.JSONField(_("audience filter"), default=dict, blank=True)
    rate_per_minute = models.PositiveIntegerField(
        _("messages per minute"),
        null=True,
        blank=True,
        help_text=_("Empty: the server-wide setting."),
    )
    smtp_host = models.CharField(_("SMTP server"), max_length=253, blank=True)
    smtp_port = models.PositiveIntegerField(_("SMTP port"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        db_index=True,
    )
    created_by = models.CharField(_("created by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    prepared_at = models.DateTimeField(_("recipients fixed"), null=True, blank=True)
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    # One sending run at a time: "host:pid:run", renewed by a heartbeat while it sends.
    lock_owner = models.CharField(_("sending run"), max_length=200, blank=True)
    lock_expires = models.DateTimeField(_("sending run lease"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name or self.subject

    def get_absolute_url(self) -> str:
        return reverse("mailing:campaign", args=[self.pk])


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SUPPRESSED = "suppressed", _("suppressed")
    BOUNCED = "bounced", _("bounced")
    COMPLAINED = "complained", _("complained")
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")


class Delivery(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="deliveries"
    )
    address = models.CharField(_("e-mail"), max_length=254)
    email = models.ForeignKey(
        EmailAddress,
        verbose_name=_("contact address"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED,
        db_index=True,
    )
    token = models.CharField(_("VERP token"), max_length=40, blank=True, db_index=True)
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Set when a run died between claiming the row and recording the SMTP answer: the message may
    # or may not have left. Not retried automatically (at most once); see docs/mailing.md.
    interrupted = models.BooleanField(_("interrupted"), default=False)
    last_error = models.CharField(_("last error"), max_length=1000, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    feedback_at = models.DateTimeField(_("feedback received"), null=True, blank=True)
    bounce_reason = models.CharField(_("bounce reason"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "address"], name="mailing_delivery_once")
        ]
        indexes = [models.Index(fields=["campaign", "status"]), models.Index(fields=["address"])]

    def __str__(self) -> str:
        return f"{self.address} ({self.get_status_display()})"


class FeedbackKind(models.TextChoices):
    BOUNCE = "bounce", _("bounce")
    AUTOREPLY = "autoreply", _("auto-reply")
    FEEDBACK = "feedback", _("complaint or unsubscribe")
    OTHER = "other", _("other")


class FeedbackMessage(models.Model):
    """One reply as received; raw bytes kept so a newer parser can read it again."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    raw = models.BinaryField(_("raw message"), blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True, db_index=True)
    # Where it came from: "imap:INBOX", "maildir:…", "mbox:…", "file:…", "esp:<file>:<row>".
    origin = models.CharField(_("origin"), max_length=500, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=FeedbackKind.choices, blank=True, db_index=True
    )
    reason = models.CharField(_("reason"), max_length=40, blank=True, db_index=True)
    result = models.JSONField(_("parse result"), default=dict, blank=True)
    parser_version = models.CharField(_("parser version"), max_length=20, blank=True)
    delivery = models.ForeignKey(
        Delivery,
        verbose_name=_("delivery"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_messages",
    )
    # How the delivery was found: verp, message_id, recipient, sender.
    matched_by = models.CharField(_("matched by"), max_length=12, blank=True)
    applied_at = models.DateTimeField(_("rules applied"), null=True, blank=True)
    change_count = models.PositiveIntegerField(_("changes"), default=0)
    error = models.CharField(_("error"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("feedback message")
        verbose_name_plural = _("feedback messages")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.subject or self.message_id or f"#{self.pk}"

    @property
    def message_ref(self) -> str:
        """The key the contacts rules record their changes under (proposals, tasks, log)."""
        return f"feedback:{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("mailing:message", args=[self.pk])
