"""Writes to the change log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from .models import ChangeLogEntry


def object_type_of(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


@dataclass
class AuditEntry:
    """One change to write in bulk with :func:`audit_record_many`."""

    action: str
    object_type: str
    object_id: str
    object_repr: str = ""
    changes: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


def _user_fields(user: Any) -> dict[str, Any]:
    if user is not None and getattr(user, "is_authenticated", False):
        return {"user": user, "user_name": user.get_username()}
    if isinstance(user, str):
        return {"user": None, "user_name": user}
    return {"user": None, "user_name": ""}


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
    user: Any = None,
    batch: str = "",
) -> ChangeLogEntry:
    """Record one change. ``changes`` maps a field to ``[old, new]`` (or any JSON for imports)."""
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:500]
    return ChangeLogEntry.objects.create(
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:500],
        changes=changes or {},
        reason=reason,
        batch=batch,
        **_user_fields(user),
    )


def audit_record_many(
    *, entries: Iterable[AuditEntry], user: Any = None, batch: str = "", reason: str = ""
) -> int:
    """Record many changes in bulk (an import's new companies); returns how many."""
    now = timezone.now()
    who = _user_fields(user)
    rows = [
        ChangeLogEntry(
            time=now,
            action=entry.action,
            object_type=entry.object_type,
            object_id=str(entry.object_id),
            object_repr=entry.object_repr[:500],
            changes=entry.changes,
            reason=entry.reason or reason,
            batch=batch,
            **who,
        )
        for entry in entries
    ]
    ChangeLogEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }
