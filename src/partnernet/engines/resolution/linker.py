"""The probabilistic resolver: Splink 5 on DuckDB, behind the register's linker interface.

``SplinkResolver.resolve(records)`` clusters a whole set of records into companies;
``SplinkResolver.link(register, new)`` links a new list against the existing register
(Splink's ``predict_between`` plus ``predict_within`` for the new rows) without re-clustering
the register; ``SplinkResolver.train(records)`` re-estimates the model's parameters.

Identical feature rows (the same row repeated hundreds of times) are scored once: one
representative and one twin go to Splink, and the twin pair's score decides whether the copies
are one company — so a bare common name repeated a hundred times stays a hundred question marks
rather than becoming one company or a hundred-thousand-pair block.
"""

from __future__ import annotations

import gc
import itertools
import logging
import operator
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker

from partnernet.engines.resolution.blocking import training_rules
from partnernet.engines.resolution.clusters import (
    REASON_UNCERTAIN,
    ClusterPolicy,
    ReviewItem,
    cluster_pairs,
)
from partnernet.engines.resolution.contrary import group_evidence
from partnernet.engines.resolution.features import (
    TokenStats,
    base_row,
    finish_row,
    name_parts,
    token_stats,
)
from partnernet.engines.resolution.model import (
    level_of,
    level_weights,
    load_model,
    settings_creator,
)
from partnernet.engines.resolution.records import CompanyRecord, as_record

if TYPE_CHECKING:
    from partnernet.engines.resolution.register_store import RegisterBasis

REASON_LITTLE_INFORMATION = "little_information"
_TWIN = "\x1ftwin"

SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("name_key", pa.string()),
        ("name_sorted", pa.string()),
        ("name_full", pa.string()),
        ("name_tf", pa.string()),
        ("name_tokens", pa.list_(pa.struct([("t", pa.string()), ("w", pa.float64())]))),
        ("name_weight", pa.float64()),
        ("tax_id", pa.string()),
        ("ogrn", pa.string()),
        ("legal_form", pa.string()),
        ("domains", pa.list_(pa.string())),
        ("phones", pa.list_(pa.string())),
        ("city", pa.string()),
        ("region", pa.string()),
        ("name_block", pa.string()),
        ("rare_tokens", pa.list_(pa.string())),
        ("name_prefix", pa.string()),
        ("name_sound", pa.string()),
        ("sound_block", pa.string()),
    ]
)
_SCHEMA_ROW = operator.itemgetter(*SCHEMA.names)
# The other columns derive from these.
_FINGERPRINT_COLUMNS = (
    "name_key",
    "name_sorted",
    "name_sound",
    "legal_form",
    "tax_id",
    "ogrn",
    "domains",
    "phones",
    "city",
    "region",
)


@dataclass(frozen=True)
class ReviewPair:
    """A pair for the review queue: why it is there and what drove its score."""

    left: str
    right: str
    probability: float
    reason: str
    levels: Mapping[str, str] = field(default_factory=dict)
    match_weights: Mapping[str, float] = field(default_factory=dict)


@dataclass
class ResolutionStats:
    records: int = 0
    distinct_records: int = 0
    candidate_pairs: int = 0
    possible_pairs: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def compared_share(self) -> float:
        return self.candidate_pairs / self.possible_pairs if self.possible_pairs else 0.0


@dataclass
class Resolution:
    """``cluster_of``: record id -> cluster key (a company id for register clusters)."""

    cluster_of: dict[str, str]
    review: list[ReviewPair]
    stats: ResolutionStats
    pairs: list[tuple[str, str, float]] = field(default_factory=list)
    # With ``keep_candidates``: every compared pair of representatives, and the records each
    # representative stands for (identical rows are compared once).
    candidates: list[tuple[str, str]] = field(default_factory=list)
    # With ``keep_candidates``: (left, right) -> (match probability, the label of each
    # comparison's level in the model's order), for error analysis.
    candidate_scores: dict[tuple[str, str], tuple[float, tuple[str, ...]]] = field(
        default_factory=dict
    )
    members: dict[str, list[str]] = field(default_factory=dict)

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for record_id, key in self.cluster_of.items():
            out.setdefault(key, []).append(record_id)
        return out


