from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework import serializers

from ..models import (
    Approach,
    FunnelStageDefinition,
    PartnerKind,
    Partnership,
    Quota,
    Shortlist,
    ShortlistEntry,
    StageHistory,
    SupplyRelation,
    TargetCustomer,
)


class SelectionParametersSerializer(serializers.Serializer):
    """Parameters shared by the approaches; each uses the ones that concern it."""

    quotas = serializers.ListField(child=serializers.CharField(), required=False)
    niches = serializers.ListField(child=serializers.CharField(), required=False)
    sectors = serializers.ListField(child=serializers.CharField(), required=False)
    min_size = serializers.ChoiceField(
        choices=["", "small", "medium", "large"], required=False, default=""
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=PartnerKind.values), required=False
    )
    require_all = serializers.BooleanField(required=False, default=False)
    top = serializers.IntegerField(required=False, min_value=1, max_value=500, default=10)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=5000, default=25)
    include_recruited = serializers.BooleanField(required=False, default=False)
    evaluate = serializers.BooleanField(required=False, default=False)
    save = serializers.CharField(  # type: ignore[assignment]
        required=False, allow_blank=True, default=""
    )


class ShortlistEntrySerializer(serializers.ModelSerializer):
    company_name = serializers.CharField(source="company.display_name", read_only=True)

    class Meta:
        model = ShortlistEntry
        fields = ["rank", "company", "company_name", "score", "territory", "reasons", "warnings"]


class ShortlistSerializer(serializers.ModelSerializer):
    size = serializers.IntegerField(read_only=True)

    class Meta:
        model = Shortlist
        fields = ["id", "name", "approach", "parameters", "created_at", "size"]


class ShortlistDetailSerializer(ShortlistSerializer):
    entries = ShortlistEntrySerializer(many=True, read_only=True)
    company_ids = serializers.SerializerMethodField()

    class Meta(ShortlistSerializer.Meta):
        fields = [*ShortlistSerializer.Meta.fields, "company_ids", "entries"]

    def get_company_ids(self, obj: Shortlist) -> list[int]:
        return [entry.company_id for entry in obj.entries.all()]


class ShortlistCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    approach = serializers.ChoiceField(choices=Approach.values)
    parameters = serializers.DictField(required=False, default=dict)


class FunnelStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = FunnelStageDefinition
        fields = ["id", "key", "name", "name_en", "order", "rules", "counts_as_recruited"]
        read_only_fields = ["id", "key", "order"]


class PartnershipSerializer(serializers.ModelSerializer):
    stage = serializers.SlugRelatedField(
        slug_field="key", queryset=FunnelStageDefinition.objects.all(), required=False
    )
    company_name = serializers.CharField(source="company.display_name", read_only=True)

    class Meta:
        model = Partnership
        fields = [
            "id",
            "company",
            "company_name",
            "stage",
            "kinds",
            "joined_on",
            "deals_12m",
            "certified_people",
            "marketing_events_12m",
            "notes",
        ]
        read_only_fields = ["id"]

    def validate_kinds(self, value: Any) -> list[str]:
        if not isinstance(value, list) or any(k not in PartnerKind.values for k in value):
            raise serializers.ValidationError(
                gettext("a list of: %(kinds)s") % {"kinds": ", ".join(PartnerKind.values)}
            )
        return value


class StageHistorySerializer(serializers.ModelSerializer):
    from_stage: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="key", read_only=True
    )
    to_stage: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="key", read_only=True
    )

    class Meta:
        model = StageHistory
        fields = ["id", "company", "from_stage", "to_stage", "moved_on", "rule"]


class StageMoveSerializer(serializers.Serializer):
    company_id = serializers.IntegerField()
    stage = serializers.SlugField()


class StageMovesSerializer(serializers.Serializer):
    moves = StageMoveSerializer(many=True)


class QuotaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quota
        fields = ["id", "spec", "label", "criteria", "active", "created_at"]
        read_only_fields = ["id", "created_at"]


class TargetCustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetCustomer
        fields = ["id", "name", "inn", "sector", "size", "company"]


class SupplyRelationSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupplyRelation
        fields = [
            "id",
            "customer",
            "company",
            "supplier_name",
            "supplier_inn",
            "link_method",
            "source",
        ]


class CustomerImportSerializer(serializers.Serializer):
    targets = serializers.FileField(required=False)
    suppliers = serializers.FileField(required=False)
    source = serializers.CharField(  # type: ignore[assignment]
        required=False, allow_blank=True, default=""
    )
