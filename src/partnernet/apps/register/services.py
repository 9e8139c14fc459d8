"""Writes to the register: importing sources, linking rows to companies, refreshing companies.

The import is the heart: :func:`source_import` streams a partner-list file through the pure
readers and normaliser (``engines.sources``), links rows with a replaceable linking engine
(``engines.resolution``), and writes everything in bulk inside one transaction, so a failure
leaves nothing half-written and ~15,000 rows import in seconds. Importing the same file again
changes nothing; a new version of a list keeps unchanged rows (by content hash), adds new ones
and marks vanished ones as no longer current.
"""

from __future__ import annotations

import gc
import hashlib
import re
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from partnernet.apps.audit.models import ChangeAction
from partnernet.apps.audit.services import AuditEntry, audit_record, audit_record_many, diff
from partnernet.engines.resolution.deterministic import (
    IDENTIFIER_KINDS,
    CompanyIndex,
    LinkCandidate,
    LinkDecision,
    Linker,
)
from partnernet.engines.sources import open_source, parse_mapping
from partnernet.engines.sources.canonical import canonical_row, row_content_hash
from partnernet.engines.sources.rows import RawRow

from .models import (
    Authorisation,
    Company,
    CompanyDomain,
    CompanyEmail,
    CompanyIdentifier,
    CompanyLocation,
    CompanyName,
    CompanyPhone,
    CompanySearchToken,
    CompanySector,
    CompanySpecialisation,
    Sector,
    Source,
    SourceKind,
    SourceRow,
    Specialisation,
    Vendor,
)

BATCH_SIZE = 2000
Progress = Callable[[int], None]
ID_KINDS = ("inn", "ogrn", "kpp", "bin", "unp")
LINK_ID_KINDS = ("inn", "ogrn", "bin", "unp")


@dataclass
class RowProblem:
    row: int
    location: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row} ({self.location}): {self.message}"


@dataclass
class ImportReport:
    source: str
    source_id: int
    file: str
    file_hash: str
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    unchanged: bool = False
    rows: int = 0
    new_rows: int = 0
    unchanged_rows: int = 0
    removed_rows: int = 0
    new_companies: int = 0
    linked: int = 0
    errors: int = 0
    warnings: int = 0
    linker: str = ""
    queued_for_review: int = 0
    columns: list[tuple[str, str | None]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warning_list: list[RowProblem] = field(default_factory=list)
    notices: list[RowProblem] = field(default_factory=list)
    link_methods: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# Vendors -------------------------------------------------------------------------------------


def vendor_get_or_create(*, name: str) -> Vendor:
    """The vendor of that name (case- and ё-insensitive), created when new."""
    name = " ".join(name.split())
    key = Vendor.make_key(name)
    vendor = Vendor.objects.filter(key=key).first()
    if vendor is None:
        vendor = Vendor.objects.create(name=name, key=key)
        audit_record(action=ChangeAction.CREATE, obj=vendor, reason="new vendor")
    return vendor


# Import --------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _mapping_dict(mapping: Mapping[str, str] | Sequence[str] | None) -> dict[str, str]:
    return parse_mapping(mapping) if mapping else {}


def source_preview(
    *, path: str | Path, mapping: Mapping[str, str] | Sequence[str] | None = None, limit: int = 20
) -> dict[str, Any]:
    """Read the first rows of a file without writing anything: detected format, encoding,
    delimiter, columns with their recognised fields, sample rows (raw values), notices."""
    reader = open_source(path, mapping=_mapping_dict(mapping))
    rows: list[dict[str, Any]] = []
    for row in reader:
        rows.append({"row": row.number, "location": row.location, "values": row.values})
        if len(rows) >= limit:
            break
    return {
        "format": reader.format,
        "encoding": reader.encoding or "",
        "delimiter": reader.delimiter or "",
        "columns": reader.columns(),
        "rows": rows,
        "notices": [{"location": n.location, "message": n.message} for n in reader.notices],
    }


def _default_kind(vendor: str | None) -> str:
    return SourceKind.VENDOR_LOCATOR if vendor else SourceKind.OWN_RESEARCH


def source_import(
    *,
    path: str | Path,
    source_name: str,
    vendor: str | None = None,
    kind: str | None = None,
    mapping: Mapping[str, str] | Sequence[str] | None = None,
    progress: Progress | None = None,
    linker: Linker | None = None,
    user: Any = None,
    file_name: str | None = None,
) -> ImportReport:
    """Import one partner-list file as the source ``source_name`` and link its rows.

    Raises :class:`partnernet.engines.sources.SourceFileError` (naming the file) when the file
    cannot be read; nothing is written then. Broken rows are kept with their reason and counted
    as errors while the valid rows import. ``progress`` is called with the number of rows
    processed since the last call. ``linker`` defaults to
    :func:`partnernet.apps.register.resolution_linking.import_linker`: the Splink model against
    the existing register when it has companies, the deterministic linker for the first import
    into an empty one. A bulk load of many lists passes ``DeterministicLinker()`` and resolves
    once afterwards (``resolution_run``).
    """
    started = time.monotonic()
    path = Path(path)
    file_name = file_name or path.name
    overrides = _mapping_dict(mapping)
    if kind is not None and kind not in SourceKind.values:
        raise ValueError(f"unknown source kind {kind!r}; known: {', '.join(SourceKind.values)}")
    reader = open_source(path, mapping=overrides)  # file-level errors surface before any write
    file_hash = file_sha256(path)
    existing = Source.objects.select_related("vendor").filter(name=source_name).first()
    if (
        existing is not None
        and existing.file_hash == file_hash
        and existing.mapping == overrides
        and (vendor is None or (existing.vendor and existing.vendor.key == Vendor.make_key(vendor)))
        and (kind is None or existing.kind == kind)
    ):
        return _unchanged_report(existing, file_name, started)
    if linker is None:
        from .resolution_linking import import_linker

        linker = import_linker()
    with transaction.atomic():
        importer = _Importer(
            reader=reader,
            source_name=source_name,
            vendor_name=vendor,
            kind=kind,
            overrides=overrides,
            file_name=file_name,
            file_hash=file_hash,
            file_size=path.stat().st_size,
            linker=linker,
            user=user,
            progress=progress,
        )
        report = importer.run()
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _unchanged_report(source: Source, file_name: str, started: float) -> ImportReport:
    report = ImportReport(
        source=source.name,
        source_id=source.pk,
        file=file_name,
        file_hash=source.file_hash,
        format=source.file_format,
        encoding=source.encoding,
        delimiter=source.delimiter,
        unchanged=True,
        rows=source.row_count,
        unchanged_rows=source.row_count,
        errors=source.error_count,
        warnings=source.warning_count,
        linker=source.linker,
    )
    report.seconds = round(time.monotonic() - started, 3)
    return report


# The last import's linking index, kept between imports of one process (a batch of lists)
# while the register is unchanged; see _cached_index.
_INDEX_CACHE: dict[str, Any] = {}


def _register_stamp() -> tuple[Any, ...]:
    """Cheap fingerprint of the linking keys: counts and max ids of the fact tables, and the
    latest company update (merges and edits bump it)."""
    from django.db import connection

    parts: list[Any] = [connection.settings_dict.get("NAME")]
    for model in (Company, CompanyName, CompanyDomain, CompanyLocation, CompanyIdentifier):
        agg = model.objects.aggregate(n=Count("id"), m=Max("id"))
        parts += [agg["n"], agg["m"]]
    parts.append(Company.objects.aggregate(u=Max("updated_at"))["u"])
    return tuple(parts)


def _cached_index() -> CompanyIndex:
    """The cached index when the register has not changed since it was stored, else a new one.

    The cache is taken out while an import uses (and extends) it, and put back only after the
    import commits, so a rolled-back import never leaves keys of rows that do not exist.
    """
    cached = _INDEX_CACHE.pop("index", None)
    stamp = _INDEX_CACHE.pop("stamp", None)
    if cached is not None and stamp == _register_stamp():
        return cached
    return company_index_build()


def _store_index_after_commit(index: CompanyIndex) -> None:
    def store() -> None:
        _INDEX_CACHE["index"] = index
        _INDEX_CACHE["stamp"] = _register_stamp()

    transaction.on_commit(store)


def _raw_rows(queryset: Any) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query as the database driver returns them: the same SQL
    the ORM would run, without Django's per-row iterator and converters (at 100,000 companies
    those cost more than the queries). Only for columns the driver already returns as the
    model's Python values (integers, text)."""
    from django.db import connections

    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def company_index_build(*, exclude_merged: bool = True) -> CompanyIndex:
    """The in-memory linking keys of every register company (a handful of queries)."""
    # Half a million small objects (keys, sets, tuples) and nothing that forms a cycle: left
    # on, the cyclic collector walks the growing heap again and again (≈ 1 s at 100,000).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _company_index_build(exclude_merged=exclude_merged)
    finally:
        if collecting:
            gc.enable()


