from django.urls import path

from . import program_views, views

app_name = "strategy"

urlpatterns = [
    path("", views.StrategyListView.as_view(), name="strategy_list"),
    path("new/", views.StrategyCreateView.as_view(), name="strategy_create"),
    path("examples/<slug:key>/copy/", views.StrategyCopyExampleView.as_view(), name="example_copy"),
    path(
        "examples/<slug:key>/export/<str:fmt>/",
        views.ExampleExportView.as_view(),
        name="example_export",
    ),
    path("<int:pk>/", views.StrategyDetailView.as_view(), name="strategy"),
    path("<int:pk>/check/", views.StrategyCheckView.as_view(), name="strategy_check"),
    path("<int:pk>/delete/", views.StrategyDeleteView.as_view(), name="strategy_delete"),
    path("<int:pk>/export/<str:fmt>/", views.StrategyExportView.as_view(), name="strategy_export"),
    path("<int:pk>/targets/", views.TargetCreateView.as_view(), name="target_create"),
    path("targets/<int:pk>/delete/", views.TargetDeleteView.as_view(), name="target_delete"),
    path("tactics/", views.CatalogueView.as_view(), name="catalogue"),
    path("pricing/", views.PricingView.as_view(), name="pricing"),
    path("pricing/licensing/", views.LicensingView.as_view(), name="licensing"),
    path("program/", program_views.ProgramView.as_view(), name="program"),
    path(
        "program/report.<str:fmt>",
        program_views.ProgramReportExportView.as_view(),
        name="program_report",
    ),
    path("program/levels/", program_views.ProgramLevelListView.as_view(), name="program_levels"),
    path(
        "program/levels/<int:pk>/",
        program_views.ProgramLevelEditView.as_view(),
        name="program_level",
    ),
    path(
        "program/partners/add/",
        program_views.ProgramPartnerAddView.as_view(),
        name="program_partner_add",
    ),
    path(
        "program/partners/<int:company_id>/",
        program_views.ProgramPartnerView.as_view(),
        name="program_partner",
    ),
    path(
        "program/certifications/",
        program_views.CertificationListView.as_view(),
        name="certifications",
    ),
    path(
        "program/certifications/new/",
        program_views.CertificationEditView.as_view(),
        name="certification_create",
    ),
    path(
        "program/certifications/<int:pk>/",
        program_views.CertificationEditView.as_view(),
        name="certification",
    ),
]
