"""The tactics catalogue: the book's lists exactly, reconstructions marked, our own texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from partnernet.engines.strategy.catalogue import (
    ROLES,
    CatalogueError,
    default_catalogue,
    load,
    merge,
    parse,
    text,
)

# §5.6–§5.13 as the book lists them: dimension → (section, number of tactics)
BOOK = {
    "margin": ("5.6", 5),
    "licensing": ("5.7", 3),
    "training": ("5.8", 6),
    "marketing": ("5.9", 3),
    "partner_team": ("5.10", 3),
    "product_lines": ("5.11", 3),
    "work_with_vendors": ("5.12", 5),
    "sales_and_technical": ("5.13", 2),
}
RECONSTRUCTED = {
    "sales_channels": "5.1",
    "distribution": "5.2",
    "work_with_partners": "5.3",
    "price_list": "5.4",
    "discount_policy": "5.5",
}
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest.fixture(scope="module")
def catalogue():
    return default_catalogue()


def test_book_dimensions_have_exactly_the_books_tactics(catalogue) -> None:
    for key, (section, count) in BOOK.items():
        dim = catalogue.dimension(key)
        assert dim.section == section
        assert len(dim.tactics) == count, key
        assert [t.number for t in dim.tactics] == list(range(1, count + 1))
        assert not dim.reconstructed
        assert all(t.origin == "book" and not t.reconstructed for t in dim.tactics)


def test_reconstructed_dimensions_are_marked(catalogue) -> None:
    assert [d.key for d in catalogue.dimensions] == [*RECONSTRUCTED, *BOOK]
    for key, section in RECONSTRUCTED.items():
        dim = catalogue.dimension(key)
        assert dim.section == section
        assert dim.reconstructed and dim.origin == "reconstructed"
        assert len(dim.tactics) >= 4
        assert all(t.reconstructed and t.number is None for t in dim.tactics)


def test_tactics_named_in_the_worked_examples_exist(catalogue) -> None:
    expected = {
        ("sales_channels", "distributors_only"): "Продажа только через дистрибьюторов",
        ("sales_channels", "partners_only"): "Продажа только через партнёров",
        ("work_with_partners", "limited_club"): "Ограниченный клуб партнёров",
        ("work_with_partners", "unlimited_circle"): "Неограниченный круг партнёров",
        ("distribution", "master_distributor"): "Мастер-дистрибьютор",
        ("price_list", "closed_on_request"): "Закрытый прайс-лист",
        ("discount_policy", "combined"): "Комбинированная",
    }
    for (dim, key), name in expected.items():
        assert text(catalogue.tactic(dim, key).name, "ru").startswith(name)


def test_every_text_is_bilingual(catalogue) -> None:
    for dim in catalogue.dimensions:
        entries = [("dimension", dim.key, dim.name), ("dimension", dim.key, dim.description)]
        for t in dim.tactics:
            entries += [(t.key, "name", t.name), (t.key, "description", t.description)]
            entries += [(t.key, "when_to_use", t.when_to_use)]
        for owner, what, value in entries:
            assert CYRILLIC.search(value["ru"]), (owner, what)
            assert value["en"] and not CYRILLIC.search(value["en"]), (owner, what)


def test_roles_follow_the_book(catalogue) -> None:
    # §5.10: partner-team tactics belong to vendors and distributors; §5.12: work with vendors
    # applies to distributors and partners.
    assert set(catalogue.dimension("partner_team").roles) == {"vendor", "distributor"}
    assert set(catalogue.dimension("work_with_vendors").roles) == {"distributor", "partner"}
    assert "work_with_vendors" not in {d.key for d in catalogue.for_role("vendor")}
    assert "distribution" not in {d.key for d in catalogue.for_role("distributor")}
    for dim in catalogue.dimensions:
        for t in dim.tactics:
            assert set(t.roles) <= set(dim.roles) <= set(ROLES)


def _shingles(value: str, size: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"[а-яёa-z0-9]+", value.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_descriptions_are_not_copied_from_the_book(catalogue, shared_dir: Path) -> None:
    """No five-word run of a description or note appears in the book's chapter."""
    seed = next((shared_dir / "seed").glob("000_*.txt"), None)
    if seed is None:
        pytest.skip("book chapter not available")
    book = _shingles(seed.read_text(encoding="utf-8"))
    copied = []
    for dim in catalogue.dimensions:
        for t in dim.tactics:
            for field in (t.description, t.when_to_use):
                overlap = _shingles(field["ru"]) & book
                if overlap:
                    copied.append((dim.key, t.key, sorted(overlap)[:2]))
    assert copied == []


def test_merge_adds_user_tactics_and_dimensions(catalogue) -> None:
    user = {
        "dimensions": [
            {
                "key": "margin",
                "tactics": [
                    {"key": "rebate", "name": {"ru": "Бонус", "en": "Rebate"}, "description": "x"}
                ],
            },
            {
                "key": "events",
                "name": {"ru": "Мероприятия", "en": "Events"},
                "roles": ["vendor"],
                "tactics": [{"key": "roadshow", "name": "Roadshow", "description": "tour"}],
            },
        ]
    }
    merged = merge(catalogue, user)
    rebate = merged.tactic("margin", "rebate")
    assert rebate.origin == "user" and rebate.roles == catalogue.dimension("margin").roles
    assert len(merged.dimension("margin").tactics) == 6
    assert merged.dimension("events").origin == "user"
    assert merged.tactic("events", "roadshow").roles == ("vendor",)
    assert len(catalogue.dimension("margin").tactics) == 5  # the shipped one is untouched


def test_merge_refuses_to_redefine_shipped_tactics(catalogue) -> None:
    user = {
        "dimensions": [
            {"key": "margin", "tactics": [{"key": "fixed", "name": "x", "description": "y"}]}
        ]
    }
    with pytest.raises(CatalogueError, match="redefine"):
        merge(catalogue, user)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"dimensions": [{"key": "d", "name": "D", "roles": ["reseller"]}]}, "unknown role"),
        (
            {"dimensions": [{"key": "d", "name": "D", "exclusive": [["a", "b"]], "tactics": []}]},
            "exclusive",
        ),
        (
            {
                "dimensions": [
                    {
                        "key": "d",
                        "name": "D",
                        "roles": ["vendor"],
                        "tactics": [
                            {"key": "a", "name": "A", "description": "x", "roles": ["partner"]}
                        ],
                    }
                ]
            },
            "not among",
        ),
        ({"dimensions": [{"key": "d", "name": "D"}, {"key": "d", "name": "E"}]}, "duplicate"),
    ],
)
def test_malformed_catalogues_are_rejected(data, message) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse(data)


def test_load_merges_user_files_in_order(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "dimensions": [
                    {
                        "key": "licensing",
                        "tactics": [{"key": "pay_per_use", "name": "PPU", "description": "d"}],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    assert "pay_per_use" in load([path]).dimension("licensing").tactic_keys()
    assert "pay_per_use" not in load().dimension("licensing").tactic_keys()
