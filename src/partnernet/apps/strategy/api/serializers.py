from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnernet.apps.register.models import Company
from partnernet.engines.pricing.chain import MARGIN_TACTICS

from .. import selectors, services
from ..models import (
    Certification,
    PartnerStanding,
    ProgramLevel,
    Strategy,
    StrategyChoice,
    Target,
)


class StrategyChoiceSerializer(serializers.ModelSerializer):
    tactics = serializers.ListField(child=serializers.CharField(), required=False)
    parameters = serializers.DictField(required=False)

    class Meta:
        model = StrategyChoice
        fields = ["dimension", "tactics", "vendor_decides", "parameters", "note"]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = [
            "id",
            "strategy",
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
            "dimension",
            "note",
        ]

    def create(self, validated_data: dict[str, Any]) -> Target:
        try:
            return services.target_create(**validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class StrategySerializer(serializers.ModelSerializer):
    choices = StrategyChoiceSerializer(many=True, required=False)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Strategy
        fields = [
            "id",
            "title",
            "role",
            "goal_metric",
            "goal_target",
            "goal_unit",
            "goal_horizon_years",
            "goal_baseline",
            "goal_description",
            "summary",
            "copied_from",
            "created",
            "updated",
            "choices",
            "targets",
        ]
        read_only_fields = ["copied_from", "created", "updated"]

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> Strategy:
        choices = validated_data.pop("choices", [])
        request = self.context.get("request")
        strategy = services.strategy_create(**validated_data, user=getattr(request, "user", None))
        for choice in choices:
            services.strategy_choice_set(strategy=strategy, **choice)
        return strategy

    @transaction.atomic
    def update(self, instance: Strategy, validated_data: dict[str, Any]) -> Strategy:
        choices = validated_data.pop("choices", None)
        services.strategy_update(strategy=instance, **validated_data)
        if choices is not None:
            # A full list of choices replaces the old one.
            keep = {c["dimension"] for c in choices}
            instance.choices.exclude(dimension__in=keep).delete()
            for choice in choices:
                services.strategy_choice_set(strategy=instance, **choice)
        return instance


class DealRequestSerializer(serializers.Serializer):
    """Input of the margin calculator API; percentages off the list price."""

    tactic = serializers.ChoiceField(choices=MARGIN_TACTICS, default="fixed")
    lines = serializers.ListField(child=serializers.DictField(), min_length=1)
    distributor_pct = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    partner_pct = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    partner_pct_by_status = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2), required=False
    )
    max_partner_pct = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    stage_pct = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2), required=False
    )
    stages = serializers.DictField(child=serializers.CharField(), required=False)
    partner_status = serializers.CharField(required=False, allow_blank=True)
    customer_discount_pct = serializers.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(0)
    )
    partner_floor_pct = serializers.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(20)
    )
    override = serializers.DictField(required=False)
    store = serializers.BooleanField(default=False, help_text="save the calculation")
    title = serializers.CharField(required=False, allow_blank=True)


# Partner programme: levels and certifications ---------------------------------------------------


def _service_call(call: Any, **kwargs: Any) -> Any:
    """Run a service; its ``ValidationError`` becomes a 400 with the same field keys."""
    try:
        return call(**kwargs)
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise serializers.ValidationError(detail) from exc


# The level's own fields: what the service writes (and the API shows, between id and partners).
LEVEL_FIELDS = (
    "key",
    "name",
    "rank",
    "min_yearly_sales",
    "min_certified_sales",
    "min_certified_engineers",
    "min_marketing_activities",
    "discount_pct",
    "margin_parameters",
    "benefits",
)


class ProgramLevelSerializer(serializers.ModelSerializer):
    """A programme level; ``margin_parameters`` maps names to numbers (stored as decimals)."""

    margin_parameters = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text='e.g. {"partner_floor_pct": "25", "max_partner_pct": "30"}',
    )
    partners = serializers.SerializerMethodField(help_text="partners at this level")

    class Meta:
        model = ProgramLevel
        fields = ["id", *LEVEL_FIELDS, "partners"]
        # Uniqueness of key and rank is the service's check (same words as the web form).
        extra_kwargs: dict[str, dict[str, Any]] = {
            "key": {"validators": []},
            "rank": {"validators": []},
        }

    def get_partners(self, level: ProgramLevel) -> int:
        count = getattr(level, "partner_count", None)  # annotated on lists
        return count if count is not None else level.partners.count()  # type: ignore[attr-defined]

    def to_internal_value(self, data: Any) -> Any:
        # Numbers in margin_parameters arrive as JSON numbers; the service validates them.
        if isinstance(data, dict) and isinstance(data.get("margin_parameters"), dict):
            data = {
                **data,
                "margin_parameters": {
                    k: v if isinstance(v, str) else str(v)
                    for k, v in data["margin_parameters"].items()
                },
            }
        return super().to_internal_value(data)

    def _arguments(self, instance: ProgramLevel | None, data: dict[str, Any]) -> dict[str, Any]:
        arguments = {name: getattr(instance, name) for name in LEVEL_FIELDS} if instance else {}
        arguments.update(data)
        return arguments

    def create(self, validated_data: dict[str, Any]) -> ProgramLevel:
        return _service_call(services.program_level_save, **self._arguments(None, validated_data))

    def update(self, instance: ProgramLevel, validated_data: dict[str, Any]) -> ProgramLevel:
        return _service_call(
            services.program_level_save,
            level=instance,
            **self._arguments(instance, validated_data),
        )


