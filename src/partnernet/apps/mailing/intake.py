"""Intake of replies: store every message, tie it to its delivery, apply the contacts rules.

Sources: a real IMAP mailbox (messages moved to a folder only after the database commit), a
Maildir, an mbox, single .eml files, or an external sending service's CSV export. Every message is
stored with its raw bytes, SHA-256 and parse result; the SHA-256 makes intake idempotent (a
message seen again is skipped, or applied if an earlier run stored it but died before applying).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from itertools import islice
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from partnernet.apps.contacts.feedback import FeedbackInput, feedback_apply_many
from partnernet.apps.contacts.feedback_store import insert_rows, update_rows
from partnernet.apps.contacts.models import FeedbackApplication
from partnernet.apps.contacts.services import feedback_apply, feedback_revert
from partnernet.engines.mailfeedback import (
    PARSER_VERSION,
    FeedbackResult,
    iter_many,
    parse_message,
    to_json,
)
from partnernet.engines.mailing import read_esp_export, verp_decode

from . import settings as mail_settings
from .models import Delivery, DeliveryStatus, FeedbackMessage

ESP_PARSER = "esp-1"
_HEAD_LIMIT = 200_000
_DATE = re.compile(rb"^Date:[ \t]*([^\r\n]+)", re.MULTILINE | re.IGNORECASE)
# Feedback may move a delivery only "up" this ladder (a complaint is never downgraded).
_RANK: dict[str, int] = {
    DeliveryStatus.SENT: 0,
    DeliveryStatus.FAILED: 0,
    DeliveryStatus.BOUNCED: 1,
    DeliveryStatus.UNSUBSCRIBED: 2,
    DeliveryStatus.COMPLAINED: 3,
}


@dataclass(slots=True)
class IntakeItem:
    origin: str
    raw: bytes
    received_at: datetime | None = None
    key: Any = None  # the source's own id (an IMAP UID), handed back after the commit


@dataclass
class IntakeReport:
    seen: int = 0
    stored: int = 0
    duplicates: int = 0
    applied: int = 0
    matched: int = 0
    changes: int = 0
    errors: int = 0
    moved: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    error_samples: list[str] = field(default_factory=list)

    def add(self, other: IntakeReport) -> None:
        for name in (
            "seen",
            "stored",
            "duplicates",
            "applied",
            "matched",
            "changes",
            "errors",
            "moved",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.kinds.update(other.kinds)
        self.error_samples.extend(other.error_samples[: max(0, 20 - len(self.error_samples))])

    def as_dict(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data["kinds"] = dict(self.kinds)
        return data


# --- parsing -------------------------------------------------------------------------------------


def _parse(raw: bytes) -> tuple[FeedbackResult, dict[str, Any]]:
    result = parse_message(raw)
    return result, to_json(result)


def _received_at(raw: bytes) -> datetime | None:
    head = raw[:20000].split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    match = _DATE.search(head)
    if not match:
        return None
    try:
        value = parsedate_to_datetime(match.group(1).decode("ascii", "replace").strip())
    except (TypeError, ValueError, IndexError):
        return None
    if value is None:
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


# --- delivery matching ---------------------------------------------------------------------------


def _normal_message_id(value: str) -> str:
    value = value.strip()
    return value if value.startswith("<") else f"<{value}>"


def _verp_id(result: FeedbackResult, raw: bytes, secret: bytes) -> int | None:
    delivery_id = verp_decode(result.return_path, secret)
    if delivery_id is None and raw:
        # The token is also in our Message-ID and Return-Path quoted inside most bounces.
        delivery_id = verp_decode(raw[:_HEAD_LIMIT].decode("latin-1"), secret)
    return delivery_id


def _delivery_fallback(result: FeedbackResult) -> tuple[Delivery | None, str]:
    """Without a valid token: our Message-ID quoted in the reply, then the address."""
    if result.original_message_id:
        delivery = Delivery.objects.filter(
            message_id=_normal_message_id(result.original_message_id)
        ).first()
        if delivery is not None:
            return delivery, "message_id"
    addresses: list[str] = []
    if result.kind == "bounce":
        addresses = [r.address for r in result.recipients if r.address]
    elif result.kind == "autoreply":
        auto = result.autoreply
        addresses = [a for a in ((auto.sender if auto else None), result.from_address) if a]
    elif result.kind == "feedback":
        fb = result.feedback
        addresses = [a for a in ((fb.original_recipient if fb else None), *result.original_to) if a]
    for address in addresses:
        delivery = (
            Delivery.objects.filter(address=address.strip().lower(), sent_at__isnull=False)
            .order_by("-sent_at", "-id")
            .first()
        )
        if delivery is not None:
            return delivery, "sender" if result.kind == "autoreply" else "recipient"
    return None, ""


def delivery_for(result: FeedbackResult, raw: bytes = b"") -> tuple[Delivery | None, str]:
    """The delivery a reply is about, and how it was found (strongest evidence first): the
    HMAC-checked VERP token, our Message-ID, the bounced or auto-replying address."""
    delivery_id = _verp_id(result, raw, mail_settings.verp_secret())
    if delivery_id is not None:
        delivery = Delivery.objects.filter(pk=delivery_id).first()
        if delivery is not None:
            return delivery, "verp"
    return _delivery_fallback(result)


def _delivery_status(result: FeedbackResult) -> str | None:
    if result.kind == "bounce" and not result.delayed and result.recipients:
        return DeliveryStatus.BOUNCED
    if result.kind == "feedback":
        unsubscribe = result.feedback is not None and result.feedback.type == "unsubscribe"
        return DeliveryStatus.UNSUBSCRIBED if unsubscribe else DeliveryStatus.COMPLAINED
    return None


def _update_delivery(delivery: Delivery, result: FeedbackResult, when: datetime) -> bool:
    """Move the delivery's status up the ladder in memory; True when something changed."""
    new = _delivery_status(result)
    delivery.feedback_at = when
    if new is not None and _RANK.get(new, 0) > _RANK.get(delivery.status, -1):
        delivery.status = new
        if new == DeliveryStatus.BOUNCED:
            delivery.bounce_reason = (result.recipients[0].reason or "")[:40]
    return True


