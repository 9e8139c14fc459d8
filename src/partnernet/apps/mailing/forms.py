"""Forms: a campaign with its audience, an intake upload, an export upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.apps.contacts.models import EmploymentStatus

from .models import Campaign


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


class CampaignForm(forms.ModelForm):
    """The campaign's message and its audience (a saved contact filter)."""

    audience_q = forms.CharField(label=_("Contacts matching"), required=False)
    audience_position = forms.CharField(label=_("Position contains"), required=False)
    audience_region = forms.CharField(
        label=_("Regions"), required=False, help_text=_("Comma-separated.")
    )
    audience_city = forms.CharField(
        label=_("Cities"), required=False, help_text=_("Comma-separated.")
    )
    audience_vendor = forms.CharField(
        label=_("Partners of vendors"), required=False, help_text=_("Comma-separated.")
    )
    audience_domain = forms.CharField(
        label=_("Mail domains"), required=False, help_text=_("Comma-separated.")
    )
    audience_status = forms.MultipleChoiceField(
        label=_("Employment status"),
        choices=[c for c in EmploymentStatus.choices if c[0] != EmploymentStatus.LEFT],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: everyone who has not left."),
    )

    LIST_KEYS = ("region", "city", "vendor", "domain")
    TEXT_KEYS = ("q", "position")

    class Meta:
        model = Campaign
        fields = [
            "name",
            "subject",
            "body",
            "from_address",
            "from_name",
            "reply_to",
            "rate_per_minute",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 14, "class": "font-monospace"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False  # the subject when empty
        audience = (self.instance.audience or {}) if self.instance else {}
        for key in self.TEXT_KEYS:
            self.fields[f"audience_{key}"].initial = audience.get(key, "")
        for key in self.LIST_KEYS:
            self.fields[f"audience_{key}"].initial = ", ".join(audience.get(key, []))
        self.fields["audience_status"].initial = audience.get("status", [])
        if self.instance and self.instance.prepared_at is not None:
            for name in list(self.fields):
                if name.startswith("audience_"):
                    self.fields[name].disabled = True
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def audience(self) -> dict[str, Any]:
        data = self.cleaned_data
        audience: dict[str, Any] = {}
        for key in self.TEXT_KEYS:
            if data.get(f"audience_{key}"):
                audience[key] = data[f"audience_{key}"].strip()
        for key in self.LIST_KEYS:
            if values := _split(data.get(f"audience_{key}") or ""):
                audience[key] = values
        if data.get("audience_status"):
            audience["status"] = list(data["audience_status"])
        # Keys set elsewhere (API, CLI: company, people, shortlist) are kept.
        kept = {
            k: v
            for k, v in (self.instance.audience or {}).items()
            if k in ("company", "people", "shortlist")
        }
        return {**kept, **audience}


class IntakeUploadForm(forms.Form):
    file = forms.FileField(label=_("A message (.eml) or an mbox file"))


class EspImportForm(forms.Form):
    file = forms.FileField(label=_("Export of the sending service (CSV)"))
