"""Forms of the contacts app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnernet.apps.register.models import Company

from .models import (
    EmailAddress,
    EmailStatus,
    EmploymentStatus,
    LegalBasis,
    Person,
    PersonPhone,
    PhoneKind,
    SuppressionReason,
)


class StyledForm(forms.BaseForm):
    """Bootstrap classes on every widget; errors from a service land on their field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.RadioSelect):
                css = ""
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            if css:
                widget.attrs.setdefault("class", css)

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_invalid()

    def _mark_invalid(self) -> None:
        first = True
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            attrs["aria-invalid"] = "true"
            if first:
                # The keyboard lands on the first field to fix.
                attrs["autofocus"] = True
                first = False

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's ``ValidationError`` on the fields it names (others on the form)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
        self._mark_invalid()


MANUAL_STATUSES = (EmailStatus.UNVERIFIED, EmailStatus.VALID, EmailStatus.BOUNCED)


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Why (for the change log)"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. phone call on 12.03")}),
    )


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


class PersonEditForm(StyledForm, forms.ModelForm):
    reason = _reason_field()

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
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class PersonStatusForm(StyledForm, forms.Form):
    status = forms.ChoiceField(
        label=_("Employment status"), choices=EmploymentStatus.choices, widget=forms.RadioSelect
    )
    until = forms.DateField(
        label=_("On leave until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    on_date = forms.DateField(
        label=_("Since"),
        required=False,
        help_text=_("Today when empty"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    successor = forms.ModelChoiceField(
        label=_("Successor"), queryset=Person.objects.none(), required=False
    )
    reason = _reason_field()

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": person.status,
                "until": person.on_leave_until,
                "successor": person.successor_id,
            },
        )
        super().__init__(*args, **kwargs)
        others = Person.objects.filter(merged_into__isnull=True).exclude(pk=person.pk)
        if person.company_id is not None:
            others = others.filter(company_id=person.company_id)
        else:
            others = others.filter(pk=person.successor_id or 0)
        field = self.fields["successor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = others.order_by("surname", "first_name")


class EmailAddForm(StyledForm, forms.Form):
    # A text input: the service explains what is wrong with an address better than the browser.
    address = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in MANUAL_STATUSES],
        initial=EmailStatus.UNVERIFIED,
    )
    reason = _reason_field()


class EmailEditForm(EmailAddForm):
    use_for_mailing = forms.BooleanField(label=_("use for mailings"), required=False)

    def __init__(self, *args: Any, email: EmailAddress, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "address": email.address,
                "status": email.status,
                "use_for_mailing": email.use_for_mailing,
            },
        )
        super().__init__(*args, **kwargs)
        if email.status == EmailStatus.GUESSED:
            field = self.fields["status"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [
                (EmailStatus.GUESSED, EmailStatus.GUESSED.label),
                *((s.value, s.label) for s in MANUAL_STATUSES),
            ]


class PhoneForm(StyledForm, forms.Form):
    number = forms.CharField(
        label=_("Phone"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "8 495 123-45-67", "inputmode": "tel"}),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("phone", "Kind"),
        choices=[("", _("by the number")), *PhoneKind.choices],
        required=False,
    )
    reason = _reason_field()

    def __init__(self, *args: Any, phone: PersonPhone | None = None, **kwargs: Any) -> None:
        if phone is not None:
            kwargs.setdefault("initial", {"number": phone.number, "kind": phone.kind})
        super().__init__(*args, **kwargs)


class MergeForm(StyledForm, forms.Form):
    survivor = forms.ChoiceField(label=_("Keep"), widget=forms.RadioSelect)
    reason = _reason_field()

    def __init__(self, *args: Any, person: Person, other: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["survivor"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (str(person.pk), f"{person} (#{person.pk})"),
            (str(other.pk), f"{other} (#{other.pk})"),
        ]
        field.initial = str(person.pk)


class DueTasksForm(StyledForm, forms.Form):
    months = forms.IntegerField(
        label=_("Re-verify contacts not confirmed for (months)"), min_value=1, max_value=240
    )
    days = forms.IntegerField(
        label=_("Verify guesses unsettled for (days)"), min_value=1, max_value=3650
    )


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
