from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from partnernet.apps.selection.models import Partnership, Shortlist, StageHistory
from partnernet.apps.selection.services import partnership_set


def test_pages_require_login(client, db) -> None:
    response = client.get(reverse("selection:home"))
    assert response.status_code in (302, 403)


@pytest.mark.usefixtures("market")
class TestPages:
    def test_home_shows_funnel_counts(self, admin_client) -> None:
        body = admin_client.get(reverse("selection:home")).content.decode()
        summary = body.split('id="funnel-summary"')[1].split("</ul>")[0]
        assert re.search(r"Все желающие: <strong>1</strong>", summary)
        assert re.search(r"Авторизованные: <strong>1</strong>", summary)

    def test_regional_gap_report_map_and_save(self, admin_client, market) -> None:
        url = reverse("selection:regional")
        params = {"quotas": "city:1000000:2", "niches": ["information_security"], "top": 3}
        response = admin_client.get(url, params)
        assert response.status_code == 200
        body = response.content.decode()
        # The map: a Vega-Lite spec with the conic projection and Moscow as a point.
        spec_text = re.search(r'id="gap-chart-0-spec"[^>]*>(.*?)</script>', body, re.S).group(1)
        spec = json.loads(spec_text)
        assert spec["projection"]["type"] == "conicEqualArea"
        points = {p["name"]: p for p in spec["layer"][1]["data"]["values"]}
        assert len(points) == 20
        assert points["Москва"]["have"] == 1 and points["Москва"]["gap"] == 1
        assert points["Казань"]["have"] == 0 and points["Казань"]["gap"] == 2
        assert "vega-lite.min.js" in body
        # Save: the same parameters are re-run and stored.
        response = admin_client.post(
            url + "?" + response.wsgi_request.GET.urlencode(), {"name": "MP"}
        )
        shortlist = Shortlist.objects.get(name="MP")
        assert response.status_code == 302
        names = [e.company.display_name for e in shortlist.entries.order_by("rank")]
        # Moscow's gap lists Beta (Gamma is networking only; Alpha is recruited); Kazan: Delta;
        # Omsk: Epsilon, whose direction is unknown (a partial fit, not a mismatch).
        assert set(names) == {"Бета", "АО Дельта", "Эпсилон"}

    def test_branches_are_counted_and_explained(self, admin_client, market) -> None:
        url = reverse("selection:regional")
        delta = market.companies["delta"]
        page = admin_client.get(url, {"quotas": "city:1000000:1", "top": 3}).content.decode()
        # Delta (head office in Kazan) is a candidate in Novosibirsk through its branch
        assert "филиал здесь; головной офис: Казань" in page
        partnership_set(company=delta, stage="authorised")
        page = admin_client.get(url, {"quotas": "city:1000000:1", "top": 3}).content.decode()
        assert page.count('class="text-muted small at-branches"') == 3  # Yekaterinburg, …
        assert "в т.ч. 1 в филиале" in page
        head_only = admin_client.get(url, {"quotas": "city:1000000:1:hq", "top": 3})
        assert "at-branches" not in head_only.content.decode()

    def test_federal_district_quota_renders_bars(self, admin_client) -> None:
        response = admin_client.get(
            reverse("selection:regional"), {"quotas": "federal_district:1", "top": 2}
        )
        body = response.content.decode()
        spec = json.loads(
            re.search(r'id="gap-chart-0-spec"[^>]*>(.*?)</script>', body, re.S).group(1)
        )
        assert spec["mark"] == "bar"

    def test_bad_quota_is_reported(self, admin_client) -> None:
        response = admin_client.get(reverse("selection:regional"), {"quotas": "planet:3", "top": 2})
        assert response.status_code == 200
        body = response.content.decode()
        assert "Неизвестный тип территории «planet»" in body  # in the user's language
        assert "unknown territory type" not in body
        assert not Shortlist.objects.exists()

    def test_specialisation_warns_about_smb_partner(self, admin_client) -> None:
        response = admin_client.get(
            reverse("selection:specialisation"),
            {"niches": ["information_security"], "sectors": ["enterprise"], "limit": 10},
        )
        table = response.content.decode().split('id="specialisation-table"')[1]
        assert table.index("АО Дельта") < table.index("Бета")
        # The engine's phrase, translated (Russian is the default) with the sectors' names.
        assert (
            "работает с заказчиками сегмента Малый и средний бизнес (SMB); "
            "нужен сегмент Крупный бизнес (Enterprise)"
        ) in table
        assert "авторизован" not in table  # that phrase belongs to the regional report
        assert "работает в направлениях: Информационная безопасность" in table

    def test_phased_evaluate_apply_and_history(self, admin_client, market) -> None:
        url = reverse("selection:phased")
        body = admin_client.get(url, {"evaluate": 1}).content.decode()
        epsilon = market.companies["epsilon"]
        assert f'value="{epsilon.pk}:vip"' in body
        response = admin_client.post(url, {"action": "apply", "move": [f"{epsilon.pk}:vip"]})
        assert response.status_code == 302
        assert Partnership.objects.get(company=epsilon).stage.key == "vip"
        history = admin_client.get(reverse("selection:partnership", args=[epsilon.pk]))
        table = history.content.decode().split('id="stage-history"')[1]
        assert "VIP-клуб" in table and "Все желающие" in table
        assert StageHistory.objects.filter(company=epsilon).count() == 2

    def test_rules_edit_refuses_nonsense(self, admin_client) -> None:
        from partnernet.apps.selection.models import FunnelStageDefinition

        stage = FunnelStageDefinition.objects.get(key="vip")
        prefix = f"stage-{stage.pk}"
        refused = admin_client.post(
            reverse("selection:phased"),
            {
                "action": "rules",
                "stage": stage.pk,
                f"{prefix}-name": stage.name,
                f"{prefix}-name_en": stage.name_en,
                f"{prefix}-rules": "deals_12m ~ lots",
                f"{prefix}-counts_as_recruited": "on",
            },
            follow=True,
        )
        assert "Не удалось прочитать правило «deals_12m ~ lots»" in refused.content.decode()
        stage.refresh_from_db()
        assert "deals_12m>=5" in stage.rules
        admin_client.post(
            reverse("selection:phased"),
            {
                "action": "rules",
                "stage": stage.pk,
                f"{prefix}-name": stage.name,
                f"{prefix}-name_en": stage.name_en,
                f"{prefix}-rules": "deals_12m >= 10",
                f"{prefix}-counts_as_recruited": "on",
            },
        )
        stage.refresh_from_db()
        assert stage.rules == "deals_12m>=10"

    def test_partnership_form_creates_and_records(self, admin_client, market) -> None:
        gamma = market.companies["gamma"]
        url = reverse("selection:partnership", args=[gamma.pk])
        response = admin_client.post(
            url,
            {
                "stage": "willing",
                "kinds": ["reseller"],
                "deals_12m": 1,
                "certified_people": 0,
                "marketing_events_12m": 0,
                "notes": "",
            },
        )
        assert response.status_code == 302
        partnership = Partnership.objects.get(company=gamma)
        assert partnership.kinds == ["reseller"] and partnership.deals_12m == 1

    def test_shortlist_export_csv_and_xlsx(self, admin_client, market) -> None:
        from partnernet.apps.selection.selectors import fit_criteria, specialisation_selection
        from partnernet.apps.selection.services import shortlist_save

        result = specialisation_selection(criteria=fit_criteria(niches=["infosec"]))
        shortlist = shortlist_save(
            name="IS",
            approach="specialisation",
            parameters=result["parameters"],
            entries=result["entries"],
        )
        url = reverse("selection:shortlist", args=[shortlist.pk])
        text = admin_client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][:3] == ["rank", "company_id", "name"]
        assert [r[2] for r in rows[1:]] == [e["name"] for e in result["entries"]]
        data = admin_client.get(url, {"export": "xlsx"}).content
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert sheet.max_row == len(result["entries"]) + 1
        detail = admin_client.get(url).content.decode()
        assert "АО Дельта" in detail


def test_saved_quotas_are_offered(admin_client, market) -> None:
    from partnernet.apps.selection.services import quota_create

    quota_create(spec="city:1000000:5", label="Миллионники", criteria={"niches": ["infosec"]})
    body = admin_client.get(reverse("selection:regional")).content.decode()
    offered = body.split('id="saved-quotas"')[1].split("</p>")[0]
    assert "Миллионники" in offered and "quotas=city%3A1000000%3A5" in offered
    assert "niches=infosec" in offered


def test_explanations_translate_and_pass_unknown_phrases(db) -> None:
    from django.utils import translation

    from partnernet.apps.selection.explain import Explainer

    with translation.override("ru"):
        explain = Explainer()
        assert explain("authorised by 3 vendor(s)") == "авторизован 3 вендорами"
        assert explain("authorised by 1 vendor(s)") == "авторизован 1 вендором"
        assert explain("vertical experience: oil_gas") == "опыт в вертикали: Нефть и газ"
        assert explain("something new") == "something new"
    with translation.override("en"):
        assert Explainer()("works in cloud, storage") == "works in Cloud, Storage"
