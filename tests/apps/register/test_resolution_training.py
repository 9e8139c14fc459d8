"""Re-training the model from the review queue: a background job whose model later runs use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnernet.apps.register import job_services
from partnernet.apps.register.job_services import training_job_run
from partnernet.apps.register.models import JobStatus, ResolutionTraining, SourceRow
from partnernet.apps.register.models_resolution import ReviewPair, ReviewStatus
from partnernet.apps.register.resolution_linking import ModelLinker, active_model, import_linker
from partnernet.apps.register.resolution_services import resolution_run
from partnernet.apps.register.services import source_import
from partnernet.engines.resolution.deterministic import DeterministicLinker
from partnernet.web.demo import demo_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(settings, tmp_path) -> list:
    settings.DATA_DIR = tmp_path
    files = demo_write(seed=9, n_companies=300, n_lists=5)
    for f in files[:4]:
        source_import(
            path=f.path,
            source_name=f.source_name,
            vendor=f.vendor,
            kind=f.kind,
            linker=DeterministicLinker(),
        )
    return files


def test_a_small_register_is_not_retrained(admin_client) -> None:
    response = admin_client.post(reverse("register:review_train"), follow=True)
    assert not ResolutionTraining.objects.exists()
    page = response.content.decode()
    assert 'id="train-model"' in page and "disabled" in page.split('id="train-model"')[1][:200]


def test_retrain_in_the_background_then_later_runs_use_the_model(
    admin_client, client, django_user_model, market, monkeypatch
) -> None:
    monkeypatch.setattr(job_services, "TRAINING_MIN_ROWS", 50)
    rows = list(SourceRow.objects.filter(company__isnull=False).order_by("id")[:2])
    ReviewPair.objects.create(
        left=rows[0], right=rows[1], probability=0.5, reason="uncertain", status="accepted"
    )
    # Only staff may start it.
    clerk = django_user_model.objects.create_user("clerk", password="pw-123456")
    client.force_login(clerk)
    assert client.post(reverse("register:review_train")).status_code == 403

    admin_client.post(reverse("register:review_train"))
    job = ResolutionTraining.objects.get()
    assert job.status == JobStatus.QUEUED
    # A second click while it is pending starts nothing new.
    admin_client.post(reverse("register:review_train"))
    assert ResolutionTraining.objects.count() == 1
    status = admin_client.get(reverse("register:review_train")).content.decode()
    assert 'data-status="queued"' in status and "hx-trigger" in status

    assert active_model() is None  # the shipped model until a training succeeds
    result = training_job_run(job_id=job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert result["rows"] == job.rows == SourceRow.objects.filter(company__isnull=False).count()
    assert job.labels == 1
    assert active_model() == job.model
    assert job.model and job.model["comparisons"]  # a whole Splink model was stored

    page = admin_client.get(reverse("register:review_queue")).content.decode()
    assert (
        'data-status="done"' in page and "hx-trigger" not in page.split("model-training")[1][:300]
    )

    # Later runs read the stored model: the import's linker and a resolution run.
    linker = import_linker()
    assert isinstance(linker, ModelLinker) and linker.resolver.model == job.model
    last = market[4]
    report = source_import(path=last.path, source_name=last.source_name, vendor=last.vendor)
    assert report.linker == "splink" and report.rows > 0
    assert resolution_run(apply=False)["rows"] > 0
    assert ReviewPair.objects.filter(status=ReviewStatus.ACCEPTED).count() == 1
