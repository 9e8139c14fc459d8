"""Background tasks of the register (django-tasks; the database backend in production).

Both run the job services, which keep the job's row (status, report, error) for the page
that polls it.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from .job_services import import_job_run, training_job_run


@task()
def import_job_task(job_id: int) -> dict[str, Any]:
    return import_job_run(job_id=job_id)


@task()
def training_job_task(job_id: int) -> dict[str, Any]:
    return training_job_run(job_id=job_id)
