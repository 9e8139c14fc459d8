"""Coverage benchmark: population estimators against simulated markets with known truth.

For each scenario (uniform, moderate Beta(2,30), moderate logit-normal σ=1.5 with uneven list
sizes, strong = 60% of companies almost never listed), each true size N and many seeds, it
draws 40 lists (plus one held out), runs ``analyse`` and reports per estimator: relative
bias, relative RMSE, median absolute relative error, 95% interval coverage; for the
recommended estimate also how often it is flagged as a lower bound; the error of "the next
list would add about X companies"; and the time of the full analysis of 50 lists × 100,000
companies.

    .venv/bin/python bench/coverage_bench.py                 # default: 30 seeds, 2 processes
    .venv/bin/python bench/coverage_bench.py --seeds 10 --sizes 3000
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
# One BLAS thread per process: the matrices are tiny and the processes already fill the cores.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from partnernet.engines.coverage import analyse  # noqa: E402
from partnernet.engines.simulate.incidence import SCENARIOS, simulate  # noqa: E402

CLASSICAL = (
    "chao2",
    "ichao2",
    "jackknife1",
    "jackknife2",
    "ice",
    "M0",
    "Mt",
    "Mh Darroch",
    "Mh Poisson2",
    "Mh Gamma3.5",
)
MIXTURES = ("Mh beta-binomial", "Mh logit-normal", "Mth logit-normal")
RECOMMENDED = "recommended"
LABELS = {
    "uniform": "uniform",
    "beta": "moderate Beta(2,30)",
    "logit_normal": "moderate logit-normal σ=1.5, uneven lists",
    "strong": "strong (60% almost never listed)",
}


def one_run(args: tuple[str, int, int, int]) -> dict:
    scenario, population, lists, seed = args
    sim = simulate(scenario, population, lists, seed)
    started = time.perf_counter()
    report = analyse(sim.incidence, list(sim.incidence.lists))
    elapsed = time.perf_counter() - started
    rows = {
        e.method: (e.population, e.ci95[0], e.ci95[1])
        for e in report.estimates
        if e.population is not None
    }
    rec = report.recommended
    rows[RECOMMENDED] = (rec.population, rec.ci95[0], rec.ci95[1])
    return {
        "scenario": scenario,
        "N": population,
        "seed": seed,
        "seen": report.unique,
        "rows": rows,
        "lower_bound": rec.lower_bound,
        "method": rec.method,
        "next_pred": report.next_list_expected_new,
        "next_true": sim.next_list_expected_new,
        "next_realised": sim.next_list_new,
        "seconds": elapsed,
    }


def summarise(values: list[tuple[float, float, float | None]], truth: int) -> dict:
    estimates = [v[0] for v in values if math.isfinite(v[0])]
    if not estimates:
        return {}
    rel = [(x - truth) / truth for x in estimates]
    covered = [lo <= truth and (hi is None or truth <= hi) for _, lo, hi in values]
    return {
        "bias": statistics.fmean(rel),
        "rmse": math.sqrt(statistics.fmean(r * r for r in rel)),
        "mare": statistics.median(abs(r) for r in rel),
        "coverage": sum(covered) / len(covered),
        "n": len(values),
    }


def speed(lists: int = 50, companies: int = 100_000) -> tuple[int, float, float]:
    """Seconds of ``analyse`` on ≈ ``companies`` seen companies over ``lists`` lists."""
    sim = simulate("logit_normal", int(companies * 1.34), lists, 123)
    best = math.inf
    for _ in range(2):
        started = time.perf_counter()
        analyse(sim.incidence, list(sim.incidence.lists))
        best = min(best, time.perf_counter() - started)
    return sim.incidence.n_companies, best, 0.0


def resolution_rows(seed: int) -> list[dict]:
    """The same market analysed on its true clustering and on the resolution engine's output.

    The market simulator (demo scenario: 6,000 companies, 42 vendor and distributor lists
    with real-world noise) renders the source rows; the resolution engine (Splink, shipped
    model, no training) clusters them; each cluster is one company on the lists of its rows.
    Garbage rows (no true company) are left out of the truth and kept in the resolved output,
    as they would be in a real register.
    """
    from partnernet.engines.resolution.linker import SplinkResolver
    from partnernet.engines.resolution.records import CompanyRecord
    from partnernet.engines.simulate.market import simulate_market
    from partnernet.engines.simulate.model import MarketConfig

    market = simulate_market(MarketConfig(seed=seed))
    rows = list(market.source_rows)

    def record(row: object) -> CompanyRecord:
        fields = row.fields  # type: ignore[attr-defined]

        def values(key: str) -> tuple[str, ...]:
            return (fields[key],) if fields.get(key) else ()

        return CompanyRecord(
            record_id=f"{row.list_id}:{row.row}",  # type: ignore[attr-defined]
            name=fields.get("name", ""),
            identifiers=values("inn"),
            websites=values("website"),
            emails=values("email"),
            phones=values("phone"),
            city=fields.get("city", ""),
            region=fields.get("region", ""),
            country=fields.get("country", ""),
            address=fields.get("address", ""),
        )

    started = time.perf_counter()
    resolution = SplinkResolver().resolve([record(r) for r in rows])
    resolve_seconds = time.perf_counter() - started
    resolved: dict[str, set[int]] = {}
    for record_id, key in resolution.cluster_of.items():
        resolved.setdefault(key, set()).add(int(record_id.split(":")[0]))
    lists = [p.id for p in market.lists]
    out = []
    for label, incidence in (("true clustering", market.incidence()), ("resolved", resolved)):
        report = analyse(incidence, lists)
        chao = next(e for e in report.estimates if e.method == "chao2")
        out.append(
            {
                "seed": seed,
                "input": label,
                "truth": len(market.companies),
                "rows": len(rows),
                "garbage": sum(r.company_id is None for r in rows),
                "unique": report.unique,
                "q1": report.frequency[0],
                "q2": report.frequency[1],
                "chao2": chao.population,
                "rec": report.recommended,
                "next": report.next_list_expected_new,
                "resolve_seconds": resolve_seconds if label == "resolved" else None,
            }
        )
    return out


def print_resolution(seeds: int) -> None:
    print(
        "## True clustering vs our resolution output\n\n"
        "Market simulator, demo scenario (6,000 companies, 42 lists, default noise); the "
        "resolution engine (Splink, shipped model) clusters the rows.\n"
    )
    print(
        "| seed | input | rows (garbage) | companies | Q1 | Q2 | Chao2 | recommended "
        "| range | lower bound | next list |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|---|---|---:|")
    for seed in range(1, seeds + 1):
        for r in resolution_rows(seed):
            rec = r["rec"]
            low, high = rec.ci95
            span = f"{low:,.0f}–{high:,.0f}" if high is not None else f"≥ {low:,.0f}"
            took = f" (resolved in {r['resolve_seconds']:.0f} s)" if r["resolve_seconds"] else ""
            print(
                f"| {r['seed']} | {r['input']}{took} | {r['rows']:,} ({r['garbage']}) "
                f"| {r['unique']:,} | {r['q1']:,} | {r['q2']:,} | {r['chao2']:,.0f} "
                f"| {rec.population:,.0f} ({rec.method}) | {span} "
                f"| {'yes' if rec.lower_bound else 'no'} | {r['next']:,.0f} |"
            )
    print("\nTrue market size: 6,000 companies in every seed.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--seed-offset", type=int, default=0)
    parser.add_argument("--sizes", default="3000,10000")
    parser.add_argument("--lists", type=int, default=40)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument(
        "--resolution-seeds",
        type=int,
        default=1,
        help="markets to run through the resolution engine (about a minute each; 0 skips)",
    )
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    scenarios = args.scenarios.split(",")
    tasks = [
        (scenario, size, args.lists, args.seed_offset + seed)
        for scenario in scenarios
        for size in sizes
        for seed in range(args.seeds)
    ]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(one_run, tasks, chunksize=4))
    wall = time.perf_counter() - started

    grouped: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for r in results:
        grouped[(r["scenario"], r["N"])].append(r)

    print(
        f"# Coverage benchmark: {args.seeds} seeds × {len(scenarios)} scenarios × "
        f"sizes {sizes}, {args.lists} lists; {wall:.0f} s wall on {args.jobs} processes\n"
    )
    for (scenario, size), runs in grouped.items():
        seen = statistics.fmean(r["seen"] for r in runs)
        print(f"## {LABELS.get(scenario, scenario)}, N = {size:,} (seen on average {seen:,.0f})\n")
        print("| estimator | rel. bias | rel. RMSE | median abs. rel. error | 95% CI coverage |")
        print("|---|---:|---:|---:|---:|")
        for method in (RECOMMENDED, *CLASSICAL, *MIXTURES):
            values = [r["rows"][method] for r in runs if method in r["rows"]]
            s = summarise(values, size)
            if not s:
                continue
            name = f"**{method}**" if method == RECOMMENDED else method
            print(
                f"| {name} | {s['bias']:+.1%} | {s['rmse']:.1%} | {s['mare']:.1%} "
                f"| {s['coverage']:.0%} |"
            )
        flagged = sum(r["lower_bound"] for r in runs) / len(runs)
        valid = sum(r["rows"][RECOMMENDED][1] <= size for r in runs if r["lower_bound"]) / max(
            1, sum(r["lower_bound"] for r in runs)
        )
        chosen: dict[str, int] = defaultdict(int)
        for r in runs:
            chosen[r["method"]] += 1
        picks = ", ".join(f"{m} {c}" for m, c in sorted(chosen.items(), key=lambda x: -x[1]))
        errors = [r["next_pred"] - r["next_true"] for r in runs]
        rel_errors = [abs(e) / r["next_true"] for e, r in zip(errors, runs, strict=True)]
        print(
            f"\nRecommended: flagged lower bound in {flagged:.0%} of runs"
            + (f" (its lower end ≤ truth in {valid:.0%} of those)" if flagged else "")
            + f"; models chosen: {picks}."
        )
        print(
            f"Next list: predicted {statistics.fmean(r['next_pred'] for r in runs):.1f} new vs "
            f"true expectation {statistics.fmean(r['next_true'] for r in runs):.1f} "
            f"(mean error {statistics.fmean(errors):+.1f}, median abs. rel. error "
            f"{statistics.median(rel_errors):.0%}); realised on the held-out list "
            f"{statistics.fmean(r['next_realised'] for r in runs):.1f}."
        )
        print(f"Time per analysis: median {statistics.median(r['seconds'] for r in runs):.2f} s.\n")
    if args.resolution_seeds:
        print_resolution(args.resolution_seeds)
    if not args.no_speed:
        seen, seconds, _ = speed()
        print(
            f"## Speed\n\nFull `analyse` (all estimators with intervals, curve, overlap) on "
            f"50 lists × {seen:,} companies: {seconds:.2f} s (best of 2).\n"
        )


if __name__ == "__main__":
    main()
