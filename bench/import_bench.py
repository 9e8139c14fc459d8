"""Import benchmark: the demo market's lists into a fresh database, and the company list page
at 100,000 companies.

    .venv/bin/python bench/import_bench.py                      # SQLite, plus PostgreSQL if
                                                                # DATABASE_URL is set
    .venv/bin/python bench/import_bench.py --postgres URL       # name the PostgreSQL server
    .venv/bin/python bench/import_bench.py --page-companies 100000
    .venv/bin/python bench/import_bench.py --skip-page --linker both   # deterministic vs auto
    .venv/bin/python bench/import_bench.py --incremental 100000 --new-rows 500
    .venv/bin/python bench/import_bench.py --incremental 100000 --register-db /tmp/reg.sqlite3
    .venv/bin/python bench/import_bench.py --quality 1500,12 --seed 3   # strategies vs truth

Each backend runs in its own process with a fresh database (SQLite in a temp dir; on
PostgreSQL a throw-away database created and dropped on the given server). The page timing uses
Django's test client in-process (URL routing, middleware, the filtered query, django-tables2
rendering and the template): p50/p95 over repeated requests of the default list, a search, a
filter and a sorted page.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def _django(home: Path, database_url: str | None) -> None:
    os.environ["PARTNERNET_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "partnernet.web.settings"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _linker(name: str):
    """``auto``: what an import does by default (the model against a non-empty register);
    ``deterministic``: the conservative rules (what the demo's bulk load uses)."""
    if name == "deterministic":
        from partnernet.engines.resolution.deterministic import DeterministicLinker

        return DeterministicLinker()
    return None


def run_imports(seed: int, database_url: str | None, linker: str = "auto") -> dict:
    home = Path(tempfile.mkdtemp(prefix="pn-bench-"))
    _django(home, database_url)
    from partnernet.apps.register.models import Company, SourceRow
    from partnernet.apps.register.services import source_import
    from partnernet.engines.simulate import MarketConfig, simulate_market, write_market

    market = simulate_market(MarketConfig(seed=seed))
    files = write_market(market, home / "lists")
    started = time.perf_counter()
    per_format: dict[str, list[float]] = {}
    queued = 0
    for f in files:
        t0 = time.perf_counter()
        report = source_import(
            path=f.path,
            source_name=f.source_name,
            vendor=f.vendor,
            kind=f.kind,
            linker=_linker(linker),
        )
        queued += report.queued_for_review
        per_format.setdefault(f.format, []).append(
            report.rows / max(time.perf_counter() - t0, 1e-9)
        )
    total = time.perf_counter() - started
    rows = SourceRow.objects.count()
    again = time.perf_counter()
    for f in files:
        source_import(path=f.path, source_name=f.source_name, vendor=f.vendor, kind=f.kind)
    reimport = time.perf_counter() - again
    return {
        "linker": linker,
        "lists": len(files),
        "rows": rows,
        "companies": Company.objects.count(),
        "queued_for_review": queued,
        "seconds": round(total, 2),
        "rows_per_second": round(rows / total, 1),
        "rows_per_second_by_format": {
            k: round(statistics.median(v)) for k, v in per_format.items()
        },
        "reimport_unchanged_seconds": round(reimport, 2),
    }


INCREMENTAL_LISTS = (
    # (label, what the import is)
    ("first", "a process's first import, no prepared-register store yet (it saves one)"),
    ("cold", "a new process's first import, the store saved by the process before"),
    ("warm", "that process's next import (prepared register kept in the process)"),
)


def run_incremental(
    companies: int,
    new_rows: int,
    database_url: str | None,
    register_db: str | None = None,
    *,
    home: str | None = None,
    lists: tuple[str, ...] = ("first",),
) -> dict:
    """``new_rows``-row lists imported (default linker: the model) into a register of
    ``companies`` companies, one row each. A new list names companies of the same market
    the way another publisher would: upper case, legal form at the end, a Latin name where
    the company has one, no INN on two rows of three, a site on every other row.

    ``lists``: which of ``INCREMENTAL_LISTS`` this process imports, in order (each list its
    own companies of the market). ``home``: the data folder of an earlier phase (its database
    and prepared-register store), else a new one. ``register_db``: a SQLite file holding the
    loaded register, reused when it exists (the load takes minutes), written after the load
    otherwise."""
    import random
    import shutil

    fresh_home = home is None
    home_dir = Path(home) if home else Path(tempfile.mkdtemp(prefix="pn-bench-incr-"))
    reuse = bool(register_db and not database_url and Path(register_db).exists())
    if fresh_home and reuse:
        shutil.copyfile(str(register_db), home_dir / "partnernet.sqlite3")
    _django(home_dir, database_url)
    from partnernet.apps.register.models import SourceRow
    from partnernet.apps.register.services import source_import
    from partnernet.engines.resolution.deterministic import DeterministicLinker
    from partnernet.engines.simulate import MarketConfig, simulate_market

    market = simulate_market(MarketConfig(seed=11, n_companies=companies, n_lists=1))
    out_of: dict = {"home": str(home_dir), "register_companies": companies, "new_rows": new_rows}
    if fresh_home and not reuse:
        path = home_dir / "big.csv"
        with path.open("w", encoding="utf-8-sig") as out:
            out.write("Компания;ИНН;Город;Сайт;Телефон\n")
            for c in market.companies:
                name = f"{c.legal_form} «{c.name}»".replace(";", " ")
                tax = c.inn or c.bin or c.unp or ""
                out.write(f"{name};{tax};{c.hq.city};{c.website or ''};{c.hq.phone}\n")
        t0 = time.perf_counter()
        source_import(
            path=path, source_name="register", kind="own_research", linker=DeterministicLinker()
        )
        out_of["register_load_seconds"] = round(time.perf_counter() - t0, 1)
        if register_db and not database_url:
            from django.db import connection

            connection.close()
            shutil.copyfile(home_dir / "partnernet.sqlite3", str(register_db))
    # Row i of the register file is company i of the market (names repeat: namesakes).
    company_of_row = dict(
        SourceRow.objects.filter(source__name="register").values_list("row_number", "company_id")
    )
    position = {c.id: i + 1 for i, c in enumerate(market.companies)}
    rng = random.Random(5)
    samples = rng.sample(market.companies, len(INCREMENTAL_LISTS) * new_rows)
    labels = [label for label, _ in INCREMENTAL_LISTS]
    for label in lists:
        n = labels.index(label)
        sample = samples[n * new_rows : (n + 1) * new_rows]
        fresh = home_dir / f"new{n}.csv"
        with fresh.open("w", encoding="utf-8") as out:
            out.write("Partner;INN;City;Website\n")
            for i, c in enumerate(sample):
                name = (c.name_en or c.name).upper() + f" {c.legal_form}"
                tax = (c.inn or c.bin or c.unp or "") if i % 3 == 0 else ""
                site = (c.domain or "") if i % 2 == 0 else ""
                out.write(f"{name.replace(';', ' ')};{tax};{c.hq.city};{site}\n")
        load = os.getloadavg()[0]
        t0, cpu0 = time.perf_counter(), time.process_time()
        report = source_import(path=fresh, source_name=f"new list {n}", vendor="Bench")
        link_seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        rows = SourceRow.objects.filter(source__name=f"new list {n}").order_by("row_number")
        right = sum(
            1
            for c, row in zip(sample, rows, strict=True)
            if row.company_id is not None and row.company_id == company_of_row.get(position[c.id])
        )
        out_of[label] = {
            "linker": report.linker,
            "seconds": round(link_seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "load_average_1min": round(load, 1),
            "linked": report.linked,
            "linked_to_the_right_company": right,
            "new_companies": report.new_companies,
            "queued_for_review": report.queued_for_review,
        }
    return out_of


STRATEGIES = ("deterministic", "deterministic+resolve", "model", "model+resolve")


def run_quality(seed: int, companies: int, lists: int, strategy: str) -> dict:
    """Import a simulated market list by list with one linking strategy and score the
    register against the simulator's truth (pairwise precision/recall/F1 over source rows)."""
    import csv

    home = Path(tempfile.mkdtemp(prefix="pn-bench-q-"))
    _django(home, None)
    from partnernet.apps.register.models import Company, SourceRow
    from partnernet.apps.register.models_resolution import ReviewPair
    from partnernet.apps.register.resolution_services import resolution_run
    from partnernet.apps.register.services import source_import
    from partnernet.engines.resolution.deterministic import DeterministicLinker
    from partnernet.engines.resolution.metrics import score_clusters
    from partnernet.engines.simulate import MarketConfig, simulate_market, write_market

    market = simulate_market(MarketConfig(seed=seed, n_companies=companies, n_lists=lists))
    files = write_market(market, home / "lists")
    started = time.perf_counter()
    for f in files:
        # None: the import's own rule (the model once the register has companies).
        linker = DeterministicLinker() if strategy.startswith("deterministic") else None
        source_import(
            path=f.path, source_name=f.source_name, vendor=f.vendor, kind=f.kind, linker=linker
        )
    import_seconds = time.perf_counter() - started
    resolve_seconds = 0.0
    if strategy.endswith("+resolve"):
        t0 = time.perf_counter()
        resolution_run()
        resolve_seconds = time.perf_counter() - t0
    with open(home / "lists" / "truth.csv", encoding="utf-8") as handle:
        truth = {
            f"{r['source_name']}:{r['row']}": r["company_id"]
            for r in csv.DictReader(handle)
            if r["company_id"]
        }
    predicted = {
        f"{source}:{row}": company
        for source, row, company in SourceRow.objects.filter(company__isnull=False).values_list(
            "source__name", "row_number", "company_id"
        )
    }
    scores = score_clusters(predicted, truth)
    return {
        "strategy": strategy,
        "rows": len(predicted),
        "companies": Company.objects.filter(merged_into__isnull=True).count(),
        "true_companies": len(set(truth.values())),
        "pairwise_precision": round(scores.pairwise_precision, 3),
        "pairwise_recall": round(scores.pairwise_recall, 3),
        "pairwise_f1": round(scores.pairwise_f1, 3),
        "open_review_pairs": ReviewPair.objects.filter(status="open").count(),
        "import_seconds": round(import_seconds, 1),
        "resolve_seconds": round(resolve_seconds, 1),
    }


def run_page(companies: int, repeats: int, database_url: str | None) -> dict:
    home = Path(tempfile.mkdtemp(prefix="pn-bench-page-"))
    _django(home, database_url)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from partnernet.apps.register.models import Company
    from partnernet.apps.register.services import source_import
    from partnernet.engines.simulate import MarketConfig, simulate_market

    # One "own research" list with one row per company of a large simulated market: every row
    # carries a valid tax number, so each becomes its own company through the ordinary import.
    market = simulate_market(MarketConfig(seed=11, n_companies=companies, n_lists=1))
    path = home / "big.csv"
    with path.open("w", encoding="utf-8-sig") as out:
        out.write("Компания;ИНН;Город;Сайт;Телефон\n")
        for c in market.companies:
            name = f"{c.legal_form} «{c.name}»".replace(";", " ")
            out.write(f"{name};{c.tax_id or ''};{c.hq.city};{c.website or ''};{c.hq.phone}\n")
    t0 = time.perf_counter()
    source_import(path=path, source_name="big research list", kind="own_research")
    load_seconds = time.perf_counter() - t0

    user = get_user_model().objects.create_superuser("bench", "", "bench-pass-1")
    client = Client()
    client.force_login(user)
    sample = Company.objects.order_by("id")[companies // 2]
    urls = {
        "list": "/companies/",
        "search": f"/companies/?q={sample.display_name.split()[-1][:6]}",
        "search_inn": f"/companies/?q={sample.inn or sample.bin or sample.unp}",
        "filter_city": f"/companies/?city={sample.city_name}",
        "sorted_page_50": "/companies/?sort=-source_count&page=50",
    }
    result: dict = {
        "companies": Company.objects.count(),
        "load_seconds": round(load_seconds, 1),
        "method": f"django.test.Client in-process, {repeats} requests each after 2 warm-ups",
        "pages": {},
    }
    for name, url in urls.items():
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        times.sort()
        result["pages"][name] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        }
    return result


def _fresh_pg_database(url: str) -> tuple[str, str]:
    import psycopg

    parts = urlsplit(url)
    name = f"pn_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(parts._replace(path=f"/{name}")), admin


def _drop_pg_database(admin: str, url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _child(args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--page-companies", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--skip-page", action="store_true")
    parser.add_argument(
        "--linker",
        choices=["auto", "deterministic", "both"],
        default="both",
        help="linking of the demo lists: the default rule (auto), the deterministic rules, both",
    )
    parser.add_argument(
        "--incremental",
        type=int,
        metavar="COMPANIES",
        help="instead: import a new list (--new-rows) into a register of COMPANIES companies",
    )
    parser.add_argument("--new-rows", type=int, default=500)
    parser.add_argument(
        "--register-db",
        metavar="FILE",
        help="with --incremental: reuse the loaded register from this SQLite file (written "
        "after the load when it does not exist)",
    )
    parser.add_argument(
        "--quality",
        metavar="COMPANIES,LISTS",
        help="instead: score each linking strategy against the simulator's truth on a market "
        "of COMPANIES companies and LISTS lists (seed --seed)",
    )
    parser.add_argument("--strategy", choices=STRATEGIES, help=argparse.SUPPRESS)
    parser.add_argument(
        "--child", choices=["imports", "page", "incremental", "quality"], help=argparse.SUPPRESS
    )
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--lists", default="first", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "imports":
        print(json.dumps(run_imports(args.seed, args.database_url, args.linker)))
        return
    if args.child == "quality":
        companies, lists = (int(x) for x in args.quality.split(","))
        print(json.dumps(run_quality(args.seed, companies, lists, args.strategy)))
        return
    if args.quality:
        for strategy in STRATEGIES:
            result = _child(
                [
                    "--child",
                    "quality",
                    "--quality",
                    args.quality,
                    "--seed",
                    str(args.seed),
                    "--strategy",
                    strategy,
                ]
            )
            print("linking quality:", json.dumps(result), flush=True)
        return
    if args.child == "incremental":
        result = run_incremental(
            args.incremental,
            args.new_rows,
            args.database_url,
            args.register_db,
            home=args.home,
            lists=tuple(args.lists.split(",")),
        )
        print(json.dumps(result))
        return
    if args.incremental:
        # Two processes: the first imports one list with no store; the second, started
        # afresh on the same data folder, imports a list cold (from the store) and one warm.
        common = [
            "--child",
            "incremental",
            "--incremental",
            str(args.incremental),
            "--new-rows",
            str(args.new_rows),
            *(["--register-db", args.register_db] if args.register_db else []),
        ]
        result = _child([*common, "--lists", "first"])
        result.update(_child([*common, "--lists", "cold,warm", "--home", result["home"]]))
        for label, what in INCREMENTAL_LISTS:
            print(f"{label} ({what}):", json.dumps(result[label], ensure_ascii=False))
        print("SQLite incremental import:", json.dumps(result, ensure_ascii=False))
        return
    if args.child == "page":
        print(json.dumps(run_page(args.page_companies, args.repeats, args.database_url)))
        return

    linkers = ["deterministic", "auto"] if args.linker == "both" else [args.linker]
    results: dict = {"sqlite": {}}
    for linker in linkers:
        key = "imports" if linker == linkers[-1] else f"imports_{linker}"
        results["sqlite"][key] = _child(
            ["--child", "imports", "--seed", str(args.seed), "--linker", linker]
        )
        print(f"SQLite import ({linker}):", json.dumps(results["sqlite"][key]))
    if args.postgres:
        url, admin = _fresh_pg_database(args.postgres)
        try:
            results["postgresql"] = {
                "imports": _child(
                    [
                        "--child",
                        "imports",
                        "--seed",
                        str(args.seed),
                        "--database-url",
                        url,
                        "--linker",
                        linkers[-1],
                    ]
                )
            }
        finally:
            _drop_pg_database(admin, url)
        print("PostgreSQL import:", json.dumps(results["postgresql"]["imports"]))
    if not args.skip_page:
        page = _child(
            [
                "--child",
                "page",
                "--page-companies",
                str(args.page_companies),
                "--repeats",
                str(args.repeats),
            ]
        )
        results["sqlite"]["company_list_page"] = page
        print("SQLite company list page:", json.dumps(page, ensure_ascii=False))
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
