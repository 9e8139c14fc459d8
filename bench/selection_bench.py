"""Partner selection benchmark: quality on a simulated market with known truth, and the time of
every approach on a 100,000-company register.

    .venv/bin/python bench/selection_bench.py                       # both parts, SQLite
    .venv/bin/python bench/selection_bench.py --companies 20000     # a smaller speed run
    .venv/bin/python bench/selection_bench.py --skip-quality
    .venv/bin/python bench/selection_bench.py --skip-quality --home /tmp/sel  # reuse a register

Quality (simulated market imported through the register, truth from the simulator):
- size signal vs the true size (micro/small/medium/large) of each company;
- precision of the specialisation short list (top 25 in a niche truly working in it), against
  a naive peer that ranks the same register by the number of vendors that authorised a company;

Speed: companies, offices, specialisations, sectors, vendor authorisations, partnerships and
target customers are bulk-inserted directly into a fresh SQLite database; each approach runs
end to end three times, the median is reported: *cold* (the register's records loaded afresh,
as after any change to the register), *warm* (records reused from the per-process cache;
the fingerprint check that decides it is included) and *after a partnership change* (one
partnership edited first, as when partners move through the funnel: only the partnership
layer of the records is rebuilt). Wall and CPU time are both given: on a
shared machine wall time mostly measures the neighbours.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _django(home: Path | None = None) -> Path:
    home = home or Path(tempfile.mkdtemp(prefix="pn-selection-bench-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["PARTNERNET_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "partnernet.web.settings"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return home


def _clear() -> None:
    from partnernet.apps.register.models import Company, Source, Vendor
    from partnernet.apps.selection.models import Shortlist, TargetCustomer

    for model in (Shortlist, TargetCustomer, Company, Source, Vendor):
        model.objects.all().delete()


# The simulator's names for the register's specialisation keys.
SIM_KEYS = {
    "information_security": "infosec",
    "computer_hardware": "hardware",
    "audio_video": "av",
    "complex_solutions": "enterprise_solutions",
}

# Quality -----------------------------------------------------------------------------------------


def quality(seed: int, n_companies: int, n_lists: int) -> dict[str, Any]:
    from partnernet.apps.register.models import SourceRow
    from partnernet.apps.register.services import source_import
    from partnernet.apps.selection.records import partner_records
    from partnernet.apps.selection.selectors import fit_criteria, specialisation_selection
    from partnernet.engines.simulate import MarketConfig, simulate_market, write_market

    market = simulate_market(MarketConfig(seed=seed, n_companies=n_companies, n_lists=n_lists))
    folder = Path(os.environ["PARTNERNET_HOME"]) / "lists"
    started = time.perf_counter()
    for listed in write_market(market, folder, formats="csv_utf8_bom"):
        source_import(path=listed.path, source_name=listed.source_name, vendor=listed.vendor)
    import_seconds = time.perf_counter() - started

    truth_of_row = market.truth()
    votes: dict[int, Counter[int]] = defaultdict(Counter)
    for source, number, company_id in SourceRow.objects.exclude(company=None).values_list(
        "source__name", "row_number", "company_id"
    ):
        true_id = truth_of_row.get((source, number))
        if true_id is not None:
            votes[company_id][true_id] += 1
    truth_by_id = {c.id: c for c in market.companies}
    truth = {cid: truth_by_id[v.most_common(1)[0][0]] for cid, v in votes.items()}

    records = partner_records()
    # Size signal vs the truth.
    confusion: Counter[tuple[str, str]] = Counter()
    for cid, record in records.items():
        if cid in truth:
            confusion[(truth[cid].size, record.size or "unknown")] += 1
    size_rows = {
        true: {sig: confusion[(true, sig)] for sig in ("unknown", "small", "medium", "large")}
        for true in ("micro", "small", "medium", "large")
    }

    # Specialisation short lists vs a vendor-count peer.
    niches = ["information_security", "virtualisation", "networking", "storage", "cloud"]
    precision: dict[str, dict[str, float]] = {}
    for niche in niches:
        result = specialisation_selection(
            criteria=fit_criteria(niches=[niche]), limit=25, records=records
        )
        ours = [e["company_id"] for e in result["entries"]]
        peer = sorted(records, key=lambda c: (-records[c].vendor_count, c))[:25]

        def hit(cid: int, niche: str = SIM_KEYS.get(niche, niche)) -> bool:
            return cid in truth and niche in truth[cid].specialisations

        precision[niche] = {
            "ours": round(sum(map(hit, ours)) / max(len(ours), 1), 3),
            "peer_vendor_count": round(sum(map(hit, peer)) / 25, 3),
        }

    return {
        "market": {"companies": n_companies, "lists": n_lists, "seed": seed},
        "register_companies": len(records),
        "import_seconds": round(import_seconds, 1),
        "size_signal_vs_truth": size_rows,
        "specialisation_precision_at_25": precision,
    }


# Speed -------------------------------------------------------------------------------------------


def build_register(n: int, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from partnernet.apps.register.models import (
        Authorisation,
        Company,
        CompanyLocation,
        CompanySector,
        CompanySpecialisation,
        Sector,
        Source,
        Specialisation,
        Vendor,
    )
    from partnernet.apps.selection.models import (
        FunnelStageDefinition,
        Partnership,
        StageHistory,
        SupplyRelation,
        TargetCustomer,
    )
    from partnernet.engines import geo

    rng = random.Random(seed)
    started = time.perf_counter()
    cities = [c for c in geo.cities() if c.country in {"RU", "KZ", "BY"}]
    weights = [max(c.population, 1000) ** 0.9 for c in cities]
    specs = list(Specialisation.objects.values_list("id", flat=True))
    sectors = list(Sector.objects.values_list("id", flat=True))
    with transaction.atomic():
        vendors = Vendor.objects.bulk_create(
            [Vendor(name=f"Vendor {i}", key=f"vendor {i}") for i in range(40)]
        )
        sources = Source.objects.bulk_create(
            [Source(name=f"List {v.name}", vendor=v) for v in vendors]
        )
        vendor_niche = {v.pk: rng.sample(specs, 2) for v in vendors}
        chosen = rng.choices(cities, weights, k=n)
        companies = [
            Company(
                display_name=f"Компания {i}",
                name_key=f"компания {i}",
                city_key=c.key,
                city_name=c.name_ru,
                region=c.region,
                federal_district=c.federal_district,
                country=c.country,
            )
            for i, c in enumerate(chosen)
        ]
        Company.objects.bulk_create(companies, batch_size=5000)
        ids = list(Company.objects.order_by("id").values_list("id", flat=True))
        locations, auths, company_specs, company_sectors = [], [], [], []
        vendor_counts = {}
        for cid, city in zip(ids, chosen, strict=True):
            locations.append(
                CompanyLocation(
                    company_id=cid, is_headquarters=True, city_key=city.key, region=city.region
                )
            )
            if rng.random() < 0.08:
                for extra in rng.sample(cities, rng.randint(1, 4)):
                    if extra.key != city.key:
                        locations.append(
                            CompanyLocation(company_id=cid, city_key=extra.key, region=extra.region)
                        )
            k = min(int(rng.paretovariate(1.6)), 12)
            chosen_sources = rng.sample(sources, k)
            vendor_counts[cid] = k
            for source in chosen_sources:
                auths.append(
                    Authorisation(
                        company_id=cid,
                        vendor_id=source.vendor_id,
                        source=source,
                        level="x",
                        level_rank=rng.randint(0, 3),
                    )
                )
            listed_specs = set()
            for source in chosen_sources:
                if rng.random() < 0.6:
                    listed_specs.add((rng.choice(vendor_niche[source.vendor_id]), source.pk))
            seen = set()
            for spec, source_id in listed_specs:
                if spec not in seen:
                    seen.add(spec)
                    company_specs.append(
                        CompanySpecialisation(
                            company_id=cid, specialisation_id=spec, source_id=source_id
                        )
                    )
            for sector in rng.sample(sectors, rng.choice((0, 0, 1, 2))):
                company_sectors.append(CompanySector(company_id=cid, sector_id=sector))
        for model_rows in (locations, auths, company_specs, company_sectors):
            type(model_rows[0]).objects.bulk_create(model_rows, batch_size=5000)
        for count in set(vendor_counts.values()):
            Company.objects.filter(
                id__in=[c for c, k in vendor_counts.items() if k == count]
            ).update(vendor_count=count)

        stages = list(FunnelStageDefinition.objects.order_by("order"))
        recruited = rng.sample(ids, min(3000, n // 30))
        partnerships, history = [], []
        today = date.today()
        for cid in recruited:
            stage = rng.choices(stages, (6, 3, 1))[0]
            joined = today - timedelta(days=rng.randint(30, 700))
            partnerships.append(
                Partnership(
                    company_id=cid,
                    stage=stage,
                    joined_on=joined,
                    kinds=[rng.choice(["integrator", "reseller"])],
                    deals_12m=int(rng.expovariate(0.4)),
                    certified_people=rng.randint(0, 4),
                    marketing_events_12m=rng.randint(0, 2),
                )
            )
            history.append(
                StageHistory(company_id=cid, from_stage=None, to_stage=stages[0], moved_on=joined)
            )
            if stage != stages[0]:
                history.append(
                    StageHistory(
                        company_id=cid,
                        from_stage=stages[0],
                        to_stage=stage,
                        moved_on=joined + timedelta(days=rng.randint(1, 29)),
                    )
                )
        Partnership.objects.bulk_create(partnerships, batch_size=5000)
        StageHistory.objects.bulk_create(history, batch_size=5000)

        customers = TargetCustomer.objects.bulk_create(
            [
                TargetCustomer(
                    name=f"Заказчик {i}",
                    name_key=f"заказчик {i}",
                    size=rng.choice(["large", "mid"]),
                )
                for i in range(300)
            ]
        )
        relations = []
        for customer in customers:
            low, high = (3, 10) if customer.size == "large" else (1, 5)
            for cid in rng.sample(ids[: n // 10], rng.randint(max(low - 2, 0), high)):
                relations.append(
                    SupplyRelation(customer=customer, company_id=cid, supplier_name="x")
                )
        SupplyRelation.objects.bulk_create(relations, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "companies": n,
        "offices": len(locations),
        "authorisations": len(auths),
        "specialisations": len(company_specs),
        "sectors": len(company_sectors),
        "partnerships": len(partnerships),
        "target_customers": len(customers),
        "supply_relations": len(relations),
        "build_seconds": round(time.perf_counter() - started, 1),
    }


def timed(fn: Any, repeat: int = 3) -> tuple[float, float, Any]:
    """Median wall and CPU seconds (CPU time shows the cost when the machine is shared)."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return round(statistics.median(walls), 3), round(statistics.median(cpus), 3), result


