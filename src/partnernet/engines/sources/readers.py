"""Readers for partner-list files: CSV/TSV, XLSX, saved HTML pages and JSON arrays.

Every reader streams: rows are yielded one by one and no reader holds the whole file in memory,
so a 200 MB export imports with flat memory. Open a file with :func:`open_source`; iterate the
returned :class:`SourceReader` for :class:`~.rows.RawRow` objects; ``reader.notices`` then holds
what was skipped and why (title lines, repeated header rows, items that are not objects).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .encoding import detect_encoding, read_sample
from .errors import (
    BrokenJsonError,
    BrokenSpreadsheetError,
    NoHeaderError,
    NoTableError,
    SourceFileError,
    UnsupportedFormatError,
)
from .headers import map_headers, parse_mapping
from .rows import Header, Notice, RawRow, RowNumberer, clean_cell

FORMATS = ("csv", "xlsx", "html", "json")
SNIFF_CHARS = 32 * 1024
DELIMITERS = (";", ",", "\t", "|")
csv.field_size_limit(16 * 1024 * 1024)

_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
}


def detect_format(path: str | Path, sample: bytes | None = None) -> str:
    """Format from the extension, else from the first bytes."""
    suffix = Path(path).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if suffix in {".xls", ".ods", ".doc", ".pdf"}:
        raise UnsupportedFormatError(path, f"{suffix} files: save the list as XLSX or CSV")
    if sample is None:
        sample = read_sample(path, 4096)
    if sample.startswith(b"PK\x03\x04"):
        return "xlsx"
    head = sample.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<table" in head:
        return "html"
    if head.startswith((b"[", b"{")):
        return "json"
    return "csv"


def sniff_delimiter(text: str, preferred: str | None = None) -> str:
    """Pick the delimiter that splits the first lines into the most consistent field counts.

    >>> sniff_delimiter('Компания;Город\\n"ООО Ромашка, филиал";Москва\\n')
    ';'
    >>> sniff_delimiter("a,b,c\\n1,2,3\\n")
    ','
    """
    lines = [line for line in text.splitlines()[:60] if line.strip()]
    if not lines:
        return preferred or ","
    best: tuple[float, int, int] = (-1.0, 0, 0)
    choice = preferred or ","
    for delimiter in DELIMITERS:
        try:
            counts = [
                len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
            ]
        except csv.Error:
            continue
        counts = [c for c in counts if c > 0]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        consistency = counts.count(mode) / len(counts)
        bonus = 1 if delimiter == preferred else 0
        score = (round(consistency, 2), bonus, mode)
        if score > best:
            best, choice = score, delimiter
    return choice


class SourceReader:
    """A partner-list file opened for streaming. Iterate it for :class:`RawRow` objects."""

    def __init__(
        self,
        path: str | Path,
        *,
        mapping: Mapping[str, str] | list[str] | None = None,
        format: str | None = None,
    ) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise SourceFileError(self.path, "file not found")
        sample = read_sample(self.path)
        self.format = format or detect_format(self.path, sample)
        if self.format not in FORMATS:
            raise UnsupportedFormatError(self.path, self.format)
        self.overrides = parse_mapping(mapping)
        self.encoding: str | None = None
        self.delimiter: str | None = None
        truncated = self.path.stat().st_size > len(sample)
        if self.format in {"csv", "html", "json"}:
            self.encoding = detect_encoding(sample, self.path, truncated=truncated)
        if self.format == "csv":
            text = sample[:SNIFF_CHARS]
            decoded = text.decode(self.encoding or "utf-8", errors="replace")
            preferred = "\t" if self.path.suffix.lower() in {".tsv", ".tab"} else None
            self.delimiter = sniff_delimiter(decoded[:SNIFF_CHARS], preferred)
        self._numberer = RowNumberer(self.overrides)

    @property
    def notices(self) -> list[Notice]:
        return self._numberer.notices

    @property
    def headers(self) -> list[Header]:
        return self._numberer.headers

    def columns(self) -> list[tuple[str, str | None]]:
        """Header texts and their fields over every table read so far (for the preview).

        A header with no rows under it (a saved page's menu or layout table) adds no columns
        unless no header has rows yet.
        """
        seen: dict[str, str | None] = {}
        filled = [h for h in self.headers if h.rows] or self.headers
        for header in filled:
            for name, field in zip(header.unique_names, header.fields, strict=False):
                seen.setdefault(name, field)
        return list(seen.items())

    def __iter__(self) -> Iterator[RawRow]:
        readers = {
            "csv": self._read_csv,
            "xlsx": self._read_xlsx,
            "html": self._read_html,
            "json": self._read_json,
        }
        return readers[self.format]()

    # CSV / TSV -------------------------------------------------------------------------------

    def _read_csv(self) -> Iterator[RawRow]:
        with open(self.path, encoding=self.encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter or ",")

            def cells() -> Iterator[tuple[str, list[object]]]:
                try:
                    for record in reader:
                        yield f"line {reader.line_num}", list(record)
                except csv.Error as exc:
                    raise SourceFileError(self.path, f"line {reader.line_num}: {exc}") from exc

            rows = self._numberer.table(cells())
            empty = True
            for row in rows:
                empty = False
                yield row
            if empty and not self.headers:
                raise NoHeaderError(self.path, "the file is empty")

    # XLSX ------------------------------------------------------------------------------------

    def _read_xlsx(self) -> Iterator[RawRow]:
        try:
            import openpyxl
            from openpyxl.utils.exceptions import InvalidFileException

            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise BrokenSpreadsheetError(self.path, str(exc) or type(exc).__name__) from exc
        try:
            first = True
            for sheet in workbook.worksheets:
                title = sheet.title

                def cells(sheet: Any = sheet, title: str = title) -> Iterator[tuple[str, list]]:
                    for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                        yield f"sheet «{title}», row {index}", list(values)

                headers_before = len(self.headers)
                yield from self._numberer.table(cells(), require_header=not first)
                if len(self.headers) > headers_before:
                    first = False
        except SourceFileError:
            raise
        except Exception as exc:  # openpyxl raises many kinds on corrupt sheet XML
            raise BrokenSpreadsheetError(self.path, str(exc) or type(exc).__name__) from exc
        finally:
            workbook.close()
        if not self.headers:
            raise NoHeaderError(self.path, "the workbook has no rows")

    # HTML ------------------------------------------------------------------------------------

    def _read_html(self) -> Iterator[RawRow]:
        from lxml import etree

        tables: list[dict[str, Any]] = []  # stack of open tables
        table_count = 0
        found_header = False
        try:
            with open(self.path, "rb") as handle:
                events = etree.iterparse(
                    handle,
                    events=("start", "end"),
                    html=True,
                    encoding=self.encoding,
                    recover=True,
                    huge_tree=True,
                )
                for event, element in events:
                    tag = element.tag if isinstance(element.tag, str) else ""
                    if tag == "table":
                        if event == "start":
                            table_count += 1
                            tables.append({"number": table_count, "header": None, "rows": 0})
                        else:
                            tables.pop()
                            if not tables:
                                element.clear()
                        continue
                    if tag != "tr" or event != "end" or not tables:
                        continue
                    table = tables[-1]
                    table["rows"] += 1
                    location = f"table {table['number']}, row {table['rows']}"
                    cell_elements = [c for c in element if c.tag in ("td", "th")]
                    cells = [_cell_text(c) for c in cell_elements]
                    all_th = bool(cell_elements) and all(c.tag == "th" for c in cell_elements)
                    element.clear()
                    if not any(cells):
                        continue
                    header: Header | None = table["header"]
                    if header is None:
                        if (all_th and sum(1 for c in cells if c) >= 2) or _looks(cells, self):
                            table["header"] = self._numberer.make_header(cells, location)
                            found_header = True
                        continue
                    if RowNumberer.is_repeated_header(header, cells):
                        self.notices.append(Notice(location, "repeated header row skipped"))
                        continue
                    yield self._numberer.row(header, header.unique_names, cells, location)
        except etree.LxmlError as exc:
            raise SourceFileError(self.path, f"HTML parse error: {exc}") from exc
        if not found_header:
            raise NoTableError(self.path, f"{table_count} tables found, none with a header row")

    # JSON ------------------------------------------------------------------------------------

    def _read_json(self) -> Iterator[RawRow]:
        field_cache: dict[str, str | None] = {}
        header_keys: list[str] = []
        for index, item in enumerate(_iter_json_array(self.path, self.encoding or "utf-8"), 1):
            location = f"item {index}"
            if not isinstance(item, dict):
                self.notices.append(Notice(location, "not a JSON object, skipped"))
                continue
            values: dict[str, str] = {}
            fields: dict[str, str] = {}
            for key, value in item.items():
                key = str(key)
                if key not in field_cache:
                    field_cache[key] = map_headers([key], self.overrides)[0]
                    header_keys.append(key)
                text = _json_text(value)
                values[key] = text
                field_name = field_cache[key]
                if field_name and text:
                    if field_name in fields:
                        fields[field_name] = f"{fields[field_name]}; {text}"
                    else:
                        fields[field_name] = text
            if not any(values.values()):
                continue
            number = self._numberer.next_number
            self._numberer.next_number += 1
            yield RawRow(number=number, location=location, values=values, fields=fields)
        # Record the union of keys as the header so the preview can show the columns.
        if header_keys:
            self._numberer.make_header(header_keys, "keys")


def _looks(cells: list[str], reader: SourceReader) -> bool:
    from .headers import looks_like_header

    return looks_like_header(cells, reader.overrides)


_BLOCK_TAGS = {"br", "p", "div", "li", "tr"}


def _cell_text(element: Any) -> str:
    """Text of a table cell; line breaks become spaces; nested tables are left out."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.text and node.tag != "table":
            parts.append(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _BLOCK_TAGS:
                parts.append(" ")
            if tag not in {"table", "script", "style"}:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return " ".join("".join(parts).split())


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_json_text(v) for v in value if _json_text(v))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return clean_cell(value)


def _iter_json_array(path: Path, encoding: str, chunk_size: int = 1 << 16) -> Iterator[Any]:
    """Stream the items of a top-level JSON array without loading the file.

    A top-level object is accepted when one of its values is the list of records
    (``{"partners": [...]}``); that shape is read whole.
    """
    decoder = json.JSONDecoder()
    with open(path, encoding=encoding, errors="replace") as handle:
        buffer = handle.read(chunk_size).lstrip("\ufeff \t\r\n")
        if buffer.startswith("{"):
            buffer += handle.read()
            try:
                data = json.loads(buffer)
            except json.JSONDecodeError as exc:
                raise BrokenJsonError(path, str(exc)) from exc
            for value in data.values():
                if isinstance(value, list) and value and isinstance(value[0], dict):
                    yield from value
                    return
            raise BrokenJsonError(path, "the object holds no list of records")
        if not buffer.startswith("["):
            raise BrokenJsonError(path, "the file does not start with '['")
        position = 1
        eof = False
        while True:
            # Skip whitespace and commas between items, refilling the buffer as needed.
            while True:
                while position < len(buffer) and buffer[position] in " \t\r\n,":
                    position += 1
                if position < len(buffer) or eof:
                    break
                chunk = handle.read(chunk_size)
                eof = not chunk
                buffer, position = buffer[position:] + chunk, 0
            if position >= len(buffer):
                raise BrokenJsonError(path, "unterminated array")
            if buffer[position] == "]":
                return
            try:
                item, end = decoder.raw_decode(buffer, position)
            except json.JSONDecodeError as exc:
                if eof:
                    raise BrokenJsonError(path, str(exc)) from exc
                chunk = handle.read(chunk_size)
                eof = not chunk
                buffer, position = buffer[position:] + chunk, 0
                continue
            # A number cut at the buffer's end decodes early; re-read when that may be so.
            if end >= len(buffer) and not eof:
                chunk = handle.read(chunk_size)
                eof = not chunk
                buffer, position = buffer[position:] + chunk, 0
                continue
            yield item
            position = end
            if position > chunk_size:
                buffer, position = buffer[position:], 0


def open_source(
    path: str | Path,
    *,
    mapping: Mapping[str, str] | list[str] | None = None,
    format: str | None = None,
) -> SourceReader:
    """Open a partner-list file for streaming; raises :class:`SourceFileError` subclasses."""
    return SourceReader(path, mapping=mapping, format=format)
