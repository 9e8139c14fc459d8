"""Entity-resolution benchmark: quality against simulator truth, peers side by side, speed.

    .venv/bin/python bench/resolution_bench.py                 # quality + demo speed (minutes)
    .venv/bin/python bench/resolution_bench.py --incremental   # + 500 rows vs 100k companies
    .venv/bin/python bench/resolution_bench.py --scaling 10000,100000,1000000
    .venv/bin/python bench/resolution_bench.py --fit-model     # re-fit the shipped parameters

Quality: simulated markets (several seeds; the demo noise and the harder one) resolved by

- ``splink``: this engine (``SplinkResolver.resolve``) with the shipped model, no training;
- ``splink+em``: the same after unsupervised re-training on the market itself;
- ``deterministic``: the register's conservative linker (same valid identifier; same name in
  the same city; same web domain);
- ``rapidfuzz``: token-sort ratio of normalised names within the same city, single linkage,
  the best threshold chosen on the truth (an optimistic peer: it sees the answers).

Figures: pairwise precision / recall / F1, B-cubed F1, clusters vs true companies, and for
blocking the recall of true pairs and the share of all pairs compared.

The model shipped in the package is fitted (``--fit-model``) on seeds 101-102, never on the
evaluation seeds 1-3.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from partnernet.engines.resolution.deterministic import (  # noqa: E402
    CompanyIndex,
    DeterministicLinker,
    LinkCandidate,
)
from partnernet.engines.resolution.features import base_row  # noqa: E402
from partnernet.engines.resolution.linker import SplinkResolver  # noqa: E402
from partnernet.engines.resolution.metrics import ClusterScores, score_clusters  # noqa: E402
from partnernet.engines.resolution.model import DEFAULT_MODEL_FILE  # noqa: E402
from partnernet.engines.resolution.records import CompanyRecord  # noqa: E402
from partnernet.engines.simulate.market import simulate_market  # noqa: E402
from partnernet.engines.simulate.model import MarketConfig  # noqa: E402
from partnernet.engines.sources.canonical import canonical_row  # noqa: E402

MODEL_PATH = ROOT / "src/partnernet/engines/resolution" / DEFAULT_MODEL_FILE


# -- data ------------------------------------------------------------------------------------


def market_rows(seed: int, noise: str, n_companies: int | None = None, n_lists: int | None = None):
    kwargs: dict[str, Any] = {"seed": seed, "noise": noise}
    if n_companies:
        kwargs["n_companies"] = n_companies
    if n_lists:
        kwargs["n_lists"] = n_lists
    market = simulate_market(MarketConfig(**kwargs))
    return market, list(market.source_rows)


def record_of(row: Any) -> CompanyRecord:
    f = row.fields
    return CompanyRecord(
        record_id=f"{row.list_id}:{row.row}",
        name=f.get("name", ""),
        identifiers=tuple(v for v in (f.get("inn", ""),) if v),
        websites=tuple(v for v in (f.get("website", ""),) if v),
        emails=tuple(v for v in (f.get("email", ""),) if v),
        phones=tuple(v for v in (f.get("phone", ""),) if v),
        city=f.get("city", ""),
        region=f.get("region", ""),
        country=f.get("country", ""),
        address=f.get("address", ""),
    )


def truth_of(rows: Sequence[Any]) -> dict[str, Any]:
    # A garbage row (no true company) is an entity of its own.
    return {
        f"{r.list_id}:{r.row}": (
            r.company_id if r.company_id is not None else f"junk{r.list_id}:{r.row}"
        )
        for r in rows
    }


# -- peers -----------------------------------------------------------------------------------


def run_deterministic(rows: Sequence[Any]) -> dict[str, str]:
    """The register's linker, list by list, as the import service runs it."""
    linker = DeterministicLinker()
    index = CompanyIndex()
    by_list: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        by_list[r.list_id].append(r)
    out: dict[str, str] = {}
    next_id = 1
    for list_id in sorted(by_list):
        batch = by_list[list_id]
        candidates = []
        for i, r in enumerate(batch):
            rec = canonical_row(r.fields)
            if rec["error"]:
                out[f"{r.list_id}:{r.row}"] = f"err{r.list_id}:{r.row}"
                continue
            candidates.append(
                LinkCandidate(
                    ref=i,
                    name_key=rec.get("name_key") or "",
                    city_key=(rec.get("city") or {}).get("key"),
                    identifiers={k: rec[k] for k in ("inn", "ogrn", "bin", "unp") if rec.get(k)},
                    domains=tuple(rec.get("domains") or ()),
                )
            )
        decisions = linker.link(candidates, index)
        groups: dict[int, int] = {}
        for d in decisions:
            r = batch[d.ref]
            if d.company_id is not None:
                company = d.company_id
            else:
                assert d.new_group is not None
                if d.new_group not in groups:
                    groups[d.new_group] = next_id
                    next_id += 1
                company = groups[d.new_group]
            out[f"{r.list_id}:{r.row}"] = str(company)
        index.relabel({-g: pk for g, pk in groups.items()})
    return out