def _company_index_build(*, exclude_merged: bool = True) -> CompanyIndex:
    """``company_index_build``: the keys ``CompanyIndex.add`` would file for each company,
    filed table by table (100,000 calls of ``add`` cost more than the queries; the test
    compares the result with an index filled by ``add``)."""
    from django.db import connections

    index = CompanyIndex()
    companies = Company.objects.order_by()
    if exclude_merged:
        companies = companies.filter(merged_into__isnull=True)
    live = {company_id for (company_id,) in _raw_rows(companies.values_list("id"))}
    identifiers_of = index.identifiers_of
    for company_id in live:  # every company, with or without keys (``len(index)``)
        identifiers_of[company_id] = {}
    # The first valid identifier of each kind a company holds (as ``add`` is given them).
    firsts: dict[int, dict[str, str]] = defaultdict(dict)
    for company_id, kind, value in _raw_rows(
        CompanyIdentifier.objects.filter(valid=True, kind__in=LINK_ID_KINDS).values_list(
            "company_id", "kind", "value"
        )
    ):
        if company_id in live:
            firsts[company_id].setdefault(kind, value)
    by_identifier = index.by_identifier
    for company_id, kinds in firsts.items():
        for kind, value in kinds.items():
            if kind in IDENTIFIER_KINDS and value:
                by_identifier[(kind, value)].add(company_id)
                identifiers_of[company_id].setdefault(kind, value)
    # Every (name, city) pair of a company: the product of its names and its cities, which
    # the database joins faster than Python pairs them.
    names = CompanyName.objects.values_list("company_id", "name_key")
    cities = CompanyLocation.objects.exclude(city_key="").values_list("company_id", "city_key")
    names_sql, names_params = names.query.sql_with_params()
    cities_sql, cities_params = cities.query.sql_with_params()
    joined = (
        f"SELECT n.company_id, n.name_key, c.city_key FROM ({names_sql}) n "
        f"INNER JOIN ({cities_sql}) c ON c.company_id = n.company_id"
    )
    by_name_city = index.by_name_city
    with connections[names.db].cursor() as cursor:
        cursor.execute(joined, (*names_params, *cities_params))
        for company_id, name_key, city_key in cursor.fetchall():
            if company_id in live and name_key and city_key:
                by_name_city[(name_key, city_key)].add(company_id)
    by_domain, domains_of = index.by_domain, index.domains_of
    for company_id, domain in _raw_rows(CompanyDomain.objects.values_list("company_id", "domain")):
        if company_id in live and domain:
            by_domain[domain].add(company_id)
            domains_of[company_id].add(domain)
    return index