def speed(n: int, seed: int) -> dict[str, Any]:
    from partnernet.apps.register.models import Company
    from partnernet.apps.selection import selectors
    from partnernet.apps.selection.records import partner_records, partner_records_cache_clear

    existing = Company.objects.count()
    if existing == n:
        built = {"companies": n, "reused": True}
    else:
        _clear()
        built = build_register(n, seed)
    crit = selectors.fit_criteria

    def touch_partnership() -> None:
        """The everyday change on the selection pages: one partnership edited."""
        from django.utils import timezone

        from partnernet.apps.selection.models import Partnership

        first = Partnership.objects.order_by("pk").values_list("pk", flat=True).first()
        Partnership.objects.filter(pk=first).update(updated_at=timezone.now())

    runs = {
        "load records (part of every run below)": lambda: partner_records(),
        "regional city:1000000:5 --niche information_security": lambda: (
            selectors.regional_selection(
                quotas=["city:1000000:5"], criteria=crit(niches=["information_security"])
            )
        ),
        "regional federal_district:20:reseller + region:3": lambda: selectors.regional_selection(
            quotas=["federal_district:20:reseller", "region:3"], criteria=crit()
        ),
        "specialisation --niche information_security --sector enterprise": lambda: (
            selectors.specialisation_selection(
                criteria=crit(niches=["information_security"], sectors=["enterprise"])
            )
        ),
        "customers (300 target customers)": lambda: selectors.customer_selection(),
        "phased --evaluate": lambda: selectors.phased_selection(evaluate=True),
        "phased counts per month": lambda: selectors.stage_counts_by_month(),
    }
    timings = {}
    for label, fn in runs.items():

        def cold(fn: Any = fn) -> Any:
            partner_records_cache_clear()
            return fn()

        def after_partnership_change(fn: Any = fn) -> Any:
            touch_partnership()
            return fn()

        cold_wall, cold_cpu, _result = timed(cold)
        fn()  # warm the cache
        wall, cpu, _result = timed(fn)
        moved_wall, moved_cpu, _result = timed(after_partnership_change)
        timings[label] = {
            "cold_wall": cold_wall,
            "cold_cpu": cold_cpu,
            "warm_wall": wall,
            "warm_cpu": cpu,
            "partnership_change_wall": moved_wall,
            "partnership_change_cpu": moved_cpu,
        }
        print(
            f"  {label}: cold {cold_wall:.3f} s wall / {cold_cpu:.3f} s CPU; "
            f"warm {wall:.3f} s wall / {cpu:.3f} s CPU; after a partnership change "
            f"{moved_wall:.3f} s wall / {moved_cpu:.3f} s CPU",
            flush=True,
        )
    return {
        "register": built,
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
        "median_seconds": timings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--quality-companies", type=int, default=3000)
    parser.add_argument("--quality-lists", type=int, default=30)
    parser.add_argument(
        "--home",
        type=Path,
        help="keep the database in this directory and reuse a register of the same size",
    )
    args = parser.parse_args()
    home = _django(args.home)
    try:
        run(args)
    finally:
        if args.home is None:  # a throw-away database of several hundred megabytes
            shutil.rmtree(home, ignore_errors=True)


def run(args: argparse.Namespace) -> None:
    report: dict[str, Any] = {}
    if not args.skip_quality:
        print("quality on a simulated market…", flush=True)
        report["quality"] = quality(args.seed, args.quality_companies, args.quality_lists)
        print(json.dumps(report["quality"], ensure_ascii=False, indent=2), flush=True)
        _clear()
    print(f"speed on {args.companies:,} companies (SQLite)…", flush=True)
    report["speed"] = speed(args.companies, args.seed)
    print(json.dumps(report["speed"], ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
