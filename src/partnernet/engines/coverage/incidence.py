"""Incidence of companies across lists: who is on which list.

The coverage engine never looks at names or files: it sees a 0/1 matrix of companies (rows)
by lists (columns), stored sparsely as parallel index arrays so that 100,000 companies and
50 lists stay cheap. Everything else (frequency counts, list sizes, overlaps) is derived here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# Any hashable value; typed as Any because Mapping keys are invariant (dict[int, …] must fit).
CompanyId = Any
ListId = Any


@dataclass(frozen=True)
class IncidenceMatrix:
    """Sparse company × list incidence; ``rows[i]`` is on list ``cols[i]`` (no duplicates)."""

    companies: tuple[CompanyId, ...]
    lists: tuple[ListId, ...]
    rows: np.ndarray
    cols: np.ndarray

    @classmethod
    def from_mapping(
        cls, incidence: Mapping[CompanyId, Iterable[ListId]], lists: Sequence[ListId]
    ) -> IncidenceMatrix:
        """Build from ``{company: {list, …}}``; lists not named in ``lists`` are ignored.

        Companies that end up on none of the chosen lists are dropped: they were not found
        by this set of lists, so they are not part of this capture-recapture sample.
        """
        position = {list_id: j for j, list_id in enumerate(lists)}
        if len(position) != len(lists):
            raise ValueError("list ids must be unique")
        companies: list[CompanyId] = []
        rows: list[int] = []
        cols: list[int] = []
        for company, on_lists in incidence.items():
            found = sorted({position[x] for x in on_lists if x in position})
            if not found:
                continue
            index = len(companies)
            companies.append(company)
            rows.extend([index] * len(found))
            cols.extend(found)
        return cls(
            tuple(companies),
            tuple(lists),
            np.asarray(rows, dtype=np.int64),
            np.asarray(cols, dtype=np.int64),
        )

    @classmethod
    def from_dense(
        cls,
        matrix: np.ndarray,
        lists: Sequence[ListId] | None = None,
        companies: Sequence[CompanyId] | None = None,
    ) -> IncidenceMatrix:
        """Build from a boolean companies × lists array (rows with no incidence are dropped)."""
        matrix = np.asarray(matrix, dtype=bool)
        keep = matrix.any(axis=1)
        kept = np.flatnonzero(keep)
        rows, cols = np.nonzero(matrix[keep])
        if companies is None:
            company_ids: tuple[CompanyId, ...] = tuple(int(i) for i in kept)
        else:
            company_ids = tuple(companies[int(i)] for i in kept)
        list_ids = tuple(lists) if lists is not None else tuple(range(matrix.shape[1]))
        if len(list_ids) != matrix.shape[1]:
            raise ValueError("one list id per column is needed")
        return cls(company_ids, list_ids, rows.astype(np.int64), cols.astype(np.int64))

    @property
    def n_companies(self) -> int:
        return len(self.companies)

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    def capture_counts(self) -> np.ndarray:
        """Number of lists each company is on (all ≥ 1)."""
        return np.bincount(self.rows, minlength=self.n_companies)

    def list_sizes(self) -> np.ndarray:
        return np.bincount(self.cols, minlength=self.n_lists)

    def frequency(self) -> np.ndarray:
        """Q_1..Q_T: ``result[k-1]`` companies are on exactly ``k`` lists."""
        return frequency_counts(self.capture_counts(), self.n_lists)

    def dense(self) -> np.ndarray:
        matrix = np.zeros((self.n_companies, self.n_lists), dtype=bool)
        matrix[self.rows, self.cols] = True
        return matrix

    def select_companies(self, mask: np.ndarray) -> IncidenceMatrix:
        """The sub-matrix of the companies where ``mask`` is true (same lists)."""
        mask = np.asarray(mask, dtype=bool)
        new_index = np.cumsum(mask) - 1
        keep = mask[self.rows]
        return IncidenceMatrix(
            tuple(c for c, m in zip(self.companies, mask, strict=True) if m),
            self.lists,
            new_index[self.rows[keep]],
            self.cols[keep],
        )

    def first_lists(self, count: int) -> IncidenceMatrix:
        """The incidence restricted to the first ``count`` lists (companies seen there only)."""
        keep = self.cols < count
        seen = np.zeros(self.n_companies, dtype=bool)
        seen[self.rows[keep]] = True
        sub = IncidenceMatrix(self.companies, self.lists[:count], self.rows[keep], self.cols[keep])
        return sub.select_companies(seen)


def frequency_counts(capture_counts: np.ndarray, n_lists: int) -> np.ndarray:
    """Q_k for k = 1..T from per-company capture counts."""
    counts = np.bincount(np.asarray(capture_counts, dtype=np.int64), minlength=n_lists + 1)
    return counts[1 : n_lists + 1].astype(np.int64)