@dataclass
class RegisterFeatures:
    """The register, normalised and weighted once, reused for every new list.

    New lists are weighted with the register's word and name statistics: one list barely
    changes them, and recomputing them would cost a pass over the whole register per list.
    ``prepare_register(records, previous=features)`` brings an earlier result up to date:
    rows it has seen are not normalised again, and when the register only grew (the rows of
    the last import appended) the statistics and groups of identical rows are extended too.
    """

    rows: list[dict[str, Any]]  # unweighted feature rows, one per record, in record order
    companies: list[str | None]
    stats: TokenStats
    prepared: _Prepared
    table: pa.Table
    company_identifiers: dict[str, dict[str, str]] = field(default_factory=dict)
    records: list[CompanyRecord] = field(default_factory=list)
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class _Prepared:
    rows: list[dict[str, Any]]  # rows sent to Splink (representatives and twins)
    members: dict[str, list[str]]  # representative id -> every record id it stands for
    identifiers: dict[str, dict[str, str]]
    little_information: set[str]  # representatives with nothing but a name: no place, no ids


def _fingerprint(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(
        tuple(v) if isinstance(v, list) else v for v in (row[c] for c in _FINGERPRINT_COLUMNS)
    )


def _base_fingerprint(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """``_fingerprint`` of the finished row, from the unweighted one (the fingerprint's
    columns do not depend on the statistics, so rows group before they are weighted)."""
    parts = name_parts(row["latin"])
    finished = {
        **row,
        "name_key": parts.key,
        "name_sorted": " ".join(sorted(parts.tokens)) or None,
    }
    return _fingerprint(finished)


def _group(
    bases: Sequence[Mapping[str, Any]],
    group_key: Sequence[str | None] | None = None,
    groups: dict[tuple[Any, ...], list[Any]] | None = None,
) -> dict[tuple[Any, ...], list[Any]]:
    """Identical rows together, in order of first appearance (``groups``: extend a copy)."""
    out: dict[tuple[Any, ...], list[Any]] = dict(groups) if groups else {}
    copied: set[tuple[Any, ...]] = set()
    for i, row in enumerate(bases):
        key = (group_key[i] if group_key else None, *_base_fingerprint(row))
        group = out.get(key)
        if group is None:
            out[key] = [row]
            copied.add(key)
        else:
            if key not in copied:  # shared with the earlier result: copy before appending
                group = out[key] = list(group)
                copied.add(key)
            group.append(row)
    return out


def _collapse(
    bases: Sequence[Mapping[str, Any]],
    stats: TokenStats,
    group_key: Sequence[str | None] | None = None,
    groups: dict[tuple[Any, ...], list[Any]] | None = None,
) -> _Prepared:
    if groups is None:
        groups = _group(bases, group_key)
    rows: list[dict[str, Any]] = []
    members: dict[str, list[str]] = {}
    identifiers: dict[str, dict[str, str]] = {}
    little: set[str] = set()
    weights: dict[str, float] = {}
    for group in groups.values():
        rep = finish_row(group[0], stats, weights)  # copies are not weighted: only one is compared
        rid = rep["unique_id"]
        rows.append(rep)
        members[rid] = [r["unique_id"] for r in group]
        if len(group) > 1:
            rows.append({**rep, "unique_id": rid + _TWIN})
        ident = {k: rep[c] for k, c in (("tax", "tax_id"), ("ogrn", "ogrn")) if rep[c]}
        if ident:
            identifiers[rid] = ident
        # Nothing but a name (perhaps not even that): copies of it prove nothing.
        if not (rep["tax_id"] or rep["ogrn"] or rep["domains"] or rep["phones"]) and not (
            rep["city"] or rep["region"]
        ):
            little.add(rid)
    return _Prepared(rows, members, identifiers, little)


def _content(record: CompanyRecord) -> tuple[Any, ...]:
    """What a record says, apart from its company (tuple equality checks identity first, so
    records shared with an earlier call compare in no time)."""
    return (
        record.record_id,
        record.name,
        record.identifiers,
        record.websites,
        record.emails,
        record.phones,
        record.city,
        record.region,
        record.country,
        record.address,
        record.valid_identifiers,
        record.city_key,
        record.region_key,
        record.extra,
    )


class SplinkResolver:
    """Probabilistic entity resolution (Splink 5, DuckDB backend) with guarded clustering."""

    name = "splink"

    def __init__(
        self,
        model: Mapping[str, Any] | str | Path | None = None,
        *,
        policy: ClusterPolicy | None = None,
        threads: int | None = None,
    ) -> None:
        self.model: dict[str, Any] = (
            dict(model) if isinstance(model, Mapping) else load_model(model)
        )
        self.policy = policy or ClusterPolicy()
        self.threads = threads

    # -- plumbing ---------------------------------------------------------------------------

    def _db(self) -> DuckDBAPI:
        con = duckdb.connect(":memory:")
        if self.threads:
            con.execute(f"SET threads = {int(self.threads)}")
        return DuckDBAPI(con)

    @staticmethod
    def _table(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
        columns: Sequence[Sequence[Any]]
        try:  # finished rows carry every column: transpose them in C
            columns = list(zip(*map(_SCHEMA_ROW, rows), strict=True)) or [()] * len(SCHEMA)
        except KeyError:
            columns = [[row.get(f.name) for row in rows] for f in SCHEMA]
        return pa.table(
            {f.name: list(column) for f, column in zip(SCHEMA, columns, strict=True)},
            schema=SCHEMA,
        )

    @staticmethod
    def _register_tf(db: DuckDBAPI, linker: Linker, stats: TokenStats, tag: str) -> None:
        for column, freq in (
            ("name_tf", stats.variant_frequencies()),
            ("city", stats.city_frequencies()),
        ):
            table = pa.table(
                {column: list(freq.keys()), f"tf_{column}": list(freq.values())},
                schema=pa.schema([(column, pa.string()), (f"tf_{column}", pa.float64())]),
            )
            sdf = db.register(table, dataset_display_name=f"tf_{column}_{tag}")
            linker.table_management.register_term_frequency_lookup(sdf, column)

    def _pairs_sql(self, table: str) -> str:
        p = self.policy
        # Keep what clustering needs: strong and uncertain pairs, and confident non-matches
        # with close names (name level "close" or better, >= 7 bits) between records that
        # have a strong pair: the evidence that groups are separate is namesakes elsewhere,
        # not every unrelated pair of a block (that would be most of the pairs).
        return f"""
            with strong as (
                select unique_id_l as id from {table} where match_probability >= {p.match_threshold}
                union
                select unique_id_r from {table} where match_probability >= {p.match_threshold}
            )
            select unique_id_l, unique_id_r, match_probability from {table}
            where match_probability >= {p.review_threshold}
               or (match_probability < {p.separation_probability}
                   and mw_name >= 7
                   and unique_id_l in (select id from strong)
                   and unique_id_r in (select id from strong))
        """

    def _explain(
        self, db: DuckDBAPI, table: str, items: Sequence[ReviewItem]
    ) -> dict[tuple[str, str], tuple[dict[str, str], dict[str, float]]]:
        """Comparison levels and match weights of the review pairs."""
        if not items:
            return {}
        levels = level_weights(self.model)
        names = list(levels)
        cols = ", ".join(f'"mw_{n}"' for n in names)
        wanted = pa.table(
            {"l": [i.left for i in items], "r": [i.right for i in items]},
            schema=pa.schema([("l", pa.string()), ("r", pa.string())]),
        )
        con = db.duckdb_con
        con.register("__partnernet_wanted", wanted)
        try:
            found = con.execute(
                # Two equi-joins, not one join on an OR: DuckDB hashes these.
                f"""select p.unique_id_l, p.unique_id_r, {cols} from {table} p
                join __partnernet_wanted w on p.unique_id_l = w.l and p.unique_id_r = w.r
                union all
                select p.unique_id_l, p.unique_id_r, {cols} from {table} p
                join __partnernet_wanted w on p.unique_id_l = w.r and p.unique_id_r = w.l"""
            ).fetchall()
        finally:
            con.unregister("__partnernet_wanted")
        out: dict[tuple[str, str], tuple[dict[str, str], dict[str, float]]] = {}
        for row in found:
            labels: dict[str, str] = {}
            weights: dict[str, float] = {}
            for i, n in enumerate(names):
                weight = float(row[2 + i] or 0.0)
                labels[n] = level_of(levels[n], weight)
                weights[n] = round(weight, 2)
            out[(row[0], row[1])] = labels, weights
            out[(row[1], row[0])] = labels, weights
        return out

    def _review(
        self,
        db: DuckDBAPI | None,
        table: str | None,
        items: Iterable[ReviewItem],
    ) -> list[ReviewPair]:
        items = list(items)
        explained = self._explain(db, table, items) if db and table else {}
        out = []
        for item in items:
            levels, weights = explained.get((item.left, item.right), ({}, {}))
            out.append(
                ReviewPair(
                    left=item.left.removesuffix(_TWIN),
                    right=item.right.removesuffix(_TWIN),
                    probability=round(item.probability, 4),
                    reason=item.reason,
                    levels=levels,
                    match_weights=weights,
                )
            )
        return out

    def _expand(
        self,
        prepared: _Prepared,
        cluster_of: dict[str, str],
        twin_probability: Mapping[str, float],
        review: list[ReviewItem],
    ) -> dict[str, str]:
        """Give every copy of a representative a cluster: its own, or the representative's."""
        out: dict[str, str] = {}
        for rep, members in prepared.members.items():
            key = cluster_of.get(rep, rep)
            out[rep] = key
            if len(members) == 1:
                continue
            p = twin_probability.get(rep, 0.0)
            if p >= self.policy.match_threshold and rep not in prepared.little_information:
                for m in members[1:]:
                    out[m] = key
            else:
                for m in members[1:]:
                    out[m] = m
                if p >= self.policy.review_threshold or rep in prepared.little_information:
                    reason = (
                        REASON_LITTLE_INFORMATION
                        if rep in prepared.little_information
                        else REASON_UNCERTAIN
                    )
                    review.append(ReviewItem(rep, members[1], p, reason))
        return out

    @staticmethod
    def _split_twins(
        pairs: Iterable[tuple[str, str, float]],
    ) -> tuple[list[tuple[str, str, float]], dict[str, float]]:
        kept: list[tuple[str, str, float]] = []
        twins: dict[str, float] = {}
        for a, b, p in pairs:
            if a.endswith(_TWIN) or b.endswith(_TWIN):
                base_a, base_b = a.removesuffix(_TWIN), b.removesuffix(_TWIN)
                if base_a == base_b:
                    twins[base_a] = p
                continue  # a twin's other pairs repeat its representative's
            kept.append((a, b, p))
        return kept, twins

    # -- public API -------------------------------------------------------------------------

    def resolve(
        self,
        records: Iterable[CompanyRecord | Mapping[str, Any]],
        *,
        accepted: Iterable[tuple[str, str]] = (),
        rejected: Iterable[tuple[str, str]] = (),
        keep_candidates: bool = False,
    ) -> Resolution:
        """Cluster all ``records`` into companies (a full re-run)."""
        t0 = time.perf_counter()
        recs = [as_record(r) for r in records]
        bases = [base_row(r) for r in recs]
        stats = token_stats(bases)
        prepared = _collapse(bases, stats)
        t1 = time.perf_counter()

        db = self._db()
        sdf = db.register(self._table(prepared.rows), dataset_display_name="records")
        linker = Linker(sdf, self.model, log_level=logging.WARNING)
        self._register_tf(db, linker, stats, "all")
        predictions = linker.inference.predict(warning_mode="never")
        table = predictions.physical_name
        con = db.duckdb_con
        candidate_pairs = int(con.execute(f"select count(*) from {table}").fetchone()[0])  # type: ignore[index]
        raw_pairs = con.execute(self._pairs_sql(table)).fetchall()
        t2 = time.perf_counter()
        candidates: list[tuple[str, str]] = []
        scores: dict[tuple[str, str], tuple[float, tuple[str, ...]]] = {}
        if keep_candidates:  # for measuring blocking; not part of the timed stages
            levels = level_weights(self.model)
            weights = ", ".join(f'"mw_{n}"' for n in levels)
            for a, b, p, *mws in con.execute(
                f"select unique_id_l, unique_id_r, match_probability, {weights} from {table}"
            ).fetchall():
                if a.endswith(_TWIN) or b.endswith(_TWIN):
                    continue
                candidates.append((a, b))
                scores[(a, b)] = (
                    float(p),
                    tuple(
                        level_of(lv, float(w or 0.0))
                        for lv, w in zip(levels.values(), mws, strict=True)
                    ),
                )
        t2b = time.perf_counter()

        pairs, twins = self._split_twins(raw_pairs)
        domains, phones = group_evidence(prepared.rows, prepared.members)
        result = cluster_pairs(
            list(prepared.members),
            pairs,
            policy=self.policy,
            identifiers=prepared.identifiers,
            accepted=accepted,
            rejected=rejected,
            domains=domains,
            phones=phones,
        )
        review_items = list(result.review)
        cluster_of = self._expand(prepared, result.cluster_of, twins, review_items)
        review = self._review(db, table, review_items)
        t3 = time.perf_counter() - (t2b - t2)
        n = len(recs)
        return Resolution(
            cluster_of=cluster_of,
            review=review,
            stats=ResolutionStats(
                records=n,
                distinct_records=len(prepared.members),
                candidate_pairs=candidate_pairs,
                possible_pairs=n * (n - 1) // 2,
                seconds={
                    "features": round(t1 - t0, 3),
                    "predict": round(t2 - t1, 3),
                    "cluster": round(t3 - t2, 3),
                },
            ),
            pairs=pairs,
            candidates=candidates,
            candidate_scores=scores,
            members=prepared.members if keep_candidates else {},
        )

    def prepare_register(
        self,
        register: Iterable[CompanyRecord | Mapping[str, Any]],
        *,
        previous: RegisterFeatures | RegisterBasis | None = None,
    ) -> RegisterFeatures:
        """Normalise the register once; pass the result to :meth:`link` for every new list.

        ``previous``: an earlier result for this register, or its basis kept on disk
        (``register_store``). Records it holds unchanged (same id and content) keep their
        normalised rows; when the register is ``previous``'s records, same companies, with
        records appended, its statistics and groups are extended instead of recounted. The
        result equals a fresh preparation either way.
        """
        # Hundreds of thousands of small dicts and tuples: the cyclic collector would walk
        # the whole heap several times over (none of them form cycles).
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._prepare_register(register, previous)
        finally:
            if collecting:
                gc.enable()

    def _prepare_register(
        self,
        register: Iterable[CompanyRecord | Mapping[str, Any]],
        previous: RegisterFeatures | RegisterBasis | None,
    ) -> RegisterFeatures:
        recs = [as_record(r) for r in register]
        companies = [r.company_id for r in recs]
        old_recs = previous.records if previous is not None else []
        grown = 0 < len(old_recs) <= len(recs)
        rows: list[dict[str, Any]] = []
        if previous is not None and old_recs:
            old_rows = {
                r.record_id: (r, row) for r, row in zip(old_recs, previous.rows, strict=True)
            }
            for i, r in enumerate(recs):
                seen = old_rows.get(r.record_id)
                if seen is not None and (seen[0] is r or _content(seen[0]) == _content(r)):
                    rows.append(seen[1])
                else:
                    rows.append(base_row(r))
                if grown and i < len(old_recs):
                    old = old_recs[i]
                    # Grown only: same record, same company, same row at every old place.
                    grown = (
                        old.record_id == r.record_id
                        and old.company_id == r.company_id
                        and seen is not None
                        and seen[1] is rows[-1]
                    )
        else:
            rows = [base_row(r) for r in recs]
        if previous is not None and grown:
            n = len(old_recs)
            added = rows[n:]
            stats = previous.stats.extended(added)
            groups = _group(added, companies[n:], previous.groups)
        else:
            stats = token_stats(rows)
            groups = _group(rows, companies)
        prepared = _collapse(rows, stats, companies, groups)
        company_identifiers: dict[str, dict[str, str]] = {}
        for row, company in zip(rows, companies, strict=True):
            if company is None:
                continue
            for kind, column in (("tax", "tax_id"), ("ogrn", "ogrn")):
                if row[column]:
                    company_identifiers.setdefault(company, {}).setdefault(kind, row[column])
        return RegisterFeatures(
            rows,
            companies,
            stats,
            prepared,
            self._table(prepared.rows),
            company_identifiers,
            recs,
            groups,
        )

    def link(
        self,
        register: RegisterFeatures | Iterable[CompanyRecord | Mapping[str, Any]],
        new: Iterable[CompanyRecord | Mapping[str, Any]],
        *,
        accepted: Iterable[tuple[str, str]] = (),
        rejected: Iterable[tuple[str, str]] = (),
    ) -> Resolution:
        """Link ``new`` records to the existing ``register`` (records with ``company_id``).

        The register's own clusters are kept: a new record joins one company, or new records
        form new clusters; a new record that would join two existing companies is queued for
        review instead. ``cluster_of`` covers the new records only.
        """
        collecting = gc.isenabled()
        gc.disable()  # see prepare_register
        try:
            return self._link(register, new, accepted, rejected)
        finally:
            if collecting:
                gc.enable()

    def _link(
        self,
        register: RegisterFeatures | Iterable[CompanyRecord | Mapping[str, Any]],
        new: Iterable[CompanyRecord | Mapping[str, Any]],
        accepted: Iterable[tuple[str, str]],
        rejected: Iterable[tuple[str, str]],
    ) -> Resolution:
        t0 = time.perf_counter()
        features = (
            register if isinstance(register, RegisterFeatures) else self.prepare_register(register)
        )
        fresh = [as_record(r) for r in new]
        reg_bases = features.rows
        new_bases = [base_row(r) for r in fresh]
        stats = features.stats.extended(new_bases)
        reg_prepared = features.prepared
        new_prepared = _collapse(new_bases, stats)
        companies: dict[str, str] = {}
        for row, company in zip(reg_bases, features.companies, strict=True):
            if company is not None:
                companies[row["unique_id"]] = company
        t1 = time.perf_counter()

        db = self._db()
        left = db.register(features.table, dataset_display_name="register")
        right = db.register(self._table(new_prepared.rows), dataset_display_name="new_list")
        linker = Linker(left, self.model, log_level=logging.WARNING)
        self._register_tf(db, linker, stats, "link")
        between = linker.inference.predict_between(left, right, warning_mode="never")
        within = linker.inference.predict_within(right, warning_mode="never")
        con = db.duckdb_con
        raw_pairs: list[tuple[str, str, float]] = []
        candidate_pairs = 0
        for part in (between, within):
            table = part.physical_name
            candidate_pairs += int(con.execute(f"select count(*) from {table}").fetchone()[0])  # type: ignore[index]
            raw_pairs.extend(con.execute(self._pairs_sql(table)).fetchall())
        t2 = time.perf_counter()

        pairs, twins = self._split_twins(raw_pairs)
        # Only register records that scored against the new list take part; each carries
        # its whole company's identifiers so an INN conflict is seen through any of them.
        involved = {x for a, b, _ in pairs for x in (a, b) if x in reg_prepared.members}
        rep_companies = {rid: companies[rid] for rid in involved if rid in companies}
        identifiers = dict(new_prepared.identifiers)
        for rid in involved:
            company = rep_companies.get(rid)
            known = features.company_identifiers.get(company, {}) if company else {}
            identifiers[rid] = {**reg_prepared.identifiers.get(rid, {}), **known}
        domains, phones = group_evidence(
            itertools.chain(reg_prepared.rows, new_prepared.rows),
            involved | new_prepared.members.keys(),
        )
        result = cluster_pairs(
            [*sorted(involved), *new_prepared.members],
            pairs,
            policy=self.policy,
            identifiers=identifiers,
            companies=rep_companies,
            accepted=accepted,
            rejected=rejected,
            freeze_companies=True,
            domains=domains,
            phones=phones,
        )
        review_items = [
            item
            for item in result.review
            if item.left in new_prepared.members or item.right in new_prepared.members
        ]
        cluster_of = self._expand(new_prepared, result.cluster_of, twins, review_items)
        # Explain from whichever prediction table holds the pair.
        review: list[ReviewPair] = []
        for part in (between, within):
            explained = self._explain(db, part.physical_name, review_items)
            for item in list(review_items):
                if (item.left, item.right) in explained:
                    levels, weights = explained[(item.left, item.right)]
                    review.append(
                        ReviewPair(
                            item.left.removesuffix(_TWIN),
                            item.right.removesuffix(_TWIN),
                            round(item.probability, 4),
                            item.reason,
                            levels,
                            weights,
                        )
                    )
                    review_items.remove(item)
        review.extend(self._review(None, None, review_items))
        review.sort(key=lambda r: -r.probability)
        t3 = time.perf_counter()
        n_new, n_reg = len(fresh), len(reg_bases)
        return Resolution(
            cluster_of=cluster_of,
            review=review,
            stats=ResolutionStats(
                records=n_new,
                distinct_records=len(new_prepared.members),
                candidate_pairs=candidate_pairs,
                possible_pairs=n_new * n_reg + n_new * (n_new - 1) // 2,
                seconds={
                    "features": round(t1 - t0, 3),
                    "predict": round(t2 - t1, 3),
                    "cluster": round(t3 - t2, 3),
                },
            ),
            pairs=pairs,
        )

    def train(
        self,
        records: Iterable[CompanyRecord | Mapping[str, Any]],
        *,
        accepted: Iterable[tuple[str, str]] = (),
        max_pairs: float = 2e6,
        seed: int = 1,
        em: bool = True,
    ) -> dict[str, Any]:
        """Re-estimate the parameters on ``records``; returns (and keeps) the new model.

        u from random pairs, m by expectation maximisation over the training blocks, and m
        from the pairs a person accepted in the review queue when there are any.
        """
        recs = [as_record(r) for r in records]
        bases = [base_row(r) for r in recs]
        stats = token_stats(bases)
        prepared = _collapse(bases, stats)
        rows = [r for r in prepared.rows if not r["unique_id"].endswith(_TWIN)]
        db = self._db()
        sdf = db.register(self._table(rows), dataset_display_name="training")
        linker = Linker(sdf, self.model, log_level=logging.WARNING)
        self._register_tf(db, linker, stats, "train")
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
        if em:
            for rule in training_rules():
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True
                )
        known = set(prepared.members)
        labels = [(a, b) for a, b in accepted if a in known and b in known and a != b]
        if labels:
            table = pa.table(
                {
                    "unique_id_l": [a for a, _ in labels],
                    "unique_id_r": [b for _, b in labels],
                    "clerical_match_score": [1.0] * len(labels),
                }
            )
            label_sdf = db.register(table, dataset_display_name="labels")
            linker.training.estimate_m_from_pairwise_labels(label_sdf)
        self.model = linker.misc.save_model_to_json()
        return self.model


def untrained_model() -> dict[str, Any]:
    """The model's structure with Splink's defaults, before any estimation (for fitting)."""
    db = DuckDBAPI()
    sdf = db.register(pa.table({f.name: [] for f in SCHEMA}, schema=SCHEMA))
    linker = Linker(sdf, settings_creator(), log_level=logging.WARNING)
    return linker.misc.save_model_to_json()
