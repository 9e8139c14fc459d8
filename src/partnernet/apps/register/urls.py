from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    path("companies/", views.CompanyListView.as_view(), name="company_list"),
    path("companies/<int:pk>/", views.CompanyDetailView.as_view(), name="company"),
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("sources/<int:pk>/", views.SourceDetailView.as_view(), name="source"),
    path("import/", views.ImportUploadView.as_view(), name="import_upload"),
    path("import/jobs/<int:pk>/", views.ImportJobView.as_view(), name="import_job"),
    path("import/<str:token>/", views.ImportMappingView.as_view(), name="import_mapping"),
]

from .resolution_urls import urlpatterns as resolution_urlpatterns  # noqa: E402

urlpatterns += resolution_urlpatterns
