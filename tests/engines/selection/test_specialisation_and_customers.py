from partnernet.engines.selection.customer_driven import (
    SupplyRelation,
    TargetCustomer,
    customer_driven_selection,
)
from partnernet.engines.selection.fit import FitCriteria
from partnernet.engines.selection.records import Authorisation, PartnerRecord
from partnernet.engines.selection.specialisation import specialisation_shortlist

SEC = frozenset({"infosec"})


def test_specialisation_ranks_depth_in_niche():
    partners = [
        PartnerRecord(
            1,
            "Shallow",
            specialisations=SEC | {"av", "iot"},
            authorisations=(Authorisation("v1", rank=0, specialisations=frozenset({"av"})),),
        ),
        PartnerRecord(
            2,
            "Deep",
            specialisations=SEC,
            authorisations=tuple(
                Authorisation(f"sec{i}", rank=2, specialisations=SEC) for i in range(3)
            ),
        ),
        PartnerRecord(3, "Other niche", specialisations=frozenset({"storage"})),
        PartnerRecord(4, "Ours", specialisations=SEC, recruited=True),
    ]
    shortlist = specialisation_shortlist(partners, FitCriteria(specialisations=SEC))
    assert [e.name for e in shortlist] == ["Deep", "Shallow"]
    assert shortlist[0].niche_vendors == 3 and shortlist[0].best_rank == 2
    assert shortlist[1].niche_vendors == 0
    with_ours = specialisation_shortlist(
        partners, FitCriteria(specialisations=SEC), include_recruited=True
    )
    assert "Ours" in [e.name for e in with_ours]


def test_customer_driven_ranks_by_weighted_reach_and_flags_incomplete_lists():
    customers = [
        TargetCustomer("gazprom", "Big oil", size="large"),
        TargetCustomer("clinic", "Clinic", size="mid"),
        TargetCustomer("bank", "Bank", size="large"),
    ]
    partners = {
        "a": PartnerRecord("a", "A", recruited=True),
        "b": PartnerRecord("b", "B"),
        "c": PartnerRecord("c", "C"),
    }
    relations = [
        SupplyRelation("gazprom", "a"),
        SupplyRelation("gazprom", "b"),
        SupplyRelation("gazprom", "c"),
        SupplyRelation("clinic", "b"),
        SupplyRelation("bank", "c"),
        SupplyRelation("unknown-customer", "a"),  # not a target: ignored
    ]
    result = customer_driven_selection(customers, relations, partners)
    assert [(r.id, r.weighted) for r in result.partners] == [("c", 6.0), ("b", 4.0), ("a", 3.0)]
    cov = {c.id: c for c in result.customers}
    assert cov["gazprom"].covered and cov["gazprom"].completeness == "ok"
    assert not cov["bank"].covered and cov["bank"].completeness == "probably incomplete"
    assert cov["clinic"].completeness == "ok" and not cov["clinic"].covered
    assert abs(result.covered_share - 1 / 3) < 1e-9
