"""The choices of the Coverage page: which sources count as lists, and the breakdown."""

from __future__ import annotations

from django import forms
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from partnernet.apps.register.models import Source

BREAKDOWN_CHOICES = [
    ("", _("no breakdown")),
    ("federal_district", _("federal district")),
    ("region", _("region")),
    ("country", _("country")),
    ("specialisation", _("specialisation")),
    ("sector", _("customer sector")),
    ("level", _("vendor and partner status")),
]


class SourceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Source) -> str:  # type: ignore[override]
        return obj.name


class CoverageForm(forms.Form):
    sources = SourceChoiceField(
        queryset=Source.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Lists"),
        help_text=_("Sources that count as lists; none chosen means every partner locator."),
    )
    by = forms.ChoiceField(
        choices=BREAKDOWN_CHOICES,
        required=False,
        label=_("Breakdown"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    min_companies = forms.IntegerField(
        min_value=2,
        max_value=100_000,
        required=False,
        initial=50,
        label=_("Smallest group for a model"),
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["sources"]
        assert isinstance(field, SourceChoiceField)
        field.queryset = Source.objects.order_by(
            Coalesce("imported_at", "created_at"), F("created_at"), "pk"
        )
