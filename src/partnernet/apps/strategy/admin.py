from django.contrib import admin

from .models import (
    Certification,
    DealCalculation,
    Dimension,
    PartnerStanding,
    ProgramLevel,
    Strategy,
    StrategyChoice,
    Tactic,
    Target,
)


class StrategyChoiceInline(admin.TabularInline):
    model = StrategyChoice
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["title", "role", "goal_metric", "goal_target", "updated"]
    inlines = [StrategyChoiceInline, TargetInline]


@admin.register(ProgramLevel)
class ProgramLevelAdmin(admin.ModelAdmin):
    list_display = [
        "rank",
        "name",
        "min_yearly_sales",
        "min_certified_sales",
        "min_certified_engineers",
        "min_marketing_activities",
        "discount_pct",
    ]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = [
        "company",
        "person",
        "role",
        "vendor",
        "course",
        "provider",
        "issued",
        "expires",
    ]
    list_filter = ["role", "provider"]
    # the register and the contact base are too large for drop-downs
    raw_id_fields = ["company", "contact"]


@admin.register(PartnerStanding)
class PartnerStandingAdmin(admin.ModelAdmin):
    list_display = ["company", "level", "yearly_sales", "marketing_activities"]
    raw_id_fields = ["company"]


admin.site.register(Tactic)
admin.site.register(Dimension)
admin.site.register(DealCalculation)