def candidate_from_canonical(ref: int, record: Mapping[str, Any]) -> LinkCandidate:
    city = record.get("city") or {}
    return LinkCandidate(
        ref=ref,
        name_key=record.get("name_key") or "",
        city_key=city.get("key"),
        identifiers={k: record[k] for k in LINK_ID_KINDS if record.get(k)},
        domains=tuple(record.get("domains") or ()),
        name=record.get("name") or "",
        latin_key=record.get("latin_key") or "",
        phones=tuple(record.get("phones") or ()),
        region=record.get("region"),
        country=record.get("country"),
    )


class _Importer:
    """One import run inside a transaction; holds the batch state."""

    def __init__(
        self,
        *,
        reader: Any,
        source_name: str,
        vendor_name: str | None,
        kind: str | None,
        overrides: dict[str, str],
        file_name: str,
        file_hash: str,
        file_size: int,
        linker: Linker,
        user: Any,
        progress: Progress | None,
    ) -> None:
        self.reader = reader
        self.linker = linker
        self.user = user
        self.progress = progress
        self.now = timezone.now()
        self.batch = uuid.uuid4().hex
        self.file_name = file_name
        self.vendor = vendor_get_or_create(name=vendor_name) if vendor_name else None
        source, created = Source.objects.get_or_create(
            name=source_name,
            defaults={"kind": kind or _default_kind(vendor_name), "vendor": self.vendor},
        )
        self.source_created = created
        if not created:
            if kind:
                source.kind = kind
            if self.vendor is not None:
                source.vendor = self.vendor
        self.vendor = source.vendor
        source.file_name = file_name
        source.file_hash = file_hash
        source.file_size = file_size
        source.file_format = reader.format
        source.encoding = reader.encoding or ""
        source.delimiter = reader.delimiter or ""
        source.mapping = overrides
        source.linker = getattr(linker, "name", type(linker).__name__)
        source.imported_at = self.now
        source.save()
        self.source = source
        self.report = ImportReport(
            source=source.name,
            source_id=source.pk,
            file=file_name,
            file_hash=file_hash,
            format=reader.format,
            encoding=reader.encoding or "",
            delimiter=reader.delimiter or "",
            linker=source.linker,
        )
        # Rows an earlier version of this list already holds, by content hash (FIFO so that
        # identical repeated rows keep their order).
        self.previous: dict[str, deque[tuple[int, int, str]]] = defaultdict(deque)
        for row_id, content_hash, number, location in (
            SourceRow.objects.filter(source=source, is_current=True)
            .order_by("row_number")
            .values_list("id", "content_hash", "row_number", "location")
        ):
            self.previous[content_hash].append((row_id, number, location))
        self.index = _cached_index()
        self.touched: set[int] = set()
        self.new_company_ids: list[int] = []
        self.kept_row_ids: list[int] = []
        self.specialisations = dict(Specialisation.objects.values_list("key", "id"))
        self.sectors = dict(Sector.objects.values_list("key", "id"))
        self.vendors: dict[str, Vendor] = {}
        self.link_methods: dict[str, int] = defaultdict(int)

    # Driving ---------------------------------------------------------------------------------

    def run(self) -> ImportReport:
        _store_index_after_commit(self.index)
        batch: list[RawRow] = []
        for row in self.reader:
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                self._process(batch)
                batch = []
        if batch:
            self._process(batch)
        self._finish()
        return self.report

    def _process(self, rows: list[RawRow]) -> None:
        moved: list[SourceRow] = []
        fresh: list[tuple[RawRow, str, dict[str, Any]]] = []
        for row in rows:
            content_hash = row_content_hash(row.values)
            queue = self.previous.get(content_hash)
            if queue:
                row_id, number, location = queue.popleft()
                self.kept_row_ids.append(row_id)
                if number != row.number or location != row.location:
                    moved.append(SourceRow(id=row_id, row_number=row.number, location=row.location))
                continue
            fresh.append((row, content_hash, canonical_row(row.fields)))
        if moved:
            bulk_update_rows(SourceRow, moved, ["row_number", "location"])
        self.report.unchanged_rows += len(rows) - len(fresh)
        self.report.new_rows += len(fresh)
        valid = [(i, rec) for i, (_, _, rec) in enumerate(fresh) if not rec["error"]]
        link_rows = getattr(self.linker, "link_rows", None)
        if link_rows is not None:  # a linker that reads the canonical records (the model)
            decisions = link_rows(valid, self.index)
        else:
            decisions = self.linker.link(
                [candidate_from_canonical(i, rec) for i, rec in valid], self.index
            )
        by_ref: dict[int, LinkDecision] = {d.ref: d for d in decisions}
        group_company = self._create_companies(fresh, by_ref)
        source_rows: list[SourceRow] = []
        linked: list[tuple[int, dict[str, Any]]] = []
        for i, (row, content_hash, record) in enumerate(fresh):
            decision = by_ref.get(i)
            company_id: int | None = None
            method = ""
            score: float | None = None
            if decision is not None:
                company_id = decision.company_id or group_company[decision.new_group or 0]
                method, score = decision.method, decision.score
                self.link_methods[method] += 1
                linked.append((company_id, record))
                if decision.company_id is not None:
                    self.report.linked += 1
            warnings = "\n".join(record["warnings"])
            if record["error"]:
                self.report.errors += 1
                self.report.problems.append(
                    RowProblem(row.number, row.location, f"{self.file_name}: {record['error']}")
                )
            for warning in record["warnings"]:
                self.report.warnings += 1
                self.report.warning_list.append(
                    RowProblem(row.number, row.location, f"{self.file_name}: {warning}")
                )
            source_rows.append(
                SourceRow(
                    source=self.source,
                    row_number=row.number,
                    location=row.location[:120],
                    raw=row.values,
                    canonical=record,
                    content_hash=content_hash,
                    error=record["error"] or "",
                    warnings=warnings,
                    company_id=company_id,
                    link_method=method,
                    link_score=score,
                    first_seen=self.now,
                    last_seen=self.now,
                )
            )
        bulk_insert_rows(SourceRow, source_rows)
        review = getattr(self.linker, "review", None)
        if review:
            self._queue_review(review, fresh)
        self._write_facts(linked)
        if self.progress is not None:
            self.progress(len(rows))

    def _queue_review(self, review: Sequence[Any], fresh: list[tuple[RawRow, str, Any]]) -> None:
        """The linker's uncertain pairs of this batch into the review queue (new rows by id)."""
        from .resolution_linking import review_row_ids
        from .resolution_services import review_queue_add

        numbers = {row.number: i for i, (row, _, _) in enumerate(fresh)}
        new_row_ids: dict[int, int] = {}
        for chunk in _chunks(list(numbers), 900):
            new_row_ids.update(
                (numbers[number], pk)
                for pk, number in SourceRow.objects.filter(
                    source=self.source, first_seen=self.now, row_number__in=chunk
                ).values_list("id", "row_number")
            )
        self.report.queued_for_review += review_queue_add(pairs=review_row_ids(review, new_row_ids))

    # Companies -------------------------------------------------------------------------------

    def _create_companies(
        self, fresh: list[tuple[RawRow, str, dict[str, Any]]], by_ref: dict[int, LinkDecision]
    ) -> dict[int, int]:
        first_of_group: dict[int, dict[str, Any]] = {}
        for i, (_, _, record) in enumerate(fresh):
            decision = by_ref.get(i)
            if decision is not None and decision.company_id is None and decision.new_group:
                first_of_group.setdefault(decision.new_group, record)
        if not first_of_group:
            return {}
        groups = list(first_of_group)
        companies = [_company_from_record(first_of_group[g], self.now) for g in groups]
        insert_returning_ids(Company, companies)
        mapping = {g: c.pk for g, c in zip(groups, companies, strict=True)}
        self.index.relabel({-g: pk for g, pk in mapping.items()})
        self.new_company_ids.extend(mapping.values())
        self.report.new_companies += len(mapping)
        return mapping

    def _vendor(self, name: str) -> Vendor:
        key = Vendor.make_key(name)
        if key not in self.vendors:
            self.vendors[key] = vendor_get_or_create(name=name)
        return self.vendors[key]

    def _write_facts(self, linked: list[tuple[int, dict[str, Any]]]) -> None:
        if not linked:
            return
        company_ids = {company_id for company_id, _ in linked}
        self.touched |= company_ids
        writer = _FactWriter(self.source, self.now, company_ids)
        for company_id, record in linked:
            writer.row(
                company_id,
                record,
                specialisations=self.specialisations,
                sectors=self.sectors,
                vendors=self._row_vendors(record),
            )
        writer.flush()

    def _row_vendors(self, record: Mapping[str, Any]) -> list[Vendor]:
        return row_vendors(record, self.vendor, self._vendor)

    # Finishing -------------------------------------------------------------------------------

    def _finish(self) -> None:
        source = self.source
        kept = set(self.kept_row_ids)
        vanished = [
            row_id
            for queue in self.previous.values()
            for row_id, _, _ in queue
            if row_id not in kept
        ]
        if vanished:
            for chunk in _chunks(vanished, 900):
                SourceRow.objects.filter(id__in=chunk).update(is_current=False)
            self.report.removed_rows = len(vanished)
        # Still listed: the companies and authorisations of kept rows are confirmed again.
        kept_companies: set[int] = set()
        for chunk in _chunks(self.kept_row_ids, 900):
            SourceRow.objects.filter(id__in=chunk).update(last_seen=self.now)
            kept_companies |= set(
                SourceRow.objects.filter(id__in=chunk, company__isnull=False).values_list(
                    "company_id", flat=True
                )
            )
        for chunk in _chunks(list(kept_companies), 900):
            Authorisation.objects.filter(source=source, company_id__in=chunk).update(
                last_seen=self.now
            )
        self.touched |= kept_companies
        changes = company_refresh(
            company_ids=self.touched, now=self.now, new_ids=self.new_company_ids
        )
        current = SourceRow.objects.filter(source=source, is_current=True)
        counts = current.aggregate(
            rows=Count("id"),
        )
        source.row_count = counts["rows"] or 0
        source.error_count = current.exclude(error="").count()
        source.warning_count = current.exclude(warnings="").count()
        source.new_company_count = current.filter(link_method="new").count()
        source.linked_count = (
            current.filter(company__isnull=False).exclude(link_method="new").count()
        )
        source.notices = [
            {"location": n.location, "message": n.message} for n in self.reader.notices
        ]
        source.save()
        self.report.rows = source.row_count
        self.report.columns = self.reader.columns()
        self.report.notices = [RowProblem(0, n.location, n.message) for n in self.reader.notices]
        self.report.link_methods = dict(self.link_methods)
        entries = [
            AuditEntry(
                action=ChangeAction.CREATE,
                object_type="register.company",
                object_id=str(company_id),
                reason=f"new company from source {source.name}",
            )
            for company_id in self.new_company_ids
        ]
        new_ids = set(self.new_company_ids)
        entries += [
            AuditEntry(
                action=ChangeAction.UPDATE,
                object_type="register.company",
                object_id=str(company_id),
                changes=change,
                reason=f"facts from source {source.name}",
            )
            for company_id, change in changes.items()
            if company_id not in new_ids and change
        ]
        audit_record_many(entries=entries, user=self.user, batch=self.batch)
        audit_record(
            action=ChangeAction.IMPORT,
            obj=source,
            changes={
                "file": self.file_name,
                "file_hash": source.file_hash,
                "rows": source.row_count,
                "new_rows": self.report.new_rows,
                "removed_rows": self.report.removed_rows,
                "new_companies": self.report.new_companies,
                "linked": self.report.linked,
                "errors": self.report.errors,
            },
            reason="import",
            user=self.user,
            batch=self.batch,
        )


