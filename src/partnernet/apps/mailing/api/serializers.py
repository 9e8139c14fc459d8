from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework import serializers

from ..models import Campaign, Delivery, FeedbackMessage
from ..selectors import AUDIENCE_KEYS


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "subject",
            "body",
            "from_address",
            "from_name",
            "reply_to",
            "audience",
            "rate_per_minute",
            "smtp_host",
            "smtp_port",
            "status",
            "created_by",
            "created_at",
            "prepared_at",
            "started_at",
            "finished_at",
            "last_error",
        ]
        extra_kwargs = {"name": {"required": False}}
        read_only_fields = [
            "status",
            "created_by",
            "created_at",
            "prepared_at",
            "started_at",
            "finished_at",
            "last_error",
        ]

    def validate_audience(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError(gettext("an object of filter keys"))
        unknown = set(value) - set(AUDIENCE_KEYS)
        if unknown:
            raise serializers.ValidationError(
                gettext("unknown keys: %(keys)s") % {"keys": ", ".join(sorted(unknown))}
            )
        return value


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "campaign",
            "address",
            "person",
            "status",
            "interrupted",
            "attempts",
            "message_id",
            "sent_at",
            "feedback_at",
            "bounce_reason",
            "last_error",
        ]


class FeedbackMessageSerializer(serializers.ModelSerializer):
    message_ref = serializers.CharField(read_only=True)

    class Meta:
        model = FeedbackMessage
        fields = [
            "id",
            "message_ref",
            "sha256",
            "message_id",
            "origin",
            "subject",
            "from_address",
            "received_at",
            "kind",
            "reason",
            "result",
            "parser_version",
            "delivery",
            "matched_by",
            "applied_at",
            "change_count",
            "error",
        ]
