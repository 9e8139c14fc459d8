"""The partner programme's REST API: levels and certifications (list, create, update, delete),
the services' validation as 400s with field errors, the certification filters of the web list,
token authentication and the OpenAPI schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from partnernet.apps.contacts.models import Person
from partnernet.apps.register.models import Company, Vendor
from partnernet.apps.strategy import services
from partnernet.apps.strategy.models import Certification, PartnerStanding, ProgramLevel

pytestmark = pytest.mark.django_db

LEVELS = "/api/strategy/program/levels/"
CERTIFICATIONS = "/api/strategy/program/certifications/"


def company(name: str, inn: str = "") -> Company:
    return Company.objects.create(display_name=name, name_key=name.lower(), inn=inn)


@pytest.fixture
def api(admin_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def test_token_authentication(admin_user) -> None:
    client = APIClient()
    assert client.get(LEVELS).status_code in (401, 403)
    assert client.get(CERTIFICATIONS).status_code in (401, 403)
    token = Token.objects.create(user=admin_user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(LEVELS).status_code == 200


def test_levels_create_list_update_delete(api) -> None:
    created = api.post(
        LEVELS,
        {
            "key": "gold",
            "name": "Gold",
            "rank": 3,
            "min_certified_engineers": 2,
            "min_yearly_sales": "10000000",
            "discount_pct": "20",
            "margin_parameters": {"partner_floor_pct": 25, "max_partner_pct": "30.5"},
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["margin_parameters"] == {"partner_floor_pct": "25", "max_partner_pct": "30.5"}
    assert body["partners"] == 0
    api.post(LEVELS, {"key": "silver", "name": "Silver", "rank": 2}, format="json")
    listed = api.get(LEVELS).json()["results"]
    assert [level["key"] for level in listed] == ["silver", "gold"]  # by rank

    pk = body["id"]
    patched = api.patch(f"{LEVELS}{pk}/", {"name": "Gold+"}, format="json")
    assert patched.status_code == 200, patched.content
    gold = ProgramLevel.objects.get(pk=pk)
    # a partial update keeps every other field
    assert (gold.name, gold.min_certified_engineers, gold.margin_parameters["max_partner_pct"]) == (
        "Gold+",
        2,
        "30.5",
    )
    partner = company("Альфа")
    services.partner_standing_set(company=partner, level=gold)
    assert api.get(f"{LEVELS}{pk}/").json()["partners"] == 1

    assert api.delete(f"{LEVELS}{pk}/").status_code == 204
    assert not ProgramLevel.objects.filter(pk=pk).exists()
    # the partner stays in the programme, without a level
    assert PartnerStanding.objects.get(company=partner).level is None


def test_level_errors_name_their_fields(api) -> None:
    services.program_level_save(key="gold", name="Gold", rank=3)
    duplicate = api.post(LEVELS, {"key": "gold", "name": "Other", "rank": 3}, format="json")
    assert duplicate.status_code == 400
    assert set(duplicate.json()) == {"key", "rank"}
    discount = api.post(
        LEVELS, {"key": "x", "name": "X", "rank": 4, "discount_pct": "120"}, format="json"
    )
    assert discount.status_code == 400 and set(discount.json()) == {"discount_pct"}
    for parameters in ({"floor": "a lot"}, {"Partner Floor": "25"}):
        bad = api.post(
            LEVELS,
            {"key": "y", "name": "Y", "rank": 5, "margin_parameters": parameters},
            format="json",
        )
        assert bad.status_code == 400 and set(bad.json()) == {"margin_parameters"}, bad.content
    missing = api.post(LEVELS, {"name": "No key"}, format="json")
    assert missing.status_code == 400 and {"key", "rank"} <= set(missing.json())
    assert ProgramLevel.objects.count() == 1


def test_level_form_shows_the_services_parameter_error() -> None:
    """The web form and the API share the service's checks; a service error on a field the
    form types differently lands on that field, not in a crash."""
    from partnernet.apps.strategy.program_forms import ProgramLevelForm
    from partnernet.apps.strategy.program_views import add_service_error

    form = ProgramLevelForm(
        {
            "key": "k",
            "name": "K",
            "rank": "1",
            "min_yearly_sales": "0",
            "min_certified_sales": "0",
            "min_certified_engineers": "0",
            "min_marketing_activities": "0",
        }
    )
    assert form.is_valid(), form.errors
    with pytest.raises(ValidationError) as raised:
        services.program_level_save(**{**form.service_data(), "margin_parameters": {"x": "y"}})
    add_service_error(form, raised.value)
    assert form.errors["margin_parameters_text"]


@pytest.fixture
def certified() -> dict[str, object]:
    today = timezone.localdate()
    acme = Vendor.objects.create(name="Acme", key="acme")
    other_vendor = Vendor.objects.create(name="Other", key="other")
    alpha, beta = company("Альфа", inn="7707083893"), company("Бета")
    services.certification_save(
        company=alpha, person="Иван Петров", role="engineer", vendor=acme, provider="prometric"
    )
    services.certification_save(
        company=alpha,
        person="Анна Смирнова",
        role="sales",
        vendor=other_vendor,
        expires=today + timedelta(days=30),
    )
    services.certification_save(
        company=beta,
        person="Олег Сидоров",
        role="engineer",
        vendor=acme,
        provider="pearson_vue",
        issued=today - timedelta(days=800),
        expires=today - timedelta(days=10),
    )
    return {"alpha": alpha, "beta": beta, "acme": acme}


def _people(api: APIClient, query: str = "") -> list[str]:
    response = api.get(CERTIFICATIONS + query)
    assert response.status_code == 200, response.content
    return sorted(row["person"] for row in response.json()["results"])


def test_certification_filters_like_the_web_list(api, admin_client, certified) -> None:
    acme = certified["acme"]
    everyone = ["Анна Смирнова", "Иван Петров", "Олег Сидоров"]
    assert _people(api) == everyone
    assert _people(api, "?validity=expired") == ["Олег Сидоров"]
    assert _people(api, "?validity=expiring") == ["Анна Смирнова"]
    assert _people(api, "?validity=valid") == ["Анна Смирнова", "Иван Петров"]
    assert _people(api, f"?vendor={acme.pk}&role=engineer") == ["Иван Петров", "Олег Сидоров"]
    assert _people(api, "?provider=pearson_vue") == ["Олег Сидоров"]
    assert _people(api, "?company=7707083893") == ["Анна Смирнова", "Иван Петров"]
    assert _people(api, f"?company={certified['beta'].pk}") == ["Олег Сидоров"]  # type: ignore[attr-defined]
    assert _people(api, "?company=999999") == []
    assert _people(api, "?q=Смирнова") == ["Анна Смирнова"]
    # the web list answers the same queries alike (one FilterSet)
    for query in ("?validity=valid", f"?vendor={acme.pk}&role=engineer", "?company=7707083893"):
        page = admin_client.get("/strategy/program/certifications/" + query)
        assert sorted(c.person for c in page.context["certifications"]) == _people(api, query)
    assert api.get(CERTIFICATIONS + "?validity=someday").status_code == 400
    row = api.get(CERTIFICATIONS + "?validity=expired").json()["results"][0]
    assert (row["company_name"], row["vendor_name"], row["valid_today"]) == (
        "Бета",
        "Acme",
        False,
    )


def test_certification_create_update_delete(api, certified) -> None:
    alpha = certified["alpha"]
    person = Person.objects.create(company=alpha, full_name="Мария Кузнецова")
    created = api.post(
        CERTIFICATIONS,
        {
            "company": "7707083893",  # INN; the register id works too
            "contact": person.pk,
            "role": "sales",
            "vendor": certified["acme"].pk,  # type: ignore[attr-defined]
            "course": "Acme Sales",
            "issued": "2026-01-15",
            "expires": "2028-01-15",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    # no name typed: the contact's; the provider defaults to "other"
    assert (body["person"], body["company"], body["provider"]) == (
        "Мария Кузнецова",
        alpha.pk,  # type: ignore[attr-defined]
        "other",
    )
    pk = body["id"]
    patched = api.patch(f"{CERTIFICATIONS}{pk}/", {"certificate_number": " AS-7 "}, format="json")
    assert patched.status_code == 200, patched.content
    cert = Certification.objects.get(pk=pk)
    assert (cert.certificate_number, cert.course, cert.contact) == ("AS-7", "Acme Sales", person)
    assert api.delete(f"{CERTIFICATIONS}{pk}/").status_code == 204
    assert not Certification.objects.filter(pk=pk).exists()


def test_certification_errors_name_their_fields(api, certified) -> None:
    stranger = Person.objects.create(company=certified["beta"], full_name="Пётр Иванов")
    cases = [
        ({"company": "7707083893", "role": "engineer"}, {"person"}),
        ({"company": "7707083893", "role": "engineer", "contact": stranger.pk}, {"contact"}),
        (
            {
                "company": "7707083893",
                "person": "X",
                "role": "engineer",
                "issued": "2026-05-01",
                "expires": "2026-01-01",
            },
            {"expires"},
        ),
        ({"company": "0000000000", "person": "X", "role": "engineer"}, {"company"}),
        ({"company": "7707083893", "person": "X", "role": "boss"}, {"role"}),
    ]
    before = Certification.objects.count()
    for data, fields in cases:
        response = api.post(CERTIFICATIONS, data, format="json")
        assert response.status_code == 400, (data, response.content)
        assert set(response.json()) == fields, (data, response.json())
    assert Certification.objects.count() == before


def test_openapi_schema_describes_the_programme(api) -> None:
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths[LEVELS])
    assert {"get", "put", "patch", "delete"} <= set(paths[LEVELS + "{id}/"])
    parameters = {p["name"] for p in paths[CERTIFICATIONS]["get"]["parameters"]}
    assert {"q", "company", "vendor", "provider", "role", "validity"} <= parameters
    components = schema["components"]["schemas"]
    assert "margin_parameters" in components["ProgramLevel"]["properties"]
    assert components["Certification"]["properties"]["company"]["type"] == "string"


PARTNERS = "/api/strategy/program/partners/"


def test_partners_join_move_and_leave_the_programme(api) -> None:
    silver = services.program_level_save(
        key="silver", name="Silver", rank=2, min_certified_engineers=1
    )
    services.program_level_save(key="gold", name="Gold", rank=3, min_certified_engineers=2)
    alpha = company("Альфа", inn="7707083893")
    joined = api.post(
        PARTNERS,
        {"company": "7707083893", "level": "gold", "yearly_sales": "5000000"},
        format="json",
    )
    assert joined.status_code == 201, joined.content
    assert (joined.json()["company"], joined.json()["level"]) == (alpha.pk, "gold")
    services.certification_save(company=alpha, person="Иван Петров", role="engineer")
    # the evaluation judges the partner: one engineer is enough for Silver, not for Gold
    (row,) = api.get("/api/strategy/program/evaluation/").json()["partners"]
    assert (row["current_level"], row["qualifying_level"], row["movement"]) == (
        "gold",
        "silver",
        "demote",
    )
    pk = joined.json()["id"]
    moved = api.patch(f"{PARTNERS}{pk}/", {"level": "silver"}, format="json")
    assert moved.status_code == 200, moved.content
    standing = PartnerStanding.objects.get(company=alpha)
    assert (standing.level, standing.yearly_sales) == (silver, 5_000_000)  # sales kept
    # posting the same company again updates its standing rather than failing
    again = api.post(PARTNERS, {"company": str(alpha.pk), "level": None}, format="json")
    assert again.status_code == 201 and PartnerStanding.objects.get().level is None
    assert [p["company"] for p in api.get(PARTNERS + "?level=silver").json()["results"]] == []
    unknown = api.post(PARTNERS, {"company": "7707083893", "level": "platinum"}, format="json")
    assert unknown.status_code == 400 and set(unknown.json()) == {"level"}
    other = company("Бета")
    refused = api.patch(f"{PARTNERS}{pk}/", {"company": other.pk}, format="json")
    assert refused.status_code == 400 and set(refused.json()) == {"company"}
    assert api.delete(f"{PARTNERS}{pk}/").status_code == 204
    assert not PartnerStanding.objects.exists()
    assert Certification.objects.filter(company=alpha).exists()  # certifications stay
