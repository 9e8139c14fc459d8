from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.apps.register.models import Sector, Specialisation

from .models import FunnelStageDefinition, PartnerKind

SIZE_CHOICES = [
    ("", _("any size")),
    ("small", _("small or larger")),
    ("medium", _("medium or larger")),
    ("large", _("large")),
]


class FitForm(forms.Form):
    """The fit filters every approach shares."""

    niches = forms.MultipleChoiceField(label=_("Product direction"), required=False)
    sectors = forms.MultipleChoiceField(label=_("Customer sector"), required=False)
    min_size = forms.ChoiceField(label=_("Size signal"), choices=SIZE_CHOICES, required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Partner kind"), choices=PartnerKind.choices, required=False
    )
    require_all = forms.BooleanField(label=_("Only full matches"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        niches = self.fields["niches"]
        sectors = self.fields["sectors"]
        assert isinstance(niches, forms.MultipleChoiceField)
        assert isinstance(sectors, forms.MultipleChoiceField)
        niches.choices = [(s.key, s.label) for s in Specialisation.objects.all()]
        sectors.choices = [(s.key, s.label) for s in Sector.objects.all()]
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-select"
            if isinstance(field.widget, forms.Textarea | forms.NumberInput | forms.TextInput):
                css = "form-control"
            field.widget.attrs.setdefault("class", css + " form-select-sm")

    def parameters(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}


class RegionalForm(FitForm):
    quotas = forms.CharField(
        label=_("Quotas"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="city:1000000:5",
        help_text=_(
            "One per line: TYPE[:MIN_POPULATION]:NEED[:KIND][:hq]. Types: city, region, "
            "federal_district, country. Example: city:1000000:5:integrator. A partner counts "
            "wherever the register knows an office of it; add :hq to count head offices only."
        ),
    )
    top = forms.IntegerField(label=_("Candidates per territory"), min_value=1, initial=5)

    field_order = ["quotas", "top"]

    def parameters(self) -> dict[str, Any]:
        params = super().parameters()
        params["quotas"] = [
            q.strip() for q in self.cleaned_data["quotas"].splitlines() if q.strip()
        ]
        return params


class SpecialisationForm(FitForm):
    limit = forms.IntegerField(label=_("Length of the list"), min_value=1, initial=25)
    include_recruited = forms.BooleanField(label=_("Include recruited partners"), required=False)


class ShortlistSaveForm(forms.Form):
    name = forms.CharField(label=_("Shortlist name"), max_length=200)


class StageRulesForm(forms.ModelForm):
    class Meta:
        model = FunnelStageDefinition
        fields = ["name", "name_en", "rules", "counts_as_recruited"]
        widgets = {"rules": forms.Textarea(attrs={"rows": 3, "class": "form-control"})}
        help_texts = {
            "rules": _(
                "One condition per line, METRIC OP NUMBER: deals_12m, certified_people, "
                "marketing_events_12m, vendor_count, best_level_rank, source_count; "
                "operators >= > <= < =="
            )
        }


class PartnershipForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=_("Funnel stage"), queryset=FunnelStageDefinition.objects.all(), to_field_name="key"
    )
    kinds = forms.MultipleChoiceField(
        label=_("Partner kind"),
        choices=PartnerKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    joined_on = forms.DateField(label=_("Joined on"), required=False)
    deals_12m = forms.IntegerField(label=_("Deals in the last 12 months"), min_value=0, initial=0)
    certified_people = forms.IntegerField(label=_("Certified specialists"), min_value=0, initial=0)
    marketing_events_12m = forms.IntegerField(
        label=_("Marketing events in the last 12 months"), min_value=0, initial=0
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CustomerImportForm(forms.Form):
    targets = forms.FileField(
        label=_("Target customers (CSV/XLSX: name, INN, sector, size)"), required=False
    )
    suppliers = forms.FileField(
        label=_("Known suppliers (CSV/XLSX: customer, supplier, supplier INN, city, source)"),
        required=False,
    )
    source = forms.CharField(
        label=_("Where the suppliers come from"),
        required=False,
        help_text=_("e.g. end-customer list, tender, research"),
    )
