from django.contrib import admin

from .models import (
    FunnelStageDefinition,
    Partnership,
    Quota,
    Shortlist,
    ShortlistEntry,
    StageHistory,
    SupplyRelation,
    TargetCustomer,
)


@admin.register(FunnelStageDefinition)
class FunnelStageDefinitionAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "name_en", "order", "counts_as_recruited"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["company", "stage", "joined_on", "deals_12m", "certified_people"]
    list_filter = ["stage"]
    raw_id_fields = ["company"]
    search_fields = ["company__display_name", "company__inn"]


@admin.register(StageHistory)
class StageHistoryAdmin(admin.ModelAdmin):
    list_display = ["company", "from_stage", "to_stage", "moved_on", "rule", "user"]
    raw_id_fields = ["company"]


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ["spec", "label", "active"]


class SupplyRelationInline(admin.TabularInline):
    model = SupplyRelation
    raw_id_fields = ["company"]
    extra = 0


@admin.register(TargetCustomer)
class TargetCustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "inn", "sector", "size", "company"]
    raw_id_fields = ["company"]
    search_fields = ["name", "inn"]
    inlines = [SupplyRelationInline]


class ShortlistEntryInline(admin.TabularInline):
    model = ShortlistEntry
    raw_id_fields = ["company"]
    extra = 0


@admin.register(Shortlist)
class ShortlistAdmin(admin.ModelAdmin):
    list_display = ["name", "approach", "created_at", "created_by"]
    inlines = [ShortlistEntryInline]
