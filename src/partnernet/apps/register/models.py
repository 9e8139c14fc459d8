"""The partner register: companies and every fact about them, each with its provenance.

A *source* is one imported list; each of its rows is kept as a *source row* (raw values as
read, the canonical record, the company it was linked to and how). Companies are built from
source rows; every fact (name variant, identifier, domain, phone, location, specialisation,
sector, authorisation) records the source it first came from, when it was first seen and when
it was last confirmed. Denormalised columns on ``Company`` (search text, counts, primary
location) keep the company list fast at 100,000 companies; services refresh them.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    VENDOR_LOCATOR = "vendor_locator", _("vendor partner locator")
    DISTRIBUTOR_LOCATOR = "distributor_locator", _("distributor partner locator")
    WEB_FORM_LEADS = "web_form_leads", _("web-form leads")
    EVENT_LEADS = "event_leads", _("event leads")
    CUSTOMER_SUPPLIER_LIST = "customer_supplier_list", _("end-customer supplier list")
    OWN_RESEARCH = "own_research", _("own research")
    MANUAL = "manual", _("manual entry")


class Vendor(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    # Lower-cased, ё→е, spaces collapsed: "Huawei", "HUAWEI " and "huawei" are one vendor.
    key = models.CharField(_("key"), max_length=200, unique=True)
    website = models.CharField(_("website"), max_length=253, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def make_key(name: str) -> str:
        return " ".join(name.lower().replace("ё", "е").split())


class Source(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=32, choices=SourceKind.choices, default=SourceKind.OWN_RESEARCH
    )
    vendor = models.ForeignKey(
        Vendor,
        verbose_name=_("vendor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_hash = models.CharField(_("file hash (SHA-256)"), max_length=64, blank=True, db_index=True)
    file_size = models.BigIntegerField(_("file size"), default=0)
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    encoding = models.CharField(_("encoding"), max_length=30, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=4, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    notices = models.JSONField(_("notices"), default=list, blank=True)
    linker = models.CharField(_("linking engine"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    new_company_count = models.PositiveIntegerField(_("new companies"), default=0)
    linked_count = models.PositiveIntegerField(_("linked to known companies"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("register:source", args=[self.pk])


class Company(models.Model):
    display_name = models.CharField(_("name"), max_length=500)
    name_key = models.CharField(_("normalised name"), max_length=500, db_index=True)
    legal_form = models.CharField(_("legal form"), max_length=40, blank=True)
    # The primary identifier of each kind: a valid one when any is known; an invalid one is
    # kept (flagged) only when no valid one exists, and is never used for linking.
    inn = models.CharField(_("INN"), max_length=12, blank=True, db_index=True)
    inn_valid = models.BooleanField(_("INN valid"), default=False)
    ogrn = models.CharField(_("OGRN"), max_length=15, blank=True, db_index=True)
    ogrn_valid = models.BooleanField(_("OGRN valid"), default=False)
    kpp = models.CharField(_("KPP"), max_length=9, blank=True)
    kpp_valid = models.BooleanField(_("KPP valid"), default=False)
    bin = models.CharField(_("BIN"), max_length=12, blank=True, db_index=True)
    bin_valid = models.BooleanField(_("BIN valid"), default=False)
    unp = models.CharField(_("UNP"), max_length=9, blank=True, db_index=True)
    unp_valid = models.BooleanField(_("UNP valid"), default=False)
    # Primary location (head office, else the first seen); all locations in CompanyLocation.
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    city_key = models.CharField(_("city key"), max_length=120, blank=True, db_index=True)
    city_name = models.CharField(_("city"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=200, blank=True, db_index=True)
    federal_district = models.CharField(
        _("federal district"), max_length=100, blank=True, db_index=True
    )
    primary_domain = models.CharField(_("website"), max_length=253, blank=True)
    # Lower-cased, ё→е: every name variant, its Latin key, identifiers and domains.
    search_text = models.TextField(_("search text"), blank=True)
    source_count = models.PositiveIntegerField(_("sources"), default=0)
    row_count = models.PositiveIntegerField(_("source rows"), default=0)
    vendor_count = models.PositiveIntegerField(_("vendors"), default=0)
    best_level_rank = models.PositiveSmallIntegerField(_("best level rank"), default=0)
    vendors_text = models.CharField(_("vendors"), max_length=1000, blank=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_confirmed = models.DateTimeField(_("last confirmed"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Indexed: the selection and coverage caches read the newest change on every request.
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)
    # Set when the company was merged into another (the resolution issue); kept for un-merge.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["display_name", "id"]
        # The list shows live companies (merged_into IS NULL) sorted by one column: these let
        # the first page come straight from an index at 100,000 companies.
        indexes = [
            models.Index(fields=["name_key", "city_key"]),
            models.Index(fields=["merged_into", "display_name", "id"]),
            models.Index(fields=["merged_into", "source_count"]),
            models.Index(fields=["merged_into", "last_confirmed"]),
            models.Index(fields=["merged_into", "city_name"]),
            models.Index(fields=["merged_into", "region"]),
            models.Index(fields=["merged_into", "inn"]),
            models.Index(fields=["merged_into", "primary_domain"]),
            models.Index(fields=["merged_into", "legal_form"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("register:company", args=[self.pk])

    def identifiers(self) -> list[tuple[str, str, bool]]:
        """(label, value, valid) of the primary identifiers present."""
        items = [
            ("INN", self.inn, self.inn_valid),
            ("OGRN", self.ogrn, self.ogrn_valid),
            ("KPP", self.kpp, self.kpp_valid),
            ("BIN", self.bin, self.bin_valid),
            ("UNP", self.unp, self.unp_valid),
        ]
        return [item for item in items if item[1]]


class CompanySearchToken(models.Model):
    """One searchable word of a company (name variants, Latin keys, identifiers, domains),
    lower-cased with ё→е. Search is a prefix range scan on ``token``: fast at any size, on
    SQLite and PostgreSQL alike, where a substring scan of 100,000 rows is not."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["token", "company"])]
        constraints = [
            models.UniqueConstraint(fields=["company", "token"], name="register_token_unique")
        ]

    def __str__(self) -> str:
        return self.token


