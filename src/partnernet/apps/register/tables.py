"""Sortable, paginated tables of the register (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Company, CompanyIdentifier, Source, SourceRow, identifier_error_text


class CompanyTable(tables.Table):
    display_name = tables.Column(linkify=True, verbose_name=_("Company"))
    legal_form = tables.Column(verbose_name=_("Legal form"))
    inn = tables.Column(verbose_name=_("INN"))
    city_name = tables.Column(verbose_name=_("City"))
    region = tables.Column(verbose_name=_("Region"))
    primary_domain = tables.Column(verbose_name=_("Website"))
    vendors_text = tables.Column(verbose_name=_("Vendors"), orderable=False)
    source_count = tables.Column(verbose_name=_("Sources"), attrs={"td": {"class": "text-end"}})
    last_confirmed = tables.DateColumn(verbose_name=_("Last confirmed"), format="Y-m-d")

    class Meta:
        model = Company
        fields = (
            "display_name",
            "legal_form",
            "inn",
            "city_name",
            "region",
            "primary_domain",
            "vendors_text",
            "source_count",
            "last_confirmed",
        )
        attrs = {"class": "table table-sm table-hover align-middle", "id": "company-table"}
        order_by = ("display_name",)

    def render_inn(self, value: str, record: Company) -> Any:
        if record.inn and not record.inn_valid:
            # The validator's own reason (kept on the identifier fact): a bad length or
            # region is not a bad checksum. One query per invalid INN shown (they are rare).
            code = (
                CompanyIdentifier.objects.filter(company=record, kind="inn", value=record.inn)
                .values_list("error", flat=True)
                .first()
            )
            return format_html(
                '<span class="text-danger" title="{}">{} ⚠</span>',
                identifier_error_text(code or ""),
                value,
            )
        return value

    def value_inn(self, value: str, record: Company) -> str:
        return value


class SourceTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Source"))
    kind = tables.Column(verbose_name=_("Kind"))
    vendor = tables.Column(verbose_name=_("Vendor"))
    file_name = tables.Column(verbose_name=_("File"))
    imported_at = tables.DateTimeColumn(verbose_name=_("Imported"), format="Y-m-d H:i")
    row_count = tables.Column(verbose_name=_("Rows"))
    new_company_count = tables.Column(verbose_name=_("New companies"))
    linked_count = tables.Column(verbose_name=_("Linked"))
    error_count = tables.Column(verbose_name=_("Errors"))

    class Meta:
        model = Source
        fields = (
            "name",
            "kind",
            "vendor",
            "file_name",
            "imported_at",
            "row_count",
            "new_company_count",
            "linked_count",
            "error_count",
        )
        attrs = {"class": "table table-sm table-hover align-middle", "id": "source-table"}


class SourceRowTable(tables.Table):
    row_number = tables.Column(verbose_name=_("Row"))
    location = tables.Column(verbose_name=_("Place in file"), orderable=False)
    name = tables.Column(
        verbose_name=_("Name as written"), accessor="canonical__name", orderable=False
    )
    company = tables.Column(linkify=True, verbose_name=_("Company"))
    link_method = tables.Column(verbose_name=_("Linked by"))
    error = tables.Column(verbose_name=_("Error"))
    warnings = tables.Column(verbose_name=_("Warnings"), orderable=False)

    class Meta:
        model = SourceRow
        fields = ("row_number", "location", "name", "company", "link_method", "error", "warnings")
        attrs = {"class": "table table-sm align-middle", "id": "source-row-table"}
