"""Reads of the change log."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from .models import ChangeLogEntry
from .services import object_type_of


def audit_history(*, obj: models.Model, limit: int | None = 200) -> QuerySet[ChangeLogEntry]:
    """Newest-first changes of one object."""
    entries = ChangeLogEntry.objects.filter(
        object_type=object_type_of(obj), object_id=str(obj.pk)
    ).select_related("user")
    return entries[:limit] if limit else entries