class Fact(models.Model):
    """Provenance every fact carries: where it first came from, first and last seen."""

    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_confirmed = models.DateTimeField(_("last confirmed"), default=timezone.now)

    class Meta:
        abstract = True


class NameScript(models.TextChoices):
    CYRILLIC = "cyrillic", _("Cyrillic")
    LATIN = "latin", _("Latin")
    MIXED = "mixed", _("mixed")
    OTHER = "other", _("other")


class CompanyName(Fact):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name as written"), max_length=500)
    name_key = models.CharField(_("normalised name"), max_length=500, db_index=True)
    latin_key = models.CharField(_("Latin key"), max_length=500, blank=True, db_index=True)
    legal_form = models.CharField(_("legal form"), max_length=40, blank=True)
    script = models.CharField(_("script"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("company name")
        verbose_name_plural = _("company names")
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="register_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class IdentifierKind(models.TextChoices):
    INN = "inn", _("INN")
    OGRN = "ogrn", _("OGRN")
    KPP = "kpp", _("KPP")
    BIN = "bin", _("BIN")
    UNP = "unp", _("UNP")


# The identifier validators' error codes (``engines.ids``), as people read them.
IDENTIFIER_ERRORS = {
    "InvalidChecksum": _("invalid checksum"),
    "InvalidLength": _("wrong number of digits"),
    "InvalidFormat": _("not a number of this kind"),
    "InvalidComponent": _("impossible region, date or type digits"),
}


def identifier_error_text(code: str) -> str:
    return str(IDENTIFIER_ERRORS.get(code, _("invalid")))


class CompanyIdentifier(Fact):
    """Every identifier seen for a company, valid or not (the primary ones are on Company)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="identifier_set")
    kind = models.CharField(_("kind"), max_length=8, choices=IdentifierKind.choices)
    value = models.CharField(_("value"), max_length=20)
    valid = models.BooleanField(_("valid"), default=False)
    error = models.CharField(_("error"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "kind", "value"], name="register_identifier_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    @property
    def error_text(self) -> str:
        return identifier_error_text(self.error) if not self.valid else ""


class CompanyDomain(Fact):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=253, db_index=True)

    class Meta:
        verbose_name = _("web domain")
        verbose_name_plural = _("web domains")
        constraints = [
            models.UniqueConstraint(fields=["company", "domain"], name="register_domain_unique")
        ]

    def __str__(self) -> str:
        return self.domain


class CompanyPhone(Fact):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone (E.164)"), max_length=32, db_index=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="register_phone_unique")
        ]

    def __str__(self) -> str:
        return self.number


class CompanyEmail(Fact):
    """A company's general address from a list (info@, sales@); people live in contacts."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="emails")
    address = models.CharField(_("e-mail"), max_length=254, db_index=True)

    class Meta:
        verbose_name = _("e-mail address")
        verbose_name_plural = _("e-mail addresses")
        constraints = [
            models.UniqueConstraint(fields=["company", "address"], name="register_email_unique")
        ]

    def __str__(self) -> str:
        return self.address


class CompanyLocation(Fact):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="locations")
    is_headquarters = models.BooleanField(_("head office"), default=False)
    city_key = models.CharField(_("city key"), max_length=120, blank=True, db_index=True)
    city_name = models.CharField(_("city"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=200, blank=True, db_index=True)
    region_iso = models.CharField(_("region code"), max_length=10, blank=True)
    federal_district = models.CharField(
        _("federal district"), max_length=100, blank=True, db_index=True
    )
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "city_key", "region"], name="register_location_unique"
            )
        ]

    def __str__(self) -> str:
        return self.city_name or self.region or self.country


