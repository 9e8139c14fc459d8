from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.sources.canonical import canonical_row, country_code, row_content_hash
from partnernet.engines.sources.headers import FIELDS


def test_full_row() -> None:
    record = canonical_row(
        {
            "name": 'ООО "Инфосистемы Джет"',
            "inn": "7707083893",
            "city": "г. Москва",
            "website": "https://www.jet.su/contacts",
            "phone": "+7 (495) 411-76-01 доб. 123; 8 800 100-20-30",
            "email": "info@jet.su, ivanov@mail.ru",
            "level": "Золотой партнёр",
            "specialisations": "ИБ, сетевое оборудование",
            "sectors": "Enterprise; нефтегаз",
            "vendor": "Huawei",
        }
    )
    assert record["error"] is None and record["warnings"] == []
    assert record["legal_form"] == "ООО"
    assert record["inn"] == "7707083893"
    assert record["country"] == "RU"
    assert record["city"]["key"] == "RU-MOW-moskva"
    assert record["federal_district"] == "Центральный"
    assert record["domains"] == ["jet.su"]  # mail.ru is a public mail domain
    assert record["emails"] == ["info@jet.su", "ivanov@mail.ru"]
    assert record["phones"] == ["+74954117601", "+78001002030"]
    assert (record["level"], record["level_rank"]) == ("Золотой партнёр", 4)
    assert record["specialisations"] == ["information_security", "networking"]
    assert record["sectors"] == ["enterprise", "oil_gas"]
    assert record["vendor"] == "Huawei"
    assert "джет" in record["name_key"]


def test_row_without_a_name_is_an_error() -> None:
    assert canonical_row({"inn": "7707083893"})["error"] == "no company name"
    only_form = canonical_row({"name": "ООО"})
    assert only_form["error"] and "legal form" in only_form["error"]


def test_bad_checksum_is_kept_flagged_and_warned() -> None:
    record = canonical_row({"name": "ООО Бета", "inn": "7707083894"})
    assert "inn" not in record
    assert record["identifiers"] == [
        {"kind": "inn", "value": "7707083894", "valid": False, "error": "InvalidChecksum"}
    ]
    assert any("7707083894" in w and "checksum" in w for w in record["warnings"])


def test_combined_inn_kpp_cell_and_cis_identifiers() -> None:
    record = canonical_row({"name": "АО Альфа", "inn": "ИНН/КПП 7707083893/773601001"})
    assert record["inn"] == "7707083893" and record["kpp"] == "773601001"
    kz = canonical_row({"name": "ТОО Альфа", "bin": "971240001315", "city": "Алматы"})
    assert (kz["bin"], kz["country"]) == ("971240001315", "KZ")


def test_city_spellings_resolve_to_one_city() -> None:
    keys = {
        canonical_row({"name": "А", "city": city})["city"]["key"]
        for city in ("Санкт-Петербург", "СПб", "St. Petersburg", "г. Санкт-Петербург")
    }
    assert len(keys) == 1
    unknown = canonical_row({"name": "А", "city": "Нигдеград"})
    assert unknown["city"] is None
    assert any("Нигдеград" in w for w in unknown["warnings"])


def test_country_codes() -> None:
    assert country_code("Россия") == "RU"
    assert country_code("Republic of Kazakhstan") == "KZ"
    assert country_code("Беларусь") == "BY"
    assert country_code("Atlantis") is None


def test_content_hash_depends_on_values_and_order() -> None:
    a = row_content_hash({"Компания": "А", "Город": "Б"})
    assert a == row_content_hash({"Компания": "А", "Город": "Б"})
    assert a != row_content_hash({"Компания": "А", "Город": "В"})
    assert a != row_content_hash({"Город": "Б", "Компания": "А"})


@given(st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=60), max_size=8))
def test_canonical_row_is_total(fields: dict[str, str]) -> None:
    record = canonical_row(fields)
    assert isinstance(record["warnings"], list)
    assert (record["error"] is None) == bool(record["name_key"])
    for item in record["identifiers"]:
        if item["valid"]:
            assert record.get(item["kind"])  # a valid identifier becomes a linking key
        else:
            assert any(item["value"] in warning for warning in record["warnings"])


def test_a_kazakh_bin_in_the_inn_column_stays_a_bin() -> None:
    # A valid Kazakh BIN whose INN checksum also passes, but whose INN region would be 00:
    # CIS lists put BINs under "ИНН", so it is kept as the BIN it is.
    record = canonical_row({"name": "ТОО Альфа", "inn": "000340001820"})
    (item,) = record["identifiers"]
    assert (item["kind"], item["valid"]) == ("bin", True)
    assert record.get("bin") == "000340001820"
    # ... unless the row says it is Russian: then it is an INN, rejected for its region
    russian = canonical_row({"name": "ООО Альфа", "inn": "000340001820", "country": "Россия"})
    (item,) = russian["identifiers"]
    assert (item["kind"], item["valid"], item["error"]) == ("inn", False, "InvalidComponent")
    assert "INN 000340001820: malformed" in " ".join(russian["warnings"])


def test_a_number_in_the_inn_column_valid_as_nothing_is_a_bad_inn() -> None:
    record = canonical_row({"name": "ООО Альфа", "inn": "123456789012"})
    (item,) = record["identifiers"]
    assert (item["kind"], item["valid"]) == ("inn", False)
