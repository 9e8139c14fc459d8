"""Review queue and merge pages: side by side, decisions, merge and un-merge by a person."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from partnernet.apps.register.models import Company, SourceRow
from partnernet.apps.register.models_resolution import CompanyMerge, ReviewPair, ReviewStatus
from partnernet.apps.register.services import source_import
from partnernet.engines.resolution.deterministic import DeterministicLinker

from .helpers import write_csv

HEADER = ["Название", "Город", "Сайт"]


@pytest.fixture
def pair(db, tmp_path: Path) -> ReviewPair:
    for name, row in (("a", ["ООО Квазар", "Тверь", "kvazar.ru"]), ("b", ["Kvazar", "Tver", ""])):
        source_import(
            linker=DeterministicLinker(),
            path=write_csv(tmp_path / f"{name}.csv", [row], header=HEADER, encoding="utf-8"),
            source_name=name,
        )
    left = SourceRow.objects.get(source__name="a")
    right = SourceRow.objects.get(source__name="b")
    return ReviewPair.objects.create(
        left=left,
        right=right,
        probability=0.55,
        reason="uncertain",
        levels={"name": "name_exact", "location": "same_city"},
    )


def test_queue_shows_the_pair_side_by_side(admin_client, pair: ReviewPair) -> None:
    response = admin_client.get(reverse("register:review_queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ООО Квазар" in html and "Kvazar" in html and "name_exact" in html
    assert 'accesskey="a"' in html


def test_accepting_merges_and_empties_the_queue(admin_client, pair: ReviewPair) -> None:
    url = reverse("register:review_decide", args=[pair.pk])
    response = admin_client.post(url, {"decision": "accepted"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.ACCEPTED
    merge = CompanyMerge.objects.get()
    page = admin_client.get(reverse("register:review_queue"))
    assert 'id="review-current"' not in page.content.decode()
    # Un-merge from the merge page.
    admin_client.post(reverse("register:company_unmerge", args=[merge.pk]), {"reason": "no"})
    merge.refresh_from_db()
    assert merge.undone_at is not None
    assert merge.absorbed.merged_into_id is None


def test_manual_merge_page(admin_client, pair: ReviewPair) -> None:
    a, b = pair.left.company, pair.right.company
    assert isinstance(a, Company) and isinstance(b, Company)
    url = reverse("register:company_merge", args=[a.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"other": b.pk, "reason": "same"})
    b.refresh_from_db()
    assert b.merged_into_id == a.pk
    response = admin_client.post(url, {"other": "not a number"})
    assert response.status_code == 302
    assert admin_client.post(reverse("register:review_decide", args=[pair.pk]), {"decision": "x"})


def test_refused_merges_say_why_in_the_users_language(admin_client, pair: ReviewPair) -> None:
    a = pair.left.company
    assert isinstance(a, Company)
    url = reverse("register:company_merge", args=[a.pk])
    page = admin_client.post(url, {"other": a.pk}, follow=True).content.decode()
    assert "Компанию нельзя объединить саму с собой." in page  # Russian by default
    admin_client.cookies["django_language"] = "en"
    page = admin_client.post(url, {"other": 999999}, follow=True).content.decode()
    assert "There is no company with that number." in page
