"""Imports linked by the Splink model against the existing register (incremental linking)."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnernet.apps.register.models import Company, Source, SourceRow
from partnernet.apps.register.models_resolution import ReviewPair, ReviewStatus
from partnernet.apps.register.resolution_services import review_decide

from .helpers import RESOLUTION_FIRST, import_rows

pytestmark = pytest.mark.django_db
FIRST = RESOLUTION_FIRST


def _company(source: str, row: int) -> Company:
    company = SourceRow.objects.get(source__name=source, row_number=row).company
    assert company is not None
    return company


SECOND = [
    ["Jet Infosystems", "", "Moscow", "", "+7 (495) 411 76 01"],  # the same integrator
    ["Альянс", "", "Тула", "", ""],  # a namesake in another city
    ["Альянс", "", "", "", ""],  # a bare common name: a question, not an answer
    ["Квазар", "", "Казань", "", ""],
]


def test_first_import_is_deterministic_later_ones_use_the_model(tmp_path: Path) -> None:
    first = import_rows(tmp_path, "a", FIRST)
    assert first.linker == "deterministic" and first.queued_for_review == 0
    second = import_rows(tmp_path, "b", SECOND)
    assert second.linker == "splink" and Source.objects.get(name="b").linker == "splink"
    # Cyrillic and Latin spellings with one phone: one company (the deterministic rules,
    # which need the same name in the same city or the same domain, keep two).
    jet = _company("a", 1)
    assert _company("b", 1) == jet
    assert SourceRow.objects.get(source__name="b", row_number=1).link_method == "model"
    assert jet.names.count() == 2  # type: ignore[attr-defined]
    # Namesakes stay apart; the bare name is queued against the one it might be.
    assert _company("b", 2) != _company("a", 2)
    bare = SourceRow.objects.get(source__name="b", row_number=3)
    assert bare.company not in (_company("a", 2), _company("b", 2))
    queued = ReviewPair.objects.filter(status=ReviewStatus.OPEN)
    assert second.queued_for_review == queued.count() >= 1
    assert all(bare.pk in (p.left_id, p.right_id) for p in queued)
    assert all(p.levels.get("name") == "name_exact" for p in queued)
    # Idempotent: the same file again changes nothing and queues nothing more.
    again = import_rows(tmp_path, "b", SECOND)
    assert again.unchanged and ReviewPair.objects.count() == queued.count()
    assert SourceRow.objects.filter(source__name="b").count() == 4


def test_a_queued_pair_accepted_merges_the_new_row_company(tmp_path: Path) -> None:
    import_rows(tmp_path, "a", FIRST)
    import_rows(tmp_path, "b", SECOND)
    omsk = SourceRow.objects.get(source__name="a", row_number=2)
    pair = ReviewPair.objects.filter(status=ReviewStatus.OPEN).get(
        left_id=min(omsk.pk, _bare_id()), right_id=max(omsk.pk, _bare_id())
    )
    review_decide(pair=pair, status=ReviewStatus.ACCEPTED)
    omsk.refresh_from_db()
    bare = SourceRow.objects.get(pk=_bare_id())
    assert bare.company_id == omsk.company_id
    assert Company.objects.filter(merged_into__isnull=False).count() == 1


def _bare_id() -> int:
    return SourceRow.objects.get(source__name="b", row_number=3).pk


def test_review_decisions_carry_over_to_identical_rows_of_later_lists(tmp_path: Path) -> None:
    import_rows(tmp_path, "a", FIRST)
    import_rows(tmp_path, "b", SECOND)
    jet_row = SourceRow.objects.get(source__name="a", row_number=1)
    latin_row = SourceRow.objects.get(source__name="b", row_number=1)
    kazan_row = SourceRow.objects.get(source__name="a", row_number=3)
    kvazar_row = SourceRow.objects.get(source__name="b", row_number=4)
    assert kvazar_row.company != kazan_row.company
    # A person says the Latin row is another company, and the two Kazan rows are one.
    for left, right, status in (
        (jet_row, latin_row, ReviewStatus.REJECTED),
        (kazan_row, kvazar_row, ReviewStatus.ACCEPTED),
    ):
        pair, _ = ReviewPair.objects.get_or_create(
            left_id=min(left.pk, right.pk),
            right_id=max(left.pk, right.pk),
            defaults={"probability": 0.5, "reason": "uncertain"},
        )
        review_decide(pair=pair, status=status)
    report = import_rows(tmp_path, "c", [SECOND[0], SECOND[3]])
    assert report.linker == "splink"
    again_latin = SourceRow.objects.get(source__name="c", row_number=1)
    again_kvazar = SourceRow.objects.get(source__name="c", row_number=2)
    assert again_latin.company_id != jet_row.company_id
    assert again_kvazar.link_method == "decision"
    kazan_row.refresh_from_db()
    assert again_kvazar.company_id == kazan_row.company_id


def test_same_valid_inn_links_even_to_a_company_without_rows(tmp_path: Path) -> None:
    import_rows(tmp_path, "a", FIRST)
    company = Company.objects.create(display_name="ООО Тест", name_key="тест")
    from partnernet.apps.register.services import company_update

    company_update(company=company, inn="7707083893", reason="from the contract")
    report = import_rows(tmp_path, "b", [["Совсем другое имя", "7707083893", "Омск", "", ""]])
    assert report.linker == "splink"
    row = SourceRow.objects.get(source__name="b")
    assert row.company == company and row.link_method == "inn"


def test_register_records_follow_merges_through_the_cache(tmp_path: Path) -> None:
    from partnernet.apps.register.resolution_services import company_merge, register_records

    import_rows(tmp_path, "a", FIRST)
    first = {r.record_id: r.company_id for r in register_records()}
    assert len(first) == 3
    omsk, kazan = _company("a", 2), _company("a", 3)
    company_merge(target=omsk, absorbed=kazan, reason="test")
    again = {r.record_id: (r.company_id, r.extra["canonical"]["name"]) for r in register_records()}
    kazan_row = str(SourceRow.objects.get(source__name="a", row_number=3).pk)
    assert again[kazan_row] == (str(omsk.pk), "ООО «Квазар Технологии»")


def test_model_links_rows_across_batches_of_oneimport_rows(tmp_path: Path, monkeypatch) -> None:
    from partnernet.apps.register import services

    import_rows(tmp_path, "a", FIRST)
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    rows = [
        ["ООО «Вектор Плюс»", "", "Самара", "vektor-plus.ru", "+7 846 200-00-01"],
        ["Другая фирма", "", "Пермь", "", ""],
        ["Vektor Plus LLC", "", "Samara", "https://vektor-plus.ru", "+7 (846) 200 00 01"],
    ]
    report = import_rows(tmp_path, "b", rows)
    assert report.linker == "splink" and report.new_companies == 2
    assert _company("b", 3) == _company("b", 1)
    assert SourceRow.objects.get(source__name="b", row_number=3).link_method == "model"
