from django.urls import path

from . import views

app_name = "mailing"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaign_list"),
    path("new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("audience/preview/", views.AudiencePreviewView.as_view(), name="audience_preview"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign_edit"),
    path("<int:pk>/<slug:action>/", views.CampaignActionView.as_view(), name="campaign_action"),
    path("intake/", views.FeedbackMessageListView.as_view(), name="feedback_list"),
    path("intake/upload/", views.IntakeUploadView.as_view(), name="intake_upload"),
    path("intake/esp/", views.EspImportView.as_view(), name="esp_import"),
    path("intake/imap/", views.ImapPollView.as_view(), name="imap_poll"),
    path("intake/<int:pk>/", views.FeedbackMessageDetailView.as_view(), name="message"),
]

# Public (no login; see web/middleware.py): mounted at the site root by unsubscribe_urls.
