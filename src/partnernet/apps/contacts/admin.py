from django.contrib import admin

from .models import (
    EmailAddress,
    EmploymentEvent,
    FeedbackApplication,
    LegalStatusCheck,
    Person,
    PersonPhone,
    Proposal,
    Suppression,
    Task,
)


class EmailAddressInline(admin.TabularInline):
    model = EmailAddress
    extra = 0


class PersonPhoneInline(admin.TabularInline):
    model = PersonPhone
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "company", "position", "status", "last_confirmed")
    list_filter = ("status", "legal_basis")
    search_fields = ("full_name", "emails__address")
    raw_id_fields = ("company", "successor")
    filter_horizontal = ("stand_ins",)
    inlines = [EmailAddressInline, PersonPhoneInline]


@admin.register(EmailAddress)
class EmailAddressAdmin(admin.ModelAdmin):
    list_display = ("address", "person", "status", "confidence", "bounce_count")
    list_filter = ("status",)
    search_fields = ("address",)
    raw_id_fields = ("person",)


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ("value", "is_domain", "reason", "created_at")
    list_filter = ("reason", "is_domain")
    search_fields = ("value",)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "created_at")
    list_filter = ("kind", "status")
    raw_id_fields = ("company", "person")


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("summary", "kind", "status", "created_at")
    list_filter = ("kind", "status")
    raw_id_fields = ("company", "person")


admin.site.register(EmploymentEvent)
admin.site.register(PersonPhone)
admin.site.register(FeedbackApplication)
admin.site.register(LegalStatusCheck)