def _preparers(fields: Sequence[Any], connection: Any) -> list[Callable[[Any], Any]]:
    """Per-field value adapters: the database's own for dates and JSON, identity for the rest
    (calling ``get_db_prep_save`` for every string and number dominates bulk writes)."""
    from django.db import models as m

    def adapt(field: Any) -> Callable[[Any], Any]:
        if isinstance(field, m.DateTimeField):
            memo: dict[Any, Any] = {}  # an import stamps thousands of facts with one "now"

            def adapt_datetime(value: Any) -> Any:
                if value is None:
                    return None
                if value not in memo:
                    memo[value] = connection.ops.adapt_datetimefield_value(value)
                return memo[value]

            return adapt_datetime
        if isinstance(field, m.CharField | m.TextField | m.IntegerField | m.FloatField) and not (
            isinstance(field, m.JSONField)
        ):
            return lambda v: v
        if isinstance(field, m.BooleanField):
            return lambda v: bool(v) if v is not None else None
        if isinstance(field, m.ForeignKey):
            return lambda v: v

        def prepare(value: Any, field: Any = field) -> Any:
            return field.get_db_prep_save(value, connection)

        return prepare

    return [adapt(f) for f in fields]


def bulk_update_rows(model: Any, objects: Sequence[Any], fields: Sequence[str]) -> None:
    """``UPDATE … WHERE id = ?`` with executemany: Django's ``bulk_update`` builds a CASE per
    field and row, which is orders of magnitude slower for thousands of rows."""
    if not objects:
        return
    from django.db import connection

    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in model_fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    prepare = list(zip(model_fields, _preparers(model_fields, connection), strict=True))
    params = [[p(getattr(obj, f.attname)) for f, p in prepare] + [obj.pk] for obj in objects]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 1000):
            cursor.executemany(sql, params[start : start + 1000])


