"""Forms of the partner programme: levels, certifications, partners' standings."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.apps.register.models import Company, Vendor

from . import selectors, services
from .models import (
    Certification,
    CertificationProvider,
    CertificationRole,
    PartnerStanding,
    ProgramLevel,
)

PARAMETER_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def style_form(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(field.widget, forms.Select):
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


def parameters_text(parameters: dict[str, Any]) -> str:
    return "\n".join(f"{k} = {v}" for k, v in sorted((parameters or {}).items()))


def parse_parameters(raw: str) -> dict[str, str]:
    """``name = number`` per line (or separated by commas) into a mapping of decimal strings."""
    result: dict[str, str] = {}
    for part in re.split(r"[\n;]+|,(?=\s*[a-z])", raw or ""):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not PARAMETER_NAME.match(name):
            raise forms.ValidationError(
                _("Write one NAME = NUMBER per line, e.g. partner_floor_pct = 25.")
            )
        try:
            number = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(_("“%(name)s” needs a number.") % {"name": name}) from None
        result[name] = str(number)
    return result


class ProgramLevelForm(forms.ModelForm):
    margin_parameters_text = forms.CharField(
        label=_("margin tactic parameters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One NAME = NUMBER per line, e.g. partner_floor_pct = 25, max_partner_pct = 30, "
            "deal_registration_pct = 5."
        ),
    )

    class Meta:
        model = ProgramLevel
        fields = [
            "key",
            "name",
            "rank",
            "min_yearly_sales",
            "min_certified_sales",
            "min_certified_engineers",
            "min_marketing_activities",
            "discount_pct",
            "benefits",
        ]
        widgets = {"benefits": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["margin_parameters_text"].initial = parameters_text(
                self.instance.margin_parameters
            )
        style_form(self)

    def clean_margin_parameters_text(self) -> dict[str, str]:
        return parse_parameters(self.cleaned_data.get("margin_parameters_text") or "")

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["margin_parameters"] = self.cleaned_data["margin_parameters_text"]
        return data


class CompanyRefField(forms.CharField):
    """A register company typed as its INN or id (the register can hold millions of rows, so
    no drop-down)."""

    def clean(self, value: Any) -> Company | None:  # type: ignore[override]
        raw = super().clean(value)
        if not raw:
            return None
        company = selectors.company_by_ref(str(raw))
        if company is None:
            raise forms.ValidationError(_("No company with this INN or id in the register."))
        return company


class CertificationForm(forms.ModelForm):
    company_ref = CompanyRefField(
        label=_("company (INN or id)"), required=True, help_text=_("INN or register id")
    )

    class Meta:
        model = Certification
        fields = list(services.CERTIFICATION_FIELDS)
        widgets = {
            "issued": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expires": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, company: Company | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        company = company or (self.instance.company if self.instance.pk else None)
        self.company = company
        if company is not None:
            self.fields["company_ref"].initial = str(company.pk)
        self.fields["person"].required = False
        self.fields["role"].choices = CertificationRole.choices  # type: ignore[attr-defined]
        self.fields["provider"].choices = CertificationProvider.choices  # type: ignore[attr-defined]
        self.fields["vendor"].queryset = Vendor.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["contact"].queryset = self._people(company)  # type: ignore[attr-defined]
        self.fields["contact"].help_text = _("the person in the contact base, if known")
        style_form(self)

    @staticmethod
    def _people(company: Company | None) -> Any:
        from partnernet.apps.contacts.models import Person

        if company is None:
            return Person.objects.none()
        return Person.objects.filter(company=company).order_by("full_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        company = data.get("company_ref")
        contact = data.get("contact")
        if company is not None and contact is not None and contact.company_id != company.pk:
            self.add_error("contact", _("The contact belongs to another company."))
        if not (data.get("person") or "").strip() and contact is None:
            self.add_error("person", _("Name the certified person or choose a contact."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["person"] = data["person"] or ""
        data["course"] = data["course"] or ""
        data["certificate_number"] = data["certificate_number"] or ""
        data["company"] = self.cleaned_data["company_ref"]
        return data

    def _post_clean(self) -> None:
        # The service validates the model (company comes from company_ref, not the instance).
        pass


class StandingForm(forms.ModelForm):
    class Meta:
        model = PartnerStanding
        fields = ["level", "yearly_sales", "marketing_activities"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = ProgramLevel.objects.order_by("rank")  # type: ignore[attr-defined]
        self.fields["level"].empty_label = _("no level yet")  # type: ignore[attr-defined]
        style_form(self)

    def _post_clean(self) -> None:
        pass


class AddPartnerForm(forms.Form):
    company_ref = CompanyRefField(label=_("company (INN or id)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
