"""Serializers of the contacts API."""

from __future__ import annotations

from django.utils.translation import gettext
from rest_framework import serializers

from ..models import (
    EmailAddress,
    EmailStatus,
    EmploymentEvent,
    EmploymentStatus,
    LegalBasis,
    Person,
    PersonChange,
    PersonPhone,
    PhoneKind,
    Proposal,
    Suppression,
    SuppressionReason,
    Task,
)


class EmailAddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmailAddress
        fields = [
            "id",
            "person",
            "address",
            "domain",
            "status",
            "confidence",
            "guess_explanation",
            "use_for_mailing",
            "source",
            "first_seen",
            "last_confirmed",
            "last_sent_at",
            "bounce_count",
            "soft_bounce_count",
            "last_bounce_reason",
            "last_bounce_at",
        ]
        read_only_fields = fields


class PersonPhoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonPhone
        fields = ["id", "person", "number", "kind", "source", "first_seen", "last_confirmed"]
        read_only_fields = fields


class EmploymentEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmploymentEvent
        fields = ["id", "status", "previous_status", "on_date", "until", "message_ref", "note"]


class PersonSerializer(serializers.ModelSerializer):
    emails = EmailAddressSerializer(many=True, read_only=True)
    phones = PersonPhoneSerializer(many=True, read_only=True)
    company_name = serializers.CharField(
        source="company.display_name", read_only=True, default=None
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "company",
            "company_name",
            "full_name",
            "surname",
            "first_name",
            "patronymic",
            "position",
            "status",
            "on_leave_until",
            "left_on",
            "successor",
            "stand_ins",
            "legal_basis",
            "source",
            "first_seen",
            "last_confirmed",
            "notes",
            "emails",
            "phones",
        ]
        read_only_fields = [
            "surname",
            "first_name",
            "patronymic",
            "status",
            "on_leave_until",
            "left_on",
            "successor",
            "stand_ins",
            "first_seen",
            "last_confirmed",
        ]


class PersonDetailSerializer(PersonSerializer):
    events = EmploymentEventSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "events"]


class PersonCreateSerializer(serializers.Serializer):
    # "source" is also a Field attribute; the field is declared through the mapping below.
    full_name = serializers.CharField(max_length=300)
    company = serializers.IntegerField(required=False, allow_null=True)
    position = serializers.CharField(max_length=300, required=False, allow_blank=True)
    emails = serializers.ListField(child=serializers.CharField(), required=False)
    phones = serializers.ListField(child=serializers.CharField(), required=False)
    legal_basis = serializers.ChoiceField(
        choices=LegalBasis.choices, default=LegalBasis.LEGITIMATE_INTEREST
    )
    notes = serializers.CharField(required=False, allow_blank=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["source"] = serializers.CharField(max_length=300)
        return fields


class SuppressionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suppression
        fields = ["id", "is_domain", "value", "reason", "source", "message_ref", "created_at"]
        read_only_fields = ["id", "is_domain", "message_ref", "created_at"]

    def validate_reason(self, value: str) -> str:
        if value == SuppressionReason.ERASED:
            raise serializers.ValidationError(
                gettext("erasure goes through the person's erase action")
            )
        return value


class SuppressionCheckSerializer(serializers.Serializer):
    address = serializers.CharField()
    blocked = serializers.BooleanField(read_only=True)


class ProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proposal
        fields = [
            "id",
            "kind",
            "status",
            "person",
            "company",
            "summary",
            "payload",
            "message_ref",
            "created_at",
            "decided_at",
            "decided_by",
            "result",
        ]
        read_only_fields = fields


class ProposalDecisionSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = [
            "id",
            "kind",
            "status",
            "company",
            "person",
            "title",
            "payload",
            "created_from",
            "created_at",
            "closed_at",
            "closed_by",
            "resolution",
        ]
        read_only_fields = fields


class TaskCloseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["done", "dismissed"], default="done")
    resolution = serializers.CharField(required=False, allow_blank=True, default="")


MANUAL_EMAIL_STATUSES = [EmailStatus.UNVERIFIED, EmailStatus.VALID, EmailStatus.BOUNCED]


class _Reason(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PersonEditSerializer(_Reason):
    """The details a PATCH of a person may change (all optional)."""

    full_name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    surname = serializers.CharField(max_length=120, required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    patronymic = serializers.CharField(max_length=120, required=False, allow_blank=True)
    position = serializers.CharField(max_length=300, required=False, allow_blank=True)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class PersonStatusSerializer(_Reason):
    status = serializers.ChoiceField(choices=EmploymentStatus.choices)
    until = serializers.DateField(required=False, allow_null=True, default=None)
    on_date = serializers.DateField(required=False, allow_null=True, default=None)
    successor = serializers.IntegerField(required=False, allow_null=True, default=None)


class EmailAddSerializer(_Reason):
    address = serializers.CharField(max_length=254, allow_blank=True)
    status = serializers.ChoiceField(choices=MANUAL_EMAIL_STATUSES, default=EmailStatus.UNVERIFIED)


class EmailEditSerializer(_Reason):
    address = serializers.CharField(max_length=254, required=False)
    status = serializers.ChoiceField(choices=MANUAL_EMAIL_STATUSES, required=False)
    use_for_mailing = serializers.BooleanField(required=False)


class PhoneAddSerializer(_Reason):
    number = serializers.CharField(max_length=60, allow_blank=True)
    kind = serializers.ChoiceField(choices=PhoneKind.choices, required=False, allow_null=True)


class PhoneEditSerializer(_Reason):
    number = serializers.CharField(max_length=60, required=False)
    kind = serializers.ChoiceField(choices=PhoneKind.choices, required=False)


class MergeSerializer(_Reason):
    absorbed = serializers.IntegerField(help_text="the duplicate merged into this person")


class DuplicateSerializer(serializers.Serializer):
    person = PersonSerializer()
    reasons = serializers.ListField(child=serializers.CharField())


class PersonChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonChange
        fields = [
            "id",
            "kind",
            "person",
            "other_person",
            "summary",
            "reason",
            "items",
            "created_at",
            "created_by",
            "undone_at",
            "undone_by",
        ]
        read_only_fields = fields


class UndoResultSerializer(serializers.Serializer):
    undone = serializers.IntegerField()
    kept = serializers.ListField(child=serializers.CharField())


class DueTasksSerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=240, required=False, default=None)
    days = serializers.IntegerField(min_value=1, max_value=3650, required=False, default=None)