def bulk_insert_values(
    model: Any,
    field_names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """``INSERT`` plain value tuples with executemany (no model instances, no ids returned):
    several times faster than ``bulk_create`` for tens of thousands of rows.
    ``ignore_conflicts`` skips rows that break a unique constraint (``ON CONFLICT DO NOTHING``,
    understood by SQLite and PostgreSQL). Field names are attribute names (``company_id``)."""
    from django.db import connection

    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in field_names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    preparers = _preparers(fields, connection)
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([prepare(value) for prepare, value in zip(preparers, row, strict=True)])
            if len(batch) >= 1000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def insert_returning_ids(model: Any, objects: Sequence[Any], chunk: int = 400) -> None:
    """Multi-row ``INSERT … RETURNING id`` that sets each object's primary key (SQLite ≥ 3.35
    and PostgreSQL return rows in VALUES order, which ``bulk_create`` relies on too), without
    ``bulk_create``'s per-value SQL assembly."""
    from django.db import connection

    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    preparers = _preparers(fields, connection)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), chunk):
            part = objects[start : start + chunk]
            params = [
                prepare(getattr(obj, f.attname))
                for obj in part
                for f, prepare in zip(fields, preparers, strict=True)
            ]
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                + ", ".join([row_sql] * len(part))
                + f" RETURNING {quote(meta.pk.column)}"
            )
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
            if len(ids) != len(part):
                raise RuntimeError("the database returned fewer ids than rows inserted")
            for obj, pk in zip(part, ids, strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias


def bulk_insert_rows(model: Any, objects: Sequence[Any], *, ignore_conflicts: bool = False) -> None:
    """:func:`bulk_insert_values` for unsaved model instances (every concrete field but the
    primary key)."""
    if not objects:
        return
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    bulk_insert_values(
        model,
        names,
        ([getattr(obj, name) for name in names] for obj in objects),
        ignore_conflicts=ignore_conflicts,
    )


def _chunks(items: Sequence[int] | list[int], size: int) -> Iterable[list[int]]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _company_from_record(record: Mapping[str, Any], now: Any) -> Company:
    city = record.get("city") or {}
    values: dict[str, Any] = {}
    for item in record.get("identifiers") or ():
        kind = item["kind"]
        if kind not in ID_KINDS:
            continue
        if not values.get(kind) or (item["valid"] and not values.get(f"{kind}_valid")):
            values[kind] = item["value"][:15]
            values[f"{kind}_valid"] = bool(item["valid"])
    return Company(
        display_name=(record.get("display_name") or record.get("name") or "")[:500],
        name_key=(record.get("name_key") or "")[:500],
        legal_form=(record.get("legal_form") or "")[:40],
        country=record.get("country") or "",
        city_key=city.get("key") or "",
        city_name=city.get("name") or "",
        region=record.get("region") or "",
        federal_district=record.get("federal_district") or "",
        primary_domain=(record.get("domains") or [""])[0],
        first_seen=now,
        last_confirmed=now,
        created_at=now,
        updated_at=now,
        **values,
    )


def row_vendors(
    record: Mapping[str, Any],
    source_vendor: Vendor | None,
    vendor_named: Callable[[str], Vendor] | None = None,
) -> list[Vendor]:
    """The vendors a row authorises its company for: its own vendor column, else the
    source's vendor."""
    vendor_named = vendor_named or (lambda name: vendor_get_or_create(name=name))
    names = [v.strip() for v in (record.get("vendor") or "").split(";") if v.strip()]
    return [vendor_named(v) for v in names] or ([source_vendor] if source_vendor else [])


def company_facts_from_rows(
    *, company_id: int, rows: Iterable[SourceRow], now: Any, write: bool = True
) -> dict[type, set[tuple[Any, ...]]]:
    """Write (or with ``write=False`` only collect) the facts ``rows`` state about the company,
    as an import of those rows would; returns the facts' keys per model."""
    specialisations = dict(Specialisation.objects.values_list("key", "id"))
    sectors = dict(Sector.objects.values_list("key", "id"))
    by_source: dict[int, list[SourceRow]] = defaultdict(list)
    for row in rows:
        by_source[row.source_id].append(row)
    keys: dict[type, set[tuple[Any, ...]]] = defaultdict(set)
    sources = Source.objects.select_related("vendor").in_bulk(list(by_source))
    for source_id, source_rows in by_source.items():
        source = sources[source_id]
        writer = _FactWriter(source, now, {company_id})
        for row in source_rows:
            writer.row(
                company_id,
                row.canonical or {},
                specialisations=specialisations,
                sectors=sectors,
                vendors=row_vendors(row.canonical or {}, source.vendor),
            )
        for model, found in writer.keys().items():
            keys[model] |= found
        if write:
            writer.flush()
    return keys


class _FactWriter:
    """Collects a batch's facts, creates the new ones and re-confirms the known ones in bulk."""

    def __init__(self, source: Source, now: Any, company_ids: set[int]) -> None:
        self.source = source
        self.now = now
        self.company_ids = company_ids
        self.pending: dict[type, dict[tuple[Any, ...], dict[str, Any]]] = defaultdict(dict)
        self.auth_pending: dict[tuple[int, int], dict[str, Any]] = {}

    _KEYS: dict[type, tuple[str, ...]] = {
        CompanyName: ("name",),
        CompanyIdentifier: ("kind", "value"),
        CompanyDomain: ("domain",),
        CompanyPhone: ("number",),
        CompanyEmail: ("address",),
        CompanyLocation: ("city_key", "region"),
        CompanySpecialisation: ("specialisation_id",),
        CompanySector: ("sector_id",),
    }

    def add(self, model: type, company_id: int, key: tuple[Any, ...], **extra: Any) -> None:
        self.pending[model].setdefault((company_id, *key), extra)

    def row(
        self,
        company_id: int,
        record: Mapping[str, Any],
        *,
        specialisations: Mapping[str, int],
        sectors: Mapping[str, int],
        vendors: Iterable[Vendor],
    ) -> None:
        """Every fact one source row states about its company."""
        self.name(company_id, record)
        for item in record.get("identifiers") or ():
            self.add(
                CompanyIdentifier,
                company_id,
                (item["kind"], item["value"]),
                valid=bool(item["valid"]),
                error=item.get("error") or "",
            )
        for domain in record.get("domains") or ():
            self.add(CompanyDomain, company_id, (domain,))
        for number in record.get("phones") or ():
            self.add(CompanyPhone, company_id, (number,))
        for address in record.get("emails") or ():
            self.add(CompanyEmail, company_id, (address,))
        self.location(company_id, record)
        for key in record.get("specialisations") or ():
            if key in specialisations:
                self.add(CompanySpecialisation, company_id, (specialisations[key],))
        for key in record.get("sectors") or ():
            if key in sectors:
                self.add(CompanySector, company_id, (sectors[key],))
        for vendor in vendors:
            self.authorisation(company_id, vendor.pk, record)

    def keys(self) -> dict[type, set[tuple[Any, ...]]]:
        """The collected facts' keys per model, without the company id (nothing written);
        authorisations under ``Authorisation`` as (vendor id, source id)."""
        out: dict[type, set[tuple[Any, ...]]] = {
            model: {key[1:] for key in items} for model, items in self.pending.items()
        }
        out[Authorisation] = {(vendor, self.source.pk) for _, vendor in self.auth_pending}
        return out

    def name(self, company_id: int, record: Mapping[str, Any]) -> None:
        name = (record.get("name") or "")[:500]
        if name:
            self.add(
                CompanyName,
                company_id,
                (name,),
                name_key=(record.get("name_key") or "")[:500],
                latin_key=(record.get("latin_key") or "")[:500],
                legal_form=(record.get("legal_form") or "")[:40],
                script=(record.get("script") or "")[:10],
            )

    def location(self, company_id: int, record: Mapping[str, Any]) -> None:
        city = record.get("city") or {}
        region = (record.get("region") or "")[:200]
        if not city and not region:
            return
        self.add(
            CompanyLocation,
            company_id,
            ((city.get("key") or "")[:120], region),
            city_name=(city.get("name") or "")[:200],
            region_iso=(city.get("region_iso") or "")[:10],
            federal_district=(record.get("federal_district") or "")[:100],
            country=record.get("country") or "",
            address=(record.get("address") or "")[:500],
        )

    def authorisation(self, company_id: int, vendor_id: int, record: Mapping[str, Any]) -> None:
        level = (record.get("level") or "")[:200]
        rank = int(record.get("level_rank") or 0)
        known = self.auth_pending.get((company_id, vendor_id))
        if known is None or rank > known["level_rank"]:
            self.auth_pending[(company_id, vendor_id)] = {"level": level, "level_rank": rank}

    def flush(self) -> None:
        ids = list(self.company_ids)
        for model, items in self.pending.items():
            key_fields = self._KEYS[model]
            existing: dict[tuple[Any, ...], int] = {}
            for chunk in _chunks(ids, 900):
                for values in model.objects.filter(company_id__in=chunk).values_list(  # type: ignore[attr-defined]
                    "id", "company_id", *key_fields
                ):
                    existing[tuple(values[1:])] = values[0]
            confirm = [existing[key] for key in items if key in existing]
            new = [(key, extra) for key, extra in items.items() if key not in existing]
            if model is CompanyLocation:
                # The first location a company gets is its head office.
                has_location = {key[0] for key in existing}
                for key, extra in new:
                    extra["is_headquarters"] = key[0] not in has_location
                    has_location.add(key[0])
            if new:
                extra_fields = list(new[0][1])
                names = ["company_id", *key_fields, *extra_fields]
                names += ["source_id", "first_seen", "last_confirmed"]
                values = (
                    (
                        *key,
                        *(extra[name] for name in extra_fields),
                        self.source.pk,
                        self.now,
                        self.now,
                    )
                    for key, extra in new
                )
                bulk_insert_values(model, names, values, ignore_conflicts=True)
            for chunk in _chunks(confirm, 900):
                model.objects.filter(id__in=chunk).update(last_confirmed=self.now)  # type: ignore[attr-defined]
        if self.auth_pending:
            existing_auth = {
                (company_id, vendor_id): (auth_id, level, rank)
                for auth_id, company_id, vendor_id, level, rank in Authorisation.objects.filter(
                    source=self.source, company_id__in=ids
                ).values_list("id", "company_id", "vendor_id", "level", "level_rank")
            }
            new_auth: list[Authorisation] = []
            changed: list[Authorisation] = []
            seen: list[int] = []
            for (company_id, vendor_id), values in self.auth_pending.items():
                known = existing_auth.get((company_id, vendor_id))
                if known is None:
                    new_auth.append(
                        Authorisation(
                            company_id=company_id,
                            vendor_id=vendor_id,
                            source=self.source,
                            first_seen=self.now,
                            last_seen=self.now,
                            **values,
                        )
                    )
                elif known[1] != values["level"]:
                    changed.append(
                        Authorisation(
                            id=known[0],
                            level=values["level"],
                            level_rank=values["level_rank"],
                            last_seen=self.now,
                        )
                    )
                else:
                    seen.append(known[0])
            bulk_insert_rows(Authorisation, new_auth, ignore_conflicts=True)
            if changed:
                bulk_update_rows(Authorisation, changed, ["level", "level_rank", "last_seen"])
            for chunk in _chunks(seen, 900):
                Authorisation.objects.filter(id__in=chunk).update(last_seen=self.now)


# Company maintenance -------------------------------------------------------------------------


def search_fold(text: str) -> str:
    """Lower case with ё→е: how search text is stored and queries are compared."""
    return " ".join(text.lower().replace("ё", "е").split())


_TOKEN = re.compile(r"\w+(?:[.\-@&]\w+)*")
MAX_TOKEN = 100


def search_tokens(text: str) -> set[str]:
    """Searchable words of a text: whole compound words ("jet.su", "альфа-тех") and their
    parts, folded like :func:`search_fold`.

    >>> sorted(search_tokens("ООО «Альфа-Тех» | jet.su"))
    ['jet', 'jet.su', 'su', 'альфа', 'альфа-тех', 'ооо', 'тех']
    """
    tokens: set[str] = set()
    for match in _TOKEN.finditer(search_fold(text)):
        word = match.group(0)[:MAX_TOKEN]
        tokens.add(word)
        if not word.isalnum():
            tokens.update(part for part in re.split(r"[.\-@&]", word) if part)
    return tokens


_REFRESH_FIELDS = [
    "inn",
    "inn_valid",
    "ogrn",
    "ogrn_valid",
    "kpp",
    "kpp_valid",
    "bin",
    "bin_valid",
    "unp",
    "unp_valid",
    "country",
    "city_key",
    "city_name",
    "region",
    "federal_district",
    "primary_domain",
    "search_text",
    "source_count",
    "row_count",
    "vendor_count",
    "vendors_text",
    "best_level_rank",
    "last_confirmed",
    "updated_at",
]
# Changes to these are worth a line in the change log; counters and search text are not.
_AUDITED = {"inn", "ogrn", "kpp", "bin", "unp", "city_name", "region", "country", "primary_domain"}


def company_refresh(
    *, company_ids: Iterable[int], now: Any = None, new_ids: Iterable[int] = ()
) -> dict[int, dict[str, list[Any]]]:
    """Recompute the denormalised columns of companies from their facts.

    Fills a missing primary identifier or location (never replaces a valid identifier or an
    existing location), and recomputes search text, counts, vendors and last-confirmed date.
    Returns the audited changes per company.
    """
    now = now or timezone.now()
    fresh = set(new_ids)  # companies created without search tokens yet
    changes: dict[int, dict[str, list[Any]]] = {}
    for chunk in _chunks(sorted(set(company_ids)), 500):
        companies = {c.pk: c for c in Company.objects.filter(id__in=chunk)}
        tokens: list[tuple[int, str]] = []
        retokenised: list[int] = []
        by_fields: dict[tuple[str, ...], list[Company]] = defaultdict(list)
        names: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        for company_id, name, name_key, latin_key in CompanyName.objects.filter(
            company_id__in=chunk
        ).values_list("company_id", "name", "name_key", "latin_key"):
            names[company_id].append((name, name_key, latin_key))
        identifiers: dict[int, list[tuple[str, str, bool]]] = defaultdict(list)
        for company_id, kind, value, valid in (
            CompanyIdentifier.objects.filter(company_id__in=chunk)
            .order_by("first_seen", "id")
            .values_list("company_id", "kind", "value", "valid")
        ):
            identifiers[company_id].append((kind, value, valid))
        domains: dict[int, list[str]] = defaultdict(list)
        for company_id, domain in (
            CompanyDomain.objects.filter(company_id__in=chunk)
            .order_by("first_seen", "id")
            .values_list("company_id", "domain")
        ):
            domains[company_id].append(domain)
        locations: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for location in (
            CompanyLocation.objects.filter(company_id__in=chunk)
            .order_by("-is_headquarters", "first_seen", "id")
            .values("company_id", "city_key", "city_name", "region", "federal_district", "country")
        ):
            locations[location["company_id"]].append(dict(location))
        rows = {
            item["company_id"]: item
            for item in SourceRow.objects.filter(company_id__in=chunk, is_current=True)
            .values("company_id")
            .annotate(
                rows=Count("id"),
                sources=Count("source_id", distinct=True),
                last=Max("last_seen"),
                first=Min("first_seen"),
            )
        }
        vendors: dict[int, dict[str, int]] = defaultdict(dict)
        for company_id, vendor_name, rank in Authorisation.objects.filter(
            company_id__in=chunk
        ).values_list("company_id", "vendor__name", "level_rank"):
            vendors[company_id][vendor_name] = max(rank, vendors[company_id].get(vendor_name, 0))
        for company_id, company in companies.items():
            before = {name: getattr(company, name) for name in _AUDITED}
            stored = {name: getattr(company, name) for name in _REFRESH_FIELDS}
            for kind, value, valid in identifiers.get(company_id, ()):
                current_valid = getattr(company, f"{kind}_valid")
                if not getattr(company, kind) or (valid and not current_valid):
                    setattr(company, kind, value[:15])
                    setattr(company, f"{kind}_valid", valid)
            company_locations = locations.get(company_id, [])
            if company_locations and not company.city_key and not company.region:
                first = company_locations[0]
                company.city_key = first["city_key"]
                company.city_name = first["city_name"]
                company.region = first["region"]
                company.federal_district = first["federal_district"]
                company.country = company.country or first["country"]
            if not company.country:
                company.country = next(
                    (loc["country"] for loc in company_locations if loc["country"]), ""
                )
            if not company.primary_domain and domains.get(company_id):
                company.primary_domain = domains[company_id][0]
            parts = {company.display_name}
            for name, name_key, latin_key in names.get(company_id, ()):
                parts.update((name, name_key, latin_key))
            parts.update(value for _, value, _ in identifiers.get(company_id, ()))
            parts.update(domains.get(company_id, ()))
            search_text = search_fold(" | ".join(sorted(p for p in parts if p)))
            if search_text != company.search_text or company_id in fresh:
                company.search_text = search_text
                retokenised.append(company_id)
                tokens.extend((company_id, token) for token in search_tokens(search_text))
            stats = rows.get(company_id)
            company.row_count = stats["rows"] if stats else 0
            company.source_count = stats["sources"] if stats else 0
            if stats and stats["last"]:
                company.last_confirmed = max(company.last_confirmed, stats["last"])
            company_vendors = vendors.get(company_id, {})
            company.vendor_count = len(company_vendors)
            company.vendors_text = ", ".join(sorted(company_vendors))[:1000]
            company.best_level_rank = max(company_vendors.values(), default=0)
            changed = tuple(
                name for name in _REFRESH_FIELDS if getattr(company, name) != stored[name]
            )
            if changed:
                company.updated_at = now
                by_fields[(*changed, "updated_at")].append(company)
            after = {name: getattr(company, name) for name in _AUDITED}
            change = diff(before, after)
            if change:
                changes[company_id] = change
        # Write only the columns that changed: every indexed column rewritten costs index
        # updates, and most refreshes change a count and a date.
        for fields, group in by_fields.items():
            bulk_update_rows(Company, group, list(dict.fromkeys(fields)))
        if retokenised:
            CompanySearchToken.objects.filter(company_id__in=retokenised).delete()
            bulk_insert_values(
                CompanySearchToken, ["company_id", "token"], tokens, ignore_conflicts=True
            )
    return changes


_EDITABLE = {"display_name", "legal_form", "inn", "ogrn", "kpp", "bin", "unp", "primary_domain"}


def company_update(
    *, company: Company, user: Any = None, reason: str = "", **values: Any
) -> Company:
    """Edit a company by hand; every change goes to the change log with who and why."""
    unknown = set(values) - _EDITABLE
    if unknown:
        raise ValueError(f"fields not editable here: {', '.join(sorted(unknown))}")
    before = {name: getattr(company, name) for name in values}
    for name, value in values.items():
        setattr(company, name, value)
    from partnernet.engines.ids import ValidationError, bin_kz, inn, kpp, ogrn, unp_by

    validators = {"inn": inn, "ogrn": ogrn, "kpp": kpp, "bin": bin_kz, "unp": unp_by}
    errors: dict[str, str] = {}
    for kind, module in validators.items():
        if kind in values:
            # Stored compact ("ИНН 7707 083 893" → "7707083893"), as an import stores it:
            # the linking index compares values exactly.
            value = module.compact(str(values[kind] or ""))
            try:
                module.validate(value)
            except ValidationError as exc:
                errors[kind] = type(exc).__name__
            setattr(company, kind, value)
            setattr(company, f"{kind}_valid", bool(value) and kind not in errors)
    change = diff(before, {name: getattr(company, name) for name in values})
    if not change:
        return company
    now = timezone.now()
    company.updated_at = now
    company.save()
    # An identifier typed by hand is a fact like any other: kept with its validity, and a
    # valid one links later rows (the linking index reads identifiers from this table).
    for kind in validators:
        value = getattr(company, kind)
        if kind in values and value:
            CompanyIdentifier.objects.update_or_create(
                company=company,
                kind=kind,
                value=value,
                defaults={
                    "valid": getattr(company, f"{kind}_valid"),
                    "error": errors.get(kind, ""),
                    "last_confirmed": now,
                },
            )
    company_refresh(company_ids=[company.pk])
    audit_record(action=ChangeAction.UPDATE, obj=company, changes=change, reason=reason, user=user)
    return company
