"""Forms of the import dialogue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.engines.sources import FIELDS, IGNORE

from .models import Source, SourceKind

FIELD_LABELS: dict[str, Any] = {
    "name": _("company name"),
    "inn": _("INN"),
    "ogrn": _("OGRN"),
    "kpp": _("KPP"),
    "bin": _("BIN (Kazakhstan)"),
    "unp": _("UNP (Belarus)"),
    "legal_form": _("legal form"),
    "city": _("city"),
    "region": _("region"),
    "federal_district": _("federal district"),
    "country": _("country"),
    "address": _("address"),
    "website": _("website"),
    "phone": _("phone"),
    "email": _("e-mail"),
    "level": _("partner level"),
    "vendor": _("vendor"),
    "specialisations": _("specialisations"),
    "sectors": _("customer sectors"),
    "contact": _("contact person"),
    "comment": _("comment"),
}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Partner list"),
        help_text=_("CSV or TSV (UTF-8 or Windows-1251), XLSX, a saved HTML page, or JSON."),
    )
    source_name = forms.CharField(
        label=_("Source name"),
        max_length=200,
        help_text=_("Unique name of the list; import a newer version under the same name."),
    )
    vendor = forms.CharField(
        label=_("Vendor"),
        max_length=200,
        required=False,
        help_text=_("Whose partner locator this is; leave empty for other lists."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of source"),
        choices=[("", _("automatic")), *SourceKind.choices],
        required=False,
    )

    def clean_source_name(self) -> str:
        return " ".join(self.cleaned_data["source_name"].split())

    def known_source(self) -> Source | None:
        return Source.objects.filter(name=self.cleaned_data.get("source_name")).first()


def field_choices() -> list[tuple[str, Any]]:
    return [("", _("— not used —")), *[(f, FIELD_LABELS.get(f, f)) for f in FIELDS]]


class ImportMappingForm(forms.Form):
    """One select per detected column, preset to the recognised field."""

    def __init__(self, *args: Any, columns: list[tuple[str, str | None]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        for index, (header, field) in enumerate(columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=field_choices(), required=False, initial=field or ""
            )

    def mapping(self) -> dict[str, str]:
        """Header → field for every column (``ignore`` for columns not used)."""
        result: dict[str, str] = {}
        for index, (header, _field) in enumerate(self.columns):
            chosen = self.cleaned_data.get(f"column_{index}") or IGNORE
            result[header] = chosen
        return result
