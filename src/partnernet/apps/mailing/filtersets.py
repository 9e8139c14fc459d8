"""Filters shared by the web lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Campaign, Delivery, DeliveryStatus, FeedbackKind, FeedbackMessage


class CampaignFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Campaign
        fields = ["status"]

    def search(self, queryset: QuerySet[Campaign], name: str, value: str) -> QuerySet[Campaign]:
        return queryset.filter(Q(name__icontains=value) | Q(subject__icontains=value))


class DeliveryFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=DeliveryStatus.choices, label=_("Status"))
    address = django_filters.CharFilter(lookup_expr="icontains", label=_("E-mail"))
    interrupted = django_filters.BooleanFilter(label=_("Interrupted"))

    class Meta:
        model = Delivery
        fields = ["campaign", "status", "address", "interrupted"]


class FeedbackMessageFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=FeedbackKind.choices, label=_("Kind"))
    reason = django_filters.CharFilter(label=_("Reason"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    matched = django_filters.BooleanFilter(
        field_name="delivery", lookup_expr="isnull", exclude=True, label=_("Tied to a delivery")
    )

    class Meta:
        model = FeedbackMessage
        fields = ["kind", "reason", "delivery__campaign"]

    def search(
        self, queryset: QuerySet[FeedbackMessage], name: str, value: str
    ) -> QuerySet[FeedbackMessage]:
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(from_address__icontains=value)
            | Q(delivery__address__icontains=value)
        )
