from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import serializers

from partnernet.engines.pricing.chain import MARGIN_TACTICS

from .. import services
from ..models import Strategy, StrategyChoice, Target


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