# --- storing and applying ------------------------------------------------------------------------


def _apply(
    message: FeedbackMessage,
    result: FeedbackResult,
    mode: str,
    report: IntakeReport,
    delivery: Delivery | None,
) -> None:
    """Apply the rules to one stored message and save it (reparse and ESP rows use it; the
    streaming intake does the same in bulk in :func:`_intake_batch`)."""
    when = message.received_at
    changes = feedback_apply(
        result=result,
        message_ref=message.message_ref,
        delivery_address=delivery.address if delivery is not None else None,
        received_at=when,
        mode=mode,  # type: ignore[arg-type]
    )
    if delivery is not None:
        _update_delivery(delivery, result, when)
        delivery.save(update_fields=["status", "bounce_reason", "feedback_at"])
    message.applied_at = timezone.now()
    message.change_count = len(changes)
    message.error = ""
    message.save(update_fields=["applied_at", "change_count", "error"])
    report.applied += 1
    report.changes += len(changes)


def _new_message(
    item: IntakeItem,
    sha: str,
    result: FeedbackResult,
    data: dict[str, Any],
    delivery: Delivery | None,
    how: str,
) -> FeedbackMessage:
    first = result.recipients[0] if result.recipients else None
    reason = first.reason if first else (result.autoreply.type if result.autoreply else "")
    if result.kind == "feedback" and result.feedback is not None:
        reason = result.feedback.type
    return FeedbackMessage(
        sha256=sha,
        raw=item.raw,
        size=len(item.raw),
        message_id=(result.message_id or "")[:300],
        origin=item.origin[:500],
        subject=(result.subject or "")[:500],
        from_address=(result.from_address or "")[:254],
        received_at=item.received_at or _received_at(item.raw) or timezone.now(),
        kind=result.kind,
        reason=(reason or "")[:40],
        result=data,
        parser_version=data.get("parser_version") or result.parser_version,
        delivery=delivery,
        matched_by=how,
    )


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass(slots=True)
class _Planned:
    item: IntakeItem
    sha: str
    existing: FeedbackMessage | None  # stored by a run that died before applying it


