"""Recorded, reversible changes: every write of the contacts rules goes through a ChangeSet.

Each change is written to the audit log (with the message or the user as its source) and kept as
a plain dict ``{"op", "object_type", "object_id", "summary", "before", "after"}`` so that a whole
message's effect, or an accepted proposal's, can be undone later with :func:`changes_revert`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.apps import apps
from django.db import models

from partnernet.apps.audit.models import ChangeAction
from partnernet.apps.audit.services import (
    AuditEntry,
    audit_record,
    audit_record_many,
    object_type_of,
)


def to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """JSON-able values of concrete fields (foreign keys by their ``_id`` attribute)."""
    result: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        result[field.attname] = to_json(getattr(obj, field.attname))
    return result


def batch_of(ref: str) -> str:
    """The audit log's batch column holds 64 characters: long references are hashed."""
    return ref if len(ref) <= 64 else "sha1:" + hashlib.sha1(ref.encode()).hexdigest()


class ChangeSet:
    """Collects the changes of one operation (one message, one accepted proposal)."""

    def __init__(
        self, *, reason: str, user: Any = None, batch: str = "", deferred: bool = False
    ) -> None:
        self.reason = reason
        self.user = user
        self.batch = batch_of(batch)
        self.items: list[dict[str, Any]] = []
        # Deferred: the log entries are written in one insert by flush() (the feedback rules
        # apply tens of thousands of messages in a row).
        self.deferred = deferred
        self._pending: list[AuditEntry] = []

    def flush(self) -> None:
        if self._pending:
            audit_record_many(
                entries=self._pending, user=self.user, batch=self.batch, reason=self.reason
            )
            self._pending = []

    def _audit(self, action: str, obj: models.Model, changes: dict[str, Any]) -> None:
        if self.deferred:
            self._pending.append(
                AuditEntry(
                    action=action,
                    object_type=object_type_of(obj),
                    object_id=str(obj.pk),
                    object_repr=str(obj)[:500],
                    changes=changes,
                )
            )
            return
        audit_record(
            action=action,
            obj=obj,
            changes=changes,
            reason=self.reason,
            user=self.user,
            batch=self.batch,
        )

    def created(self, obj: models.Model, summary: str) -> dict[str, Any]:
        after = snapshot(obj)
        item = {
            "op": "create",
            "object_type": object_type_of(obj),
            "object_id": obj.pk,
            "summary": summary,
            "before": None,
            "after": after,
        }
        self.items.append(item)
        self._audit(ChangeAction.CREATE, obj, {"after": after})
        return item

    def update(self, obj: models.Model, values: dict[str, Any], summary: str) -> dict | None:
        """Set ``values`` (attribute names) on ``obj`` and save; nothing when nothing changes."""
        before = {k: to_json(getattr(obj, k)) for k in values}
        after = {k: to_json(v) for k, v in values.items()}
        changed = {k: v for k, v in after.items() if before[k] != v}
        if not changed:
            return None
        for key, value in values.items():
            setattr(obj, key, value)
        fields = list(values)
        if hasattr(obj, "updated_at") and "updated_at" not in values:
            from django.utils import timezone

            obj.updated_at = timezone.now()
            fields.append("updated_at")
        obj.save(update_fields=fields)
        item = {
            "op": "update",
            "object_type": object_type_of(obj),
            "object_id": obj.pk,
            "summary": summary,
            "before": {k: before[k] for k in changed},
            "after": changed,
        }
        self.items.append(item)
        self._audit(ChangeAction.UPDATE, obj, {k: [before[k], after[k]] for k in changed})
        return item

    def m2m_add(self, obj: models.Model, field: str, target: models.Model, summary: str) -> None:
        manager = getattr(obj, field)
        if manager.filter(pk=target.pk).exists():
            return
        manager.add(target)
        self.items.append(
            {
                "op": "m2m_add",
                "object_type": object_type_of(obj),
                "object_id": obj.pk,
                "summary": summary,
                "field": field,
                "target": target.pk,
                "before": None,
                "after": None,
            }
        )
        self._audit(ChangeAction.LINK, obj, {field: [None, target.pk]})


def changes_revert(items: list[dict[str, Any]], *, user: Any = None, reason: str = "") -> int:
    """Undo recorded changes, newest first; returns how many were undone.

    Updates get their old values back, created objects are deleted, links removed. An object
    deleted since (an erased person) is skipped.
    """
    undone = 0
    revert = ChangeSet(reason=reason or "revert", user=user)
    for item in reversed(items):
        model = apps.get_model(item["object_type"])
        obj = model.objects.filter(pk=item["object_id"]).first()
        if obj is None:
            continue
        if item["op"] == "update":
            revert.update(obj, dict(item["before"]), f"revert: {item.get('summary', '')}")
        elif item["op"] == "create":
            audit_record(
                action=ChangeAction.DELETE,
                obj=obj,
                changes={"before": snapshot(obj)},
                reason=reason or "revert",
                user=user,
            )
            obj.delete()
        elif item["op"] == "m2m_add":
            getattr(obj, item["field"]).remove(item["target"])
            audit_record(
                action=ChangeAction.UPDATE,
                obj=obj,
                changes={item["field"]: [item["target"], None]},
                reason=reason or "revert",
                user=user,
            )
        undone += 1
    return undone
