"""Recorded, reversible changes: every write of the contacts rules goes through a ChangeSet.

Each change is written to the audit log (with the message or the user as its source) and kept as
a plain dict ``{"op", "object_type", "object_id", "summary", "before", "after"}`` so that a whole
message's effect, or an accepted proposal's, can be undone later with :func:`changes_revert`.

:func:`changes_undo` is the careful variant for changes made by hand and merges: it gives back
only what nobody changed since (a value still equal to what the change wrote) and reports the
rest, so undoing an old edit never overwrites a newer reply's or user's change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from partnernet.apps.audit.models import ChangeAction
from partnernet.apps.audit.services import audit_record, object_type_of


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

    def __init__(self, *, reason: str, user: Any = None, batch: str = "") -> None:
        self.reason = reason
        self.user = user
        self.batch = batch_of(batch)
        self.items: list[dict[str, Any]] = []

    # How a change is written; the feedback rules' batch ChangeSet defers both to its store.

    def _save(self, obj: models.Model, fields: list[str]) -> None:
        obj.save(update_fields=fields)

    def _before_update(self, obj: models.Model, values: dict[str, Any]) -> None:
        """Called with the new ``values`` before they are set on ``obj``."""

    def _record(
        self, action: str, obj: models.Model, changes: dict[str, Any], item: dict[str, Any]
    ) -> None:
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
        self._record(ChangeAction.CREATE, obj, {"after": after}, item)
        return item

    def update(self, obj: models.Model, values: dict[str, Any], summary: str) -> dict | None:
        """Set ``values`` (attribute names) on ``obj`` and save; nothing when nothing changes."""
        before = {k: to_json(getattr(obj, k)) for k in values}
        after = {k: to_json(v) for k, v in values.items()}
        changed = {k: v for k, v in after.items() if before[k] != v}
        if not changed:
            return None
        self._before_update(obj, values)
        for key, value in values.items():
            setattr(obj, key, value)
        fields = list(values)
        if hasattr(obj, "updated_at") and "updated_at" not in values:
            obj.updated_at = timezone.now()
            fields.append("updated_at")
        self._save(obj, fields)
        item = {
            "op": "update",
            "object_type": object_type_of(obj),
            "object_id": obj.pk,
            "summary": summary,
            "before": {k: before[k] for k in changed},
            "after": changed,
        }
        self.items.append(item)
        self._record(ChangeAction.UPDATE, obj, {k: [before[k], after[k]] for k in changed}, item)
        return item

    def m2m_add(self, obj: models.Model, field: str, target: models.Model, summary: str) -> None:
        manager = getattr(obj, field)
        if manager.filter(pk=target.pk).exists():
            return
        manager.add(target)
        self._m2m_changed("m2m_add", ChangeAction.LINK, obj, field, target, summary)

    def m2m_remove(self, obj: models.Model, field: str, target: models.Model, summary: str) -> None:
        manager = getattr(obj, field)
        if not manager.filter(pk=target.pk).exists():
            return
        manager.remove(target)
        self._m2m_changed("m2m_remove", ChangeAction.UPDATE, obj, field, target, summary)

    def _m2m_changed(
        self,
        op: str,
        action: str,
        obj: models.Model,
        field: str,
        target: models.Model,
        summary: str,
    ) -> None:
        """Keep and log a link added (``[None, target]``) or removed (``[target, None]``)."""
        item = {
            "op": op,
            "object_type": object_type_of(obj),
            "object_id": obj.pk,
            "summary": summary,
            "field": field,
            "target": target.pk,
            "before": None,
            "after": None,
        }
        self.items.append(item)
        change = [None, target.pk] if op == "m2m_add" else [target.pk, None]
        self._record(action, obj, {field: change}, item)

    def delete(self, obj: models.Model, summary: str) -> dict[str, Any]:
        """Delete ``obj`` so that it can be recreated with the same id.

        Rows of other tables that point at it with ``SET_NULL`` are unlinked first, as recorded
        updates (an undo links them again). Rows that would be deleted with it (``CASCADE``) must
        have been moved by the caller: this refuses rather than lose them silently.
        """
        for relation in obj._meta.related_objects:
            if relation.many_to_many or not relation.field.concrete:
                continue
            related = relation.related_model._default_manager.filter(  # type: ignore[union-attr]
                **{relation.field.name: obj}
            )
            if relation.on_delete is models.SET_NULL:
                for row in related:
                    self.update(row, {relation.field.attname: None}, f"{summary}: unlinked")
            elif related.exists():
                raise ValueError(
                    f"{object_type_of(obj)} {obj.pk} still has {relation.related_model.__name__}"
                )
        before = snapshot(obj)
        item = {
            "op": "delete",
            "object_type": object_type_of(obj),
            "object_id": obj.pk,
            "summary": summary,
            "before": before,
            "after": None,
        }
        self._record(ChangeAction.DELETE, obj, {"before": before}, item)
        obj.delete()
        self.items.append(item)
        return item


def _recreate(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """A deleted object back with its id, from its snapshot (JSON values parsed by the fields)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    obj = model(**{k: fields[k].to_python(v) for k, v in values.items() if k in fields})
    obj.save(force_insert=True)
    return obj


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
        elif item["op"] == "m2m_remove":
            revert.m2m_add(obj, item["field"], _target(obj, item), "revert")
        undone += 1
    return undone


