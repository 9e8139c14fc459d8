"""Plain data of the simulated market: configuration, true companies, lists, source rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Scenario = Literal["demo", "uniform", "moderate_beta", "moderate_logitnormal", "strong"]
Noise = Literal["default", "hard"]

SCENARIOS: tuple[str, ...] = (
    "demo",
    "uniform",
    "moderate_beta",
    "moderate_logitnormal",
    "strong",
)

# Canonical source-row fields, in the order lists usually show them.
FIELDS: tuple[str, ...] = (
    "name",
    "inn",
    "country",
    "region",
    "city",
    "address",
    "website",
    "phone",
    "email",
    "level",
    "specialisations",
)

SEGMENTS: tuple[str, ...] = ("enterprise", "smb", "public")
VERTICALS: tuple[str, ...] = (
    "oil_gas",
    "medicine",
    "retail",
    "finance",
    "manufacturing",
    "education",
    "telecom",
    "transport",
    "energy",
)
SIZES: tuple[str, ...] = ("micro", "small", "medium", "large")


@dataclass(frozen=True, slots=True)
class MarketConfig:
    """What market to simulate. Equal configs give identical markets."""

    seed: int = 1
    n_companies: int = 6000
    n_lists: int = 42
    noise: Noise = "default"
    scenario: Scenario = "demo"
    # Share of companies per country; the rest of the mass is renormalised.
    country_mix: tuple[tuple[str, float], ...] = (("RU", 0.9), ("KZ", 0.06), ("BY", 0.04))
    # Multiplies every list's size (demo scenario) or inclusion probability (others).
    list_size_scale: float = 1.0

    def __post_init__(self) -> None:
        if self.scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {self.scenario!r}; choose from {SCENARIOS}")
        if self.noise not in ("default", "hard"):
            raise ValueError(f"unknown noise {self.noise!r}; choose 'default' or 'hard'")
        if self.n_companies < 1 or self.n_lists < 1:
            raise ValueError("n_companies and n_lists must be positive")


@dataclass(frozen=True, slots=True)
class Office:
    """A head office or a branch: where a company can be listed."""

    city_key: str
    city: str  # Russian name, as geo spells it
    city_en: str
    region: str
    federal_district: str  # 'KZ' / 'BY' outside Russia
    country: str
    address: str
    phone: str  # E.164
    kpp: str | None = None  # a Russian branch's own KPP


@dataclass(frozen=True, slots=True)
class TruthCompany:
    """One legal entity of the simulated market (the ground truth)."""

    id: int
    country: str  # RU | KZ | BY
    legal_form: str  # ООО, АО, ПАО, ЗАО, ИП, ТОО, ЧУП, УП, ОАО
    name: str  # registered name without legal form; for a sole proprietor the full name
    name_en: str | None  # official Latin/English variant, if the company has one
    brand: str | None  # trade name a sole proprietor lists under, if any
    former_name: str | None  # before a rename
    former_legal_form: str | None
    renamed_year: int | None
    registered_year: int
    liquidated_year: int | None
    inn: str | None
    ogrn: str | None
    kpp: str | None
    bin: str | None
    unp: str | None
    website: str | None  # as the company writes it, e.g. "https://www.alliance-omsk.ru"
    domain: str | None  # host of the website, e.g. "alliance-omsk.ru" or "alyans.narod.ru"
    email: str
    hq: Office
    branches: tuple[Office, ...]
    specialisations: tuple[str, ...]
    sectors: tuple[str, ...]  # segments (enterprise/smb/public) then verticals
    size: str  # micro | small | medium | large
    employees: int
    activity: float  # relative readiness to be listed (demo scenario)
    name_style: str
    # The site and mailbox a renamed company used under its former name (lists that show
    # the old name show these).
    former_website: str | None = None
    former_domain: str | None = None
    former_email: str | None = None

    @property
    def tax_id(self) -> str | None:
        """The national tax number: INN (RU), BIN (KZ) or UNP (BY)."""
        return self.inn or self.bin or self.unp

    @property
    def offices(self) -> tuple[Office, ...]:
        return (self.hq, *self.branches)

    @property
    def phones(self) -> tuple[str, ...]:
        return tuple(o.phone for o in self.offices)

    def name_on(self, year: int) -> tuple[str, str]:
        """(name, legal form) as the company was called in ``year``."""
        if self.former_name and self.renamed_year and year < self.renamed_year:
            return self.former_name, self.former_legal_form or self.legal_form
        return self.name, self.legal_form

    @property
    def former(self) -> tuple[str, str] | None:
        """(name, legal form) before the rename, if the company was renamed."""
        if self.former_name:
            return self.former_name, self.former_legal_form or self.legal_form
        return None


@dataclass(frozen=True, slots=True)
class PartnerList:
    """One published partner list (a vendor's or distributor's partner locator)."""

    id: int  # 0-based, also the list's position in import order
    source_name: str
    vendor: str
    kind: str  # vendor_locator | distributor_locator
    language: str  # ru | en
    focus: tuple[str, ...]
    levels: tuple[str, ...]
    reach: str
    as_of: int  # snapshot year
    format: str  # preferred file format
    columns: tuple[str, ...]  # canonical fields this list shows, in order
    target_size: int


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row of one list as published, with its true company (None for garbage rows)."""

    list_id: int
    source_name: str
    row: int  # 1-based data-row number in file order
    company_id: int | None
    fields: dict[str, str] = field(hash=False)  # canonical field -> value ('' = empty)
    office: str = "hq"  # hq | branch | none
    noise: tuple[str, ...] = ()  # tags of the distortions applied (for diagnostics)
