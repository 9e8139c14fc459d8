from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.names.translit import fix_lookalikes, latin_key, script_of, to_latin


@pytest.mark.parametrize(
    "variants",
    [
        ["Инфосистемы Джет", "Infosistemy Jet", "Infosystems Jet", "INFOSISTEMY DZHET"],
        ["Технологии", "Technologies", "Tekhnologii", "Tehnologii"],
        ["Альянс", "Alliance", "Alyans"],
        ["Екатеринбург", "Yekaterinburg", "Ekaterinburg"],
        ["Нижний Новгород", "Nizhny Novgorod", "Nizhniy Novgorod", "Nizhnii Novgorod"],
        ["Телеком", "Telecom", "Telekom"],
        ["Максим", "Maxim", "Maksim"],
        ["Щёлково", "Shchelkovo", "Schelkovo", "Shchyolkovo"],
        ["Центр", "Center", "Centre", "Tsentr"],
        ["Группа", "Group", "Gruppa"],
        ["Сервис", "Service", "Servis"],
        ["Циско", "Cisco"],
        ["Казань", "Kazan'", "Kazan"],
    ],
)
def test_spellings_share_a_key(variants: list[str]) -> None:
    keys = {latin_key(v) for v in variants}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(("a", "b"), [("Альфа", "Омега"), ("Джет", "Крок"), ("Ланит", "Лента")])
def test_different_words_differ(a: str, b: str) -> None:
    assert latin_key(a) != latin_key(b)


def test_key_keeps_word_order_and_digits() -> None:
    assert latin_key("Джет Инфосистемы") == "jet infosistem"
    assert latin_key("1С-Битрикс") == "1s bitrik"


def test_to_latin_schemes() -> None:
    assert to_latin("Щёлково") == "Shchelkovo"
    assert to_latin("Юрий", scheme="icao_doc_9303") == "Iurii"
    with pytest.raises(ValueError):
        to_latin("Юрий", scheme="nonexistent")


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Ромашка", "cyrillic"),
        ("Romashka", "latin"),
        ("IT-Ромашка", "mixed"),
        ("1234", "other"),
        ("", "other"),
        ("東京", "other"),
        ("Café", "latin"),
    ],
)
def test_script_of(text: str, script: str) -> None:
    assert script_of(text) == script


@given(st.text(max_size=40))
def test_key_is_ascii_lowercase_and_idempotent_on_latin(text: str) -> None:
    key = latin_key(text)
    assert key == key.strip()
    if key.isascii():
        assert key == key.lower()
        assert latin_key(key) == latin_key(latin_key(key))


@pytest.mark.parametrize(
    "scheme",
    ["wikipedia", "icao_doc_9303", "yandex_money", "yandex_maps", "mvd_310", "bs_2979", "mvd_782"],
)
def test_transliterated_city_names_keep_their_key(scheme: str) -> None:
    # Real Russian words: every city name of the geo engine.
    from partnernet.engines import geo

    names = sorted({c.name_ru for c in geo.cities() if c.country == "RU"})
    differ = [n for n in names if latin_key(to_latin(n, scheme)) != latin_key(n)]
    assert differ == []


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("TимCeкьюp", "ТимСекьюр"),  # Latin T, C, e, p in a Cyrillic word
        ("Pомашка", "Ромашка"),
        ("Sоft", "Soft"),  # Cyrillic о in a Latin word
        ("IT-Ромашка", "IT-Ромашка"),  # separate words, each single-script
        ("ITРомашка", "ITРомашка"),  # cannot be made single-script: left alone
        ("Ромашка", "Ромашка"),
    ],
)
def test_fix_lookalikes(text: str, fixed: str) -> None:
    assert fix_lookalikes(text) == fixed


def test_layout_mixups_do_not_change_keys() -> None:
    assert latin_key("TимCeкьюp") == latin_key("ТимСекьюр")
