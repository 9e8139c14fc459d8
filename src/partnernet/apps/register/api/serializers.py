from __future__ import annotations

from rest_framework import serializers

from ..models import (
    Authorisation,
    Company,
    CompanyDomain,
    CompanyIdentifier,
    CompanyLocation,
    CompanyName,
    CompanyPhone,
    Source,
    SourceKind,
    SourceRow,
    Vendor,
)


class VendorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vendor
        fields = ["id", "name", "website", "created_at"]
        read_only_fields = ["created_at"]


class CompanyNameSerializer(serializers.ModelSerializer):
    source = serializers.CharField(  # type: ignore[assignment]
        source="source.name", default=None, read_only=True
    )

    class Meta:
        model = CompanyName
        fields = [
            "name",
            "name_key",
            "latin_key",
            "legal_form",
            "script",
            "source",
            "first_seen",
            "last_confirmed",
        ]


class CompanyIdentifierSerializer(serializers.ModelSerializer):
    source = serializers.CharField(  # type: ignore[assignment]
        source="source.name", default=None, read_only=True
    )

    class Meta:
        model = CompanyIdentifier
        fields = ["kind", "value", "valid", "error", "source", "first_seen", "last_confirmed"]


class CompanyLocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompanyLocation
        fields = [
            "is_headquarters",
            "city_key",
            "city_name",
            "region",
            "region_iso",
            "federal_district",
            "country",
            "address",
            "first_seen",
            "last_confirmed",
        ]


class CompanyDomainSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompanyDomain
        fields = ["domain", "first_seen", "last_confirmed"]


class CompanyPhoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompanyPhone
        fields = ["number", "first_seen", "last_confirmed"]


class CompanySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-register:company-detail")

    class Meta:
        model = Company
        fields = [
            "id",
            "url",
            "display_name",
            "legal_form",
            "inn",
            "inn_valid",
            "ogrn",
            "ogrn_valid",
            "kpp",
            "kpp_valid",
            "bin",
            "bin_valid",
            "unp",
            "unp_valid",
            "country",
            "city_key",
            "city_name",
            "region",
            "federal_district",
            "primary_domain",
            "vendors_text",
            "vendor_count",
            "best_level_rank",
            "source_count",
            "row_count",
            "first_seen",
            "last_confirmed",
            "merged_into",
        ]
        read_only_fields = fields


class CompanyDetailSerializer(CompanySerializer):
    names = CompanyNameSerializer(many=True, read_only=True)
    identifiers = CompanyIdentifierSerializer(source="identifier_set", many=True, read_only=True)
    locations = CompanyLocationSerializer(many=True, read_only=True)
    domains = CompanyDomainSerializer(many=True, read_only=True)
    phones = CompanyPhoneSerializer(many=True, read_only=True)
    specialisations = serializers.SerializerMethodField()
    sectors = serializers.SerializerMethodField()

    class Meta(CompanySerializer.Meta):
        fields = [
            *CompanySerializer.Meta.fields,
            "names",
            "identifiers",
            "locations",
            "domains",
            "phones",
            "specialisations",
            "sectors",
        ]
        read_only_fields = fields

    def get_specialisations(self, company: Company) -> list[str]:
        return [item.specialisation.key for item in company.specialisations.all()]

    def get_sectors(self, company: Company) -> list[str]:
        return [item.sector.key for item in company.sectors.all()]


class SourceSerializer(serializers.ModelSerializer):
    vendor: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="name", read_only=True
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "name",
            "kind",
            "vendor",
            "file_name",
            "file_hash",
            "file_size",
            "file_format",
            "encoding",
            "delimiter",
            "mapping",
            "notices",
            "linker",
            "created_at",
            "imported_at",
            "row_count",
            "new_company_count",
            "linked_count",
            "error_count",
            "warning_count",
        ]
        read_only_fields = fields


class SourceImportSerializer(serializers.Serializer):
    """Upload of a partner list to import (multipart)."""

    file = serializers.FileField()
    source = serializers.CharField(max_length=200)  # type: ignore[assignment]
    vendor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
    mapping = serializers.DictField(child=serializers.CharField(), required=False)


class SourceRowSerializer(serializers.ModelSerializer):
    source: serializers.SlugRelatedField = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="name", read_only=True
    )

    class Meta:
        model = SourceRow
        fields = [
            "id",
            "source",
            "row_number",
            "location",
            "raw",
            "canonical",
            "content_hash",
            "error",
            "warnings",
            "company",
            "link_method",
            "link_score",
            "is_current",
            "first_seen",
            "last_seen",
        ]
        read_only_fields = fields


class AuthorisationSerializer(serializers.ModelSerializer):
    vendor: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="name", read_only=True
    )
    source: serializers.SlugRelatedField = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="name", read_only=True
    )

    class Meta:
        model = Authorisation
        fields = [
            "id",
            "company",
            "vendor",
            "level",
            "level_rank",
            "source",
            "first_seen",
            "last_seen",
        ]
        read_only_fields = fields
