"""Write a simulated market as the files a channel manager actually collects.

Each list goes into the format its publisher would give: CSV saved by Russian Excel
(cp1251, ``;``), CSV in UTF-8 with a BOM, TSV, XLSX, a saved HTML page (site navigation in
layout tables around the partner table, sometimes the table split in two by a heading), or
a JSON array of objects. Next to them: ``truth.csv`` (source_name,row,company_id; the row is
the 1-based data-row number in file order, HTML rows counted across tables in document
order; an empty company_id marks a garbage row), ``companies.csv`` (the true population) and
``manifest.json`` (what each file is).

With ``hard`` noise some files also carry layout quirks that are not rows: a title line and
a blank line above the XLSX header, a second header row in the middle of a CSV or XLSX.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from .market import Market
from .model import PartnerList, SourceRow

FORMATS: tuple[str, ...] = ("csv_cp1251", "csv_utf8_bom", "tsv", "xlsx", "html", "json")
EXTENSIONS = {
    "csv_cp1251": "csv",
    "csv_utf8_bom": "csv",
    "tsv": "tsv",
    "xlsx": "xlsx",
    "html": "html",
    "json": "json",
}


@dataclass(frozen=True, slots=True)
class ListFile:
    """One written list."""

    path: Path
    source_name: str
    vendor: str
    kind: str  # vendor_locator | distributor_locator
    format: str  # one of FORMATS
    rows: int  # data rows in the file (garbage rows included)
    encoding: str | None = None
    delimiter: str | None = None


def _table(market: Market, plist: PartnerList) -> tuple[list[str], list[list[str]]]:
    headers = list(market.headers_of(plist.id))
    rows = [[r.fields.get(c, "") for c in plist.columns] for r in market.rows_of(plist.id)]
    return headers, rows


def _write_csv(
    path: Path, headers: list[str], rows: list[list[str]], encoding: str, delimiter: str
) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    # Excel replaces what cp1251 cannot hold with '?'; so do we.
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))


def _write_xlsx(
    path: Path, plist: PartnerList, headers: list[str], rows: list[list[str]], title_row: bool
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Partners" if plist.language == "en" else "Партнёры"
    if title_row:
        label = "Partner list" if plist.language == "en" else "Список партнёров"
        sheet.append([f"{label}: {plist.vendor}, {plist.as_of}"])
        sheet.append([])
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([value if value != "" else None for value in row])
    workbook.save(path)


_NAV = {
    "ru": ("Главная", "Продукты", "Решения", "Поддержка", "Партнёрам", "Контакты"),
    "en": ("Home", "Products", "Solutions", "Support", "Partners", "Contact"),
}
_TITLES = {"ru": "Найти партнёра", "en": "Find a Partner"}


def _cell_html(column: str, value: str) -> str:
    text = html.escape(value).replace("\n", "<br>")
    if not value:
        return "<td></td>"
    if column == "website":
        href = value if value.lower().startswith("http") else f"http://{value}"
        return f'<td><a href="{html.escape(href)}">{text}</a></td>'
    if column == "email":
        return f'<td><a href="mailto:{html.escape(value)}">{text}</a></td>'
    return f"<td>{text}</td>"


def _write_html(
    path: Path, plist: PartnerList, headers: list[str], rows: list[SourceRow], split_at: int | None
) -> None:
    lang = plist.language
    nav = "".join(
        f'<td><a href="/{i}">{html.escape(item)}</a></td>' for i, item in enumerate(_NAV[lang])
    )
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)

    def table(chunk: list[SourceRow]) -> str:
        body = "\n".join(
            "<tr>" + "".join(_cell_html(c, r.fields.get(c, "")) for c in plist.columns) + "</tr>"
            for r in chunk
        )
        return (
            f'<table class="partners">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n'
            "</tbody>\n</table>"
        )

    tables = [table(rows)] if split_at is None else [table(rows[:split_at]), table(rows[split_at:])]
    second_heading = "Other regions" if lang == "en" else "Другие регионы"
    content = f"\n<h2>{second_heading}</h2>\n".join(tables)
    title = f"{_TITLES[lang]} — {html.escape(plist.vendor)}"
    page = f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>{title}</title></head>
<body>
<table class="layout-nav" width="100%"><tr>{nav}</tr></table>
<h1>{title}</h1>
{content}
<table class="layout-footer"><tr><td>© {plist.as_of} {html.escape(plist.vendor)}</td></tr></table>
</body>
</html>
"""
    path.write_text(page, encoding="utf-8")


def _write_json(
    path: Path, plist: PartnerList, headers: list[str], rows: list[list[str]], empty: str
) -> None:
    objects = []
    for row in rows:
        obj: dict[str, str | None] = {}
        for header, value in zip(headers, row, strict=True):
            if value == "" and empty == "omit":
                continue
            obj[header] = None if value == "" and empty == "null" else value
        objects.append(obj)
    path.write_text(json.dumps(objects, ensure_ascii=False, indent=1), encoding="utf-8")


