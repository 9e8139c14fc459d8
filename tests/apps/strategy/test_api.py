"""The strategy API (mounted by tests/apps/strategy/urls.py under /api/strategy/)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.apps.strategy.urls")]


@pytest.fixture
def api(admin_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def test_api_needs_authentication() -> None:
    assert APIClient().get("/api/strategy/strategies/").status_code in (401, 403)


def test_create_check_and_export(api) -> None:
    response = api.post(
        "/api/strategy/strategies/",
        {
            "title": "API strategy",
            "role": "vendor",
            "goal_metric": "market_share",
            "goal_target": "10",
            "goal_horizon_years": "2",
            "choices": [{"dimension": "margin", "tactics": ["fixed", "flexible"]}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    findings = api.get(f"/api/strategy/strategies/{pk}/findings/").json()
    assert "exclusive_conflict" in {f["rule"] for f in findings}
    api.patch(
        f"/api/strategy/strategies/{pk}/",
        {"choices": [{"dimension": "margin", "tactics": ["flexible"]}]},
        format="json",
    )
    findings = api.get(f"/api/strategy/strategies/{pk}/findings/").json()
    assert "exclusive_conflict" not in {f["rule"] for f in findings}
    document = api.get(f"/api/strategy/strategies/{pk}/document/?output=md&lang=en")
    assert document.status_code == 200 and document.content.startswith(b"# API strategy")


def test_copy_example(api) -> None:
    response = api.post(
        "/api/strategy/strategies/from-example/new_vendor_market_share/",
        {"lang": "en"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["copied_from"] == "new_vendor_market_share"
    assert len(response.json()["choices"]) == 12
    assert api.post("/api/strategy/strategies/from-example/nothing/").status_code == 404


def test_catalogue(api) -> None:
    data = api.get("/api/strategy/tactics/").json()
    assert len(data["dimensions"]) == 13


def test_pricing_deal(api) -> None:
    response = api.post(
        "/api/strategy/pricing/deal/",
        {
            "tactic": "floating_by_status",
            "lines": [{"list_price": "200000"}],
            "distributor_pct": "30",
            "partner_pct_by_status": {"Silver": "15"},
            "partner_status": "Silver",
            "store": True,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    partner = next(p for p in data["parties"] if p["role"] == "partner")
    assert (partner["margin"], partner["margin_pct"]) == ("30000.00", "15.00")
    assert [w["code"] for w in data["warnings"]] == ["below_partner_floor"]
    bad = api.post(
        "/api/strategy/pricing/deal/",
        {"tactic": "floating_by_status", "lines": [{"list_price": "1"}]},
        format="json",
    )
    assert bad.status_code == 400


def test_program_evaluation(api) -> None:
    data = api.get("/api/strategy/program/evaluation/").json()
    assert data["partners"] == [] and data["due_for_promotion"] == []


def test_pricing_licensing(api) -> None:
    response = api.post(
        "/api/strategy/pricing/licensing/",
        {
            "licence_price": "1000000",
            "subscription_price": "350000",
            "horizon_years": 6,
            "partner_pct": 25,
            "distributor_pct": 35,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["break_even_year"] == 6
    assert data["perpetual"]["years"][0]["vendor"] == "650000.00"
    assert (
        api.post(
            "/api/strategy/pricing/licensing/", {"licence_price": "1"}, format="json"
        ).status_code
        == 400
    )
