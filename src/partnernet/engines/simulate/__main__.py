"""``python -m partnernet.engines.simulate``: build a market, print its shape and timings.

Optionally write its files (``--out DIR``). The product's own entry point is ``partnernet
demo``; this one is for looking at the simulator itself.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

from .market import simulate_market
from .model import SCENARIOS, MarketConfig
from .writers import write_market


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(prog="python -m partnernet.engines.simulate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--companies", type=int, default=6000)
    parser.add_argument("--lists", type=int, default=42)
    parser.add_argument("--noise", choices=("default", "hard"), default="default")
    parser.add_argument("--scenario", choices=SCENARIOS, default="demo")
    parser.add_argument("--out", help="write the lists, truth.csv and manifest.json here")
    args = parser.parse_args(argv)
    config = MarketConfig(
        seed=args.seed,
        n_companies=args.companies,
        n_lists=args.lists,
        noise=args.noise,
        scenario=args.scenario,
    )
    started = time.perf_counter()
    market = simulate_market(config)
    built = time.perf_counter()
    rows = market.source_rows
    rendered = time.perf_counter()
    report: dict[str, object] = {
        k: v for k, v in market.summary().items() if k not in ("curve", "frequency")
    }
    summary = market.summary()
    report["frequency_1_to_12"] = summary["frequency"][:12]
    report["curve_every_6th"] = summary["curve"][5::6]
    report["rows"] = len(rows)
    report["rows_by_office"] = dict(Counter(r.office for r in rows))
    report["seconds_build"] = round(built - started, 2)
    report["seconds_rows"] = round(rendered - built, 2)
    if args.out:
        files = write_market(market, args.out)
        report["seconds_write"] = round(time.perf_counter() - rendered, 2)
        report["formats"] = dict(Counter(f.format for f in files))
    print(json.dumps(report, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
