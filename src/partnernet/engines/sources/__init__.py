"""Read partner lists (CSV/TSV, XLSX, HTML, JSON) and normalise their rows.

>>> from partnernet.engines.sources import open_source, canonical_row   # doctest: +SKIP
>>> reader = open_source("partners.csv", mapping=["Партнёр=name"])      # doctest: +SKIP
>>> for row in reader:                                                  # doctest: +SKIP
...     record = canonical_row(row.fields)
"""

from __future__ import annotations

from .errors import (
    BrokenJsonError,
    BrokenSpreadsheetError,
    MappingError,
    NoHeaderError,
    NoTableError,
    SourceFileError,
    UnknownEncodingError,
    UnsupportedFormatError,
)
from .headers import FIELDS, IGNORE, normalise_header, parse_mapping, recognise_header
from .readers import SourceReader, detect_format, open_source, sniff_delimiter
from .rows import Notice, RawRow


def __getattr__(name: str) -> object:
    # canonical.py pulls in the identifier, name, geo and phone engines; load it on first use
    # so the readers stay importable (and fast to import) on their own.
    if name in {"canonical_row", "row_content_hash"}:
        from . import canonical

        return getattr(canonical, name)
    raise AttributeError(name)


__all__ = [
    "FIELDS",
    "IGNORE",
    "BrokenJsonError",
    "BrokenSpreadsheetError",
    "MappingError",
    "NoHeaderError",
    "NoTableError",
    "Notice",
    "RawRow",
    "SourceFileError",
    "SourceReader",
    "UnknownEncodingError",
    "UnsupportedFormatError",
    "canonical_row",
    "detect_format",
    "normalise_header",
    "open_source",
    "parse_mapping",
    "recognise_header",
    "row_content_hash",
    "sniff_delimiter",
]