def _plan(items: list[IntakeItem]) -> tuple[list[_Planned], int]:
    """Drop messages already stored and applied (one query per batch); returns the rest and the
    number of duplicates. Duplicates are never parsed again."""
    shas = [_sha(item.raw) for item in items]
    known = {
        m.sha256: m
        for m in FeedbackMessage.objects.filter(sha256__in=set(shas))
        .defer("raw")
        .select_related("delivery")
    }
    planned: list[_Planned] = []
    seen: set[str] = set()
    duplicates = 0
    for item, sha in zip(items, shas, strict=True):
        existing = known.get(sha)
        if sha in seen or (existing is not None and existing.applied_at is not None):
            duplicates += 1
            continue
        seen.add(sha)
        planned.append(_Planned(item=item, sha=sha, existing=existing))
    return planned, duplicates


def _apply_rules(inputs: list[FeedbackInput], mode: str) -> list[list[dict[str, Any]] | Exception]:
    """The contacts rules over a batch in one go; when any message fails, the batch's rule
    writes are rolled back and the messages applied one by one, so only the failing ones keep
    an error (the outcome is the same either way: the batch rules match one-by-one)."""
    try:
        with transaction.atomic():
            return list(feedback_apply_many(items=inputs, mode=mode))  # type: ignore[arg-type]
    except Exception as exc:
        if len(inputs) == 1:
            return [_failed(inputs[0], exc)]
    outcomes: list[list[dict[str, Any]] | Exception] = []
    for item in inputs:
        try:
            with transaction.atomic():
                outcomes.append(feedback_apply_many(items=[item], mode=mode)[0])  # type: ignore[arg-type]
        except Exception as exc:
            outcomes.append(_failed(item, exc))
    return outcomes


def _failed(item: FeedbackInput, exc: Exception) -> list[dict[str, Any]] | Exception:
    # An IntegrityError may mean another worker applied the same message at the same moment.
    applied_elsewhere = (
        isinstance(exc, IntegrityError)
        and FeedbackApplication.objects.filter(message_ref=item.message_ref).exists()
    )
    return [] if applied_elsewhere else exc


def _intake_batch(
    planned: list[_Planned],
    parsed: list[tuple[FeedbackResult, dict[str, Any]]],
    duplicates: int,
    mode: str,
) -> IntakeReport:
    """Store a batch in one insert, apply the contacts rules to the whole batch (see
    :func:`_apply_rules`), then save the messages' and deliveries' new state in one statement
    each — all in one transaction."""
    report = IntakeReport(seen=len(planned) + duplicates, duplicates=duplicates)
    secret = mail_settings.verp_secret()
    ids = [
        _verp_id(result, p.item.raw, secret) if p.existing is None else None
        for p, (result, _data) in zip(planned, parsed, strict=True)
    ]
    by_id = Delivery.objects.in_bulk({i for i in ids if i is not None})
    deliveries: dict[int, Delivery] = {}
    messages: list[FeedbackMessage] = []
    with transaction.atomic():
        fresh: list[FeedbackMessage] = []
        for p, (result, data), delivery_id in zip(planned, parsed, ids, strict=True):
            report.kinds[result.kind] += 1
            if p.existing is not None:
                messages.append(p.existing)
                continue
            delivery = by_id.get(delivery_id) if delivery_id is not None else None
            how = "verp" if delivery is not None else ""
            if delivery is None:
                delivery, how = _delivery_fallback(result)
            if delivery is not None:
                # One object per delivery, so several replies in a batch see each other.
                delivery = deliveries.setdefault(delivery.pk, delivery)
                report.matched += 1
            message = _new_message(p.item, p.sha, result, data, delivery, how)
            fresh.append(message)
            messages.append(message)
        insert_rows(FeedbackMessage, fresh)
        report.stored += len(fresh)
        inputs: list[FeedbackInput] = []
        for message, (result, _data) in zip(messages, parsed, strict=True):
            delivery = message.delivery
            if delivery is not None:
                delivery = message.delivery = deliveries.setdefault(delivery.pk, delivery)
            inputs.append(
                FeedbackInput(
                    result=result,
                    message_ref=message.message_ref,
                    delivery_address=delivery.address if delivery is not None else None,
                    received_at=message.received_at,
                )
            )
        outcomes = _apply_rules(inputs, mode)
        now = timezone.now()
        touched: dict[int, Delivery] = {}
        for message, (result, _data), outcome in zip(messages, parsed, outcomes, strict=True):
            if isinstance(outcome, Exception):
                text = f"{type(outcome).__name__}: {outcome}"[:1000]
                message.error = text
                report.errors += 1
                if len(report.error_samples) < 20:
                    report.error_samples.append(f"{message.origin}: {text}")
                continue
            delivery = message.delivery
            if delivery is not None and _update_delivery(delivery, result, message.received_at):
                touched[delivery.pk] = delivery
            message.applied_at = now
            message.change_count = len(outcome)
            message.error = ""
            report.applied += 1
            report.changes += len(outcome)
        update_rows(FeedbackMessage, messages, ["applied_at", "change_count", "error"])
        update_rows(Delivery, touched.values(), ["status", "bounce_reason", "feedback_at"])
    return report


