from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api-selection"

router = DefaultRouter()
router.register("shortlists", views.ShortlistViewSet, basename="shortlist")
router.register("stages", views.FunnelStageViewSet, basename="stage")
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("quotas", views.QuotaViewSet, basename="quota")
router.register("customers/targets", views.TargetCustomerViewSet, basename="targetcustomer")
router.register("customers/suppliers", views.SupplyRelationViewSet, basename="supplyrelation")

urlpatterns = [
    path("regional/", views.RegionalView.as_view(), name="regional"),
    path("specialisation/", views.SpecialisationView.as_view(), name="specialisation"),
    path("customers/", views.CustomersView.as_view(), name="customers"),
    path("customers/import/", views.CustomerImportView.as_view(), name="customers-import"),
    path("phased/", views.PhasedView.as_view(), name="phased"),
    path("phased/apply/", views.StageMovesApplyView.as_view(), name="phased-apply"),
    *router.urls,
]
