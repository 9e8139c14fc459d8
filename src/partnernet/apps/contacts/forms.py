"""Forms of the contacts app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.apps.register.models import Company

from .models import LegalBasis, Person, SuppressionReason


class PersonForm(forms.ModelForm):
    emails = forms.CharField(
        label=_("E-mail addresses"), required=False, help_text=_("Separate with commas")
    )
    phones = forms.CharField(label=_("Phones"), required=False, help_text=_("Separate with commas"))
    company = forms.ModelChoiceField(
        queryset=Company.objects.filter(merged_into__isnull=True),
        required=False,
        label=_("Company"),
    )

    class Meta:
        model = Person
        fields = ["full_name", "company", "position", "legal_basis", "source", "notes"]


class PersonEditForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "full_name",
            "surname",
            "first_name",
            "patronymic",
            "position",
            "legal_basis",
            "source",
            "notes",
        ]


class ContactsImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV, XLSX)"))
    source = forms.CharField(label=_("Source"), max_length=200)
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"), choices=LegalBasis.choices, initial=LegalBasis.LEGITIMATE_INTEREST
    )


class SuppressionForm(forms.Form):
    value = forms.CharField(label=_("Address or domain"), max_length=254)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (SuppressionReason.MANUAL, SuppressionReason.MANUAL.label),
            (SuppressionReason.UNSUBSCRIBED, SuppressionReason.UNSUBSCRIBED.label),
        ],
    )
    source = forms.CharField(label=_("Note"), max_length=300, required=False)
