"""Channel strategies, their choices and targets; custom tactics; partner-programme data.

The catalogue itself is engine data (``engines/strategy/catalogue.yaml``); the database holds
only what users add: their own dimensions and tactics, strategies, targets, programme levels,
certifications, partner standings and saved deal calculations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnernet.apps.register.models import Company, Vendor


class Role(models.TextChoices):
    VENDOR = "vendor", _("vendor")
    DISTRIBUTOR = "distributor", _("distributor")
    PARTNER = "partner", _("partner")


class Dimension(models.Model):
    """A user's own dimension of channel work (the shipped ones live in the catalogue)."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    roles = models.JSONField(_("roles"), default=list)

    class Meta:
        verbose_name = _("custom dimension")
        verbose_name_plural = _("custom dimensions")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name_ru or self.key


class Tactic(models.Model):
    """A user's own tactic, in a shipped or a custom dimension (by the dimension's key)."""

    dimension = models.SlugField(_("dimension"), max_length=60)
    key = models.SlugField(_("key"), max_length=60)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    when_to_use_ru = models.TextField(_("when to use (Russian)"), blank=True)
    when_to_use_en = models.TextField(_("when to use (English)"), blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)

    class Meta:
        verbose_name = _("custom tactic")
        verbose_name_plural = _("custom tactics")
        ordering = ["dimension", "key"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "key"], name="strategy_tactic_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}.{self.key}"


