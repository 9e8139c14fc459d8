"""Partner programme in the web UI: levels, certifications (with contacts), a partner's
standing, the evaluation and the promotion/demotion report with CSV/XLSX exports."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from partnernet.apps.contacts.models import Person
from partnernet.apps.register.models import Company, Vendor
from partnernet.apps.strategy import selectors, services
from partnernet.apps.strategy.models import Certification, PartnerStanding, ProgramLevel

pytestmark = pytest.mark.django_db


def company(name: str, inn: str = "") -> Company:
    return Company.objects.create(display_name=name, name_key=name.lower(), inn=inn)


@pytest.fixture
def programme() -> dict[str, object]:
    """Registered (rank 1, nothing), Silver (1 engineer), Gold (1 engineer, 1 sales, sales 10M).
    Alpha: Silver now, has an engineer and a sales manager and 12M sales → due for Gold.
    Beta: Gold now, its only engineer's certificate expired → demote to Registered."""
    registered = services.program_level_save(key="registered", name="Registered", rank=1)
    silver = services.program_level_save(
        key="silver", name="Silver", rank=2, min_certified_engineers=1
    )
    gold = services.program_level_save(
        key="gold",
        name="Gold",
        rank=3,
        min_certified_engineers=1,
        min_certified_sales=1,
        min_yearly_sales=Decimal(10_000_000),
        discount_pct=Decimal(20),
        margin_parameters={"partner_floor_pct": "25"},
    )
    alpha, beta = company("Альфа", inn="7707083893"), company("Бета")
    services.partner_standing_set(company=alpha, level=silver, yearly_sales=Decimal(12_000_000))
    services.partner_standing_set(company=beta, level=gold)
    today = timezone.localdate()
    services.certification_save(company=alpha, person="Иван Петров", role="engineer")
    services.certification_save(
        company=alpha, person="Анна Смирнова", role="sales", provider="vendor_web_course"
    )
    services.certification_save(
        company=beta,
        person="Олег Сидоров",
        role="engineer",
        provider="pearson_vue",
        issued=today - timedelta(days=800),
        expires=today - timedelta(days=10),
    )
    return {"levels": (registered, silver, gold), "alpha": alpha, "beta": beta}


