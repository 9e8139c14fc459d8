"""Turn a stream of cell lists into numbered data rows under a recognised header.

Shared by every reader: finds the header row (skipping title lines above it), skips blank rows
and repeated header rows (reported as notices), and numbers data rows 1, 2, 3… across the whole
file — across all tables of an HTML page and all sheets of a workbook, in document order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from .headers import looks_like_header, map_headers, normalise_header

# How many leading non-empty rows may precede the header (report titles, export dates).
HEADER_SEARCH_ROWS = 15


@dataclass(frozen=True)
class RawRow:
    """One data row as read: ``number`` is the 1-based data-row number in the file."""

    number: int
    location: str
    values: dict[str, str]
    fields: dict[str, str]


@dataclass(frozen=True)
class Notice:
    location: str
    message: str


@dataclass
class Header:
    cells: list[str]
    fields: list[str | None]
    location: str
    key: tuple[str, ...] = ()
    rows: int = 0  # data rows read under this header so far

    def __post_init__(self) -> None:
        self.key = tuple(normalise_header(c) for c in self.cells)

    @property
    def unique_names(self) -> list[str]:
        """Header texts made unique (two "Телефон" columns become "Телефон", "Телефон (2)")."""
        seen: dict[str, int] = {}
        names: list[str] = []
        for index, cell in enumerate(self.cells):
            name = cell.strip() or f"column {index + 1}"
            seen[name] = seen.get(name, 0) + 1
            names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
        return names


def clean_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets store INNs and phones typed as numbers as floats.
        return str(int(value))
    text = str(value).replace("\u00a0", " ").replace("\ufeff", "")
    return " ".join(text.split()) if "\n" in text or "\r" in text else text.strip()


class RowNumberer:
    """Numbers data rows across every table of one file and collects notices."""

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        self.overrides = dict(overrides or {})
        self.next_number = 1
        self.notices: list[Notice] = []
        self.headers: list[Header] = []

    def make_header(self, cells: list[str], location: str) -> Header:
        header = Header(cells=cells, fields=map_headers(cells, self.overrides), location=location)
        self.headers.append(header)
        return header

    def table(
        self,
        rows: Iterable[tuple[str, list[object]]],
        *,
        header: Header | None = None,
        require_header: bool = False,
    ) -> Iterator[RawRow]:
        """Yield data rows of one table. ``rows`` yields ``(location, cells)``.

        Without a given ``header`` the first row that looks like a header within the first
        :data:`HEADER_SEARCH_ROWS` non-empty rows is the header; failing that the first
        non-empty row is, unless ``require_header`` (HTML layout tables are then skipped).
        """
        iterator = iter(rows)
        pending: list[tuple[str, list[object]]] = []
        if header is None:
            header, pending = self._find_header(iterator, require_header)
            if header is None:
                return
        names = header.unique_names
        for location, raw_cells in itertools.chain(pending, iterator):
            cells: list[str] = [clean_cell(c) for c in raw_cells]
            if not any(cells):
                continue
            if self.is_repeated_header(header, cells):
                self.notices.append(Notice(location, "repeated header row skipped"))
                continue
            yield self.row(header, names, cells, location)

    def _find_header(
        self, iterator: Iterator[tuple[str, list[object]]], require_header: bool
    ) -> tuple[Header | None, list[tuple[str, list[object]]]]:
        buffered: list[tuple[str, list[object]]] = []
        for location, raw_cells in iterator:
            cells = [clean_cell(c) for c in raw_cells]
            if not any(cells):
                continue
            if looks_like_header(cells, self.overrides):
                for skipped_location, _ in buffered:
                    self.notices.append(Notice(skipped_location, "line above the header skipped"))
                return self.make_header(cells, location), []
            buffered.append((location, list(cells)))
            if len(buffered) >= HEADER_SEARCH_ROWS:
                break
        if require_header or not buffered:
            return None, []
        # No recognisable header: take the first non-empty row so the user can map it, and
        # put the rows read while searching back in front of the stream.
        first_location, first_cells = buffered[0]
        header = self.make_header([str(c) for c in first_cells], first_location)
        return header, buffered[1:]

    @staticmethod
    def is_repeated_header(header: Header, cells: list[str]) -> bool:
        return tuple(normalise_header(c) for c in cells[: len(header.key)]) == header.key

    def row(self, header: Header, names: list[str], cells: list[str], location: str) -> RawRow:
        values: dict[str, str] = {}
        fields: dict[str, str] = {}
        width = max(len(cells), len(names))
        for index in range(width):
            value = cells[index] if index < len(cells) else ""
            if index < len(names):
                name = names[index]
                field_name = header.fields[index]
            else:
                name = f"column {index + 1}"
                field_name = None
            if not value and index >= len(names):
                continue
            values[name] = value
            if field_name and value:
                if field_name in fields and value not in fields[field_name].split("; "):
                    fields[field_name] = f"{fields[field_name]}; {value}"
                else:
                    fields.setdefault(field_name, value)
        row = RawRow(number=self.next_number, location=location, values=values, fields=fields)
        self.next_number += 1
        header.rows += 1
        return row