@extend_schema_field(OpenApiTypes.STR)
class CompanyRefField(serializers.Field):
    """A register company given as its id or INN (a merged company resolves to the survivor);
    shown as its id."""

    default_error_messages = {"missing": _("No company with this INN or id in the register.")}

    def to_internal_value(self, data: Any) -> Company:
        company = selectors.company_by_ref(str(data))
        if company is None:
            self.fail("missing")
        assert company is not None
        return company

    def to_representation(self, value: Company) -> int:
        return value.pk


class CertificationSerializer(serializers.ModelSerializer):
    company = CompanyRefField(help_text="register id or INN")
    company_name = serializers.CharField(source="company.display_name", read_only=True)
    inn = serializers.CharField(source="company.inn", read_only=True)
    vendor_name = serializers.CharField(source="vendor.name", read_only=True, default=None)
    person = serializers.CharField(
        required=False, allow_blank=True, help_text="empty: the contact's name"
    )
    valid_today = serializers.SerializerMethodField()

    CERTIFICATION_FIELDS = ("company", *services.CERTIFICATION_FIELDS)

    class Meta:
        model = Certification
        fields = [
            "id",
            "company",
            "company_name",
            "inn",
            "person",
            "contact",
            "role",
            "vendor",
            "vendor_name",
            "course",
            "provider",
            "certificate_number",
            "issued",
            "expires",
            "valid_today",
        ]

    def get_valid_today(self, cert: Certification) -> bool:
        today = timezone.localdate()
        return (cert.issued is None or cert.issued <= today) and (
            cert.expires is None or cert.expires >= today
        )

    def _arguments(self, instance: Certification | None, data: dict[str, Any]) -> dict[str, Any]:
        arguments = (
            {name: getattr(instance, name) for name in self.CERTIFICATION_FIELDS}
            if instance
            else {}
        )
        arguments.update(data)
        return arguments

    def create(self, validated_data: dict[str, Any]) -> Certification:
        return _service_call(services.certification_save, **self._arguments(None, validated_data))

    def update(self, instance: Certification, validated_data: dict[str, Any]) -> Certification:
        return _service_call(
            services.certification_save,
            certification=instance,
            **self._arguments(instance, validated_data),
        )


class PartnerStandingSerializer(serializers.ModelSerializer):
    """A partner in the programme: its current level (by key) and the facts it is judged by
    (certifications are their own resource)."""

    company = CompanyRefField(help_text="register id or INN")
    company_name = serializers.CharField(source="company.display_name", read_only=True)
    level = serializers.SlugRelatedField(
        slug_field="key",
        queryset=ProgramLevel.objects.all(),
        allow_null=True,
        required=False,
        help_text="the level's key; null: in the programme without a level yet",
    )

    class Meta:
        model = PartnerStanding
        fields = [
            "id",
            "company",
            "company_name",
            "level",
            "yearly_sales",
            "marketing_activities",
            "updated",
        ]
        read_only_fields = ["updated"]

    def _arguments(self, instance: PartnerStanding | None, data: dict[str, Any]) -> dict[str, Any]:
        arguments: dict[str, Any] = (
            {
                "company": instance.company,
                "level": instance.level,
                "yearly_sales": instance.yearly_sales,
                "marketing_activities": instance.marketing_activities,
            }
            if instance
            else {}
        )
        arguments.update(data)
        return arguments

    def create(self, validated_data: dict[str, Any]) -> PartnerStanding:
        return _service_call(services.partner_standing_set, **self._arguments(None, validated_data))

    def update(self, instance: PartnerStanding, validated_data: dict[str, Any]) -> PartnerStanding:
        if "company" in validated_data and validated_data["company"].pk != instance.company_id:
            raise serializers.ValidationError(
                {"company": _("A standing stays with its company; add the other company instead.")}
            )
        return _service_call(
            services.partner_standing_set, **self._arguments(instance, validated_data)
        )
