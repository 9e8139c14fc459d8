"""URL map: one include per app, the API under /api/, the schema under /api/schema/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from partnernet.web.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("strategy/", include("partnernet.apps.strategy.urls")),
    path("api/strategy/", include("partnernet.apps.strategy.api.urls")),
    path("contacts/", include("partnernet.apps.contacts.urls")),
    path("api/contacts/", include("partnernet.apps.contacts.api.urls")),
    path("selection/", include("partnernet.apps.selection.urls")),
    path("api/selection/", include("partnernet.apps.selection.api.urls")),
    path("mailing/", include("partnernet.apps.mailing.urls")),
    path("api/mailing/", include("partnernet.apps.mailing.api.urls")),
    path("unsubscribe/", include("partnernet.apps.mailing.unsubscribe_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("partnernet.apps.register.urls")),
    path("coverage/", include("partnernet.apps.coverage.urls")),
    path("api/coverage/", include("partnernet.apps.coverage.api.urls")),
    path("api/", include("partnernet.apps.register.api.urls")),
]