def _batches(items: Iterable[IntakeItem], size: int) -> Iterator[list[IntakeItem]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def feedback_intake_many(
    *,
    items: Iterable[IntakeItem],
    mode: str | None = None,
    batch_size: int = 500,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    on_committed: Callable[[list[IntakeItem]], None] | None = None,
) -> IntakeReport:
    """Store and apply a stream of messages, one transaction per batch.

    ``on_committed(batch)`` runs after each batch's transaction committed (the IMAP poller moves
    the batch's messages then). ``workers > 1`` parses in that many processes while this one
    writes the previous batch (memory stays bounded: at most two batches in flight).
    """
    mode = mode or mail_settings.feedback_mode()
    started = time.monotonic()
    total = IntakeReport()
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None

    def finish_pending(
        batch: list[IntakeItem], planned: list[_Planned], duplicates: int, future: Any
    ) -> None:
        parsed = future.get()
        _finish_batch(batch, planned, parsed, duplicates, mode, total, progress, on_committed)

    try:
        pending: tuple[list[IntakeItem], list[_Planned], int, Any] | None = None
        for batch in _batches(items, batch_size):
            planned, duplicates = _plan(batch)
            raws = [p.item.raw for p in planned]
            if pool is None:
                parsed = [_parse(raw) for raw in raws]
                _finish_batch(
                    batch, planned, parsed, duplicates, mode, total, progress, on_committed
                )
                continue
            # Parse this batch in the workers while this process writes the previous one.
            future = pool.map_async(_parse, raws, chunksize=25)
            if pending is not None:
                finish_pending(*pending)
            pending = (batch, planned, duplicates, future)
        if pending is not None:
            finish_pending(*pending)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    total.seconds = round(time.monotonic() - started, 3)
    return total


def _finish_batch(
    batch: list[IntakeItem],
    planned: list[_Planned],
    parsed: list[tuple[FeedbackResult, dict[str, Any]]],
    duplicates: int,
    mode: str,
    total: IntakeReport,
    progress: Callable[[int], None] | None,
    on_committed: Callable[[list[IntakeItem]], None] | None,
) -> None:
    total.add(_intake_batch(planned, parsed, duplicates, mode))
    if on_committed is not None:
        on_committed(batch)
    if progress is not None:
        progress(len(batch))


def feedback_intake(
    *, raw: bytes, origin: str = "", received_at: datetime | None = None, mode: str | None = None
) -> FeedbackMessage:
    """Store and apply one message (idempotent); returns the stored message."""
    feedback_intake_many(
        items=[IntakeItem(origin=origin, raw=raw, received_at=received_at)], mode=mode
    )
    return FeedbackMessage.objects.get(sha256=_sha(raw))


def feedback_intake_paths(
    *,
    paths: Iterable[str],
    mode: str | None = None,
    workers: int = 1,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> IntakeReport:
    """Files, Maildirs, mboxes or directories of them (streamed: memory stays flat)."""
    items = (IntakeItem(origin=name, raw=raw) for name, raw in iter_many(list(paths)))
    return feedback_intake_many(
        items=items, mode=mode, workers=workers, batch_size=batch_size, progress=progress
    )


# --- IMAP ----------------------------------------------------------------------------------------


def imap_poll(
    *,
    host: str,
    port: int = 993,
    user: str,
    password: str,
    ssl: bool = True,
    folder: str = "INBOX",
    processed_folder: str = "partnernet-processed",
    batch_size: int = 500,
    move_size: int = 5000,
    limit: int | None = None,
    mode: str | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    timeout: float = 60.0,
) -> IntakeReport:
    """Read every message in ``folder``, store and apply it, then move it to
    ``processed_folder`` — only after the batch is committed, so a crash never loses a message
    (it is read again next time; the SHA-256 makes that harmless).

    Committed messages are moved ``move_size`` at a time (and the rest at the end, or when the
    run fails): each MOVE costs the server an update of the folder's index that grows with the
    folder, so one MOVE per 500-message batch cost Dovecot more CPU than the whole parse."""
    from imapclient import IMAPClient

    client = IMAPClient(host, port=port, ssl=ssl, timeout=timeout)
    client.normalise_times = False
    report = IntakeReport()
    # One connection, two users: the thread reading ahead and the moves after the commits.
    lock = threading.Lock()
    try:
        client.login(user, password)
        if not client.folder_exists(processed_folder):
            client.create_folder(processed_folder)
        client.select_folder(folder)
        uids = sorted(client.search("ALL"))
        if limit is not None:
            uids = uids[:limit]
        can_move = client.has_capability("MOVE")

        committed: list[int] = []

        def move_committed() -> None:
            keys = committed[:]
            if not keys:
                return
            with lock:
                if can_move:
                    client.move(keys, processed_folder)
                else:
                    client.copy(keys, processed_folder)
                    client.delete_messages(keys)
                    client.uid_expunge(keys)
            del committed[: len(keys)]
            report.moved += len(keys)

        def move(batch: list[IntakeItem]) -> None:
            committed.extend(item.key for item in batch)
            if len(committed) >= move_size:
                move_committed()

        def fetch(chunk: list[int]) -> dict[int, Any]:
            with lock:
                return client.fetch(chunk, ["BODY.PEEK[]", "INTERNALDATE"])

        def fetched() -> Iterator[IntakeItem]:
            chunks = [uids[start : start + batch_size] for start in range(0, len(uids), batch_size)]
            # The next batch is read while this one is parsed and written: the server's work
            # and the wait for it overlap ours (at most one batch more in memory).
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="imap-fetch") as ahead:
                future = ahead.submit(fetch, chunks[0]) if chunks else None
                for number, chunk in enumerate(chunks):
                    assert future is not None
                    data = future.result()
                    future = (
                        ahead.submit(fetch, chunks[number + 1])
                        if number + 1 < len(chunks)
                        else None
                    )
                    for uid in chunk:
                        entry = data.get(uid)
                        if entry is None:
                            continue  # expunged meanwhile by someone else
                        received = entry.get(b"INTERNALDATE")
                        yield IntakeItem(
                            origin=f"imap:{folder}",
                            raw=bytes(entry[b"BODY[]"]),
                            received_at=received if isinstance(received, datetime) else None,
                            key=uid,
                        )
                    del data

        try:
            report.add(
                feedback_intake_many(
                    items=fetched(),
                    mode=mode,
                    batch_size=batch_size,
                    workers=workers,
                    progress=progress,
                    on_committed=move,
                )
            )
        except BaseException:
            # A later batch failed: what was committed still leaves the inbox.
            with contextlib.suppress(Exception):
                move_committed()
            raise
        move_committed()
    finally:
        with lock, contextlib.suppress(Exception):
            client.logout()
    return report


# --- external sending services -------------------------------------------------------------------


def esp_import(
    *,
    data: bytes,
    name: str = "export.csv",
    mode: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> IntakeReport:
    """Apply a bounce/complaint export of an external sending service (CSV, docs/mailing.md).

    Each row is stored as a feedback message (origin ``esp:<file>:<row>``) so it shows on the
    intake page and is applied once, however often the same file is imported."""
    mode = mode or mail_settings.feedback_mode()
    started = time.monotonic()
    file_sha = _sha(data)
    report = IntakeReport()
    events = list(read_esp_export(data))
    with transaction.atomic():
        for event in events:
            report.seen += 1
            sha = hashlib.sha256(f"esp:{file_sha}:{event.row}".encode()).hexdigest()
            existing = FeedbackMessage.objects.filter(sha256=sha).first()
            if existing is not None and existing.applied_at is not None:
                report.duplicates += 1
                continue
            result = event.result
            report.kinds[result.kind] += 1
            data_json = to_json(result, message=f"{name}:{event.row}")
            data_json["parser_version"] = ESP_PARSER
            raw = json.dumps(
                {
                    "file": name,
                    "row": event.row,
                    "event": event.event,
                    "address": event.address,
                    "timestamp": event.timestamp,
                },
                ensure_ascii=False,
            ).encode()
            with transaction.atomic():
                delivery, how = delivery_for(result)
                if existing is None:
                    recipient = result.recipients[0] if result.recipients else None
                    existing = FeedbackMessage.objects.create(
                        sha256=sha,
                        raw=raw,
                        size=len(raw),
                        origin=f"esp:{name}:{event.row}"[:500],
                        subject=f"{event.event}: {event.address}"[:500],
                        received_at=_esp_time(event.timestamp) or timezone.now(),
                        kind=result.kind,
                        reason=(
                            result.feedback.type
                            if result.feedback
                            else (recipient.reason if recipient else "")
                        )[:40],
                        result=data_json,
                        parser_version=ESP_PARSER,
                        delivery=delivery,
                        matched_by=how,
                    )
                    report.stored += 1
                    report.matched += delivery is not None
                _apply(existing, result, mode, report, delivery)
            if progress:
                progress(1)
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _esp_time(value: str) -> datetime | None:
    if not value:
        return None
    try:
        if value.isdigit():
            return datetime.fromtimestamp(int(value[:10]), tz=UTC)
        from dateutil import parser as date_parser

        parsed = date_parser.parse(value, dayfirst="." in value)
    except (ValueError, OverflowError):
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


# --- reparse -------------------------------------------------------------------------------------


def _signature(data: dict[str, Any]) -> str:
    """What the rules look at: a changed signature means the rules may decide differently."""
    keep = {k: data.get(k) for k in ("kind", "recipients", "autoreply", "feedback", "delayed")}
    return json.dumps(keep, sort_keys=True, ensure_ascii=False, default=str)


def feedback_reparse(
    *,
    everything: bool = False,
    reapply: bool = False,
    mode: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Parse stored messages again (those of an older parser version, or all).

    The stored result is replaced. With ``reapply`` a message whose reading changed has its old
    changes undone and the rules applied to the new reading."""
    mode = mode or mail_settings.feedback_mode()
    qs = FeedbackMessage.objects.exclude(origin__startswith="esp:")
    if not everything:
        qs = qs.filter(~Q(parser_version=PARSER_VERSION))
    counts = Counter({"checked": 0, "changed": 0, "reapplied": 0})
    ids = list(qs.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), 200):
        with transaction.atomic():
            batch = list(FeedbackMessage.objects.filter(pk__in=ids[start : start + 200]))
            for message in batch:
                counts["checked"] += 1
                result, data = _parse(bytes(message.raw))
                changed = _signature(data) != _signature(message.result or {})
                message.result = data
                message.parser_version = result.parser_version
                message.kind = result.kind
                first = result.recipients[0] if result.recipients else None
                message.reason = (first.reason if first else "")[:40]
                if changed:
                    counts["changed"] += 1
                    if reapply:
                        if FeedbackApplication.objects.filter(
                            message_ref=message.message_ref
                        ).exists():
                            feedback_revert(message_ref=message.message_ref)
                        report = IntakeReport()
                        _apply(message, result, mode, report, message.delivery)
                        counts["reapplied"] += 1
                if progress:
                    progress(1)
            # One statement for the batch's new readings (was an UPDATE per message).
            FeedbackMessage.objects.bulk_update(
                batch, ["result", "parser_version", "kind", "reason"], batch_size=200
            )
    return dict(counts)
