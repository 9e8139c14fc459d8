"""Background jobs of the register: UI imports and model re-training (run by ``tasks``).

``*_create`` records a job and enqueues its task once the request's transaction commits;
``*_run`` is what the task executes (the same service the CLI uses, with the job's row kept
up to date). A job runs once: a second delivery of its task finds it no longer queued.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.apps.audit.models import ChangeAction
from partnernet.apps.audit.services import audit_record
from partnernet.engines.sources import MappingError, SourceFileError

from .models_jobs import ImportJob, JobStatus, ResolutionTraining

logger = logging.getLogger(__name__)
# The job's report keeps this many problems of each kind; the source page lists them all.
REPORT_PROBLEMS = 200
PROGRESS_FILE = "progress.json"  # beside the uploads, one per running job


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _start(job: ImportJob | ResolutionTraining) -> bool:
    """Mark a queued job running (atomically: only one worker gets it)."""
    started = (
        type(job)
        .objects.filter(pk=job.pk, status=JobStatus.QUEUED)
        .update(status=JobStatus.RUNNING, started_at=timezone.now())
    )
    job.refresh_from_db()
    return bool(started)


def _finish(job: ImportJob | ResolutionTraining, status: str, error: str = "") -> None:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.save()


# Imports ---------------------------------------------------------------------------------------


@transaction.atomic
def import_job_create(
    *,
    path: str | Path,
    source_name: str,
    file_name: str,
    vendor: str | None = None,
    kind: str | None = None,
    mapping: dict[str, str] | None = None,
    user: Any = None,
) -> ImportJob:
    """Record an import of an uploaded file and enqueue it."""
    from .tasks import import_job_task

    job = ImportJob.objects.create(
        path=str(path),
        source_name=source_name,
        file_name=file_name,
        vendor=vendor or "",
        kind=kind or "",
        mapping=mapping or {},
        user=_user(user),
    )
    transaction.on_commit(lambda: import_job_task.enqueue(job.pk))
    return job


def _uploads() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _progress_file(job: ImportJob) -> Path:
    return _uploads() / f"job-{job.pk}-{PROGRESS_FILE}"


def _discard_upload(job: ImportJob) -> None:
    """Remove the uploaded file's folder (only ever one the upload view created)."""
    folder = Path(job.path).parent
    if _uploads().resolve() in folder.resolve().parents:
        shutil.rmtree(folder, ignore_errors=True)
    _progress_file(job).unlink(missing_ok=True)


def import_job_progress(*, job: ImportJob) -> int:
    """Rows the running import has read so far (0 before it starts)."""
    try:
        return int(json.loads(_progress_file(job).read_text())["rows"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _progress_writer(job: ImportJob) -> Any:
    target = _progress_file(job)
    target.parent.mkdir(parents=True, exist_ok=True)
    state = {"rows": 0, "written": 0.0}

    def advance(rows: int) -> None:
        state["rows"] += rows
        now = time.monotonic()
        if now - state["written"] >= 0.5:  # a few writes a second at most
            state["written"] = now
            tmp = target.with_suffix(".tmp")
            tmp.write_text(json.dumps({"rows": state["rows"]}))
            tmp.replace(target)

    return advance


def import_job_run(*, job_id: int) -> dict[str, Any]:
    """Run a queued import: the ordinary import service, its report kept on the job."""
    from .services import source_import

    job = ImportJob.objects.get(pk=job_id)
    if not _start(job):
        return {"job": job.pk, "skipped": f"job is {job.status}"}
    try:
        report = source_import(
            path=job.path,
            source_name=job.source_name,
            vendor=job.vendor or None,
            kind=job.kind or None,
            mapping=job.mapping or None,
            user=job.user,
            file_name=job.file_name,
            progress=_progress_writer(job),
        )
    except (SourceFileError, MappingError, ValueError) as exc:
        _finish(job, JobStatus.FAILED, str(exc))
        return {"job": job.pk, "error": str(exc)}
    except Exception as exc:
        logger.exception("import job %s failed", job.pk)
        _finish(job, JobStatus.FAILED, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        _discard_upload(job)
    data = report.as_dict()
    for key in ("problems", "warning_list"):
        data[key] = data[key][:REPORT_PROBLEMS]
    job.report = data
    job.source_id = report.source_id
    _finish(job, JobStatus.DONE)
    return {"job": job.pk, "source": report.source_id, "rows": report.rows}


# Model training --------------------------------------------------------------------------------


# Expectation maximisation needs a few thousand compared pairs to estimate anything useful;
# below this many current source rows the shipped model (fitted on simulated markets with
# known truth) is the better guess.
TRAINING_MIN_ROWS = 1000


class TrainingRefused(ValueError):
    """The register is too small to re-train on."""


def training_rows() -> int:
    from .models import SourceRow

    return (
        SourceRow.objects.filter(
            is_current=True, company__isnull=False, company__merged_into__isnull=True
        )
        .exclude(error__gt="")
        .count()
    )


def training_job_create(*, user: Any = None) -> ResolutionTraining:
    """Record a re-training of the model and enqueue it (one at a time: an unfinished job is
    returned instead of a second one). Raises :class:`TrainingRefused` on a small register."""
    from .tasks import training_job_task

    rows = training_rows()
    if rows < TRAINING_MIN_ROWS:
        raise TrainingRefused(
            _("Re-training needs at least %(min)d source rows; the register has %(rows)d.")
            % {"min": TRAINING_MIN_ROWS, "rows": rows}
        )
    with transaction.atomic():
        pending = ResolutionTraining.objects.filter(
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).first()
        if pending is not None:
            return pending
        job = ResolutionTraining.objects.create(user=_user(user))
        transaction.on_commit(lambda: training_job_task.enqueue(job.pk))
    return job


def training_job_run(*, job_id: int) -> dict[str, Any]:
    """Re-estimate the model on the register (EM) and the pairs people accepted in the review
    queue; the result becomes the model of every later run (imports, ``resolve``)."""
    from .resolution_linking import model_resolver
    from .resolution_services import register_records, review_labels

    job = ResolutionTraining.objects.get(pk=job_id)
    if not _start(job):
        return {"job": job.pk, "skipped": f"job is {job.status}"}
    started = time.monotonic()
    try:
        records = register_records()
        labels = review_labels()
        model = model_resolver().train(records, accepted=labels)
    except Exception as exc:
        logger.exception("training job %s failed", job.pk)
        _finish(job, JobStatus.FAILED, f"{type(exc).__name__}: {exc}")
        raise
    job.model = model
    job.rows = len(records)
    job.labels = len(labels)
    job.seconds = round(time.monotonic() - started, 1)
    _finish(job, JobStatus.DONE)
    audit_record(
        action=ChangeAction.CREATE,
        obj=job,
        changes={"rows": job.rows, "labels": job.labels},
        reason="resolution model re-trained",
        user=job.user,
    )
    return {"job": job.pk, "rows": job.rows, "labels": job.labels, "seconds": job.seconds}
