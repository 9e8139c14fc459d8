"""Merge and un-merge through the REST API (token auth), with the change log."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.register.models import Company


@pytest.fixture
def api(db) -> APIClient:
    user = get_user_model().objects.create_user("merger", password="x" * 12)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_merge_and_unmerge(api: APIClient) -> None:
    a = Company.objects.create(display_name="Инфосистемы Джет", name_key="инфосистемы джет")
    b = Company.objects.create(display_name="Jet Infosystems", name_key="jet infosystems")
    assert APIClient().post(f"/api/companies/{a.pk}/merge/", {"other": b.pk}).status_code in (
        401,
        403,
    )
    response = api.post(
        f"/api/companies/{a.pk}/merge/", {"other": b.pk, "reason": "one legal entity"}
    )
    assert response.status_code == 201, response.content
    merge_id = response.json()["id"]
    b.refresh_from_db()
    assert b.merged_into_id == a.pk
    entry = ChangeLogEntry.objects.get(action="merge")
    assert entry.reason == "one legal entity" and entry.user_name == "merger"
    # Merging twice is refused with a reason.
    again = api.post(f"/api/companies/{a.pk}/merge/", {"other": b.pk})
    assert again.status_code == 400
    response = api.post(f"/api/merges/{merge_id}/unmerge/", {"reason": "two entities"})
    assert response.status_code == 200 and response.json()["undone_at"]
    b.refresh_from_db()
    assert b.merged_into_id is None
    assert api.post(f"/api/merges/{merge_id}/unmerge/").status_code == 400
