"""The demo market: simulated partner lists imported like a user's own, and removed again.

The simulator (``engines.simulate``) writes 40+ vendor and distributor lists in every supported
format into ``$PARTNERNET_HOME/demo/``; each is imported through the ordinary import service, so
the demo exercises exactly what a user's import does. The list of demo sources is kept in the
manifest, which is what ``demo_clear`` removes.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from partnernet.web.demo_state import demo_loaded, mark_demo_loaded

DEFAULT_SEED = 2026


@dataclass
class DemoReport:
    loaded: bool
    directory: str = ""
    sources: int = 0
    rows: int = 0
    companies: int = 0
    errors: int = 0
    seconds: float = 0.0
    imports: list[dict[str, Any]] = field(default_factory=list)
    resolution: dict[str, Any] = field(default_factory=dict)


def demo_directory() -> Path:
    return Path(settings.DATA_DIR) / "demo"


def demo_write(
    *, seed: int = DEFAULT_SEED, directory: Path | None = None, **config: Any
) -> list[Any]:
    """Simulate the demo market and write its lists; returns the simulator's ListFile entries.

    ``config`` overrides other MarketConfig fields (tests use a small market).
    """
    from partnernet.engines.simulate import MarketConfig, simulate_market, write_market

    directory = directory or demo_directory()
    if directory.exists():
        shutil.rmtree(directory)
    market = simulate_market(MarketConfig(seed=seed, **config))
    return write_market(market, directory)


def demo_load(
    *,
    seed: int = DEFAULT_SEED,
    on_file: Callable[[Any], None] | None = None,
    progress: Callable[[int], None] | None = None,
    **config: Any,
) -> DemoReport:
    """Write and import the demo lists. ``on_file`` is told of each file before its import."""
    import time

    from partnernet.apps.register.models import Company
    from partnernet.apps.register.services import source_import
    from partnernet.engines.resolution.deterministic import DeterministicLinker

    started = time.monotonic()
    files = demo_write(seed=seed, **config)
    report = DemoReport(loaded=True, directory=str(demo_directory()))
    for list_file in files:
        if on_file:
            on_file(list_file)
        result = source_import(
            path=list_file.path,
            source_name=list_file.source_name,
            vendor=list_file.vendor,
            kind=list_file.kind,
            progress=progress,
            # A bulk load: link conservatively, then resolve once (below), rather than run
            # the model once per list (docs/resolution.md, "In the application").
            linker=DeterministicLinker(),
        )
        report.sources += 1
        report.rows += result.rows
        report.errors += result.errors
        report.imports.append(
            {
                "source": result.source,
                "rows": result.rows,
                "new_companies": result.new_companies,
                "linked": result.linked,
                "errors": result.errors,
            }
        )
    # The import links conservatively (same INN, same name in the same city, same site);
    # the probabilistic resolver then merges what lists spell differently, as a user would
    # run `partnernet resolve` after importing.
    from partnernet.apps.register.resolution_services import resolution_run

    resolved = resolution_run(apply=True)
    report.resolution = {k: v for k, v in resolved.items() if isinstance(v, int | float | str)}
    report.companies = Company.objects.filter(merged_into__isnull=True).count()
    report.seconds = round(time.monotonic() - started, 2)
    mark_demo_loaded(True)
    return report


def demo_source_names() -> list[str]:
    manifest = demo_directory() / "manifest.json"
    if not manifest.exists():
        return []
    return [entry["source_name"] for entry in json.loads(manifest.read_text())["lists"]]


def demo_clear() -> dict[str, int]:
    """Remove the demo sources and every company that no other source mentions."""
    from partnernet.apps.register.models import Company, Source

    names = demo_source_names()
    with transaction.atomic():
        sources = Source.objects.filter(name__in=names)
        source_count = sources.count()
        sources.delete()
        orphans = Company.objects.filter(source_rows__isnull=True)
        company_count = orphans.count()
        orphans.delete()
    mark_demo_loaded(False)
    return {"sources_removed": source_count, "companies_removed": company_count}


def demo_needed() -> bool:
    from partnernet.apps.register.models import Company

    return not demo_loaded() and not Company.objects.exists()
