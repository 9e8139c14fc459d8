"""Market coverage: how many partners exist, and how many of them our lists have found.

Public API::

    from partnernet.engines.coverage import analyse, analyse_by, IncidenceMatrix

    report = analyse({"ООО Ромашка": {"vendor-a", "vendor-b"}, ...}, ["vendor-a", "vendor-b"])
    report.recommended.population, report.recommended.ci95, report.recommended.lower_bound
    report.to_json()  # the shape of ``partnernet coverage --json``

See docs/coverage.md for the methods and the recommendation rule.
"""

from .incidence import IncidenceMatrix
from .report import CoverageReport, analyse, analyse_by

__all__ = ["CoverageReport", "IncidenceMatrix", "analyse", "analyse_by"]
