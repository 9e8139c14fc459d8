"""Background work of the register: imports started in the UI and model re-training.

Each row is the lasting record of one background task (django-tasks): the page that started it
polls the row, which the task updates when it starts, while it runs and when it ends. The task
backend's own result store is not used for this, because the immediate backend (tests, a
single-process setup) has none. An import's progress while it runs (rows read) is a small file
in the uploads folder: the import holds its transaction open, and on SQLite a second
connection could not write a progress row until it ends.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class _Job(models.Model):
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class ImportJob(_Job):
    """One import confirmed in the UI: the file, the options, then the import's report."""

    source_name = models.CharField(_("source name"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=500)
    path = models.CharField(_("stored file"), max_length=1000)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    kind = models.CharField(_("kind of source"), max_length=40, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    source = models.ForeignKey(
        "register.Source",
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(_Job.Meta):
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.source_name} ← {self.file_name} ({self.status})"


class ResolutionTraining(_Job):
    """One re-training of the Splink model; the newest successful one is the model in use."""

    rows = models.PositiveIntegerField(_("source rows"), default=0)
    labels = models.PositiveIntegerField(_("labelled pairs"), default=0)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    model = models.JSONField(_("model"), null=True, blank=True)

    class Meta(_Job.Meta):
        verbose_name = _("model training")
        verbose_name_plural = _("model trainings")

    def __str__(self) -> str:
        return f"training {self.pk} ({self.status})"
