from partnernet.engines.selection.fit import FitCriteria, fit_score
from partnernet.engines.selection.records import PartnerRecord


def rec(**kw):
    return PartnerRecord(id=kw.pop("id", 1), name=kw.pop("name", "X"), **kw)


def test_right_niche_and_segment_scores_full():
    result = fit_score(
        rec(
            specialisations=frozenset({"infosec", "networking"}), sectors=frozenset({"enterprise"})
        ),
        FitCriteria(specialisations=frozenset({"infosec"}), sectors=frozenset({"enterprise"})),
    )
    assert result.eligible and result.score == 1.0 and result.warnings == []


def test_smb_partner_for_enterprise_product_is_warned_not_dropped():
    result = fit_score(
        rec(specialisations=frozenset({"enterprise_solutions"}), sectors=frozenset({"smb"})),
        FitCriteria(
            specialisations=frozenset({"enterprise_solutions"}), sectors=frozenset({"enterprise"})
        ),
    )
    assert result.eligible
    assert result.score < 1.0
    assert result.warnings == ["works with smb customers; the target is enterprise"]


def test_other_niche_is_not_eligible_but_unknown_niche_is():
    crit = FitCriteria(specialisations=frozenset({"storage"}))
    assert not fit_score(rec(specialisations=frozenset({"av"})), crit).eligible
    unknown = fit_score(rec(), crit)
    assert unknown.eligible and "product direction unknown" in unknown.warnings


def test_size_and_kind_filters():
    crit = FitCriteria(min_size="medium", kinds=frozenset({"integrator"}))
    assert not fit_score(rec(size="small", kinds=frozenset({"integrator"})), crit).eligible
    assert not fit_score(rec(size="large", kinds=frozenset({"reseller"})), crit).eligible
    assert fit_score(rec(size="large", kinds=frozenset({"integrator"})), crit).eligible


def test_vertical_experience_is_a_reason():
    result = fit_score(
        rec(sectors=frozenset({"enterprise", "oil_gas"})),
        FitCriteria(sectors=frozenset({"enterprise", "oil_gas"})),
    )
    assert "vertical experience: oil_gas" in result.reasons
