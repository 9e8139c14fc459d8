from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from partnernet.apps.register.models import Company, Source, SourceRow

from .helpers import INN_A, VENDOR_LIST, write_csv


@pytest.fixture
def api(db) -> APIClient:
    user = get_user_model().objects.create_user("api", password="x" * 12)
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_token_required(db) -> None:
    assert APIClient().get("/api/companies/").status_code in (401, 403)


@pytest.mark.usefixtures("register")
class TestRegisterApi:
    def test_companies_with_the_shared_filters(self, api) -> None:
        data = api.get("/api/companies/", {"q": "ромашка"}).json()
        assert data["count"] == 1
        assert data["results"][0]["inn"] == INN_A
        spb = api.get("/api/companies/", {"city": "СПб"}).json()
        assert spb["count"] == 1
        ordered = api.get("/api/companies/", {"ordering": "-source_count"}).json()["results"]
        assert ordered[0]["inn"] == INN_A

    def test_company_detail(self, api) -> None:
        company = Company.objects.get(inn=INN_A)
        data = api.get(f"/api/companies/{company.pk}/").json()
        assert {n["name"] for n in data["names"]} == {"ООО «Ромашка»", "Romashka LLC"}
        assert data["identifiers"][0]["valid"] is True
        assert "networking" in data["specialisations"]

    def test_sources_rows_authorisations_vendors(self, api) -> None:
        sources = api.get("/api/sources/").json()["results"]
        assert {s["name"] for s in sources} == {"Huawei RU", "Cisco locator"}
        source = Source.objects.get(name="Huawei RU")
        failed = api.get("/api/source-rows/", {"source": source.pk, "failed": "true"}).json()
        assert failed["count"] == 1 and failed["results"][0]["row_number"] == 5
        auths = api.get("/api/authorisations/", {"level_rank_min": 4}).json()["results"]
        assert all(a["level_rank"] >= 4 for a in auths) and auths
        vendors = api.get("/api/vendors/").json()["results"]
        assert [v["name"] for v in vendors] == ["Cisco", "Huawei"]


def test_import_through_the_api(api, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", VENDOR_LIST)
    with open(path, "rb") as handle:
        response = api.post(
            "/api/sources/import/",
            {"file": handle, "source": "Huawei RU", "vendor": "Huawei"},
            format="multipart",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["row_count"] == 6 and body["report"]["errors"] == 1
    assert SourceRow.objects.count() == 6
    with open(path, "rb") as handle:
        again = api.post(
            "/api/sources/import/", {"file": handle, "source": "Huawei RU"}, format="multipart"
        )
    assert again.status_code == 200 and again.json()["report"]["unchanged"] is True
    bad = tmp_path / "bad.html"
    bad.write_text("<html><p>none</p></html>")
    with open(bad, "rb") as handle:
        response = api.post(
            "/api/sources/import/", {"file": handle, "source": "X"}, format="multipart"
        )
    assert response.status_code == 400 and "bad.html" in response.json()["detail"]


def test_openapi_schema_lists_register_endpoints(api) -> None:
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/companies/",
        "/api/sources/",
        "/api/source-rows/",
        "/api/authorisations/",
        "/api/vendors/",
        "/api/sources/import/",
    ):
        assert path in paths
