from rest_framework.routers import DefaultRouter

from . import views

app_name = "api-register"

router = DefaultRouter()
router.register("companies", views.CompanyViewSet, basename="company")
router.register("sources", views.SourceViewSet, basename="source")
router.register("source-rows", views.SourceRowViewSet, basename="sourcerow")
router.register("authorisations", views.AuthorisationViewSet, basename="authorisation")
router.register("vendors", views.VendorViewSet, basename="vendor")

urlpatterns = router.urls

from ..resolution_api import api_urlpatterns  # noqa: E402

urlpatterns = [*api_urlpatterns(), *urlpatterns]
