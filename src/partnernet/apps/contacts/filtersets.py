"""One FilterSet per list, shared by the web UI, the API and the mailing audience."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnernet.apps.register.models import Company

from .models import (
    EmailAddress,
    EmailStatus,
    EmploymentStatus,
    LegalBasis,
    Person,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Suppression,
    SuppressionReason,
    Task,
    TaskKind,
    TaskStatus,
)

STALE_CHOICES = [
    ("1", _("not confirmed for over a year")),
    ("2", _("not confirmed for over two years")),
    ("5", _("not confirmed for over five years")),
]


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    company = django_filters.ModelChoiceFilter(
        queryset=Company.objects.filter(people__isnull=False).distinct().order_by("display_name"),
        label=_("Company"),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=EmploymentStatus.choices, label=_("Employment status")
    )
    email_status = django_filters.MultipleChoiceFilter(
        choices=EmailStatus.choices, method="filter_email_status", label=_("E-mail status")
    )
    has_email = django_filters.BooleanFilter(method="filter_has_email", label=_("Has an e-mail"))
    stale = django_filters.ChoiceFilter(
        choices=STALE_CHOICES, method="filter_stale", label=_("Stale")
    )
    legal_basis = django_filters.ChoiceFilter(choices=LegalBasis.choices, label=_("Legal basis"))

    class Meta:
        model = Person
        fields = ["q", "company", "status", "email_status", "has_email", "stale", "legal_basis"]

    def filter_search(self, queryset: QuerySet[Person], name: str, value: str) -> Any:
        for word in value.split():
            # SQLite folds case for ASCII only: try the usual spellings of a Cyrillic word too.
            condition = Q(emails__address__icontains=word.lower())
            for variant in {word, word.lower(), word.capitalize(), word.upper()}:
                condition |= (
                    Q(full_name__contains=variant)
                    | Q(position__contains=variant)
                    | Q(company__display_name__contains=variant)
                )
            queryset = queryset.filter(condition)
        return queryset.distinct()

    def filter_email_status(self, queryset: QuerySet[Person], name: str, value: list) -> Any:
        if not value:
            return queryset
        return queryset.filter(emails__status__in=value).distinct()

    def filter_has_email(self, queryset: QuerySet[Person], name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        working = EmailAddress.objects.exclude(
            status__in=[EmailStatus.BOUNCED, EmailStatus.GUESSED]
        ).values("person_id")
        return queryset.filter(pk__in=working) if value else queryset.exclude(pk__in=working)

    def filter_stale(self, queryset: QuerySet[Person], name: str, value: str) -> Any:
        if not value:
            return queryset
        cutoff = timezone.now() - timedelta(days=365.25 * int(value))
        return queryset.filter(last_confirmed__lt=cutoff).exclude(status=EmploymentStatus.LEFT)


class EmailAddressFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=EmailStatus.choices, label=_("Status"))
    domain = django_filters.CharFilter(lookup_expr="iexact", label=_("Domain"))
    address = django_filters.CharFilter(lookup_expr="icontains", label=_("E-mail"))

    class Meta:
        model = EmailAddress
        fields = ["person", "status", "domain", "address", "use_for_mailing"]


class ProposalFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ProposalStatus.choices, label=_("Status"), empty_label=None
    )
    kind = django_filters.MultipleChoiceFilter(choices=ProposalKind.choices, label=_("Kind"))

    class Meta:
        model = Proposal
        fields = ["status", "kind", "company", "person", "message_ref"]


class TaskFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    kind = django_filters.MultipleChoiceFilter(choices=TaskKind.choices, label=_("Kind"))

    class Meta:
        model = Task
        fields = ["status", "kind", "company", "person"]


class SuppressionFilterSet(django_filters.FilterSet):
    reason = django_filters.MultipleChoiceFilter(
        choices=SuppressionReason.choices, label=_("Reason")
    )
    value = django_filters.CharFilter(lookup_expr="icontains", label=_("Address or domain"))

    class Meta:
        model = Suppression
        fields = ["reason", "value", "is_domain"]
