from django.urls import path

from . import views

app_name = "selection"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("regional/", views.RegionalView.as_view(), name="regional"),
    path("specialisation/", views.SpecialisationView.as_view(), name="specialisation"),
    path("customers/", views.CustomersView.as_view(), name="customers"),
    path("phased/", views.PhasedView.as_view(), name="phased"),
    path("partnership/<int:company_id>/", views.PartnershipView.as_view(), name="partnership"),
    path("shortlists/", views.ShortlistListView.as_view(), name="shortlists"),
    path("shortlists/<int:pk>/", views.ShortlistDetailView.as_view(), name="shortlist"),
]
