"""Entity resolution in the register: the review queue and the merges it leads to.

A ``ReviewPair`` is a pair of source rows the resolver was unsure about (or refused to join),
with the comparison levels that drove its score. A person accepts, rejects or skips it; the
decision is kept and every later run respects it (accepted pairs end in one company, rejected
pairs never do).

A ``CompanyMerge`` records one merge: which company was absorbed into which, and exactly
which rows, facts and authorisations moved, so the merge can be undone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("to review")
    ACCEPTED = "accepted", _("same company")
    REJECTED = "rejected", _("different companies")
    SKIPPED = "skipped", _("skipped")


class ReviewReason(models.TextChoices):
    UNCERTAIN = "uncertain", _("uncertain match")
    SEPARATED = "separated_groups", _("would join two groups the evidence keeps apart")
    TWO_COMPANIES = "links_two_companies", _("matches two existing companies")
    IDENTIFIER_CONFLICT = "identifier_conflict", _("different valid identifiers")
    DIFFERENT_DOMAINS = "different_domains", _("would join two groups with different web sites")
    DIFFERENT_PHONES = (
        "different_phones",
        _("would join two groups with different phones in one city"),
    )
    LITTLE_INFORMATION = "little_information", _("too little information to decide")
    # Two rows of one company that the model puts in different clusters: "different
    # companies" splits the company (``split_rows`` go to a new one), "same" keeps it whole.
    SPLIT = "split_proposal", _("the model would split this company")


class ReviewPair(models.Model):
    left = models.ForeignKey(
        "register.SourceRow",
        verbose_name=_("left row"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    right = models.ForeignKey(
        "register.SourceRow",
        verbose_name=_("right row"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    probability = models.FloatField(_("match probability"))
    reason = models.CharField(_("reason"), max_length=40, choices=ReviewReason.choices)
    levels = models.JSONField(_("comparison levels"), default=dict, blank=True)
    match_weights = models.JSONField(_("match weights"), default=dict, blank=True)
    # Split proposals: the source rows that would leave the company (the right row's part).
    split_rows = models.JSONField(_("rows to split off"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.OPEN,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("review pair")
        verbose_name_plural = _("review pairs")
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="register_review_pair_unique")
        ]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id} ({self.probability:.2f})"


class CompanyMerge(models.Model):
    target = models.ForeignKey(
        "register.Company",
        verbose_name=_("kept company"),
        on_delete=models.CASCADE,
        related_name="merges_in",
    )
    absorbed = models.ForeignKey(
        "register.Company",
        verbose_name=_("merged company"),
        on_delete=models.CASCADE,
        related_name="merges_out",
    )
    # model label -> ids moved from ``absorbed`` to ``target`` (undone exactly on un-merge).
    moved = models.JSONField(_("moved objects"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("merged"), default=timezone.now)
    undone_at = models.DateTimeField(_("un-merged"), null=True, blank=True)

    class Meta:
        verbose_name = _("company merge")
        verbose_name_plural = _("company merges")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.absorbed_id} → {self.target_id}"
