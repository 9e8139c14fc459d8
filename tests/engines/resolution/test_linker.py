"""The Splink resolver end to end on small hand-made data, including bad input."""

from __future__ import annotations

import pytest

from partnernet.engines.resolution.deterministic import CompanyIndex, LinkCandidate
from partnernet.engines.resolution.linker import SplinkResolver
from partnernet.engines.resolution.register_linker import ResolutionIndex, SplinkLinker

JET = [
    {
        "id": "j1",
        "name": "ООО «Инфосистемы Джет»",
        "city": "Москва",
        "website": "https://www.jet.su",
        "phone": "+7 (495) 411-76-01",
    },
    {"id": "j2", "name": "Jet Infosystems", "city": "Moscow", "website": "jet.su"},
    {"id": "j3", "name": "ИНФОСИСТЕМЫ ДЖЕТ, АО", "city": "г. Москва", "inn": "7729058675"},
    {"id": "j4", "name": "АО Инфосистемы Джет", "inn": "7729058675", "phone": "84954117601"},
]


@pytest.fixture(scope="module")
def resolver() -> SplinkResolver:
    return SplinkResolver(threads=1)


def test_spellings_of_one_company_merge(resolver: SplinkResolver) -> None:
    result = resolver.resolve(JET)
    assert len({result.cluster_of[r["id"]] for r in JET}) == 1
    assert result.stats.records == 4


def test_common_name_in_two_cities_stays_two_companies(resolver: SplinkResolver) -> None:
    rows = [
        {"id": "o", "name": "ООО Альянс", "city": "Омск"},
        {"id": "t", "name": "Альянс", "city": "Тула"},
        {"id": "x", "name": "Альянс"},
    ]
    result = resolver.resolve(rows)
    assert result.cluster_of["o"] != result.cluster_of["t"]


def test_different_valid_inns_never_merge(resolver: SplinkResolver) -> None:
    rows = [
        {
            "id": "a",
            "name": "Ромашка",
            "city": "Тверь",
            "inn": "7707083893",
            "phone": "84822000000",
        },
        {
            "id": "b",
            "name": "Ромашка",
            "city": "Тверь",
            "inn": "7729058675",
            "phone": "84822000000",
        },
    ]
    result = resolver.resolve(rows)
    assert result.cluster_of["a"] != result.cluster_of["b"]


def test_bad_input_does_not_crash_nor_merge_strangers(resolver: SplinkResolver) -> None:
    rows = [
        {"id": "form", "name": "ООО"},
        {"id": "empty", "name": ""},
        {"id": "long", "name": "Ромашка " * 2000, "city": "Тверь"},
        {"id": "mixed", "name": "Aкциoнepнoe oбщecтвo «CoфтTим»", "city": "Тюмень"},
        {"id": "soft", "name": "АО СофтТим", "city": "Тюмень", "website": "softteam.ru"},
        *(
            {"id": f"copy{i}", "name": "ООО Вектор", "city": "Тверь", "phone": "84822111111"}
            for i in range(300)
        ),
        *({"id": f"bare{i}", "name": "Альянс"} for i in range(200)),
    ]
    result = resolver.resolve(rows)
    assert result.cluster_of["form"] != result.cluster_of["empty"]
    copies = {result.cluster_of[f"copy{i}"] for i in range(300)}
    assert len(copies) == 1
    # A bare common name repeated is not proof of one company: kept apart, queued with a reason.
    bare = {result.cluster_of[f"bare{i}"] for i in range(200)}
    assert len(bare) == 200
    assert any(item.reason == "little_information" for item in result.review)
    # Identical rows are compared once: far fewer pairs than 500 rows would give.
    assert result.stats.candidate_pairs < 100


def test_review_pairs_say_what_drove_the_score(resolver: SplinkResolver) -> None:
    rows = [
        {"id": "a", "name": "Квазар", "city": "Тверь"},
        {"id": "b", "name": "Квазар Плюс", "city": "Тверь"},
    ]
    result = resolver.resolve(rows)
    for item in result.review:
        assert item.levels["name"].startswith("name_")
        assert set(item.match_weights) == {"identifier", "name", "domains", "phones", "location"}


def test_link_new_list_against_register(resolver: SplinkResolver) -> None:
    register = [{**r, "company_id": "17"} for r in JET[:2]] + [
        {"id": "r9", "name": "Альянс", "city": "Омск", "company_id": "9"}
    ]
    new = [
        {"id": "n1", "name": "Jet Infosystems JSC", "website": "http://jet.su/"},
        {"id": "n2", "name": "Новая Компания", "city": "Пермь"},
    ]
    result = resolver.link(register, new)
    assert result.cluster_of["n1"] == "17"
    assert result.cluster_of["n2"] not in {"17", "9"}
    assert set(result.cluster_of) == {"n1", "n2"}


def test_register_linker_interface() -> None:
    linker = SplinkLinker(SplinkResolver(threads=1))
    index = ResolutionIndex()
    first = [
        LinkCandidate(
            ref=0,
            name_key="инфосистемы джет",
            city_key="RU-MOW-moskva",
            identifiers={"inn": "7729058675"},
            domains=("jet.su",),
            name="АО Инфосистемы Джет",
        ),
        LinkCandidate(
            ref=1,
            name_key="jet infosystems",
            city_key="RU-MOW-moskva",
            domains=("jet.su",),
            name="Jet Infosystems",
        ),
    ]
    decisions = linker.link(first, index)
    assert decisions[0].is_new and decisions[0].new_group == decisions[1].new_group
    index.relabel({-decisions[0].new_group: 5})
    second = [
        LinkCandidate(
            ref=0,
            name_key="инфосистемы джет",
            identifiers={"inn": "7729058675"},
            name="ИНФОСИСТЕМЫ ДЖЕТ",
        )
    ]
    again = linker.link(second, index)
    assert again[0].company_id == 5
    # A plain CompanyIndex works too (records rebuilt from its keys).
    plain = CompanyIndex()
    plain.add(5, identifiers={"inn": "7729058675"}, name_cities=[("jet", "RU-MOW-moskva")])
    assert linker.link(second, plain)[0].company_id == 5