def run_rapidfuzz(rows: Sequence[Any], truth: Mapping[str, Any]) -> tuple[dict[str, str], int]:
    """Token-sort ratio of normalised names within one city; best threshold on the truth."""
    from rapidfuzz import fuzz, process

    ids: list[str] = []
    names: list[str] = []
    cities: list[str] = []
    for r in rows:
        rec = canonical_row(r.fields)
        ids.append(f"{r.list_id}:{r.row}")
        names.append(rec.get("name_key") or "")
        cities.append((rec.get("city") or {}).get("key") or "")
    by_city: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cities):
        by_city[c].append(i)
    edges: list[tuple[int, int, float]] = []
    for members in by_city.values():
        if len(members) < 2:
            continue
        block = [names[i] for i in members]
        matrix = process.cdist(
            block, block, scorer=fuzz.token_sort_ratio, score_cutoff=70, workers=1
        )
        rows_idx, cols_idx = matrix.nonzero()
        for a, b in zip(rows_idx.tolist(), cols_idx.tolist(), strict=True):
            if a < b and block[a] and block[b]:
                edges.append((members[a], members[b], float(matrix[a, b])))
    best: tuple[float, int, dict[str, str]] = (-1.0, 0, {})
    for threshold in range(70, 101, 2):
        parent = list(range(len(ids)))

        def find(x: int, parent: list[int] = parent) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a, b, s in edges:
            if s >= threshold:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[ra] = rb
        clusters = {ids[i]: str(find(i)) for i in range(len(ids))}
        f1 = score_clusters(clusters, truth).pairwise_f1
        if f1 > best[0]:
            best = (f1, threshold, clusters)
    return best[2], best[1]


# -- reporting -------------------------------------------------------------------------------


def fmt(scores: ClusterScores) -> str:
    return (
        f"P {scores.pairwise_precision:.4f}  R {scores.pairwise_recall:.4f}  "
        f"F1 {scores.pairwise_f1:.4f}  B3-F1 {scores.bcubed_f1:.4f}  "
        f"clusters {scores.predicted_clusters} / {scores.true_clusters}"
    )