class LabelledChoice(models.Model):
    """A row of an extendable vocabulary with a Russian and an English name."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "ru").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Specialisation(LabelledChoice):
    class Meta(LabelledChoice.Meta):
        verbose_name = _("specialisation")
        verbose_name_plural = _("specialisations")


class SectorKind(models.TextChoices):
    SEGMENT = "segment", _("customer segment")
    VERTICAL = "vertical", _("vertical")


class Sector(LabelledChoice):
    kind = models.CharField(
        _("kind"), max_length=10, choices=SectorKind.choices, default=SectorKind.VERTICAL
    )

    class Meta(LabelledChoice.Meta):
        verbose_name = _("customer sector")
        verbose_name_plural = _("customer sectors")


class CompanySpecialisation(Fact):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="specialisations")
    specialisation = models.ForeignKey(
        Specialisation, on_delete=models.CASCADE, related_name="companies"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "specialisation"], name="register_specialisation_unique"
            )
        ]


class CompanySector(Fact):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="sectors")
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="companies")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "sector"], name="register_sector_unique")
        ]


class Authorisation(models.Model):
    """A vendor's authorisation of a company as one source shows it."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="authorisations"
    )
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), on_delete=models.CASCADE, related_name="authorisations"
    )
    level = models.CharField(_("level as written"), max_length=200, blank=True)
    level_rank = models.PositiveSmallIntegerField(_("level rank"), default=0, db_index=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="authorisations"
    )
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    # Indexed: the selection cache reads the newest sighting on every request.
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("authorisation")
        verbose_name_plural = _("authorisations")
        ordering = ["vendor__name", "-level_rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "vendor", "source"], name="register_authorisation_unique"
            )
        ]
        indexes = [models.Index(fields=["vendor", "level_rank"])]

    def __str__(self) -> str:
        return f"{self.vendor}: {self.level or '—'}"


class LinkMethod(models.TextChoices):
    INN = "inn", _("same INN")
    OGRN = "ogrn", _("same OGRN")
    BIN = "bin", _("same BIN")
    UNP = "unp", _("same UNP")
    NAME_CITY = "name_city", _("same name in the same city")
    DOMAIN = "domain", _("same web domain")
    NEW = "new", _("new company")
    MODEL = "model", _("probabilistic model")
    MANUAL = "manual", _("linked by hand")


class SourceRow(models.Model):
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="rows"
    )
    row_number = models.PositiveIntegerField(_("row"))
    location = models.CharField(_("place in file"), max_length=120, blank=True)
    raw = models.JSONField(_("values as read"), default=dict)
    canonical = models.JSONField(_("normalised values"), default=dict)
    content_hash = models.CharField(_("content hash"), max_length=64, db_index=True)
    error = models.TextField(_("error"), blank=True)
    warnings = models.TextField(_("warnings"), blank=True)
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_rows",
    )
    link_method = models.CharField(
        _("link method"), max_length=20, choices=LinkMethod.choices, blank=True
    )
    link_score = models.FloatField(_("link score"), null=True, blank=True)
    # False once a newer version of the list no longer holds this row (kept for provenance).
    is_current = models.BooleanField(_("in the latest file"), default=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("source row")
        verbose_name_plural = _("source rows")
        ordering = ["source", "row_number"]
        indexes = [models.Index(fields=["source", "row_number"])]

    def __str__(self) -> str:
        return f"{self.source.name} #{self.row_number}"

    @property
    def name(self) -> str:
        return str(self.canonical.get("name") or "")


from .models_jobs import ImportJob, JobStatus, ResolutionTraining  # noqa: E402, F401
from .models_resolution import CompanyMerge, ReviewPair, ReviewReason, ReviewStatus  # noqa: E402, F401
