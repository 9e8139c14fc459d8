from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.selection.fit import FitCriteria, fit_score, fit_value
from partnernet.engines.selection.records import PartnerRecord

NICHES = st.frozensets(st.sampled_from(["infosec", "cloud", "storage", "networking"]))
SECTORS = st.frozensets(st.sampled_from(["enterprise", "smb", "public", "oil_gas", "retail"]))
SIZES = st.sampled_from(["", "small", "medium", "large"])
KINDS = st.frozensets(st.sampled_from(["integrator", "reseller"]))


@given(NICHES, SECTORS, SIZES, KINDS, NICHES, SECTORS, SIZES, KINDS, st.booleans())
def test_fit_value_equals_fit_score(
    specs, sectors, size, kinds, want_specs, want_sectors, min_size, want_kinds, require_all
):
    record = PartnerRecord(
        id=1, name="P", specialisations=specs, sectors=sectors, size=size, kinds=kinds
    )
    criteria = FitCriteria(
        specialisations=want_specs,
        sectors=want_sectors,
        min_size=min_size,
        kinds=want_kinds,
        require_all=require_all,
    )
    full = fit_score(record, criteria)
    assert fit_value(record, criteria) == (full.score, full.eligible)
