"""Strategy documents: Markdown, DOCX read back with python-docx, PDF rendered and read back."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from partnernet.engines.strategy.catalogue import default_catalogue, text
from partnernet.engines.strategy.compose import Choice, Goal, Strategy
from partnernet.engines.strategy.examples import example, examples
from partnernet.engines.strategy.render import outline, render, to_markdown, years_text


def _chosen_names(strategy: Strategy, lang: str) -> list[str]:
    catalogue = default_catalogue()
    return [
        text(catalogue.tactic(c.dimension, key).name, lang)
        for c in strategy.choices
        for key in c.tactics
    ]


def _squash(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_markdown_names_every_choice_and_note(lang: str) -> None:
    for strategy in examples().values():
        md = render(strategy, "md", lang=lang).decode("utf-8")
        assert md.startswith(f"# {text(strategy.title, lang)}\n")
        for name in _chosen_names(strategy, lang):
            assert name in md
        for choice in strategy.choices:
            if choice.note:
                assert text(choice.note, lang) in md
        # one table row per choice
        rows = [line for line in md.splitlines() if line.startswith("| ") and "---" not in line]
        assert len(rows) == len(strategy.choices) + 1


def test_markdown_marks_vendor_decisions_and_reconstructions() -> None:
    md = render(example("distributor_margin_growth"), "md", lang="ru").decode()
    assert "| Прайс-лист* | Определяет вендор |" in md
    assert "Мультивендорность" in md  # the parameter's label, not its key
    assert "восстановлены" in md
    en = render(example("distributor_margin_growth"), "md", lang="en").decode()
    assert "| Price list* | Decided by the vendor |" in en


def test_findings_are_listed() -> None:
    strategy = Strategy(
        title={"ru": "Черновик"},
        role="vendor",
        goal=None,
        choices=(Choice("margin", ("fixed", "flexible")),),
    )
    md = to_markdown(outline(strategy, lang="ru"))
    assert "Не задана цель стратегии." in md
    assert "исключают друг друга" in md
    assert "Замечаний нет." not in md
    assert "Замечаний нет." in render(example("new_vendor_market_share"), "md").decode()


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        (1, "ru", "1 год"),
        (2, "ru", "2 года"),
        (3, "ru", "3 года"),
        (5, "ru", "5 лет"),
        (11, "ru", "11 лет"),
        (21, "ru", "21 год"),
        (22, "ru", "22 года"),
        (1, "en", "1 year"),
        (3, "en", "3 years"),
    ],
)
def test_years_agree_in_number(value: int, lang: str, expected: str) -> None:
    assert years_text(Decimal(value), lang) == expected


def test_docx_holds_the_same_content() -> None:
    from docx import Document

    strategy = example("new_vendor_market_share")
    document = Document(io.BytesIO(render(strategy, "docx", lang="ru")))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert document.core_properties.title == text(strategy.title, "ru")
    assert text(strategy.title, "ru") in body
    for name in _chosen_names(strategy, "ru"):
        assert name in body or name in " + ".join(cells)
    assert "Доля рынка" in cells and "15%" in cells and "3 года" in cells


needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="poppler-utils missing"
)


@needs_poppler
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_pdf_renders_and_reads_back(tmp_path: Path, lang: str) -> None:
    strategy = example("new_vendor_market_share")
    pdf = tmp_path / "strategy.pdf"
    pdf.write_bytes(render(strategy, "pdf", lang=lang))
    assert pdf.read_bytes().startswith(b"%PDF")
    extracted = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = _squash(extracted)
    assert _squash(text(strategy.title, lang)) in flat
    for name in _chosen_names(strategy, lang):
        assert _squash(name) in flat, name
    # rasterise page 1: it must exist and carry ink, not a blank page
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    page = next(tmp_path.glob("page*.pgm"))
    pixels = _pgm_pixels(page.read_bytes())
    dark = sum(1 for value in pixels if value < 128)
    assert 0.005 < dark / len(pixels) < 0.5


def _pgm_pixels(data: bytes) -> bytes:
    """Pixel bytes of a binary PGM (P5) image."""
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        match = re.compile(rb"\s*(#[^\n]*\n\s*)*(\S+)").match(data, position)
        assert match is not None
        fields.append(match.group(2))
        position = match.end()
    assert fields[0] == b"P5"
    width, height = int(fields[1]), int(fields[2])
    return data[position + 1 : position + 1 + width * height]


def test_unknown_format_is_refused() -> None:
    strategy = Strategy(
        title={"en": "x"}, role="vendor", goal=Goal("revenue", Decimal(1), Decimal(1)), choices=()
    )
    with pytest.raises(ValueError, match="unknown format"):
        render(strategy, "odt")
