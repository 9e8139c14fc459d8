"""Resolution in the register: re-run, review decisions, merge and exact un-merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.register.models import Company, SourceRow
from partnernet.apps.register.models_resolution import CompanyMerge, ReviewPair, ReviewStatus
from partnernet.apps.register.resolution_services import (
    company_merge,
    company_unmerge,
    resolution_run,
    review_decide,
)
from partnernet.apps.register.services import source_import
from partnernet.engines.resolution.deterministic import DeterministicLinker

from .helpers import write_csv

HEADER = ["Название", "ИНН", "Город", "Сайт", "Телефон"]


def _import(tmp_path: Path, name: str, rows: list[list[str]]) -> None:
    source_import(
        linker=DeterministicLinker(),
        path=write_csv(tmp_path / f"{name}.csv", rows, header=HEADER, encoding="utf-8"),
        source_name=name,
    )


@pytest.fixture
def two_spellings(db, tmp_path: Path) -> tuple[Company, Company]:
    """One integrator under a Cyrillic and a Latin name: the deterministic linker keeps two."""
    _import(tmp_path, "a", [["ООО «Инфосистемы Джет»", "", "Москва", "jet.su", "+7 495 411-76-01"]])
    _import(tmp_path, "b", [["Jet Infosystems", "", "Moscow", "", "+7 (495) 411 76 01"]])
    _import(tmp_path, "c", [["Альянс", "", "Омск", "", ""], ["Альянс", "", "Тула", "", ""]])
    a = SourceRow.objects.get(source__name="a").company
    b = SourceRow.objects.get(source__name="b").company
    assert a is not None and b is not None and a.pk != b.pk
    return a, b


def test_merge_moves_everything_and_unmerge_restores_it(two_spellings, admin_user) -> None:
    a, b = two_spellings
    before_rows = set(SourceRow.objects.filter(company=b).values_list("id", flat=True))
    before_names = set(b.names.values_list("name", flat=True))  # type: ignore[attr-defined]
    merge = company_merge(target=a, absorbed=b, user=admin_user, reason="same integrator")
    b.refresh_from_db()
    assert b.merged_into_id == a.pk
    assert before_rows <= set(SourceRow.objects.filter(company=a).values_list("id", flat=True))
    assert ChangeLogEntry.objects.filter(action="merge", reason="same integrator").exists()

    company_unmerge(merge=merge, user=admin_user, reason="two legal entities")
    b.refresh_from_db()
    assert b.merged_into_id is None
    assert set(SourceRow.objects.filter(company=b).values_list("id", flat=True)) == before_rows
    assert set(b.names.values_list("name", flat=True)) == before_names  # type: ignore[attr-defined]
    assert ChangeLogEntry.objects.filter(action="unmerge").exists()
    # The un-merge is a decision: the next run must not merge them again.
    assert ReviewPair.objects.filter(status=ReviewStatus.REJECTED).count() == 1
    report = resolution_run()
    b.refresh_from_db()
    assert b.merged_into_id is None
    assert report["merged"] == 0


def test_resolution_run_merges_spellings_but_not_namesakes(two_spellings) -> None:
    a, b = two_spellings
    dry = resolution_run(apply=False)
    assert dry["merged"] == 1 and not dry["applied"]
    assert not CompanyMerge.objects.exists()
    report = resolution_run()
    assert report["merged"] == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert {a.merged_into_id, b.merged_into_id} - {None} <= {a.pk, b.pk}
    omsk, tula = (SourceRow.objects.get(source__name="c", row_number=n).company for n in (1, 2))
    assert omsk.pk != tula.pk and omsk.merged_into_id is None and tula.merged_into_id is None


def test_review_decision_same_company_merges(two_spellings, admin_user) -> None:
    assert two_spellings[0].pk != two_spellings[1].pk
    left = SourceRow.objects.get(source__name="a")
    right = SourceRow.objects.get(source__name="b")
    pair = ReviewPair.objects.create(left=left, right=right, probability=0.6, reason="uncertain")
    review_decide(pair=pair, status=ReviewStatus.ACCEPTED, user=admin_user)
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.ACCEPTED and pair.decided_by == admin_user
    assert CompanyMerge.objects.count() == 1
    with pytest.raises(ValueError):
        review_decide(pair=pair, status="maybe", user=admin_user)


def test_a_company_spread_over_two_clusters_is_left_for_review(db, tmp_path: Path) -> None:
    """Rows of one company that the model puts into two clusters must not chain those
    clusters together (nor be merged twice): that company waits for a person."""
    from types import SimpleNamespace

    _import(
        tmp_path,
        "x",
        [["Вектор", "", "Омск", "vektor-it.ru", ""], ["Вектор", "", "Тула", "vektor-it.ru", ""]],
    )
    _import(tmp_path, "y", [["Vektor Omsk", "", "Omsk", "", ""]])
    _import(tmp_path, "z", [["Vektor Tula", "", "Tula", "", ""]])
    x_rows = list(SourceRow.objects.filter(source__name="x").order_by("row_number"))
    y_row = SourceRow.objects.get(source__name="y")
    z_row = SourceRow.objects.get(source__name="z")
    spread = x_rows[0].company_id
    assert x_rows[1].company_id == spread  # one company for both rows (same web site)

    class Resolver:
        def resolve(self, records, **_):
            omsk = {str(x_rows[0].pk), str(y_row.pk)}
            return SimpleNamespace(
                cluster_of={
                    r.record_id: ("omsk" if r.record_id in omsk else "tula") for r in records
                },
                review=[],
                pairs=[],
                stats=SimpleNamespace(candidate_pairs=0, seconds=0.0),
            )

    report = resolution_run(resolver=Resolver())
    assert report["split_suggested"] == 1 and report["split"] == 0
    proposal = ReviewPair.objects.get(reason="split_proposal")
    assert {proposal.left_id, proposal.right_id} == {x_rows[0].pk, x_rows[1].pk}
    assert report["merged"] == 0
    assert not Company.objects.filter(merged_into__isnull=False).exists()
    assert {y_row.company_id, z_row.company_id, spread} == set(
        Company.objects.values_list("id", flat=True)
    )