class Strategy(models.Model):
    title = models.CharField(_("title"), max_length=300)
    role = models.CharField(_("company role"), max_length=20, choices=Role.choices)
    goal_metric = models.CharField(_("goal metric"), max_length=60, blank=True)
    goal_target = models.DecimalField(
        _("goal target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    goal_unit = models.CharField(_("unit"), max_length=20, default="%", blank=True)
    goal_horizon_years = models.DecimalField(
        _("horizon, years"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    goal_baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    goal_description = models.TextField(_("goal in words"), blank=True)
    summary = models.TextField(_("strategy in brief"), blank=True)
    copied_from = models.CharField(_("copied from example"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["-updated"]

    def __str__(self) -> str:
        return self.title


class StrategyChoice(models.Model):
    """The decision for one dimension: tactics (one, or a deliberate combination) or the vendor."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="choices"
    )
    dimension = models.SlugField(_("dimension"), max_length=60)
    tactics = models.JSONField(_("tactics"), default=list, blank=True)
    vendor_decides = models.BooleanField(_("decided by the vendor"), default=False)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("strategy choice")
        verbose_name_plural = _("strategy choices")
        ordering = ["strategy", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "dimension"], name="strategy_choice_one_per_dimension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.strategy}: {self.dimension}"


class TargetMetric(models.TextChoices):
    PARTNER_COUNT = "partner_count", _("authorised partners of a vendor")
    CERTIFIED_PARTNER_SHARE = (
        "certified_partner_share",
        _("share of partners with certified staff, %"),
    )
    PARTNER_MARGIN_PCT = "partner_margin_pct", _("average partner margin of recent deals, %")
    DEALS_BELOW_FLOOR = "deals_below_floor", _("recent deals below the partner's floor")
    PARTNERS_AT_LEVEL = "partners_at_level", _("partners at a programme level or higher")
    STAGE_COUNT = "stage_count", _("partners at a funnel stage (partner selection)")
    QUOTA_COVERED_SHARE = (
        "quota_covered_share",
        _("territories of a regional quota with no gap, %"),
    )
    QUOTA_GAP = "quota_gap", _("partners missing to fill a regional quota")


class TargetDirection(models.TextChoices):
    AT_LEAST = "at_least", _("at least (≥)")
    AT_MOST = "at_most", _("at most (≤)")


class Target(models.Model):
    """A measurable part of a strategy, tracked against the register."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="targets"
    )
    metric = models.CharField(_("metric"), max_length=40, choices=TargetMetric.choices)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    vendor = models.ForeignKey(
        Vendor,
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    min_level_rank = models.PositiveSmallIntegerField(_("minimum status rank"), default=0)
    level = models.ForeignKey(
        "ProgramLevel",
        verbose_name=_("programme level"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Partner selection: a funnel stage (partner counts, certified share) or a stored quota.
    stage = models.ForeignKey(
        "selection.FunnelStageDefinition",
        verbose_name=_("funnel stage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    include_later_stages = models.BooleanField(_("including later stages"), default=True)
    quota = models.ForeignKey(
        "selection.Quota",
        verbose_name=_("regional quota"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Empty: the metric's natural direction (at most for deals below the floor and quota gaps).
    direction = models.CharField(
        _("direction"), max_length=10, choices=TargetDirection.choices, blank=True
    )
    due = models.DateField(_("due"), null=True, blank=True)
    dimension = models.SlugField(_("from dimension"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["strategy", "id"]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} → {self.target_value}"


class ProgramLevel(models.Model):
    """A level of the partner programme (Registered / Silver / Gold…, named by the user)."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    min_yearly_sales = models.DecimalField(
        _("yearly sales from"), max_digits=16, decimal_places=2, default=0
    )
    min_certified_sales = models.PositiveSmallIntegerField(_("certified sales managers"), default=0)
    min_certified_engineers = models.PositiveSmallIntegerField(_("certified engineers"), default=0)
    min_marketing_activities = models.PositiveSmallIntegerField(
        _("marketing activities a year"), default=0
    )
    discount_pct = models.DecimalField(
        _("discount, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Margin-tactic parameters the level grants, e.g. {"partner_floor_pct": "25",
    # "max_partner_pct": "30"}: names are free, values are numbers (see docs/strategy.md).
    margin_parameters = models.JSONField(_("margin tactic parameters"), default=dict, blank=True)
    benefits = models.TextField(_("other benefits"), blank=True)

    class Meta:
        verbose_name = _("programme level")
        verbose_name_plural = _("programme levels")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class CertificationProvider(models.TextChoices):
    VENDOR_WEB_COURSE = "vendor_web_course", _("vendor web course")
    VENDOR_CLASSROOM = "vendor_classroom", _("vendor classroom")
    TRAINING_CENTRE = "training_centre", _("training centre")
    PEARSON_VUE = "pearson_vue", _("Pearson VUE")
    PROMETRIC = "prometric", _("Prometric")
    OTHER = "other", _("other")


class CertificationRole(models.TextChoices):
    SALES = "sales", _("sales manager")
    ENGINEER = "engineer", _("engineer")


class Certification(models.Model):
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="certifications"
    )
    person = models.CharField(_("person"), max_length=300)
    # The person in the contact base, when known; ``person`` keeps the name as certified.
    contact = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certifications",
    )
    role = models.CharField(_("role"), max_length=20, choices=CertificationRole.choices)
    vendor = models.ForeignKey(
        Vendor,
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    course = models.CharField(_("course or exam"), max_length=300, blank=True)
    provider = models.CharField(
        _("provider"),
        max_length=30,
        choices=CertificationProvider.choices,
        default=CertificationProvider.OTHER,
    )
    certificate_number = models.CharField(_("certificate number"), max_length=120, blank=True)
    issued = models.DateField(_("issued"), null=True, blank=True)
    expires = models.DateField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["company", "person"]

    def __str__(self) -> str:
        return f"{self.person}: {self.course or self.get_provider_display()}"


class PartnerStanding(models.Model):
    """A partner's place in the programme and the facts it is judged by."""

    company = models.OneToOneField(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="standing"
    )
    level = models.ForeignKey(
        ProgramLevel,
        verbose_name=_("current level"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partners",
    )
    yearly_sales = models.DecimalField(
        _("sales, last 12 months"), max_digits=16, decimal_places=2, default=0
    )
    marketing_activities = models.PositiveSmallIntegerField(_("marketing activities"), default=0)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("partner standing")
        verbose_name_plural = _("partner standings")
        ordering = ["company__display_name"]

    def __str__(self) -> str:
        return f"{self.company}: {self.level or '—'}"


class DealCalculation(models.Model):
    """A saved margin-chain calculation (the margin targets read recent ones)."""

    title = models.CharField(_("deal"), max_length=300, blank=True)
    company = models.ForeignKey(
        Company,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tactic = models.CharField(_("margin tactic"), max_length=40)
    inputs = models.JSONField(_("inputs"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    customer_price = models.DecimalField(_("customer price"), max_digits=16, decimal_places=2)
    partner_margin_pct = models.DecimalField(
        _("partner margin, %"), max_digits=7, decimal_places=2, null=True
    )
    below_floor = models.BooleanField(_("below the floor"), default=False)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("deal calculation")
        verbose_name_plural = _("deal calculations")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title or f"{self.tactic} {self.customer_price}"
