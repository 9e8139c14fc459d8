"""Entity resolution: source rows of many partner lists -> one company per legal entity.

Public API (imported lazily: Splink and DuckDB load only when the resolver is used):

- :class:`SplinkResolver` — ``resolve(records)``, ``link(register, new)``, ``train(records)``;
- :class:`SplinkLinker` / :class:`ResolutionIndex` — the resolver behind the register's
  ``Linker`` interface (``deterministic.DeterministicLinker`` is the conservative baseline);
- :class:`CompanyRecord` / :func:`as_record` — what the resolver reads;
- :func:`cluster_pairs` / :class:`ClusterPolicy` — guarded clustering of scored pairs;
- :func:`score_clusters` — pairwise and B-cubed quality against ground truth;
- :func:`load_model` / :func:`save_model` / :func:`default_model` — the Splink model JSON.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "SplinkResolver": "linker",
    "Resolution": "linker",
    "ResolutionStats": "linker",
    "ReviewPair": "linker",
    "SplinkLinker": "register_linker",
    "ResolutionIndex": "register_linker",
    "CompanyRecord": "records",
    "as_record": "records",
    "cluster_pairs": "clusters",
    "ClusterPolicy": "clusters",
    "ClusterResult": "clusters",
    "score_clusters": "metrics",
    "ClusterScores": "metrics",
    "load_model": "model",
    "save_model": "model",
    "default_model": "model",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
