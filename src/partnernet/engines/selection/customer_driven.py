"""Customer-driven approach: start from the customers, find who they buy through.

For a product with a short list of possible buyers, list the target customers, record which
integrators each one buys through (from end customers' supplier lists, tenders, research), and
recruit the partners that serve most of them. The book's rule of thumb: a large customer buys
through 3-10 trusted suppliers, a mid-size one through 1-5. A customer with fewer known
suppliers than that has probably been researched incompletely.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from partnernet.engines.selection.records import PartnerRecord

# Typical number of trusted suppliers by customer size (the book's ranges).
SUPPLIER_RANGE = {"large": (3, 10), "mid": (1, 5)}
# A large customer opens more doors than a mid-size one.
SIZE_WEIGHT = {"large": 3.0, "mid": 1.0}


@dataclass(frozen=True)
class TargetCustomer:
    id: int | str
    name: str
    size: str = "large"
    sector: str = ""
    inn: str = ""


@dataclass(frozen=True)
class SupplyRelation:
    customer_id: int | str
    partner_id: int | str
    source: str = ""


@dataclass
class PartnerReach:
    id: int | str
    name: str
    customers: list[int | str]
    weighted: float
    recruited: bool


@dataclass
class CustomerCoverage:
    id: int | str
    name: str
    size: str
    suppliers: list[int | str]
    recruited_suppliers: list[int | str]
    covered: bool
    completeness: str  # "ok", "probably incomplete", "unusually many"
    note: str = ""


@dataclass
class CustomerDrivenResult:
    partners: list[PartnerReach] = field(default_factory=list)
    customers: list[CustomerCoverage] = field(default_factory=list)

    @property
    def covered_share(self) -> float:
        if not self.customers:
            return 0.0
        return sum(c.covered for c in self.customers) / len(self.customers)


def _completeness(size: str, count: int) -> tuple[str, str]:
    low, high = SUPPLIER_RANGE.get(size, SUPPLIER_RANGE["mid"])
    if count < low:
        return (
            "probably incomplete",
            f"{count} known supplier(s); a {size} customer usually has {low}-{high}",
        )
    if count > high:
        return (
            "unusually many",
            f"{count} known suppliers; a {size} customer usually has {low}-{high}",
        )
    return "ok", ""


def customer_driven_selection(
    customers: Sequence[TargetCustomer],
    relations: Iterable[SupplyRelation],
    partners: Mapping[int | str, PartnerRecord],
) -> CustomerDrivenResult:
    """Rank partners by the (size-weighted) target customers they serve; report each customer."""
    by_customer: dict[int | str, set[int | str]] = defaultdict(set)
    known_customers = {c.id for c in customers}
    for rel in relations:
        if rel.customer_id in known_customers:
            by_customer[rel.customer_id].add(rel.partner_id)

    size_of = {c.id: c.size for c in customers}
    reach: dict[int | str, list[int | str]] = defaultdict(list)
    for customer_id, suppliers in by_customer.items():
        for partner_id in suppliers:
            reach[partner_id].append(customer_id)

    ranked = []
    for partner_id, served in reach.items():
        record = partners.get(partner_id)
        ranked.append(
            PartnerReach(
                id=partner_id,
                name=record.name if record else str(partner_id),
                customers=sorted(served, key=str),
                weighted=sum(SIZE_WEIGHT.get(size_of[c], 1.0) for c in served),
                recruited=bool(record and record.recruited),
            )
        )
    ranked.sort(key=lambda r: (-r.weighted, -len(r.customers), str(r.name)))

    coverage = []
    for customer in customers:
        known = sorted(by_customer.get(customer.id, set()), key=str)
        recruited = [p for p in known if partners.get(p) and partners[p].recruited]
        completeness, note = _completeness(customer.size, len(known))
        coverage.append(
            CustomerCoverage(
                id=customer.id,
                name=customer.name,
                size=customer.size,
                suppliers=known,
                recruited_suppliers=recruited,
                covered=bool(recruited),
                completeness=completeness,
                note=note,
            )
        )
    return CustomerDrivenResult(partners=ranked, customers=coverage)
