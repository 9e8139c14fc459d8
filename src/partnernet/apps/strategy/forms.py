"""Forms of the strategy composer, targets, custom tactics and the margin calculator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.apps.register.models import Vendor
from partnernet.engines.pricing.chain import MARGIN_TACTICS, PERFORMERS, STAGES
from partnernet.engines.strategy.compose import GOAL_METRICS

from .models import ProgramLevel, Role, Strategy, Target, TargetDirection

TACTIC_LABELS = {
    "fixed": _("Fixed margin"),
    "floating_by_status": _("Floating margin by partner status"),
    "floating_by_participation": _("Floating margin by the partner's part in the project"),
    "inflated_price_list": _("Inflated price list with a high partner discount"),
    "flexible": _("Flexible margin (per-deal override)"),
}
STAGE_LABELS = {"presale": _("Presale"), "pilot": _("Pilot"), "implementation": _("Implementation")}
PERFORMER_LABELS = {"partner": _("partner"), "distributor": _("distributor"), "vendor": _("vendor")}


def _metric_choices() -> list[tuple[str, Any]]:
    from .selectors import current_language

    lang = current_language()
    return [("", "—")] + [(key, names[lang]) for key, names in GOAL_METRICS.items()]


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = [
            "title",
            "role",
            "goal_metric",
            "goal_target",
            "goal_unit",
            "goal_horizon_years",
            "goal_baseline",
            "goal_description",
            "summary",
        ]
        widgets = {
            "goal_description": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal_metric"] = forms.ChoiceField(
            label=_("goal metric"), choices=_metric_choices(), required=False
        )
        self.fields["role"].choices = Role.choices  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault(
                "class",
                f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm",
            )


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "metric",
            "target_value",
            "baseline",
            "vendor",
            "min_level_rank",
            "level",
            "stage",
            "include_later_stages",
            "quota",
            "direction",
            "due",
            "note",
            "dimension",
        ]
        widgets = {"due": forms.DateInput(attrs={"type": "date"}), "dimension": forms.HiddenInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from partnernet.apps.selection.models import FunnelStageDefinition, Quota

        from .targets import METRIC_FIELDS

        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["level"].queryset = ProgramLevel.objects.all()  # type: ignore[attr-defined]
        self.fields["stage"].queryset = FunnelStageDefinition.objects.order_by("order", "key")  # type: ignore[attr-defined]
        self.fields["quota"].queryset = Quota.objects.order_by("id")  # type: ignore[attr-defined]
        self.fields["direction"].choices = [  # type: ignore[attr-defined]
            ("", _("as the metric suggests")),
            *list(TargetDirection.choices),
        ]
        # The template shows a field only for the metrics that read it.
        for name, field in self.fields.items():
            metrics = [m for m, names in METRIC_FIELDS.items() if name in names]
            if metrics:
                field.widget.attrs["data-metrics"] = " ".join(metrics)
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
                continue
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        from .models import TargetMetric

        data = super().clean() or {}
        metric = data.get("metric")
        if metric == TargetMetric.STAGE_COUNT and not data.get("stage"):
            self.add_error("stage", _("Choose the funnel stage to count."))
        if metric in (TargetMetric.QUOTA_COVERED_SHARE, TargetMetric.QUOTA_GAP) and not data.get(
            "quota"
        ):
            self.add_error("quota", _("Choose a stored quota."))
        if metric == TargetMetric.PARTNERS_AT_LEVEL and not data.get("level"):
            self.add_error("level", _("Choose the programme level."))
        return data


class TacticForm(forms.Form):
    dimension = forms.ChoiceField(label=_("dimension"))
    key = forms.SlugField(label=_("key"), max_length=60)
    name_ru = forms.CharField(label=_("name (Russian)"), max_length=300)
    name_en = forms.CharField(label=_("name (English)"), max_length=300, required=False)
    description_ru = forms.CharField(
        label=_("description (Russian)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description_en = forms.CharField(
        label=_("description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, dimensions: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = list(dimensions)  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if name == "roles":
                continue
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


def _pct(label: Any, required: bool = False, initial: Any = None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        initial=initial,
        min_value=Decimal(-100),
        max_value=Decimal("99.99"),
        decimal_places=2,
        max_digits=5,
    )


class DealLineForm(forms.Form):
    """One line of a deal in the margin calculator."""

    name = forms.CharField(label=_("item"), max_length=200, required=False)
    list_price = forms.DecimalField(
        label=_("list price of a unit, ₽"), min_value=Decimal(0), decimal_places=2, max_digits=16
    )
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


class BaseDealLineFormSet(forms.BaseFormSet):
    # The page's script removes a row by setting its hidden DELETE to "on" and hiding it.
    deletion_widget = forms.HiddenInput


# Lines of a deal: at least one, at most 200.
DealLineFormSet = forms.formset_factory(
    DealLineForm,
    formset=BaseDealLineFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=200,
    validate_max=True,
    can_delete=True,
)


class PricingForm(forms.Form):
    """The margin calculator: a tactic and its parameters (the deal's lines are a formset)."""

    title = forms.CharField(label=_("deal"), max_length=300, required=False)
    tactic = forms.ChoiceField(
        label=_("margin tactic"), choices=[(k, TACTIC_LABELS[k]) for k in MARGIN_TACTICS]
    )
    distributor_discount = _pct(_("distributor discount off list, % (empty: no distributor)"))
    partner_discount = _pct(_("partner discount off list, %"))
    customer_discount = _pct(_("customer discount off list, % (negative: above list)"), initial=0)
    status_discounts = forms.CharField(
        label=_("discounts by status"),
        required=False,
        initial="Registered=10, Silver=15, Gold=20",
        help_text=_("LEVEL=PERCENT, comma-separated"),
    )
    status = forms.CharField(label=_("partner status"), required=False, max_length=60)
    max_partner_discount = _pct(_("full partner discount, %"))
    floor = _pct(_("partner's margin floor, %"), initial=20)
    override_partner_discount = _pct(_("this deal's partner discount, %"))
    approved_by = forms.CharField(label=_("approved by"), required=False, max_length=120)
    save = forms.BooleanField(label=_("save the calculation"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The programme's levels and their discounts, when they are set, are the statuses.
        levels = ProgramLevel.objects.filter(discount_pct__isnull=False).order_by("rank")
        pairs = [f"{level.name}={level.discount_pct.normalize():f}" for level in levels]  # type: ignore[union-attr]
        if pairs:
            self.fields["status_discounts"].initial = ", ".join(pairs)
        performer_choices = [(p, PERFORMER_LABELS[p]) for p in PERFORMERS]
        for stage in STAGES:
            self.fields[f"stage_{stage}_pct"] = _pct(
                _("%(stage)s: points") % {"stage": STAGE_LABELS[stage]},
                initial={"presale": 5, "pilot": 5, "implementation": 10}[stage],
            )
            self.fields[f"stage_{stage}_by"] = forms.ChoiceField(
                label=_("%(stage)s done by") % {"stage": STAGE_LABELS[stage]},
                choices=performer_choices,
                initial="partner",
            )
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def clean_status_discounts(self) -> dict[str, Decimal]:
        raw = self.cleaned_data.get("status_discounts") or ""
        levels: dict[str, Decimal] = {}
        for part in raw.split(","):
            if not part.strip():
                continue
            key, sep, value = part.partition("=")
            try:
                levels[key.strip()] = Decimal(value.strip().replace(",", "."))
            except Exception:
                raise forms.ValidationError(
                    _("Write LEVEL=PERCENT pairs, e.g. Silver=15.")
                ) from None
            if not sep or not key.strip():
                raise forms.ValidationError(_("Write LEVEL=PERCENT pairs, e.g. Silver=15."))
        return levels

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        tactic = data.get("tactic")
        if tactic in ("fixed", "flexible") and data.get("partner_discount") is None:
            self.add_error("partner_discount", _("This tactic needs the partner discount."))
        if tactic == "floating_by_status":
            if not data.get("status_discounts"):
                self.add_error("status_discounts", _("Give the discount of every status."))
            elif data.get("status") not in data["status_discounts"]:
                self.add_error("status", _("Choose one of the statuses listed."))
        if tactic == "floating_by_participation" and data.get("max_partner_discount") is None:
            self.add_error(
                "max_partner_discount", _("This tactic needs the full partner discount.")
            )
        for name in ("distributor_discount", "partner_discount", "max_partner_discount"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("A discount cannot be negative."))
        return data

    def tactic_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        result: dict[str, Any] = {
            "tactic": data["tactic"],
            "distributor_pct": data.get("distributor_discount"),
            "partner_pct": data.get("partner_discount"),
        }
        if data["tactic"] == "floating_by_status":
            result["partner_pct_by_status"] = data["status_discounts"]
        if data["tactic"] == "floating_by_participation":
            result["max_partner_pct"] = data["max_partner_discount"]
            result["stage_pct"] = {s: data.get(f"stage_{s}_pct") or Decimal(0) for s in STAGES}
        if data["tactic"] == "inflated_price_list" and result["partner_pct"] is None:
            result.pop("partner_pct")
        return result


class LicensingForm(forms.Form):
    """Perpetual licence vs subscription over a horizon."""

    licence_price = forms.DecimalField(
        label=_("perpetual licence, list price, ₽"),
        min_value=Decimal(0),
        decimal_places=2,
        max_digits=16,
    )
    support_pct = _pct(
        _("yearly support (share of the licence price), %"), required=True, initial=20
    )
    first_year_support_included = forms.BooleanField(
        label=_("first year of support included"), required=False, initial=True
    )
    support_indexation_pct = _pct(_("support growth a year, %"), initial=0)
    subscription_price = forms.DecimalField(
        label=_("subscription, list price a year, ₽"),
        min_value=Decimal(0),
        decimal_places=2,
        max_digits=16,
    )
    indexation_pct = _pct(_("subscription growth a year, %"), initial=0)
    horizon_years = forms.IntegerField(
        label=_("horizon, years"), min_value=1, max_value=15, initial=5
    )
    distributor_discount = _pct(_("distributor discount off list, % (empty: no distributor)"))
    partner_discount = _pct(_("partner discount off list, %"), required=True, initial=25)
    customer_discount = _pct(_("customer discount off list, % (negative: above list)"), initial=0)
    discount_rate_pct = _pct(_("discount rate for present values a year, %"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            else:
                field.widget.attrs.setdefault("class", "form-control form-control-sm")
