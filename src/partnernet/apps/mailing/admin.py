from django.contrib import admin

from .models import Campaign, Delivery, FeedbackMessage


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "subject", "status", "created_at", "started_at", "finished_at")
    list_filter = ("status",)
    search_fields = ("name", "subject")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("address", "campaign", "status", "interrupted", "attempts", "sent_at")
    list_filter = ("status", "interrupted")
    search_fields = ("address", "message_id", "token")
    raw_id_fields = ("campaign", "email", "person")


@admin.register(FeedbackMessage)
class FeedbackMessageAdmin(admin.ModelAdmin):
    list_display = ("received_at", "kind", "reason", "subject", "from_address", "delivery")
    list_filter = ("kind",)
    search_fields = ("subject", "from_address", "message_id", "sha256")
    raw_id_fields = ("delivery",)
    exclude = ("raw",)
