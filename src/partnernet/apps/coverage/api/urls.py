from django.urls import path

from . import views

app_name = "api-coverage"

urlpatterns = [
    path("", views.CoverageReportView.as_view(), name="report"),
]
