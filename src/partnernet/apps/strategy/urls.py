from django.urls import path

from . import views

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
    path("program/", views.ProgramView.as_view(), name="program"),
]
