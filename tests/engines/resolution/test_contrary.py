"""What groups of records say against each other: domains, and place numbers by city."""

from __future__ import annotations

from partnernet.engines.resolution.contrary import group_evidence, is_place_number


def test_place_numbers_are_fixed_lines_and_mobiles_not_toll_free() -> None:
    assert is_place_number("+74952223344")  # Moscow landline
    assert is_place_number("+79161234567")  # Russian mobile
    assert is_place_number("+77172123456")  # Astana landline
    assert not is_place_number("+78001002030")  # toll-free, every office's
    assert not is_place_number("not a number")


def test_group_evidence_keeps_domains_and_numbers_by_city_of_the_wanted_rows() -> None:
    rows = [
        {"unique_id": "a", "domains": ["jet.su"], "phones": ["+74952223344"], "city": "msk"},
        {"unique_id": "b", "domains": None, "phones": ["+78001002030"], "city": "msk"},
        {"unique_id": "c", "domains": None, "phones": ["+74952223344"], "city": None},
        {"unique_id": "d", "domains": ["other.ru"], "phones": None, "city": "spb"},
    ]
    domains, phones = group_evidence(rows, ["a", "b", "c"])
    assert domains == {"a": ["jet.su"]}
    assert phones == {"a": {"msk": ["+74952223344"]}}  # b: toll-free only; c: no city
