from __future__ import annotations

import io

import pytest
from django.urls import reverse

from partnernet.apps.selection.models import Partnership, Shortlist, StageHistory


@pytest.fixture
def api(admin_client):
    return admin_client


def test_api_requires_authentication(client, db) -> None:
    assert client.get(reverse("api-selection:regional")).status_code in (401, 403)


@pytest.mark.usefixtures("market")
class TestApproaches:
    def test_regional_get_with_repeated_quotas(self, api) -> None:
        response = api.get(
            reverse("api-selection:regional"),
            {"quotas": ["city:1000000:1", "federal_district:1"], "niches": "infosec", "top": 2},
        )
        assert response.status_code == 200
        data = response.json()
        cities, districts = data["quotas"]
        # The 16 Russian million-plus cities of the 2021 census, plus Almaty, Astana, Shymkent
        # and Minsk (over a million by recent estimates).
        assert cities["territories"] == 20
        names = {row["name"] for row in cities["gaps"]}
        assert {"Красноярск", "Воронеж", "Минск", "Алматы"} <= names
        # Only Moscow has a recruited security partner (Alpha): 19 cities lack one.
        assert cities["territories_with_gap"] == 19 and cities["total_gap"] == 19
        volga = next(r for r in districts["gaps"] if r["key"] == "Приволжский")
        assert [c["name"] for c in volga["candidates"]] == ["АО Дельта"]

    def test_regional_bad_quota_is_400(self, api) -> None:
        response = api.get(reverse("api-selection:regional"), {"quotas": "planet:1"})
        assert response.status_code == 400
        assert "planet" in response.json()["detail"]

    def test_specialisation_post_and_save(self, api) -> None:
        response = api.post(
            reverse("api-selection:specialisation"),
            {"niches": ["information_security"], "sectors": ["oil_gas"], "save": "oil"},
            content_type="application/json",
        )
        data = response.json()
        assert data["entries"][0]["name"] == "АО Дельта"
        assert "vertical experience: oil_gas" in data["entries"][0]["reasons"]
        shortlist = Shortlist.objects.get(name="oil")
        assert data["shortlist"]["id"] == shortlist.pk
        detail = api.get(reverse("api-selection:shortlist-detail", args=[shortlist.pk])).json()
        assert detail["company_ids"] == [e["company_id"] for e in data["entries"]]

    def test_shortlist_create_reruns_the_approach(self, api, market) -> None:
        response = api.post(
            reverse("api-selection:shortlist-list"),
            {"name": "mp", "approach": "regional", "parameters": {"quotas": ["city:1000000:1"]}},
            content_type="application/json",
        )
        assert response.status_code == 201
        ids = set(response.json()["company_ids"])
        # Gaps in Moscow? No (Alpha recruited). Kazan: Delta; Omsk: Epsilon (fits any niche).
        assert ids == {market.companies["delta"].pk, market.companies["epsilon"].pk}

    def test_phased_evaluate_and_apply(self, api, market) -> None:
        data = api.get(reverse("api-selection:phased"), {"evaluate": "true"}).json()
        epsilon = market.companies["epsilon"].pk
        assert [(m["id"], m["direction"], m["to_stage"]) for m in data["moves"]] == [
            (epsilon, "promote", "vip")
        ]
        response = api.post(
            reverse("api-selection:phased-apply"),
            {"moves": [{"company_id": epsilon, "stage": "vip"}]},
            content_type="application/json",
        )
        assert response.json() == {"applied": 1}
        assert Partnership.objects.get(company_id=epsilon).stage.key == "vip"

    def test_stage_rules_patch_validates(self, api) -> None:
        stages = api.get(reverse("api-selection:stage-list")).json()
        vip = next(s for s in stages if s["key"] == "vip")
        url = reverse("api-selection:stage-detail", args=[vip["id"]])
        bad = api.patch(url, {"rules": "deals >>> 3x"}, content_type="application/json")
        assert bad.status_code == 400
        ok = api.patch(url, {"rules": "deals_12m>=1"}, content_type="application/json")
        assert ok.status_code == 200
        data = api.get(reverse("api-selection:phased"), {"evaluate": "true"}).json()
        alpha_moves = [m for m in data["moves"] if m["name"] == "ООО «Альфа»"]
        assert alpha_moves and alpha_moves[0]["to_stage"] == "vip"

    def test_partnership_create_records_history(self, api, market) -> None:
        gamma = market.companies["gamma"].pk
        response = api.post(
            reverse("api-selection:partnership-list"),
            {"company": gamma, "stage": "willing", "kinds": ["reseller"], "deals_12m": 2},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        pk = response.json()["id"]
        api.patch(
            reverse("api-selection:partnership-detail", args=[pk]),
            {"stage": "authorised"},
            content_type="application/json",
        )
        history = api.get(reverse("api-selection:partnership-history", args=[pk])).json()
        assert [(h["from_stage"], h["to_stage"]) for h in history] == [
            (None, "willing"),
            ("willing", "authorised"),
        ]
        assert StageHistory.objects.filter(company_id=gamma).count() == 2

    def test_customer_import_and_ranking(self, api, market) -> None:
        targets = io.BytesIO(
            "name;inn;sector;size\nГазпромнефть;;oil_gas;large\nКлиника;;healthcare;mid\n".encode(
                "cp1251"
            )
        )
        targets.name = "targets.csv"
        suppliers = io.BytesIO(
            (
                "customer;supplier;supplier inn;source\n"
                "Газпромнефть;Дельта;7736207543;tender\n"
                "Газпромнефть;ООО Альфа;;research\n"
                "Клиника;АО Дельта;;list\n"
                "Клиника;Неизвестный интегратор;;list\n"
            ).encode()
        )
        suppliers.name = "suppliers.csv"
        report = api.post(
            reverse("api-selection:customers-import"),
            {"targets": targets, "suppliers": suppliers},
        ).json()
        assert report["targets"]["created"] == 2
        assert report["suppliers"]["linked_by"] == {"inn": 1, "name": 2}
        assert report["suppliers"]["unlinked"] == 1
        data = api.get(reverse("api-selection:customers")).json()
        top = data["partners"][0]
        # Delta serves both: 3 (large) + 1 (mid) = 4.
        assert (top["name"], top["weighted"], top["customer_count"]) == ("АО Дельта", 4.0, 2)
        by_name = {c["name"]: c for c in data["customers"]}
        assert by_name["Газпромнефть"]["covered"] is True  # Alpha is recruited
        assert by_name["Газпромнефть"]["completeness"] == "probably incomplete"  # 2 < 3
        assert by_name["Клиника"]["covered"] is False
        assert by_name["Клиника"]["completeness"] == "ok"
        assert data["covered_share"] == 0.5
