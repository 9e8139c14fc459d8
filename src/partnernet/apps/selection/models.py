"""Partner selection: our relationship with partners, the funnel, quotas, target customers and
saved shortlists.

"Recruited" means: the company has a :class:`Partnership` whose funnel stage is marked
``counts_as_recruited`` (by default "authorised" and the VIP club, not "everyone willing").
A willing partner who has signed nothing yet does not fill a regional quota.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partnernet.apps.register.models import Company


class FunnelStageDefinition(models.Model):
    """A stage of the phased funnel with the user's rules for reaching it."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # One condition per line, e.g. "deals_12m>=3"; all must hold (and the earlier stages').
    rules = models.TextField(_("rules"), blank=True)
    counts_as_recruited = models.BooleanField(_("counts as recruited"), default=False)

    class Meta:
        verbose_name = _("funnel stage")
        verbose_name_plural = _("funnel stages")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "ru").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def rule_lines(self) -> list[str]:
        return [line.strip() for line in self.rules.replace(";", "\n").splitlines() if line.strip()]


class PartnerKind(models.TextChoices):
    INTEGRATOR = "integrator", _("integrator")
    RESELLER = "reseller", _("reseller")
    DISTRIBUTOR = "distributor", _("distributor")
    SERVICE = "service", _("service partner")
    CONSULTANT = "consultant", _("consultant")


class Partnership(models.Model):
    """Our own relationship with a register company: its stage and the facts the rules read."""

    company = models.OneToOneField(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="partnership"
    )
    stage = models.ForeignKey(
        FunnelStageDefinition,
        verbose_name=_("funnel stage"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    deals_12m = models.PositiveIntegerField(_("deals in the last 12 months"), default=0)
    certified_people = models.PositiveIntegerField(_("certified specialists"), default=0)
    marketing_events_12m = models.PositiveIntegerField(
        _("marketing events in the last 12 months"), default=0
    )
    notes = models.TextField(_("notes"), blank=True)
    # auto_now: every save (admin included) bumps it, which invalidates cached selection records.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["company__display_name"]

    def __str__(self) -> str:
        return f"{self.company} — {self.stage}"


class StageHistory(models.Model):
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="stage_history"
    )
    from_stage = models.ForeignKey(
        FunnelStageDefinition,
        verbose_name=_("from stage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_stage = models.ForeignKey(
        FunnelStageDefinition,
        verbose_name=_("to stage"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    moved_on = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    rule = models.CharField(_("rule"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage history")
        ordering = ["company", "moved_on", "id"]

    def __str__(self) -> str:
        return f"{self.company}: {self.from_stage or '—'} → {self.to_stage} ({self.moved_on})"


class Quota(models.Model):
    """A regional quota, e.g. ``city:1000000:5:integrator`` with optional fit criteria."""

    spec = models.CharField(_("quota"), max_length=200)
    label = models.CharField(_("label"), max_length=200, blank=True)
    # {"specialisations": [...], "sectors": [...], "min_size": "..."}
    criteria = models.JSONField(_("fit criteria"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label or self.spec


class CustomerSize(models.TextChoices):
    LARGE = "large", _("large")
    MID = "mid", _("mid-size")


class TargetCustomer(models.Model):
    name = models.CharField(_("name"), max_length=500)
    name_key = models.CharField(_("normalised name"), max_length=500, blank=True, db_index=True)
    inn = models.CharField(_("INN"), max_length=12, blank=True, db_index=True)
    sector = models.CharField(_("sector"), max_length=60, blank=True)
    size = models.CharField(
        _("size"), max_length=10, choices=CustomerSize.choices, default=CustomerSize.LARGE
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company in the register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("target customer")
        verbose_name_plural = _("target customers")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SupplyRelation(models.Model):
    """A known supplier of a target customer (``company`` empty: not in the register)."""

    customer = models.ForeignKey(
        TargetCustomer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="suppliers",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supplied_customers",
    )
    supplier_name = models.CharField(_("supplier as written"), max_length=500, blank=True)
    supplier_inn = models.CharField(_("supplier INN"), max_length=12, blank=True)
    link_method = models.CharField(_("link method"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("supply relation")
        verbose_name_plural = _("supply relations")
        ordering = ["customer", "supplier_name"]

    def __str__(self) -> str:
        return f"{self.customer} ← {self.supplier_name or self.company}"


class Approach(models.TextChoices):
    REGIONAL = "regional", _("regional")
    PHASED = "phased", _("phased")
    SPECIALISATION = "specialisation", _("by specialisation")
    CUSTOMERS = "customers", _("customer-driven")


class Shortlist(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    approach = models.CharField(_("approach"), max_length=20, choices=Approach.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("selection:shortlist", args=[self.pk])


class ShortlistEntry(models.Model):
    shortlist = models.ForeignKey(
        Shortlist, verbose_name=_("shortlist"), on_delete=models.CASCADE, related_name="entries"
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveIntegerField(_("rank"))
    score = models.FloatField(_("score"), default=0)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    class Meta:
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        ordering = ["shortlist", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "company"], name="selection_shortlist_company_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shortlist} #{self.rank}: {self.company}"
