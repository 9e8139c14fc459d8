from rest_framework.routers import DefaultRouter

from . import views

app_name = "api-mailing"

router = DefaultRouter()
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("deliveries", views.DeliveryViewSet, basename="delivery")
router.register("feedback", views.FeedbackMessageViewSet, basename="feedback")

urlpatterns = router.urls