def test_levels_are_added_and_edited_in_the_ui(admin_client) -> None:
    url = reverse("strategy:program_levels")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "key": "gold",
            "name": "Gold",
            "rank": "3",
            "min_yearly_sales": "10000000",
            "min_certified_sales": "2",
            "min_certified_engineers": "3",
            "min_marketing_activities": "4",
            "discount_pct": "20",
            "margin_parameters_text": "partner_floor_pct = 25\nmax_partner_pct = 30,5",
            "benefits": "deal registration",
        },
    )
    assert response.status_code == 302
    gold = ProgramLevel.objects.get(key="gold")
    assert (gold.min_certified_engineers, gold.discount_pct) == (3, Decimal(20))
    assert gold.margin_parameters == {"partner_floor_pct": "25", "max_partner_pct": "30.5"}
    assert selectors.program_levels()[0].benefits.margin_parameters["partner_floor_pct"] == "25"
    edit = admin_client.get(reverse("strategy:program_level", args=[gold.pk])).content.decode()
    assert "partner_floor_pct = 25" in edit
    bad = admin_client.post(
        reverse("strategy:program_level", args=[gold.pk]),
        {"key": "gold", "name": "Gold", "rank": "3", "margin_parameters_text": "floor = high"},
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    # a second level with the same rank is refused with the form, not a server error
    clash = admin_client.post(url, {"key": "platinum", "name": "Platinum", "rank": "3"})
    assert clash.status_code == 200 and not ProgramLevel.objects.filter(key="platinum").exists()
    admin_client.post(reverse("strategy:program_level", args=[gold.pk]), {"action": "delete"})
    assert not ProgramLevel.objects.exists()


def test_certification_with_a_contact(admin_client) -> None:
    alpha = company("Альфа", inn="7707083893")
    other = company("Другая")
    person = Person.objects.create(company=alpha, full_name="Иван Петров")
    stranger = Person.objects.create(company=other, full_name="Пётр Иванов")
    vendor = Vendor.objects.create(name="Acme", key="acme")
    new = reverse("strategy:certification_create")
    form = admin_client.get(new + f"?company={alpha.pk}").context["form"]
    assert list(form.fields["contact"].queryset) == [person]
    response = admin_client.post(
        new,
        {
            "company_ref": "7707083893",
            "contact": person.pk,
            "role": "engineer",
            "vendor": vendor.pk,
            "course": "Acme Certified Engineer",
            "provider": "prometric",
            "certificate_number": "ACE-1",
            "issued": "2026-01-15",
            "expires": "2028-01-15",
        },
    )
    assert response.status_code == 302
    cert = Certification.objects.get()
    assert (cert.person, cert.contact, cert.company) == ("Иван Петров", person, alpha)
    assert person.certifications.get() == cert
    refused = admin_client.post(
        new, {"company_ref": str(alpha.pk), "contact": stranger.pk, "role": "sales"}
    )
    assert refused.status_code == 200 and Certification.objects.count() == 1
    with pytest.raises(ValidationError):
        services.certification_save(
            company=alpha,
            person="X",
            role="sales",
            issued=date(2026, 2, 1),
            expires=date(2026, 1, 1),
        )
    unknown = admin_client.post(new, {"company_ref": "999999", "person": "X", "role": "sales"})
    assert "company_ref" in unknown.context["form"].errors
    # edit and delete
    url = reverse("strategy:certification", args=[cert.pk])
    admin_client.post(
        url,
        {
            "company_ref": str(alpha.pk),
            "person": "Иван Петров",
            "contact": person.pk,
            "role": "engineer",
            "provider": "pearson_vue",
        },
    )
    cert.refresh_from_db()
    assert (cert.provider, cert.course, cert.expires) == ("pearson_vue", "", None)
    admin_client.post(url, {"action": "delete"})
    assert not Certification.objects.exists()


def test_certifications_list_filters_and_exports(admin_client, programme) -> None:
    url = reverse("strategy:certifications")
    page = admin_client.get(url)
    assert page.context["total"] == 3
    expired = admin_client.get(url + "?validity=expired")
    assert [c.person for c in expired.context["certifications"]] == ["Олег Сидоров"]
    response = admin_client.get(url + "?validity=valid&export=csv")
    assert response["Content-Disposition"].endswith('certifications.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["person"] for r in rows) == ["Анна Смирнова", "Иван Петров"]
    assert {r["valid_today"] for r in rows} == {"yes"} and rows[0]["inn"] == "7707083893"
    xlsx = admin_client.get(url + "?provider=pearson_vue&export=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert values[0][4] == "person" and values[1][4] == "Олег Сидоров"
    assert values[1][-1] == "no" and len(values) == 2


def test_evaluation_and_the_report_of_moves(admin_client, programme) -> None:
    alpha, beta = programme["alpha"], programme["beta"]
    page = admin_client.get(reverse("strategy:program")).content.decode()
    assert f'id="partner-{alpha.pk}"' in page
    assert 'data-movement="promote"' in page and 'data-movement="demote"' in page
    report = admin_client.get(reverse("strategy:program_report", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(report.content.decode("utf-8-sig"))))
    moves = {r["partner"]: (r["current_level"], r["qualifies_for"], r["movement"]) for r in rows}
    assert moves == {
        "Альфа": ("Silver", "Gold", "promote"),
        "Бета": ("Gold", "Registered", "demote"),
    }
    beta_row = next(r for r in rows if r["partner"] == "Бета")
    assert beta_row["lacks_to_keep_current_level"].count("/") == 3  # engineers, sales, money
    # before the certificate expired Beta lacked only sales and money for Gold
    earlier = (timezone.localdate() - timedelta(days=20)).isoformat()
    past = admin_client.get(reverse("strategy:program_report", args=["xlsx"]) + f"?as_of={earlier}")
    sheet = list(load_workbook(io.BytesIO(past.content)).active.values)
    beta_past = next(r for r in sheet[1:] if r[2] == "Бета")
    assert beta_past[5] == "demote" and beta_past[4] == "Silver"
    # nobody is due: the report has its header only, unless every partner is asked for
    PartnerStanding.objects.filter(company=beta).delete()
    services.partner_standing_set(
        company=alpha, level=programme["levels"][2], yearly_sales=Decimal(12_000_000)
    )
    url = reverse("strategy:program_report", args=["csv"])
    due = list(csv.reader(io.StringIO(admin_client.get(url).content.decode("utf-8-sig"))))
    assert len(due) == 1
    every = admin_client.get(url + "?all=1").content.decode("utf-8-sig")
    assert [r["movement"] for r in csv.DictReader(io.StringIO(every))] == ["keep"]


def test_partner_standing_page_links_the_evaluation(admin_client, programme) -> None:
    alpha = programme["alpha"]
    url = reverse("strategy:program_partner", args=[alpha.pk])
    page = admin_client.get(url).content.decode()
    assert f"{reverse('strategy:program')}#partner-{alpha.pk}" in page
    assert 'data-movement="promote"' in page and "Анна Смирнова" in page
    gold = programme["levels"][2]
    admin_client.post(
        url, {"level": gold.pk, "yearly_sales": "12000000", "marketing_activities": "2"}
    )
    standing = PartnerStanding.objects.get(company=alpha)
    assert (standing.level, standing.marketing_activities) == (gold, 2)
    assert 'data-movement="keep"' in admin_client.get(url).content.decode()
    newcomer = company("Гамма", inn="7736207543")
    added = admin_client.post(
        reverse("strategy:program_partner_add"), {"company_ref": "7736207543"}
    )
    assert added["Location"] == reverse("strategy:program_partner", args=[newcomer.pk])
    assert PartnerStanding.objects.filter(company=newcomer, level=None).exists()
    admin_client.post(url, {"action": "remove"})
    assert not PartnerStanding.objects.filter(company=alpha).exists()


def test_calculator_offers_the_programme_discounts(admin_client, programme) -> None:
    ProgramLevel.objects.filter(key="silver").update(discount_pct=Decimal("15.5"))
    form = admin_client.get(reverse("strategy:pricing")).context["form"]
    # Registered has no discount: only the levels that set one are statuses
    assert form.fields["status_discounts"].initial == "Silver=15.5, Gold=20"
