from django.contrib import admin

from .models import (
    Authorisation,
    Company,
    CompanyDomain,
    CompanyIdentifier,
    CompanyLocation,
    CompanyName,
    CompanyPhone,
    ImportJob,
    ResolutionTraining,
    Sector,
    Source,
    SourceRow,
    Specialisation,
    Vendor,
)


class NameInline(admin.TabularInline):
    model = CompanyName
    extra = 0
    fields = ("name", "legal_form", "script", "source", "last_confirmed")
    readonly_fields = fields


class IdentifierInline(admin.TabularInline):
    model = CompanyIdentifier
    extra = 0
    fields = ("kind", "value", "valid", "source", "last_confirmed")
    readonly_fields = fields


class LocationInline(admin.TabularInline):
    model = CompanyLocation
    extra = 0
    fields = ("is_headquarters", "city_name", "region", "country", "source")
    readonly_fields = fields


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("display_name", "inn", "inn_valid", "city_name", "region", "source_count")
    list_filter = ("country", "federal_district", "inn_valid")
    search_fields = ("search_text", "inn")
    readonly_fields = ("search_text", "source_count", "row_count", "vendor_count", "vendors_text")
    inlines = [NameInline, IdentifierInline, LocationInline]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "vendor", "imported_at", "row_count", "error_count")
    list_filter = ("kind",)
    search_fields = ("name", "file_name")


@admin.register(SourceRow)
class SourceRowAdmin(admin.ModelAdmin):
    list_display = ("source", "row_number", "company", "link_method", "error")
    list_filter = ("link_method", "is_current")
    raw_id_fields = ("company",)
    search_fields = ("content_hash",)


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ("name", "website")
    search_fields = ("name",)


@admin.register(Authorisation)
class AuthorisationAdmin(admin.ModelAdmin):
    list_display = ("company", "vendor", "level", "level_rank", "source", "last_seen")
    list_filter = ("vendor", "level_rank")
    raw_id_fields = ("company",)


@admin.register(Specialisation, Sector)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "name_en", "position")


admin.site.register([CompanyDomain, CompanyPhone])


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("source_name", "file_name", "status", "user", "created_at", "finished_at")
    list_filter = ("status",)
    readonly_fields = ("report", "error")


@admin.register(ResolutionTraining)
class ResolutionTrainingAdmin(admin.ModelAdmin):
    """The trained models; the newest successful one is in use (delete it to go back)."""

    list_display = ("id", "status", "user", "rows", "labels", "seconds", "finished_at")
    list_filter = ("status",)
    exclude = ("model",)  # a large JSON document
