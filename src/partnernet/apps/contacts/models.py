"""Contacts: people at partner companies, their addresses and phones, and what keeps them fresh.

A *person* works (or worked) at a company of the register. People who left are never deleted:
their status, history, phones and successor stay useful. Every address and phone records where
it came from and when it was last confirmed. Replies to mailings (bounces, auto-replies,
complaints) arrive as feedback and turn into direct changes of addresses, *proposals* for the
review queue (a new contact, a person who left) and *tasks* (find the successor, check the
company, ask to whitelist our server). The *suppression list* holds the addresses and domains no
mailing may ever reach; erased people stay on it only as a hash of their address.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnernet.apps.register.models import Company


def address_hash(value: str) -> str:
    """SHA-256 of a normalised address or domain: what an erased person leaves behind."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("works there")
    ON_LEAVE = "on_leave", _("on leave")
    LEFT = "left", _("left")
    UNKNOWN = "unknown", _("unknown")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("consent")
    LEGITIMATE_INTEREST = "legitimate_interest", _("legitimate interest")
    CONTRACT = "contract", _("contract")
    PUBLIC_SOURCE = "public_source", _("publicly available source")


class Person(models.Model):
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    full_name = models.CharField(_("full name as written"), max_length=300)
    surname = models.CharField(_("surname"), max_length=120, blank=True)
    first_name = models.CharField(_("first name"), max_length=120, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=120, blank=True)
    # Lower-cased, ё→е "surname|first|patronymic": tells people apart inside one company.
    name_key = models.CharField(_("name key"), max_length=400, blank=True, db_index=True)
    # a context: the register has a "position" (ordering) translated differently
    position = models.CharField(pgettext_lazy("job title", "position"), max_length=300, blank=True)
    status = models.CharField(
        _("employment status"),
        max_length=12,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.ACTIVE,
        db_index=True,
    )
    on_leave_until = models.DateField(_("on leave until"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    stand_ins = models.ManyToManyField(
        "self",
        verbose_name=_("stand-ins"),
        blank=True,
        symmetrical=False,
        related_name="standing_in_for",
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=24,
        choices=LegalBasis.choices,
        default=LegalBasis.LEGITIMATE_INTEREST,
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now, db_index=True)
    last_confirmed = models.DateTimeField(_("last confirmed"), default=timezone.now, db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    # A duplicate merged into another person stays (for un-merge and old links) but is hidden
    # from lists and audiences; all its addresses, phones and history moved to the survivor.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=pgettext_lazy("contact", "merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_people",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["surname", "first_name", "id"]
        indexes = [models.Index(fields=["company", "name_key"])]

    def __str__(self) -> str:
        return self.full_name or self.surname or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("contacts:person", args=[self.pk])


class EmailStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("not verified")
    VALID = "valid", _("valid")
    BOUNCED = "bounced", _("bounced")
    GUESSED = "guessed", _("guessed")


class EmailAddress(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="emails"
    )
    address = models.CharField(_("e-mail"), max_length=254, db_index=True)
    # Registered domain of the address (firma.ru for mail.firma.ru): company-wide rules use it.
    domain = models.CharField(_("domain"), max_length=253, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EmailStatus.choices,
        default=EmailStatus.UNVERIFIED,
        db_index=True,
    )
    # Guesses: the engine's probability; the user chooses which guesses a mailing may try.
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    guess_explanation = models.CharField(_("why this guess"), max_length=500, blank=True)
    use_for_mailing = models.BooleanField(_("use for mailings"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_confirmed = models.DateTimeField(_("last confirmed"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    bounce_count = models.PositiveIntegerField(_("hard bounces"), default=0)
    soft_bounce_count = models.PositiveIntegerField(_("soft bounces"), default=0)
    last_bounce_reason = models.CharField(_("last bounce reason"), max_length=40, blank=True)
    last_bounce_at = models.DateTimeField(_("last bounce"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail address")
        verbose_name_plural = _("e-mail addresses")
        ordering = ["person", "-confidence", "address"]
        constraints = [
            models.UniqueConstraint(fields=["person", "address"], name="contacts_email_unique")
        ]

    def __str__(self) -> str:
        return self.address


class PhoneKind(models.TextChoices):
    WORK = "work", _("work")
    MOBILE = "mobile", _("mobile")


class PersonPhone(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(_("phone (E.164)"), max_length=32, db_index=True)
    kind = models.CharField(_("kind"), max_length=8, choices=PhoneKind.choices, default="work")
    source = models.CharField(_("source"), max_length=300, blank=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_confirmed = models.DateTimeField(_("last confirmed"), default=timezone.now)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="contacts_phone_unique")
        ]

    def __str__(self) -> str:
        return self.number


class EmploymentEvent(models.Model):
    """One change of a person's employment status, with the date and the message it came from."""

    person = models.ForeignKey(
        Person, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(_("new status"), max_length=12, choices=EmploymentStatus.choices)
    previous_status = models.CharField(
        _("previous status"), max_length=12, choices=EmploymentStatus.choices, blank=True
    )
    on_date = models.DateField(_("date"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True)
    message_ref = models.CharField(_("source message"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("employment event")
        verbose_name_plural = _("employment history")
        ordering = ["person", "-on_date", "-id"]

    def __str__(self) -> str:
        return f"{self.on_date}: {self.get_status_display()}"


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
    COMPLAINED = "complained", _("complained (spam report)")
    ERASED = "erased", _("personal data erased")
    MANUAL = "manual", _("added by hand")


class Suppression(models.Model):
    """An address or a whole domain no mailing may reach.

    ``value_hash`` is always set; ``value`` is blank for erased people, whose address is kept only
    as its hash so that a later import of the same address is blocked without storing it.
    """

    is_domain = models.BooleanField(_("whole domain"), default=False)
    value = models.CharField(_("address or domain"), max_length=254, blank=True, db_index=True)
    value_hash = models.CharField(_("hash"), max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=16, choices=SuppressionReason.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)
    message_ref = models.CharField(_("source message"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("suppression")
        verbose_name_plural = _("suppression list")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.value or f"#{self.value_hash[:12]}"


class TaskKind(models.TextChoices):
    FIND_SUCCESSOR = "find_successor", _("find the successor")
    COMPANY_CHECK = "company_check", _("check the company")
    ASK_WHITELIST = "ask_whitelist", _("ask to whitelist our server")
    VERIFY_GUESS = "verify_guess", _("verify a guessed address")
    REVERIFY = "reverify", _("re-verify a stale contact")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    DISMISSED = "dismissed", _("dismissed")


class Task(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default="open", db_index=True
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_tasks",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    # One open task per subject (kind + company/person/domain): repeats add evidence instead.
    key = models.CharField(_("key"), max_length=300, db_index=True)
    created_from = models.CharField(_("source message"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.CharField(_("closed by"), max_length=150, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class ProposalKind(models.TextChoices):
    NEW_CONTACT = "new_contact", _("new contact")
    MARK_LEFT = "mark_left", _("left the company")
    ON_LEAVE = "on_leave", _("on leave")
    NEW_PHONE = "new_phone", _("new phone")
    NEW_ADDRESS = "new_address", _("new address")
    SUCCESSOR = "successor", _("successor")
    STAND_IN = "stand_in", _("stand-in")
    SUPPRESSION = "suppression", _("suppression")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Proposal(models.Model):
    """A change read from a message, waiting for a person to accept or reject it."""

    kind = models.CharField(_("kind"), max_length=16, choices=ProposalKind.choices, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
        db_index=True,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_proposals",
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    payload = models.JSONField(_("proposed change"), default=dict, blank=True)
    message_ref = models.CharField(_("source message"), max_length=300, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=150, blank=True)
    # What accepting it changed (before/after per object), so it can be undone.
    result = models.JSONField(_("applied changes"), default=list, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.summary or self.get_kind_display()


class PersonChangeKind(models.TextChoices):
    EDIT = "edit", _("details edited")
    STATUS = "status", _("employment status changed")
    EMAIL_ADD = "email_add", _("address added")
    EMAIL_EDIT = "email_edit", _("address changed")
    EMAIL_REMOVE = "email_remove", _("address removed")
    PHONE_ADD = "phone_add", _("phone added")
    PHONE_EDIT = "phone_edit", _("phone changed")
    PHONE_REMOVE = "phone_remove", _("phone removed")
    MERGE = "merge", _("duplicate merged")


class PersonChange(models.Model):
    """One change of a person made by hand (or a merge), kept with its before/after values so
    that it can be undone like a message's or a proposal's changes."""

    kind = models.CharField(_("kind"), max_length=16, choices=PersonChangeKind.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="changes"
    )
    # A merge: the duplicate that was merged into ``person``.
    other_person = models.ForeignKey(
        Person,
        verbose_name=_("merged duplicate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    items = models.JSONField(_("changes"), default=list, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    created_by = models.CharField(_("changed by"), max_length=150, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.CharField(_("undone by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("contact change")
        verbose_name_plural = _("contact changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.summary or self.get_kind_display()


class FeedbackApplication(models.Model):
    """Which messages the rules already applied, and what they changed: makes them idempotent."""

    message_ref = models.CharField(_("source message"), max_length=300, unique=True)
    mode = models.CharField(_("mode"), max_length=8)
    kind = models.CharField(_("kind"), max_length=12, blank=True)
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    reverted_at = models.DateTimeField(_("reverted"), null=True, blank=True)

    class Meta:
        verbose_name = _("applied feedback")
        verbose_name_plural = _("applied feedback")
        ordering = ["-applied_at", "-id"]

    def __str__(self) -> str:
        return self.message_ref


class LegalStatusCheck(models.Model):
    """One answer of a legal-entity register about a company (kept: statuses change over time)."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="legal_status_checks",
    )
    provider = models.CharField(_("register"), max_length=40)
    tax_id = models.CharField(_("tax number"), max_length=15)
    status = models.CharField(_("status"), max_length=16)
    name = models.CharField(_("name in the register"), max_length=500, blank=True)
    liquidated_on = models.DateField(_("liquidated on"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked"), default=timezone.now, db_index=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    raw = models.JSONField(_("answer"), default=dict, blank=True)

    class Meta:
        verbose_name = _("legal status check")
        verbose_name_plural = _("legal status checks")
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.tax_id}: {self.status}"
