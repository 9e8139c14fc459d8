"""One FilterSet per list, shared by the web UI and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from partnernet.engines.geo import federal_districts, resolve_city, resolve_region
from partnernet.engines.names.translit import latin_key

from .models import (
    Authorisation,
    Company,
    CompanyLocation,
    CompanySearchToken,
    CompanySector,
    CompanySpecialisation,
    Sector,
    Source,
    SourceKind,
    SourceRow,
    Specialisation,
    Vendor,
)
from .services import search_fold, search_tokens

COUNTRIES = [("RU", _("Russia")), ("KZ", _("Kazakhstan")), ("BY", _("Belarus"))]


def _prefix(word: str) -> Q:
    # A range instead of LIKE 'word%': an index range scan on every backend and collation.
    return Q(token__gte=word, token__lt=word + "\U0010ffff")


def search_terms(value: str) -> list[Q]:
    """One condition per word of the query: some searchable word of the company (a name
    variant, its Latin key, an identifier, a domain) starts with it or with its Latin key."""
    conditions: list[tuple[str, Q]] = []
    for word in sorted(search_tokens(value), key=len, reverse=True):
        if any(other.startswith(word) for other in (c[0] for c in conditions)):
            continue  # "jet" adds nothing once "jet.su" is required
        match = _prefix(word)
        latin = search_fold(latin_key(word) or "").replace(" ", "")
        if latin and latin != word:
            match |= _prefix(latin)
        conditions.append((word, match))
    return [
        Q(id__in=CompanySearchToken.objects.filter(match).values("company_id"))
        for _, match in conditions
    ]


class CompanyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    vendor = django_filters.ModelMultipleChoiceFilter(
        queryset=Vendor.objects.order_by("name"), method="filter_vendor", label=_("Vendor")
    )
    level = django_filters.CharFilter(method="filter_level", label=_("Level as written"))
    level_rank_min = django_filters.NumberFilter(
        method="filter_level_rank", label=_("Level rank at least (1–5)")
    )
    city = django_filters.CharFilter(method="filter_city", label=_("City"))
    region = django_filters.CharFilter(method="filter_region", label=_("Region"))
    federal_district = django_filters.ChoiceFilter(
        choices=lambda: [(d, d) for d in federal_districts()],
        method="filter_federal_district",
        label=_("Federal district"),
    )
    country = django_filters.ChoiceFilter(
        choices=COUNTRIES, method="filter_country", label=_("Country")
    )
    specialisation = django_filters.ModelMultipleChoiceFilter(
        queryset=Specialisation.objects.all(),
        to_field_name="key",
        method="filter_specialisation",
        label=_("Specialisation"),
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        queryset=Sector.objects.all(),
        to_field_name="key",
        method="filter_sector",
        label=_("Customer sector"),
    )
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.order_by("name"), method="filter_source", label=_("Source")
    )
    sources_min = django_filters.NumberFilter(
        field_name="source_count", lookup_expr="gte", label=_("Sources at least")
    )
    sources_max = django_filters.NumberFilter(
        field_name="source_count", lookup_expr="lte", label=_("Sources at most")
    )
    inn = django_filters.CharFilter(field_name="inn", label=_("INN"))
    has_valid_inn = django_filters.BooleanFilter(field_name="inn_valid", label=_("Has a valid INN"))

    class Meta:
        model = Company
        fields: list[str] = []

    # Filters on related facts are ``id IN (SELECT company_id …)``: the subquery runs once on
    # its own index, where a correlated EXISTS would probe every company row.
    @staticmethod
    def _having(queryset: QuerySet, facts: QuerySet) -> QuerySet:
        return queryset.filter(id__in=facts.values("company_id"))

    def _authorisations(self) -> QuerySet[Authorisation]:
        return Authorisation.objects.all()

    def filter_search(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet:
        for condition in search_terms(value):
            queryset = queryset.filter(condition)
        return queryset

    def filter_vendor(self, queryset: QuerySet[Company], name: str, value: Any) -> QuerySet:
        if not value:
            return queryset
        subquery = self._authorisations().filter(vendor__in=value)
        rank = self.form.cleaned_data.get("level_rank_min")
        if rank:
            subquery = subquery.filter(level_rank__gte=rank)
        return self._having(queryset, subquery)

    def filter_level(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        subquery = self._authorisations().filter(level__icontains=value.strip())
        vendors = self.form.cleaned_data.get("vendor")
        if vendors:
            subquery = subquery.filter(vendor__in=vendors)
        return self._having(queryset, subquery)

    def filter_level_rank(self, queryset: QuerySet[Company], name: str, value: Any) -> QuerySet:
        if not value or self.form.cleaned_data.get("vendor"):
            return queryset  # combined with the vendor in filter_vendor
        return queryset.filter(best_level_rank__gte=value)

    def _locations(self) -> QuerySet[CompanyLocation]:
        return CompanyLocation.objects.all()

    def filter_city(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet:
        if not value.strip():
            return queryset
        city = resolve_city(value)
        if city is not None:
            return self._having(queryset, self._locations().filter(city_key=city.key))
        return self._having(queryset, self._locations().filter(city_name=value.strip()))

    def filter_region(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet:
        if not value.strip():
            return queryset
        region = resolve_region(value)
        target = region.name if region is not None else value.strip()
        return self._having(queryset, self._locations().filter(region=target))

    def filter_federal_district(
        self, queryset: QuerySet[Company], name: str, value: str
    ) -> QuerySet:
        if not value:
            return queryset
        return self._having(queryset, self._locations().filter(federal_district=value))

    def filter_country(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        located = self._locations().filter(country=value).values("company_id")
        return queryset.filter(Q(country=value) | Q(id__in=located))

    def filter_specialisation(self, queryset: QuerySet[Company], name: str, value: Any) -> QuerySet:
        if not value:
            return queryset
        subquery = CompanySpecialisation.objects.filter(specialisation__in=value)
        return self._having(queryset, subquery)

    def filter_sector(self, queryset: QuerySet[Company], name: str, value: Any) -> QuerySet:
        if not value:
            return queryset
        return self._having(queryset, CompanySector.objects.filter(sector__in=value))

    def filter_source(self, queryset: QuerySet[Company], name: str, value: Any) -> QuerySet:
        if not value:
            return queryset
        rows = SourceRow.objects.filter(source=value, is_current=True, company__isnull=False)
        return self._having(queryset, rows)


class SourceFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name"))
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices, label=_("Kind"))
    vendor = django_filters.ModelChoiceFilter(queryset=Vendor.objects.all(), label=_("Vendor"))

    class Meta:
        model = Source
        fields: list[str] = []


class SourceRowFilterSet(django_filters.FilterSet):
    source = django_filters.ModelChoiceFilter(queryset=Source.objects.all(), label=_("Source"))
    company = django_filters.NumberFilter(field_name="company_id", label=_("Company"))
    failed = django_filters.BooleanFilter(method="filter_failed", label=_("Failed rows only"))
    link_method = django_filters.CharFilter(label=_("Link method"))
    is_current = django_filters.BooleanFilter(label=_("In the latest file"))

    class Meta:
        model = SourceRow
        fields: list[str] = []

    def filter_failed(self, queryset: QuerySet[SourceRow], name: str, value: Any) -> QuerySet:
        if value is None:
            return queryset
        return queryset.exclude(error="") if value else queryset.filter(error="")


class AuthorisationFilterSet(django_filters.FilterSet):
    vendor = django_filters.ModelChoiceFilter(queryset=Vendor.objects.all(), label=_("Vendor"))
    company = django_filters.NumberFilter(field_name="company_id", label=_("Company"))
    source = django_filters.ModelChoiceFilter(queryset=Source.objects.all(), label=_("Source"))
    level_rank_min = django_filters.NumberFilter(
        field_name="level_rank", lookup_expr="gte", label=_("Level rank at least")
    )

    class Meta:
        model = Authorisation
        fields: list[str] = []


class VendorFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = Vendor
        fields: list[str] = []
