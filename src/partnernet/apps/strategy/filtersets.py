"""One FilterSet for the certification list, shared by the web page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from partnernet.apps.register.models import Vendor

from . import selectors
from .models import Certification, CertificationProvider, CertificationRole, PartnerStanding

VALIDITY_CHOICES = [
    ("valid", _("valid today")),
    ("expiring", _("expires within 90 days")),
    ("expired", _("expired")),
]


class CertificationFilterSet(django_filters.FilterSet):
    """Text, company (INN or id), vendor, provider, role and validity on a given date.

    The filtering itself is ``selectors.certification_filter``: the page, its CSV/XLSX export
    and the API answer alike.
    """

    q = django_filters.CharFilter(label=_("search"), method="_keep")
    company = django_filters.CharFilter(
        label=_("company (INN or id)"), method="_keep", help_text=_("INN or register id")
    )
    vendor = django_filters.ModelChoiceFilter(
        label=_("vendor"),
        queryset=Vendor.objects.order_by("name"),
        method="_keep",
        empty_label="—",
    )
    provider = django_filters.ChoiceFilter(
        label=_("provider"),
        choices=CertificationProvider.choices,
        method="_keep",
        empty_label="—",
    )
    role = django_filters.ChoiceFilter(
        label=_("role"), choices=CertificationRole.choices, method="_keep", empty_label="—"
    )
    validity = django_filters.ChoiceFilter(
        label=_("validity"), choices=VALIDITY_CHOICES, method="_keep", empty_label="—"
    )

    class Meta:
        model = Certification
        fields = ["q", "company", "vendor", "provider", "role", "validity"]

    def _keep(self, queryset: QuerySet[Certification], name: str, value: Any) -> Any:
        # Each filter only validates its value; filter_queryset applies them together.
        return queryset

    def filter_queryset(self, queryset: QuerySet[Certification]) -> QuerySet[Certification]:
        data = self.form.cleaned_data
        company_id = None
        ref = (data.get("company") or "").strip()
        if ref:
            company = selectors.company_by_ref(ref)
            if company is None:
                return queryset.none()
            company_id = company.pk
        vendor = data.get("vendor")
        return selectors.certification_filter(
            queryset,
            q=(data.get("q") or "").strip(),
            company_id=company_id,
            vendor_id=vendor.pk if vendor is not None else None,
            provider=data.get("provider") or "",
            role=data.get("role") or "",
            validity=data.get("validity") or "",
        )


class PartnerStandingFilterSet(django_filters.FilterSet):
    """Partners in the programme by level key (as the API writes levels)."""

    level = django_filters.CharFilter(field_name="level__key", label=_("level"))

    class Meta:
        model = PartnerStanding
        fields = ["level"]
