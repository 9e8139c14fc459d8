from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api-strategy"

router = DefaultRouter()
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("targets", views.TargetViewSet, basename="target")
router.register("program/levels", views.ProgramLevelViewSet, basename="program-level")
router.register(
    "program/certifications", views.CertificationViewSet, basename="program-certification"
)
router.register("program/partners", views.PartnerStandingViewSet, basename="program-partner")

urlpatterns = [
    path("tactics/", views.CatalogueView.as_view(), name="catalogue"),
    path("pricing/deal/", views.DealView.as_view(), name="pricing-deal"),
    path("pricing/licensing/", views.LicensingView.as_view(), name="pricing-licensing"),
    path("program/evaluation/", views.ProgramEvaluationView.as_view(), name="program-evaluation"),
    *router.urls,
]
