"""A small register with known coverage: simulated incidence written as model rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from partnernet.apps.register.models import Company, Source, SourceKind, SourceRow
from partnernet.engines.simulate.incidence import simulate

DISTRICTS = ("Центральный", "Сибирский")


@dataclass
class SmallRegister:
    sim: Any
    sources: list[Source]  # the partner-locator lists, in import order
    leads: Source  # a lead list: not a partner locator, not a list by default
    companies: list[Company]


def build_register(*, truth: int = 600, lists: int = 8, seed: int = 5) -> SmallRegister:
    """``lists`` locator sources over ``truth`` simulated companies; one company in ten is
    in the Siberian district, the rest in the Central one."""
    sim = simulate("beta", truth, lists, seed)
    inc = sim.incidence
    now = timezone.now()
    sources = [
        Source.objects.create(
            name=f"Вендор {j + 1}",
            kind=SourceKind.VENDOR_LOCATOR if j % 2 else SourceKind.DISTRIBUTOR_LOCATOR,
            imported_at=now + timedelta(minutes=j),
        )
        for j in range(lists)
    ]
    leads = Source.objects.create(
        name="Лиды с вебинара",
        kind=SourceKind.WEB_FORM_LEADS,
        imported_at=now - timedelta(minutes=1),
    )
    companies = Company.objects.bulk_create(
        Company(
            display_name=f"ООО Партнёр {i}",
            name_key=f"партнер {i}",
            federal_district=DISTRICTS[1] if i % 10 == 0 else DISTRICTS[0],
        )
        for i in range(inc.n_companies)
    )
    rows = [
        SourceRow(
            source=sources[col],
            row_number=n + 1,
            content_hash=f"{row}-{col}",
            company=companies[row],
        )
        for n, (row, col) in enumerate(zip(inc.rows, inc.cols, strict=True))
    ]
    rows.append(SourceRow(source=leads, row_number=1, content_hash="lead", company=companies[0]))
    SourceRow.objects.bulk_create(rows)
    return SmallRegister(sim=sim, sources=sources, leads=leads, companies=companies)
