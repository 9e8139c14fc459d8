from rest_framework.routers import DefaultRouter

from . import views

app_name = "api-contacts"

router = DefaultRouter()
router.register("people", views.PersonViewSet, basename="person")
router.register("emails", views.EmailAddressViewSet, basename="email")
router.register("phones", views.PhoneViewSet, basename="phone")
router.register("changes", views.PersonChangeViewSet, basename="change")
router.register("suppression", views.SuppressionViewSet, basename="suppression")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("tasks", views.TaskViewSet, basename="task")

urlpatterns = router.urls
