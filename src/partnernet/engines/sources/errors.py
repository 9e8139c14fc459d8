"""Errors a partner-list file can raise before any row is read.

Every message names the file, so a user importing dozens of lists knows which one to fix.
Row-level problems are not exceptions: they travel with the row (see ``canonical.py``).
"""

from __future__ import annotations

from pathlib import Path


class SourceFileError(Exception):
    """A partner-list file that cannot be read at all."""

    reason = "cannot read the file"

    def __init__(self, path: str | Path, detail: str = "") -> None:
        self.path = str(path)
        self.detail = detail
        message = f"{Path(self.path).name}: {self.reason}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class UnknownEncodingError(SourceFileError):
    reason = "unknown text encoding: save it as UTF-8 or Windows-1251 (cp1251)"


class BrokenSpreadsheetError(SourceFileError):
    reason = "broken or unreadable XLSX workbook"


class NoTableError(SourceFileError):
    reason = "no table with a header row found in the HTML page"


class NoHeaderError(SourceFileError):
    reason = "no header row found"


class UnsupportedFormatError(SourceFileError):
    reason = "unsupported file format (expected CSV, TSV, XLSX, HTML or JSON)"


class BrokenJsonError(SourceFileError):
    reason = "not a JSON array of objects"


class MappingError(ValueError):
    """A ``--map "Header=field"`` override that names no known field."""