def _target(obj: models.Model, item: dict[str, Any]) -> models.Model:
    model = obj._meta.get_field(item["field"]).related_model
    return model._default_manager.get(pk=item["target"])  # type: ignore[union-attr]


@dataclass
class UndoResult:
    undone: int = 0
    # Summaries of the changes left as they are because something changed them since.
    kept: list[str] = dataclass_field(default_factory=list)


def changes_undo(items: list[dict[str, Any]], *, user: Any = None, reason: str = "") -> UndoResult:
    """Undo recorded changes, newest first, without overwriting anything changed since.

    - an update gives back each value still equal to what it wrote; newer values stay;
    - a created object is deleted unless rows of other tables point at it by now (a delivery
      to an address added by hand): then it stays;
    - a deleted object comes back with its id (unless that id is taken);
    - links added are removed and links removed are added again.
    """
    result = UndoResult()
    cs = ChangeSet(reason=reason or "undo", user=user)
    for item in reversed(items):
        model = apps.get_model(item["object_type"])
        obj = model._default_manager.filter(pk=item["object_id"]).first()
        summary = item.get("summary", "")
        op = item["op"]
        if op == "delete":
            if obj is not None:
                result.kept.append(summary)
                continue
            restored = _recreate(model, item["before"])
            cs.created(restored, f"undo: {summary}")
            result.undone += 1
            continue
        if obj is None:
            continue
        if op == "update":
            current = {k: to_json(getattr(obj, k)) for k in item["after"]}
            back = {k: v for k, v in item["before"].items() if current.get(k) == item["after"][k]}
            if len(back) < len(item["after"]):
                result.kept.append(summary)
            if back:
                cs.update(obj, back, f"undo: {summary}")
                result.undone += 1
        elif op == "create":
            if _has_dependants(obj):
                result.kept.append(summary)
                continue
            cs.delete(obj, f"undo: {summary}")
            result.undone += 1
        elif op == "m2m_add":
            cs.m2m_remove(obj, item["field"], _target(obj, item), f"undo: {summary}")
            result.undone += 1
        elif op == "m2m_remove":
            cs.m2m_add(obj, item["field"], _target(obj, item), f"undo: {summary}")
            result.undone += 1
    return result


def _has_dependants(obj: models.Model) -> bool:
    for relation in obj._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        manager = relation.related_model._default_manager  # type: ignore[union-attr]
        if manager.filter(**{relation.field.name: obj}).exists():
            return True
    return False
