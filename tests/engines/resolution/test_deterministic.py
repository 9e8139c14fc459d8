from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.resolution.deterministic import (
    METHOD_DOMAIN,
    METHOD_NAME_CITY,
    METHOD_NEW,
    CompanyIndex,
    DeterministicLinker,
    LinkCandidate,
    Linker,
)

EXCLUDED = {"mail.ru", "yandex.ru", "gmail.com", "narod.ru", "tilda.ws"}


def linker() -> DeterministicLinker:
    return DeterministicLinker(excluded_domain=lambda d: d in EXCLUDED)


def register() -> CompanyIndex:
    index = CompanyIndex()
    index.add(1, identifiers={"inn": "7707083893"}, name_cities=[("ромашка", "moscow")])
    index.add(2, name_cities=[("альянс", "omsk")], domains=["alliance-omsk.ru"])
    index.add(3, name_cities=[("альянс", "tula")])
    index.add(4, identifiers={"inn": "5402113155"}, domains=["jet.su"])
    return index


def test_satisfies_the_linker_protocol() -> None:
    instance: Linker = linker()
    assert instance.name == "deterministic"


def test_same_valid_inn_links_whatever_the_name() -> None:
    decisions = linker().link(
        [LinkCandidate(ref=0, name_key="совсем другое", identifiers={"inn": "7707083893"})],
        register(),
    )
    assert decisions[0].company_id == 1
    assert decisions[0].method == "inn"


def test_same_name_in_same_city_links_but_not_in_another_city() -> None:
    decisions = linker().link(
        [
            LinkCandidate(ref=0, name_key="альянс", city_key="omsk"),
            LinkCandidate(ref=1, name_key="альянс", city_key="tula"),
            LinkCandidate(ref=2, name_key="альянс", city_key="kazan"),
            LinkCandidate(ref=3, name_key="альянс", city_key=None),
        ],
        register(),
    )
    assert [(d.company_id, d.method) for d in decisions[:2]] == [
        (2, METHOD_NAME_CITY),
        (3, METHOD_NAME_CITY),
    ]
    assert decisions[2].is_new and decisions[3].is_new


def test_domain_links_unless_public_or_hosting() -> None:
    decisions = linker().link(
        [
            LinkCandidate(ref=0, name_key="jet infosystems", domains=("jet.su",)),
            LinkCandidate(ref=1, name_key="x", domains=("mail.ru",)),
        ],
        register(),
    )
    assert (decisions[0].company_id, decisions[0].method) == (4, METHOD_DOMAIN)
    assert decisions[1].method == METHOD_NEW


def test_different_valid_inn_never_links_by_name_or_domain() -> None:
    decisions = linker().link(
        [
            LinkCandidate(
                ref=0, name_key="ромашка", city_key="moscow", identifiers={"inn": "500100732259"}
            ),
            LinkCandidate(
                ref=1, name_key="jet", identifiers={"inn": "7736207543"}, domains=("jet.su",)
            ),
        ],
        register(),
    )
    assert decisions[0].is_new and decisions[1].is_new


def test_ambiguous_name_city_does_not_link() -> None:
    index = CompanyIndex()
    index.add(1, name_cities=[("альянс", "omsk")])
    index.add(2, name_cities=[("альянс", "omsk")])
    decision = linker().link([LinkCandidate(ref=0, name_key="альянс", city_key="omsk")], index)[0]
    assert decision.is_new


def test_rows_of_one_batch_form_groups_and_relabel() -> None:
    index = CompanyIndex()
    candidates = [
        LinkCandidate(ref=0, name_key="бета", city_key="omsk", domains=("beta.ru",)),
        LinkCandidate(ref=1, name_key="beta", city_key="tomsk", domains=("beta.ru",)),
        LinkCandidate(ref=2, name_key="бета", city_key="omsk"),
        LinkCandidate(ref=3, name_key="гамма", city_key="omsk"),
    ]
    decisions = linker().link(candidates, index)
    groups = [d.new_group for d in decisions]
    assert all(d.company_id is None for d in decisions)
    assert groups[0] == groups[1] == groups[2] != groups[3]
    index.relabel({-groups[0]: 10, -groups[3]: 11})
    again = linker().link([LinkCandidate(ref=0, name_key="x", domains=("beta.ru",))], index)[0]
    assert again.company_id == 10


def test_each_candidate_gets_one_decision_in_order() -> None:
    candidates = [LinkCandidate(ref=i, name_key=f"n{i % 3}", city_key="c") for i in range(9)]
    decisions = linker().link(candidates, CompanyIndex())
    assert [d.ref for d in decisions] == list(range(9))
    assert len({d.new_group for d in decisions}) == 3


names = st.sampled_from(["альянс", "бета", "гамма"])
cities = st.sampled_from(["omsk", "tula", None])
inns = st.sampled_from([None, "7707083893", "5402113155", "7736207543"])


@given(st.lists(st.tuples(names, cities, inns), max_size=25))
def test_no_group_ever_holds_two_different_inns(rows) -> None:
    candidates = [
        LinkCandidate(ref=i, name_key=n, city_key=c, identifiers={"inn": inn} if inn else {})
        for i, (n, c, inn) in enumerate(rows)
    ]
    decisions = linker().link(candidates, CompanyIndex())
    inns_of: dict[int, set[str]] = {}
    for candidate, decision in zip(candidates, decisions, strict=True):
        key = decision.company_id or -(decision.new_group or 0)
        if candidate.identifiers:
            inns_of.setdefault(key, set()).add(candidate.identifiers["inn"])
    assert all(len(values) == 1 for values in inns_of.values())


def test_namesakes_with_different_own_domains_stay_apart() -> None:
    def fresh() -> CompanyIndex:
        index = CompanyIndex()
        index.add(1, name_cities=[("балттех", "moscow")], domains=["balttech-moscow.ru"])
        return index

    def decide(domains: tuple[str, ...]):
        candidate = LinkCandidate(ref=0, name_key="балттех", city_key="moscow", domains=domains)
        return linker().link([candidate], fresh())[0]

    assert decide(("balttech35.ru",)).is_new
    assert decide(()).company_id == 1
    assert decide(("mail.ru",)).company_id == 1  # a public mail domain is no evidence
    assert decide(("balttech-moscow.ru", "other.ru")).company_id == 1