def blocking_recall(resolution: Any, truth: Mapping[str, Any]) -> tuple[float, int, float]:
    """Recall of true pairs among compared pairs, and the share of all pairs compared.

    Identical rows are compared once (a representative and its twin), so a compared pair of
    representatives covers every pair of the records they stand for.
    """
    members = resolution.members
    sizes: dict[Any, int] = defaultdict(int)
    for t in truth.values():
        sizes[t] += 1
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())

    def same_truth_pairs(left: Sequence[str], right: Sequence[str] | None) -> int:
        a = defaultdict(int)
        for rid in left:
            a[truth[rid]] += 1
        if right is None:
            return sum(n * (n - 1) // 2 for n in a.values())
        return sum(a.get(truth[rid], 0) for rid in right)

    hit = sum(same_truth_pairs(m, None) for m in members.values() if len(m) > 1)
    for a, b in resolution.candidates:
        hit += same_truth_pairs(members.get(a, [a]), members.get(b, [b]))
    compared = resolution.stats.candidate_pairs
    n = len(truth)
    return (hit / true_pairs if true_pairs else 1.0), compared, compared / (n * (n - 1) / 2)


def quality(seeds: Sequence[int], noises: Sequence[str], em: bool) -> list[dict[str, Any]]:
    results = []
    for noise in noises:
        for seed in seeds:
            t = time.perf_counter()
            _market, rows = market_rows(seed, noise)
            records = [record_of(r) for r in rows]
            truth = truth_of(rows)
            sim_s = time.perf_counter() - t
            print(
                f"\n== seed {seed}, noise {noise}: {len(rows)} rows, "
                f"{len(set(truth.values()))} true companies (simulated in {sim_s:.1f} s)"
            )
            resolver = SplinkResolver()
            resolution = resolver.resolve(records, keep_candidates=True)
            ours_s = sum(resolution.stats.seconds.values())
            ours = score_clusters(resolution.cluster_of, truth)
            print(
                f"  splink         {fmt(ours)}  [{ours_s:.1f} s {resolution.stats.seconds}, "
                f"review {len(resolution.review)}]"
            )
            row: dict[str, Any] = {
                "seed": seed,
                "noise": noise,
                "rows": len(rows),
                "splink": ours,
                "splink_seconds": ours_s,
                "review": len(resolution.review),
            }
            rec, compared, share = blocking_recall(resolution, truth)
            row["blocking"] = (rec, compared, share)
            print(
                f"  blocking       recall of true pairs {rec:.4f}; compared {compared} pairs "
                f"= {share:.5f} of all"
            )
            if em:
                trained = SplinkResolver()
                trained.train(records)
                em_res = trained.resolve(records)
                row["splink+em"] = score_clusters(em_res.cluster_of, truth)
                print(f"  splink+em      {fmt(row['splink+em'])}")
            det = score_clusters(run_deterministic(rows), truth)
            row["deterministic"] = det
            print(f"  deterministic  {fmt(det)}")
            fuzzy, threshold = run_rapidfuzz(rows, truth)
            row["rapidfuzz"] = score_clusters(fuzzy, truth)
            row["rapidfuzz_threshold"] = threshold
            print(f"  rapidfuzz      {fmt(row['rapidfuzz'])}  (best threshold {threshold})")
            results.append(row)
    return results


# -- error analysis --------------------------------------------------------------------------


def _acronym_of(stems_a: Sequence[str], tokens_b: Sequence[str]) -> bool:
    """One name's initials spell a word of the other ("ИТС" / "Информационные технологии и
    сервис"), in the Latin key."""
    if len(stems_a) < 2:
        return False
    initials = "".join(s[0] for s in stems_a)
    return any(len(t) >= 2 and t == initials for t in tokens_b)


def shared_evidence(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """What two feature rows have in common that any matcher could use (empty: nothing)."""
    from partnernet.engines.resolution.features import name_parts

    out = []
    if a["tax_id"] and a["tax_id"] == b["tax_id"]:
        out.append("tax_id")
    if a["ogrn"] and a["ogrn"] == b["ogrn"]:
        out.append("ogrn")
    if set(a["domains"] or ()) & set(b["domains"] or ()):
        out.append("domain")
    if set(a["phones"] or ()) & set(b["phones"] or ()):
        out.append("phone")
    pa_, pb = name_parts(a["latin"]), name_parts(b["latin"])
    if set(pa_.stems) & set(pb.stems):
        out.append("name_word")
    elif _acronym_of(pa_.stems, pb.tokens) or _acronym_of(pb.stems, pa_.tokens):
        out.append("acronym")
    return out


def contrary_evidence(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """What differs between two feature rows (both sides present): evidence of two companies."""
    out = [c for c in ("tax_id", "legal_form", "city") if a[c] and b[c] and a[c] != b[c]]
    for column in ("domains", "phones"):
        left, right = set(a[column] or ()), set(b[column] or ())
        if left and right and not left & right:
            out.append(column)
    return out


def _indistinguishable(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    from partnernet.engines.resolution.features import name_parts

    if name_parts(a["latin"]).key != name_parts(b["latin"]).key:
        return False
    for column in ("tax_id", "ogrn", "legal_form", "city"):
        if a[column] and b[column] and a[column] != b[column]:
            return False
    for column in ("domains", "phones"):
        left, right = set(a[column] or ()), set(b[column] or ())
        if left and right and not left & right:
            return False
    return True


def error_analysis(seeds: Sequence[int], noise: str, examples: int = 0, which: str = "") -> None:
    """Classify every missed true pair: why it was missed and whether anything links it."""
    from collections import Counter

    for seed in seeds:
        _market, rows = market_rows(seed, noise)
        records = [record_of(r) for r in rows]
        truth = truth_of(rows)
        row_of = {f"{r.list_id}:{r.row}": r for r in rows}
        resolver = SplinkResolver()
        res = resolver.resolve(records, keep_candidates=True)
        threshold = resolver.policy.match_threshold
        rep_of = {m: rep for rep, ms in res.members.items() for m in ms}
        bases = {r.record_id: base_row(r) for r in records}
        by_truth: dict[Any, list[str]] = defaultdict(list)
        for rid, t in truth.items():
            by_truth[t].append(rid)
        classes: Counter[str] = Counter()
        levels: Counter[str] = Counter()
        tags: Counter[str] = Counter()
        no_evidence = 0
        no_evidence_tags: Counter[str] = Counter()
        total = missed = 0
        shown = 0
        rng = random.Random(seed)
        for ids in by_truth.values():
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    total += 1
                    if res.cluster_of[a] == res.cluster_of[b]:
                        continue
                    missed += 1
                    ra, rb = rep_of[a], rep_of[b]
                    if ra == rb:
                        cls = "identical rows kept apart"
                    else:
                        hit = res.candidate_scores.get((ra, rb)) or res.candidate_scores.get(
                            (rb, ra)
                        )
                        if hit is None:
                            cls = "not blocked"
                        elif hit[0] >= threshold:
                            cls = "scored >= threshold, clustering kept apart"
                        else:
                            cls = "blocked, scored low"
                            levels[" ".join(hit[1])] += 1
                    classes[cls] += 1
                    ta, tb = row_of[a], row_of[b]
                    why = sorted(
                        {t for t in (*ta.noise, *tb.noise) if not t.startswith("form_")}
                        | ({"branch"} if "branch" in (ta.office, tb.office) else set())
                    )
                    tags[" ".join(why) or "(no tag)"] += 1
                    evidence = shared_evidence(bases[a], bases[b])
                    if not evidence:
                        no_evidence += 1
                        no_evidence_tags[" ".join(why) or "(no tag)"] += 1
                    wanted = {
                        "": cls != "identical rows kept apart",
                        "none": not evidence,
                        "unblocked": cls == "not blocked" and bool(evidence),
                        "apart": cls.startswith("scored >="),
                        "low": cls == "blocked, scored low",
                        "false": False,
                    }[which]
                    if shown < examples and wanted and rng.random() < 0.2:
                        shown += 1
                        print(
                            f"    {cls:<28} {ta.fields.get('name')!r:<45} "
                            f"{ta.fields.get('city')!r:<18} | {tb.fields.get('name')!r:<45} "
                            f"{tb.fields.get('city')!r:<18} evidence {evidence}"
                        )
        # False merges: pairs put together that are two companies. "Indistinguishable": the
        # same name key, nothing that differs (identifier, domain, phone, legal form, city).
        groups: dict[str, list[str]] = defaultdict(list)
        for rid, key in res.cluster_of.items():
            groups[key].append(rid)
        false_pairs = blind = 0
        contrary_tags: Counter[str] = Counter()
        direct_levels: Counter[str] = Counter()
        false_shown = 0
        for ids in groups.values():
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    if truth[a] == truth[b]:
                        continue
                    false_pairs += 1
                    blind += _indistinguishable(bases[a], bases[b])
                    against = contrary_evidence(bases[a], bases[b])
                    ra, rb = rep_of[a], rep_of[b]
                    hit = res.candidate_scores.get((ra, rb)) or res.candidate_scores.get((rb, ra))
                    direct = hit is not None and hit[0] >= threshold
                    how = "direct" if direct else "through others"
                    contrary_tags[f"{how}: {' '.join(against) or '(nothing against)'}"] += 1
                    if direct:
                        direct_levels[" ".join(hit[1])] += 1  # type: ignore[index]
                    if (
                        which == "false"
                        and direct
                        and false_shown < examples
                        and rng.random() < 0.05
                    ):
                        false_shown += 1
                        ta, tb = row_of[a], row_of[b]
                        print(
                            f"    false {hit[0]:.3f} {' '.join(hit[1])!s:<60} "  # type: ignore[index]
                            f"{ta.fields.get('name')!r} {ta.fields.get('city')!r} "
                            f"{ta.fields.get('website')!r} | {tb.fields.get('name')!r} "
                            f"{tb.fields.get('city')!r} {tb.fields.get('website')!r} "
                            f"against {against}"
                        )
        print(
            f"\n== errors seed {seed} {noise}: {missed} of {total} true pairs missed "
            f"(recall {1 - missed / total:.4f})"
        )
        for cls, n in classes.most_common():
            print(f"  {n:>6}  {n / missed:6.1%}  {cls}")
        print(
            f"  no shared identifier, domain, phone, name word or acronym: {no_evidence} "
            f"({no_evidence / missed:.1%} of missed, {no_evidence / total:.2%} of all true pairs)"
        )
        print(
            f"  false merges: {false_pairs} pairs; {blind} of them indistinguishable (same name "
            "key, no identifier, domain, phone, legal form or city that differs)"
        )
        for title, counts in (
            ("false merges by what speaks against them", contrary_tags),
            (
                "direct false links by levels (identifier name domains phones location form)",
                direct_levels,
            ),
            ("scored low, by levels (identifier name domains phones location legal form)", levels),
        ):
            print(f"  {title}:")
            for label, n in counts.most_common(12):
                print(f"    {n:>6}  {label}")
        print("  missed pairs by simulator noise tags (either row):")
        for tag, n in tags.most_common(15):
            print(f"    {n:>6}  {tag}   (no evidence: {no_evidence_tags.get(tag, 0)})")


def tune(seeds: Sequence[int], thresholds: Sequence[float], noise: str = "default") -> None:
    """Match threshold chosen on tuning seeds (never the reported ones): best mean F1."""
    from dataclasses import replace

    from partnernet.engines.resolution.clusters import ClusterPolicy

    table: dict[float, list[ClusterScores]] = defaultdict(list)
    for seed in seeds:
        _market, rows = market_rows(seed, noise)
        records = [record_of(r) for r in rows]
        truth = truth_of(rows)
        for threshold in thresholds:
            policy = replace(
                ClusterPolicy(),
                match_threshold=threshold,
                review_threshold=min(threshold, ClusterPolicy().review_threshold),
            )
            resolution = SplinkResolver(policy=policy).resolve(records)
            scores = score_clusters(resolution.cluster_of, truth)
            table[threshold].append(scores)
            print(f"  seed {seed} threshold {threshold:.2f}: {fmt(scores)}", flush=True)
    print(f"\n== tuning on seeds {list(seeds)} ({noise}): mean over seeds")
    best = max(table, key=lambda t: sum(s.pairwise_f1 for s in table[t]))
    for threshold, scores in sorted(table.items()):
        n = len(scores)
        print(
            f"  {threshold:.2f}  P {sum(s.pairwise_precision for s in scores) / n:.4f}  "
            f"R {sum(s.pairwise_recall for s in scores) / n:.4f}  "
            f"F1 {sum(s.pairwise_f1 for s in scores) / n:.4f}"
            + ("  <- best" if threshold == best else "")
        )


# -- speed -----------------------------------------------------------------------------------


def incremental(n_companies: int, n_new: int) -> None:
    """A new list of ``n_new`` rows against a register of ``n_companies`` companies."""
    print(f"\n== incremental: {n_new} new rows against {n_companies} register companies")
    t = time.perf_counter()
    market, rows = market_rows(7, "default", n_companies=n_companies, n_lists=8)
    register: list[CompanyRecord] = []
    for c in market.companies:
        register.append(
            CompanyRecord(
                record_id=f"c{c.id}",
                name=f"{c.legal_form} {c.name}",
                identifiers=tuple(v for v in (c.tax_id,) if v),
                websites=tuple(v for v in (c.website,) if v),
                phones=c.phones[:1],
                city=c.hq.city,
                country=c.country,
                company_id=str(c.id),
            )
        )
    rng = random.Random(7)
    fresh_rows = rng.sample(rows, min(n_new, len(rows)))
    new = [record_of(r) for r in fresh_rows]
    print(f"  simulated in {time.perf_counter() - t:.1f} s")
    resolver = SplinkResolver()
    t = time.perf_counter()
    cached = resolver.prepare_register(register)
    prep_s = time.perf_counter() - t
    t = time.perf_counter()
    result = resolver.link(cached, new)
    link_s = time.perf_counter() - t
    truth = {f"{r.list_id}:{r.row}": str(r.company_id) for r in fresh_rows}
    right = sum(1 for rid, key in result.cluster_of.items() if truth.get(rid) == key)
    linked = sum(1 for key in result.cluster_of.values() if key.isdigit())
    print(f"  register features (once, cacheable): {prep_s:.1f} s")
    print(
        f"  link {n_new} rows: {link_s:.2f} s  (stages {result.stats.seconds}); "
        f"linked to a company {linked}, to the right one {right}; "
        f"pairs compared {result.stats.candidate_pairs}"
    )


def scaling(sizes: Sequence[int]) -> None:
    import math

    print("\n== scaling: full resolution time by number of source rows")
    points = []
    for target in sizes:
        companies = max(500, target // 5)
        lists = max(5, min(200, target // max(1, companies // 10)))
        t = time.perf_counter()
        _market, rows = market_rows(11, "default", n_companies=companies, n_lists=lists)
        rows = rows[:target]
        records = [record_of(r) for r in rows]
        sim_s = time.perf_counter() - t
        resolver = SplinkResolver()
        t = time.perf_counter()
        result = resolver.resolve(records)
        took = time.perf_counter() - t
        points.append((len(records), took))
        print(
            f"  {len(records):>9} rows: {took:8.1f} s  stages {result.stats.seconds}  "
            f"pairs {result.stats.candidate_pairs}  (simulated in {sim_s:.0f} s)"
        )
    if len(points) >= 2:
        (n0, t0), (n1, t1) = points[0], points[-1]
        slope = math.log(t1 / t0) / math.log(n1 / n0)
        print(f"  log-log slope {slope:.2f} (1.0 = linear)")


# Where the simulator never shows a level (its companies keep one INN and one domain), the
# fitted probability would be missing or zero; real lists are messier. Floors, written down:
# A company's legal form on two lists differs when it was reorganised (ООО -> АО is common) or
# a list editor typed the wrong one; the simulator never does either, so the fitted m would be
# ~0 and a different form would act as a veto. 3% is our estimate, not a measurement.
_M_FLOOR = {
    "identifier_different": 0.002,
    "domain_different": 0.08,
    "legal_form_different": 0.03,
}
_MIN_PROBABILITY = 1e-6


def _floor_parameters(model: dict[str, Any]) -> None:
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for key in ("m_probability", "u_probability"):
            for lv in levels:
                floor = _M_FLOOR.get(lv.get("label_for_charts", ""), 0.0) if key[0] == "m" else 0
                value = lv.get(key) or 0.0
                lv[key] = max(value, floor, _MIN_PROBABILITY)
            total = sum(lv[key] for lv in levels)
            for lv in levels:
                lv[key] = round(lv[key] / total, 8)


def fit_model(seeds: Sequence[int], noise: str = "default") -> None:
    """Fit the shipped parameters on simulated markets (never the evaluation seeds).

    u from random pairs, m from the true clusters (the simulator's labels), the prior from the
    share of true pairs. Several markets are stacked into one table with distinct ids.
    """
    import logging

    import pyarrow as pa
    from splink import Linker

    from partnernet.engines.resolution import linker as engine
    from partnernet.engines.resolution.features import token_stats
    from partnernet.engines.resolution.model import save_model, settings_creator

    bases: list[dict[str, Any]] = []
    labels: list[str] = []
    for seed in seeds:
        _market, rows = market_rows(seed, noise)
        for r in rows:
            row = base_row(record_of(r))
            row["unique_id"] = f"{seed}/{row['unique_id']}"
            bases.append(row)
            labels.append(
                f"{seed}/{r.company_id}" if r.company_id is not None else row["unique_id"]
            )
    stats = token_stats(bases)
    rows = [engine.finish_row(b, stats) for b in bases]
    table = engine.SplinkResolver._table(rows)
    table = table.append_column("truth", pa.array(labels, pa.string()))
    sizes: dict[str, int] = defaultdict(int)
    for label in labels:
        sizes[label] += 1
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    n = len(labels)
    # The prior is per market: k stacked markets hold k times the true pairs of one but about
    # k^2 times its pairs, so the stacked share is 1/k of a market's share.
    prior = true_pairs / (n * (n - 1) / 2) * len(seeds)
    # u from random pairs of *different* companies: one record per true company, so no true
    # match contaminates the sample; m from every pair of records of one company.
    rng = random.Random(1)
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        by_label[label].append(i)
    one_each = sorted(rng.choice(ix) for ix in by_label.values())
    db = engine.DuckDBAPI()
    sdf_one = db.register(table.take(one_each), dataset_display_name="fit_u")
    linker = Linker(sdf_one, settings_creator(prior), log_level=logging.WARNING)
    engine.SplinkResolver._register_tf(db, linker, stats, "fit_u")
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    with_u = linker.misc.save_model_to_json()
    sdf = db.register(table, dataset_display_name="fit_m")
    linker = Linker(sdf, with_u, log_level=logging.WARNING)
    engine.SplinkResolver._register_tf(db, linker, stats, "fit_m")
    linker.training.estimate_m_from_label_column("truth")
    model = linker.misc.save_model_to_json()
    model["probability_two_random_records_match"] = round(prior, 8)
    model.pop("linker_uid", None)
    _floor_parameters(model)
    save_model(model, MODEL_PATH)
    print(f"fitted on seeds {list(seeds)} ({n} rows, prior {prior:.2e}); wrote {MODEL_PATH}")


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--noise", default="default,hard")
    parser.add_argument("--em", action="store_true", help="also run with EM re-training")
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--incremental", action="store_true")
    parser.add_argument("--register-size", type=int, default=100_000)
    parser.add_argument("--scaling", default="", help="comma-separated row counts")
    parser.add_argument("--fit-model", action="store_true")
    parser.add_argument("--errors", action="store_true", help="classify missed true pairs")
    parser.add_argument("--tune", default="", help="choose the match threshold on these seeds")
    parser.add_argument("--thresholds", default="0.3,0.45,0.6,0.75,0.9")
    parser.add_argument("--examples", type=int, default=0, help="print this many missed pairs")
    parser.add_argument(
        "--examples-of", default="", choices=("", "none", "unblocked", "apart", "low", "false")
    )
    parser.add_argument("--json", type=Path, help="write figures to this file")
    args = parser.parse_args(list(argv) if argv is not None else None)

    if args.fit_model:
        fit_model([101, 102])
        return
    results: list[dict[str, Any]] = []
    if args.tune:
        tune(
            [int(x) for x in args.tune.split(",") if x],
            [float(x) for x in args.thresholds.split(",") if x],
        )
        return
    if args.errors:
        for noise in [n for n in args.noise.split(",") if n]:
            error_analysis(
                [int(x) for x in args.seeds.split(",") if x], noise, args.examples, args.examples_of
            )
        return
    if not args.no_quality:
        seeds = [int(s) for s in args.seeds.split(",") if s]
        noises = [n for n in args.noise.split(",") if n]
        results = quality(seeds, noises, args.em)
    if args.incremental:
        incremental(args.register_size, 500)
    if args.scaling:
        scaling([int(s) for s in args.scaling.split(",") if s])
    if args.json:
        args.json.write_text(json.dumps(results, default=lambda o: o.__dict__, indent=2))


if __name__ == "__main__":
    main()
