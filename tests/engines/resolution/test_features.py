"""Features: one key for the spellings of a name, only valid identifiers, capped block keys."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.engines.names.translit import latin_key
from partnernet.engines.resolution.features import (
    BLOCK_CAP,
    base_row,
    feature_rows,
    finish_row,
    name_parts,
    token_stats,
)
from partnernet.engines.resolution.records import CompanyRecord, as_record
from partnernet.engines.resolution.vocabulary import translate


def _row(**kw: object) -> dict:
    return base_row(as_record({"id": "1", **kw}))


def test_cyrillic_latin_and_translated_names_share_a_key() -> None:
    keys = {
        _row(name=n)["latin"] and name_parts(_row(name=n)["latin"]).key
        for n in (
            "ООО «Инфосистемы Джет»",
            'АО "ИНФОСИСТЕМЫ ДЖЕТ"',
            "Jet Infosystems LLC",
            "Инфосистемы Джет, АО",
        )
    }
    assert len(keys) == 1
    volga_ru = name_parts(_row(name="Волжские цифровые технологии")["latin"]).key
    volga_en = name_parts(_row(name="Volga Digital Technologies")["latin"]).key
    assert volga_ru == volga_en


def test_translation_table_only_maps_english_words() -> None:
    assert translate(latin_key("Solutions")) == latin_key("Решения")
    assert translate(latin_key("Решения")) == latin_key("Решения")


def test_a_legal_form_alone_is_no_name() -> None:
    assert _row(name="ООО")["latin"] == ""
    assert _row(name="")["latin"] == ""


def test_only_valid_identifiers_are_used() -> None:
    assert _row(name="Ромашка", inn="7707083893")["tax_id"] == "inn:7707083893"
    assert _row(name="Ромашка", inn="7707083894")["tax_id"] is None


def test_public_mail_domains_are_not_company_domains() -> None:
    row = _row(name="Ромашка", email="romashka@mail.ru", website="https://www.romashka.ru/x")
    assert row["domains"] == ["romashka.ru"]


def test_common_names_lose_their_block_key() -> None:
    records = [
        CompanyRecord(record_id=str(i), name="Альянс", city_key=f"city{i}")
        for i in range(BLOCK_CAP + 5)
    ]
    rows, stats = feature_rows(records)
    assert rows[0]["name_key"] == name_parts(latin_key("Альянс")).key
    assert rows[0]["name_block"] is None
    freq = stats.variant_frequencies()
    rare = finish_row(_row(name="Квазар Инжиниринг"), stats)
    assert rare["name_block"] == rare["name_key"]
    assert freq[rows[0]["name_tf"]] > 300 * 0.25 / max(3000, stats.records)


def test_word_weights_favour_rare_words() -> None:
    rows = [_row(name=f"{w} Системы") for w in ("Альфа", "Бета", "Гамма", "Дельта", "Сигма")]
    stats = token_stats(rows)
    row = finish_row(rows[0], stats)
    weights = {t["t"]: t["w"] for t in row["name_tokens"]}
    assert weights["alfa"] > weights["siste"]


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=400))
def test_any_name_gives_a_row(name: str) -> None:
    row = finish_row(_row(name=name), token_stats([_row(name=name)]))
    assert row["unique_id"] == "1"
    assert (row["name_key"] is None) == (row["name_tokens"] is None)


def test_a_latin_brand_sounds_like_its_cyrillic_transcription() -> None:
    pairs = (
        ("LineForce", "ООО «Лайнфорс»"),
        ("LabTeam JSC", "АО Лабтим"),
        ("LogicBit", "Лоджикбит"),
        ("Smart Trade", "СМАРТТРЕЙД"),
    )
    for latin, cyrillic in pairs:
        left, right = _row(name=latin)["name_sound"], _row(name=cyrillic)["name_sound"]
        assert left[2:] == right[2:] and left[:2] == "l:" and right[:2] == "c:"
    assert _row(name="LineForce")["name_sound"] != _row(name="LineFlex")["name_sound"]
    assert _row(name="ООО Ру")["name_sound"] is None  # too short to say anything


def test_information_technologies_is_it() -> None:
    keys = {
        name_parts(_row(name=n)["latin"]).key
        for n in (
            "Центр информационных технологий Янтарь",
            "IT Centre Yantar",
            "АйТи Центр Янтарь",
        )
    }
    assert len(keys) == 1


def test_glued_brands_sharing_a_morpheme_differ_in_full_words() -> None:
    stats = token_stats([_row(name="ЛайнСтор"), _row(name="ЛайнСекьюр")])
    store = finish_row(_row(name="ЛайнСтор"), stats)
    secure = finish_row(_row(name="ЛайнСекьюр"), stats)
    assert store["name_key"] == secure["name_key"]  # five-letter stems cannot tell them apart
    assert store["name_full"] != secure["name_full"]


def test_branches_sharing_a_domain_count_as_one_company_bearing_the_name() -> None:
    rows = [
        base_row(as_record({"id": str(i), "name": "ЭнергоНет", "city": city, "website": site}))
        for i, (city, site) in enumerate(
            (("Липецк", "energonet.ru"), ("Киров", "energonet.ru"), ("Тула", "other.ru"))
        )
    ]
    stats = token_stats(rows)
    key = name_parts(rows[0]["latin"]).key
    assert key is not None
    assert stats.companies_bearing(key) == 2  # Lipetsk and Kirov are one company
    unlinked = token_stats([{**row, "domains": None} for row in rows])
    assert unlinked.companies_bearing(key) == 3
    tf = finish_row(rows[0], stats)["name_tf"]
    assert unlinked.variant_frequencies()[tf] > stats.variant_frequencies()[tf]


def test_glued_brands_sharing_a_key_are_counted_apart_and_word_forms_together() -> None:
    # Five TransLab-like brands in five cities share the key "trans"; «TransLab» itself is
    # in one place. Inflected forms of one name are counted as that name.
    names = ["ТрансЛинк", "ТрансЦентр", "ТрансКом", "ТрансНет", "ТрансСофт"]
    cities = ["Омск", "Тула", "Орёл", "Тверь", "Уфа"]
    rows = [_row(name=n, city=c) for n, c in zip(names, cities, strict=True)]
    lab = _row(name="ТрансЛаб", city="Казань")
    rows.append(lab)
    rows += [
        _row(name="Информационные технологии Волги", city="Самара"),
        _row(name="Информационных технологий Волги", city="Саратов"),
    ]
    stats = token_stats(rows)
    finished = [finish_row(r, stats) for r in rows]
    assert len({r["name_key"] for r in finished[:6]}) == 1
    freq = stats.variant_frequencies()
    assert stats.companies_bearing(finished[5]["name_key"]) == 6
    # each brand is in one place: nobody else bears its words
    assert {freq[r["name_tf"]] for r in finished[:6]} == {0.25 / 3000}
    assert finished[6]["name_tf"] != finished[7]["name_tf"]
    assert freq[finished[6]["name_tf"]] == freq[finished[7]["name_tf"]] == 1 / 3000


def test_legal_form_kind_folds_translations_and_keeps_kinds_apart() -> None:
    llc = {_row(name=n)["legal_form"] for n in ("ООО Лайнстор", "LineStore LLC", "Ltd. LineStore")}
    jsc = {_row(name=n)["legal_form"] for n in ("АО Лайнстор", "JSC LineStore", "ПАО Лайнстор")}
    assert len(llc) == len(jsc) == 1 and llc != jsc
    assert _row(name="Лайнстор")["legal_form"] is None  # no form written: no evidence


def test_extending_statistics_leaves_the_register_statistics_alone() -> None:
    register = [
        base_row(as_record({"id": "1", "name": "Форт", "city": "Пенза", "website": "f.ru"}))
    ]
    stats = token_stats(register)
    key = name_parts(register[0]["latin"]).key
    assert key is not None
    new = base_row(as_record({"id": "2", "name": "Форт", "city": "Тула", "website": "f.ru"}))
    extended = stats.extended([new])
    assert len(extended.places[key]) == 2
    assert len(stats.places[key]) == 1 and len(stats.contacts[key]["d:f.ru"]) == 1
    assert extended.companies_bearing(key) == 1  # one domain: one company in two cities
