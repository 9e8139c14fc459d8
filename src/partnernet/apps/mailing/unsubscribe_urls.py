"""The public unsubscribe URL, ``/unsubscribe/<token>/`` (the login middleware exempts it)."""

from django.urls import path

from . import views

app_name = "unsubscribe"

urlpatterns = [path("<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe")]