def _format_for(plist: PartnerList, formats: str | Sequence[str]) -> str:
    if formats == "mixed":
        return plist.format
    if isinstance(formats, str):
        if formats not in FORMATS:
            raise ValueError(f"unknown format {formats!r}; choose 'mixed' or one of {FORMATS}")
        return formats
    chosen = formats[plist.id % len(formats)]
    if chosen not in FORMATS:
        raise ValueError(f"unknown format {chosen!r}")
    return chosen


def write_list(market: Market, plist: PartnerList, directory: Path, fmt: str) -> ListFile:
    """Write one list in ``fmt``; layout variation is fixed by the seed and the list."""
    headers, table = _table(market, plist)
    rows = market.rows_of(plist.id)
    stem = f"{plist.id + 1:02d}_{plist.source_name}"
    path = directory / f"{stem}.{EXTENSIONS[fmt]}"
    hard = market.config.noise == "hard"
    # Layout choices derive from the seed and the list, not from row rendering.
    salt = (market.config.seed * 7919 + plist.id * 104729) % 1000
    encoding = delimiter = None
    if fmt == "csv_cp1251":
        encoding, delimiter = "cp1251", ";"
    elif fmt == "csv_utf8_bom":
        encoding, delimiter = "utf-8-sig", ";" if salt % 2 else ","
    elif fmt == "tsv":
        encoding, delimiter = "utf-8", "\t"
    if hard and len(table) > 30 and salt % 2 == 1 and fmt != "json":
        # A second header row mid-file (lists pasted together); it is not a data row.
        table = [*table[: len(table) // 2], list(headers), *table[len(table) // 2 :]]
    if encoding and delimiter:
        _write_csv(path, headers, table, encoding, delimiter)
    elif fmt == "xlsx":
        _write_xlsx(path, plist, headers, table, title_row=hard and salt % 2 == 0)
    elif fmt == "html":
        split = len(rows) // 2 if len(rows) > 40 and salt % 3 == 0 else None
        _write_html(path, plist, headers, rows, split)
        encoding = "utf-8"
    elif fmt == "json":
        _write_json(path, plist, headers, table, ("null", "omit", "empty")[salt % 3])
        encoding = "utf-8"
    return ListFile(
        path, plist.source_name, plist.vendor, plist.kind, fmt, len(rows), encoding, delimiter
    )


def _write_truth(market: Market, directory: Path) -> None:
    with (directory / "truth.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source_name", "row", "company_id"])
        for plist in market.lists:
            for r in market.rows_of(plist.id):
                writer.writerow(
                    [r.source_name, r.row, "" if r.company_id is None else r.company_id]
                )


def _write_companies(market: Market, directory: Path) -> None:
    lists_per_company = market.membership.sum(axis=1)
    columns = [
        "id",
        "country",
        "legal_form",
        "name",
        "name_en",
        "brand",
        "former_name",
        "former_legal_form",
        "renamed_year",
        "registered_year",
        "liquidated_year",
        "inn",
        "ogrn",
        "kpp",
        "bin",
        "unp",
        "website",
        "domain",
        "email",
        "phone",
        "city",
        "region",
        "federal_district",
        "branch_cities",
        "specialisations",
        "sectors",
        "size",
        "employees",
        "lists",
    ]
    with (directory / "companies.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for c in market.companies:
            writer.writerow(
                [
                    c.id,
                    c.country,
                    c.legal_form,
                    c.name,
                    c.name_en or "",
                    c.brand or "",
                    c.former_name or "",
                    c.former_legal_form or "",
                    c.renamed_year or "",
                    c.registered_year,
                    c.liquidated_year or "",
                    c.inn or "",
                    c.ogrn or "",
                    c.kpp or "",
                    c.bin or "",
                    c.unp or "",
                    c.website or "",
                    c.domain or "",
                    c.email,
                    c.hq.phone,
                    c.hq.city,
                    c.hq.region,
                    c.hq.federal_district,
                    ";".join(b.city for b in c.branches),
                    ";".join(c.specialisations),
                    ";".join(c.sectors),
                    c.size,
                    c.employees,
                    int(lists_per_company[c.id]),
                ]
            )


def write_market(
    market: Market, directory: str | Path, formats: str | Sequence[str] = "mixed"
) -> list[ListFile]:
    """Write every list, ``truth.csv``, ``companies.csv`` and ``manifest.json``.

    ``formats``: 'mixed' (each publisher's own format), one name from ``FORMATS`` for all
    lists, or a sequence of names used in turn.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files = [
        write_list(market, plist, directory, _format_for(plist, formats)) for plist in market.lists
    ]
    _write_truth(market, directory)
    _write_companies(market, directory)
    manifest = {
        "generator": "partnernet.engines.simulate",
        "config": asdict(market.config),
        "summary": {k: v for k, v in market.summary().items() if k != "curve"},
        "truth": "truth.csv",
        "companies": "companies.csv",
        "lists": [
            {
                "file": f.path.name,
                "source_name": f.source_name,
                "vendor": f.vendor,
                "kind": f.kind,
                "format": f.format,
                "encoding": f.encoding,
                "delimiter": f.delimiter,
                "language": plist.language,
                "as_of": plist.as_of,
                "rows": f.rows,
                "columns": dict(zip(plist.columns, market.headers_of(plist.id), strict=True)),
            }
            for f, plist in zip(files, market.lists, strict=True)
        ],
    }
    (directory / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return files
