from __future__ import annotations

from typing import Any

import pytest

from partnernet.apps.contacts.services import person_create
from partnernet.apps.register.models import Company, CompanyDomain, CompanyPhone
from tests.servers.fixtures import dovecot, imap_account, smtp_server  # noqa: F401

SECRET = "test-verp-secret"


@pytest.fixture(autouse=True)
def _mail_settings(settings: Any) -> None:
    settings.PARTNERNET_VERP_SECRET = SECRET
    settings.PARTNERNET_PUBLIC_URL = "https://partnernet.example"
    settings.PARTNERNET_BOUNCE_DOMAIN = "news.partnernet.example"
    settings.PARTNERNET_MAIL_RATE_PER_MINUTE = 0  # no pacing unless a test asks for it
    settings.PARTNERNET_FEEDBACK_MODE = "propose"


@pytest.fixture
def partners(db: Any) -> dict[str, Any]:
    """Two partners with people at known addresses (invented names and domains)."""
    vega = Company.objects.create(
        display_name="ООО «Вега ИТ»",
        name_key="вега ит",
        inn="7707083893",
        inn_valid=True,
        primary_domain="vega-it.example",
        city_name="Москва",
        region="Москва",
    )
    CompanyDomain.objects.create(company=vega, domain="vega-it.example")
    CompanyPhone.objects.create(company=vega, number="+74957001020")
    orion = Company.objects.create(
        display_name="АО «Орион Системс»",
        name_key="орион системс",
        primary_domain="orion-sys.example",
        city_name="Казань",
        region="Республика Татарстан",
    )
    CompanyDomain.objects.create(company=orion, domain="orion-sys.example")
    people = {
        "shinkarev": person_create(
            full_name="Шинкарев Борис Петрович",
            company=vega,
            position="директор",
            emails=["b.shinkarev@vega-it.example"],
            source="test",
        ),
        "gorskin": person_create(
            full_name="Горскин Павел Ильич",
            company=vega,
            position="менеджер по продажам",
            emails=["p.gorskin@vega-it.example"],
            source="test",
        ),
        "tsyganov": person_create(
            full_name="Цыганов Роман",
            company=vega,
            emails=["r.tsyganov@vega-it.example"],
            phones=["+7 (495) 700-10-21"],
            source="test",
        ),
        "lebedeva": person_create(
            full_name="Лебедева Анна Сергеевна",
            company=orion,
            position="руководитель отдела",
            emails=["a.lebedeva@orion-sys.example"],
            source="test",
        ),
        "kim": person_create(
            full_name="Ким Олег",
            company=orion,
            emails=["o.kim@orion-sys.example"],
            source="test",
        ),
    }
    return {"vega": vega, "orion": orion, "people": people}


@pytest.fixture
def smtp_settings(settings: Any, smtp_server: Any) -> Any:  # noqa: F811
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    return smtp_server
