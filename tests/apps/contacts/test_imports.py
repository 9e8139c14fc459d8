"""Contacts import: Russian Excel CSV and XLSX, linking to companies, no duplicates."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from partnernet.apps.contacts.imports import contacts_import
from partnernet.apps.contacts.models import EmailAddress, Person
from partnernet.apps.contacts.services import suppression_add
from partnernet.apps.register.models import Company, CompanyDomain

pytestmark = pytest.mark.django_db

CSV = "\n".join(
    [
        "ФИО;Должность;E-mail;Телефон;Компания;ИНН;Правовое основание",
        "Тарасенко Андрей Викторович;менеджер по работе с партнёрами;"
        "a.tarasenko@vega-it.example;+7 (495) 700-10-22;Вега ИТ;;законный интерес",
        "Смирнова Ольга;руководитель отдела продаж;olga.smirnova@gmail.com;8 916 111-22-33;"
        'ООО "Сибирь Системс";5406000010;согласие',
        "Кузнецов Дмитрий;инженер;d.kuznetsov@sibsys.example;;Сибирь Системс;;",
        "Новиков Пётр;директор;p.novikov@unknown-firm.example;;ООО Неизвестная;;",
        ";;;;;;",
        "Тарасенко Андрей;ведущий менеджер;a.tarasenko@vega-it.example;;Вега ИТ;;",
        "",
    ]
)


@pytest.fixture
def register(db):
    vega = Company.objects.create(display_name="ООО «Вега ИТ»", name_key="вега ит")
    CompanyDomain.objects.create(company=vega, domain="vega-it.example")
    sib = Company.objects.create(
        display_name="ООО «Сибирь Системс»",
        name_key="сибирь системс",
        inn="5406000010",
        inn_valid=True,
    )
    return vega, sib


def test_excel_csv_in_cp1251_is_imported_and_linked(tmp_path, register):
    vega, sib = register
    path = tmp_path / "contacts.csv"
    path.write_bytes(CSV.encode("cp1251"))
    report = contacts_import(path=path, source="выставка 2026")
    assert report["rows"] == 5
    assert report["created"] == 4 and report["updated"] == 1
    # INN wins; the public mail domain (gmail) is never used to link.
    assert report["linked"] == {"domain": 2, "inn": 1, "name": 1}
    assert report["unlinked"] == 1

    tarasenko = Person.objects.get(surname="Тарасенко")
    assert tarasenko.company == vega
    assert tarasenko.patronymic == "Викторович"
    # The second row confirmed the same person and brought a newer position.
    assert tarasenko.position == "ведущий менеджер"
    assert tarasenko.emails.count() == 1
    assert tarasenko.phones.get().number == "+74957001022"
    assert tarasenko.source == "выставка 2026"
    assert tarasenko.legal_basis == "legitimate_interest"

    smirnova = Person.objects.get(surname="Смирнова")
    assert smirnova.company == sib and smirnova.legal_basis == "consent"
    assert smirnova.phones.get().kind == "mobile"
    # Кузнецов's domain is unknown to the register; the company name links him.
    assert Person.objects.get(surname="Кузнецов").company == sib
    assert Person.objects.get(surname="Новиков").company is None


def test_xlsx_with_split_name_columns(tmp_path, register):
    vega, _ = register
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Контакты партнёров на 01.11.2026"])
    sheet.append(["Фамилия", "Имя", "Отчество", "Email", "Компания"])
    sheet.append(["Котова", "Елена", "Сергеевна", "E.Kotova@Vega-IT.example", "Вега ИТ"])
    sheet.append(["Котов", "Олег", None, None, "Вега ИТ"])
    path = tmp_path / "contacts.xlsx"
    workbook.save(path)
    report = contacts_import(path=path, source="партнёрский портал")
    assert report["created"] == 2
    kotova = Person.objects.get(first_name="Елена")
    assert kotova.full_name == "Котова Елена Сергеевна"
    assert kotova.emails.get().address == "e.kotova@vega-it.example"
    assert Person.objects.get(first_name="Олег").company == vega
    # Importing again duplicates nobody.
    again = contacts_import(path=path, source="партнёрский портал")
    assert again["created"] == 0 and again["updated"] == 2
    assert Person.objects.count() == 2


def test_suppressed_addresses_are_imported_but_never_mailed(tmp_path, register):
    suppression_add(value="a.tarasenko@vega-it.example", reason="unsubscribed")
    path = tmp_path / "contacts.csv"
    path.write_text(CSV, encoding="utf-8")
    report = contacts_import(path=path, source="x")
    assert report["suppressed_addresses"] == 2
    assert not EmailAddress.objects.get(address="a.tarasenko@vega-it.example").use_for_mailing
