"""Write tables of the register as CSV, XLSX or JSON (CLI export and the list's export)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from .models import Company, CompanyDomain, CompanyPhone
from .selectors import match_rows

COMPANY_COLUMNS = [
    "id",
    "name",
    "legal_form",
    "inn",
    "inn_valid",
    "ogrn",
    "kpp",
    "bin",
    "unp",
    "country",
    "city",
    "region",
    "federal_district",
    "domains",
    "phones",
    "vendors",
    "sources",
    "source_rows",
    "first_seen",
    "last_confirmed",
]


def company_export_table(
    queryset: QuerySet[Company],
) -> tuple[list[str], Iterator[list[Any]]]:
    """Header and rows of the companies export (domains and phones joined with "; ")."""

    def rows() -> Iterator[list[Any]]:
        ids = queryset.values("id")
        domains: dict[int, list[str]] = defaultdict(list)
        for company_id, domain in CompanyDomain.objects.filter(company_id__in=ids).values_list(
            "company_id", "domain"
        ):
            domains[company_id].append(domain)
        phones: dict[int, list[str]] = defaultdict(list)
        for company_id, number in CompanyPhone.objects.filter(company_id__in=ids).values_list(
            "company_id", "number"
        ):
            phones[company_id].append(number)
        for company in queryset.iterator(chunk_size=2000):
            yield [
                company.pk,
                company.display_name,
                company.legal_form,
                company.inn,
                company.inn_valid if company.inn else "",
                company.ogrn,
                company.kpp,
                company.bin,
                company.unp,
                company.country,
                company.city_name,
                company.region,
                company.federal_district,
                "; ".join(domains.get(company.pk, ())),
                "; ".join(phones.get(company.pk, ())),
                company.vendors_text,
                company.source_count,
                company.row_count,
                company.first_seen.date().isoformat(),
                company.last_confirmed.date().isoformat(),
            ]

    return list(COMPANY_COLUMNS), rows()


def match_export_table() -> tuple[list[str], Iterator[list[Any]]]:
    def rows() -> Iterator[list[Any]]:
        for source_name, number, company_id in match_rows():
            yield [source_name, number, "" if company_id is None else company_id]

    return ["source", "row", "company_id"], rows()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def write_table(
    handle: IO[bytes],
    fmt: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    excel_bom: bool = False,
    sheet_title: str = "partnernet",
) -> int:
    """Write ``rows`` under ``headers`` to a binary handle; returns the number of rows.

    ``excel_bom`` prefixes CSV with a UTF-8 byte-order mark so Excel on a Russian Windows opens
    it with the right encoding (the web export sets it; the CLI does not, for scripts).
    """
    count = 0
    if fmt == "csv":
        text = io.TextIOWrapper(handle, encoding="utf-8-sig" if excel_bom else "utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            count += 1
        text.flush()
        text.detach()
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(sheet_title[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_cell(v) for v in row])
            count += 1
        workbook.save(handle)
    elif fmt == "json":
        handle.write(b"[")
        for row in rows:
            item = dict(zip(headers, (_cell(v) for v in row), strict=False))
            handle.write(
                (b",\n" if count else b"\n") + json.dumps(item, ensure_ascii=False).encode()
            )
            count += 1
        handle.write(b"\n]\n")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return count


# Downloads offered on the list pages (``?_export=csv`` or ``xlsx``).
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_download(request: HttpRequest, table: Any, fmt: str, name: str) -> HttpResponse:
    """A list page's table as ``name.csv`` or ``name.xlsx``: every row, not one page.

    ``table`` is a django-tables2 table over the filtered queryset; the request's sort applies.
    """
    from django_tables2 import RequestConfig

    RequestConfig(request, paginate=False).configure(table)
    values = iter(table.as_values())
    headers = [str(h) for h in next(values)]
    return rows_download(fmt, name, headers, values)


def rows_download(
    fmt: str,
    name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet_title: str = "",
) -> HttpResponse:
    """Headers and rows as a ``name.csv`` or ``name.xlsx`` download (Excel-friendly CSV)."""
    buffer = io.BytesIO()
    write_table(buffer, fmt, headers, rows, excel_bom=True, sheet_title=sheet_title or name)
    response = HttpResponse(buffer.getvalue(), content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
