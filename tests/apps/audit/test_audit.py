from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.audit.selectors import audit_history
from partnernet.apps.audit.services import AuditEntry, audit_record, audit_record_many, diff
from partnernet.apps.register.models import Vendor

pytestmark = pytest.mark.django_db


def test_record_with_object_user_and_reason() -> None:
    user = get_user_model().objects.create_user("anna", password="x" * 12)
    vendor = Vendor.objects.create(name="Huawei", key="huawei")
    entry = audit_record(
        action="update",
        obj=vendor,
        changes={"website": ["", "huawei.com"]},
        reason="site",
        user=user,
    )
    assert (entry.object_type, entry.object_id, entry.object_repr) == (
        "register.vendor",
        str(vendor.pk),
        "Huawei",
    )
    assert entry.user == user and entry.user_name == "anna"
    assert list(audit_history(obj=vendor)) == [entry]


def test_bulk_records_share_a_batch_and_history_is_newest_first() -> None:
    vendor = Vendor.objects.create(name="Cisco", key="cisco")
    count = audit_record_many(
        entries=[
            AuditEntry("create", "register.vendor", str(vendor.pk)),
            AuditEntry("update", "register.vendor", str(vendor.pk), changes={"a": [1, 2]}),
        ],
        user="import",
        batch="b1",
    )
    assert count == 2
    later = audit_record(action="merge", obj=vendor, reason="duplicate")
    history = list(audit_history(obj=vendor))
    assert history[0] == later
    assert {e.batch for e in history[1:]} == {"b1"}
    assert ChangeLogEntry.objects.filter(user_name="import").count() == 2


def test_diff() -> None:
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
    assert diff({"a": 1}, {"a": 1}) == {}
