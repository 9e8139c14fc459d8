"""The project's URLs plus the strategy API, until the lead mounts it under /api/strategy/."""

from django.urls import include, path

from partnernet.web.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("api/strategy/", include("partnernet.apps.strategy.api.urls")),
]
