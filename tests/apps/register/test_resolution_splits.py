"""Splits: a company the model would cut in two is proposed for review, or split at once when
two valid INNs say it is two legal entities; splits move rows and facts and can be undone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.register.models import Company, SourceRow
from partnernet.apps.register.models_resolution import ReviewPair, ReviewReason, ReviewStatus
from partnernet.apps.register.resolution_services import (
    company_merge,
    company_split,
    resolution_run,
    review_decide,
)
from partnernet.apps.register.services import source_import
from partnernet.engines.resolution.deterministic import DeterministicLinker

from .helpers import INN_A, INN_B, write_csv

pytestmark = pytest.mark.django_db
HEADER = ["Название", "ИНН", "Город", "Сайт", "Телефон"]


def _two(tmp_path: Path, first: list[str], second: list[str]) -> tuple[Company, Company]:
    for name, row in (("a", first), ("b", second)):
        source_import(
            path=write_csv(tmp_path / f"{name}.csv", [row], header=HEADER, encoding="utf-8"),
            source_name=name,
            linker=DeterministicLinker(),
        )
    a, b = (SourceRow.objects.get(source__name=n).company for n in "ab")
    assert a is not None and b is not None and a != b
    return a, b


def test_two_valid_inns_merged_by_mistake_are_split_at_once(tmp_path: Path) -> None:
    a, b = _two(
        tmp_path,
        ["ООО «Ромашка»", INN_A, "Москва", "romashka.ru", ""],
        ["ООО «Василёк»", INN_B, "Казань", "vasilek.ru", ""],
    )
    company_merge(target=a, absorbed=b, reason="a mistake")
    report = resolution_run()
    assert report["split"] == 1 and report["split_suggested"] == 0
    left, right = (SourceRow.objects.get(source__name=n).company for n in "ab")
    assert left != right and left.merged_into_id is None and right.merged_into_id is None
    assert {left.inn, right.inn} == {INN_A, INN_B}
    assert set(right.names.values_list("name", flat=True)) == {"ООО «Василёк»"}  # type: ignore[attr-defined]
    assert set(left.domains.values_list("domain", flat=True)) == {"romashka.ru"}  # type: ignore[attr-defined]
    entry = ChangeLogEntry.objects.get(action="unmerge", reason__startswith="resolution run")
    assert entry.changes["split"] == [left.pk, right.pk]


def test_a_doubtful_company_is_proposed_and_split_on_the_reviewers_word(
    tmp_path: Path, admin_client
) -> None:
    a, b = _two(
        tmp_path,
        ["Альянс", "", "Омск", "", "+7 3812 00-11-22"],
        ["ООО «Квазар»", "", "Казань", "kvazar.ru", ""],
    )
    company_merge(target=a, absorbed=b, reason="a mistake")
    report = resolution_run()
    assert report["split"] == 0 and report["split_suggested"] == 1
    proposal = ReviewPair.objects.get(reason=ReviewReason.SPLIT, status=ReviewStatus.OPEN)
    kazan = SourceRow.objects.get(source__name="b")
    assert proposal.split_rows == [kazan.pk] and kazan.pk in (proposal.left_id, proposal.right_id)
    admin_client.cookies["django_language"] = "en"
    page = admin_client.get(reverse("register:review_queue")).content.decode()
    assert 'id="split-proposal"' in page and "moves the right row" in page

    review_decide(pair=proposal, status=ReviewStatus.REJECTED)
    kazan.refresh_from_db()
    omsk = SourceRow.objects.get(source__name="a")
    assert kazan.company_id != omsk.company_id
    assert "Квазар" in kazan.company.display_name and "Альянс" in omsk.company.display_name
    assert omsk.company.city_name == "Омск" and kazan.company.city_name == "Казань"
    # Later runs respect the decision: no new proposal, no merge back.
    again = resolution_run()
    assert again["merged"] == 0 and again["split_suggested"] == 0
    # Undo: merging the two back restores one company with both rows.
    company_merge(target=omsk.company, absorbed=kazan.company, reason="undo the split")
    assert SourceRow.objects.filter(company=omsk.company).count() == 2


def test_keeping_a_company_whole_is_remembered(tmp_path: Path) -> None:
    a, b = _two(
        tmp_path,
        ["Альянс", "", "Омск", "", "+7 3812 00-11-22"],
        ["ООО «Квазар»", "", "Казань", "kvazar.ru", ""],
    )
    company_merge(target=a, absorbed=b, reason="the person knows better")
    resolution_run()
    proposal = ReviewPair.objects.get(reason=ReviewReason.SPLIT)
    review_decide(pair=proposal, status=ReviewStatus.ACCEPTED)
    report = resolution_run()
    assert report["split_suggested"] == 0 and report["split"] == 0
    assert SourceRow.objects.filter(company=a).count() == 2


def test_split_refuses_rows_of_another_company_or_every_row(tmp_path: Path) -> None:
    a, _b = _two(tmp_path, ["Альянс", "", "Омск", "", ""], ["ООО «Квазар»", "", "Казань", "", ""])
    row_b = SourceRow.objects.get(source__name="b")
    row_a = SourceRow.objects.get(source__name="a")
    with pytest.raises(ValueError):
        company_split(company=a, row_ids=[row_b.pk])
    with pytest.raises(ValueError):
        company_split(company=a, row_ids=[row_a.pk])
