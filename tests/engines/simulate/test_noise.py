"""Row-level distortions and name generation."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from partnernet.engines.simulate.names import company_name, person_name
from partnernet.engines.simulate.noise import short_name, typo


def test_short_names():
    assert short_name("Сибирские сетевые решения") == "ССР"
    assert short_name("Центр информационных технологий") == "ЦИТ"
    assert short_name("Альянс-Телеком") == "Альянс"
    assert short_name("IT Service Atlas") == "IT Atlas"
    # Nothing generic to drop, or too little left: unchanged.
    assert short_name("НТЦ Ирбис") == "НТЦ Ирбис"
    assert short_name("ИТ-Групп") == "ИТ-Групп"
    assert short_name("Альянс") == "Альянс"


@given(st.text(min_size=0, max_size=40), st.integers(0, 10_000), st.booleans())
def test_typo_is_one_small_slip(text, seed, hard):
    slipped = typo(text, random.Random(seed), hard)
    if hard and slipped != text and len(slipped) == len(text):
        return  # homoglyphs replace look-alike letters throughout
    assert Levenshtein.distance(text, slipped) <= 2


def test_generated_names_agree_in_gender_and_number():
    rng = random.Random(4)
    names = [company_name(rng, district="Сибирский").name for _ in range(3000)]
    descriptive = [n for n in names if n.startswith(("Сибирск", "Енисейск"))]
    assert descriptive
    for name in descriptive:
        adjective, noun = name.split(" ")[0], name.split(" ")[-1]
        if noun in ("решения", "технологии", "системы"):
            assert adjective.endswith(("ие", "ые")), name
        if name.split(" ")[1] in ("центр", "интегратор"):
            assert adjective.endswith(("ий", "ый")), name


def test_sole_proprietor_names_agree():
    rng = random.Random(2)
    for _ in range(500):
        person = person_name(rng)
        female = person.patronymic.endswith("вна") or person.patronymic.endswith("чна")
        if female and person.surname.endswith(("ова", "ева", "ина")):
            assert person.first[-1] in "аяь" or person.first in ("Любовь",)
        assert person.short.count(".") == 2


def test_old_names_come_with_the_old_site(demo):
    market = demo
    checked = 0
    for row in market.source_rows:
        if "old_name" not in row.noise or not row.fields.get("website"):
            continue
        company = market.companies[row.company_id]
        if company.former_domain:
            assert company.former_domain in row.fields["website"].lower()
            checked += 1
    assert checked > 0
    tags = {t for r in market.source_rows for t in r.noise}
    assert "short_name" in tags


def test_a_swap_at_the_last_letter_is_no_homoglyph_outside_hard_noise() -> None:
    # A swap drawn at the last letter used to fall through to the homoglyph branch.
    for seed in range(200):
        assert Levenshtein.distance("AЕЕЕ", typo("AЕЕЕ", random.Random(seed), False)) <= 2
