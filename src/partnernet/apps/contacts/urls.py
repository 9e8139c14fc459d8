from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("add/", views.PersonCreateView.as_view(), name="person_add"),
    path("import/", views.ContactsImportView.as_view(), name="import"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person"),
    path("<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("<int:pk>/export/", views.PersonExportView.as_view(), name="person_export"),
    path("<int:pk>/erase/", views.PersonEraseView.as_view(), name="person_erase"),
    path("<int:pk>/guess/", views.PersonGuessView.as_view(), name="person_guess"),
    path("addresses/<int:pk>/<str:action>/", views.EmailGuessView.as_view(), name="email_guess"),
    path("proposals/", views.ProposalQueueView.as_view(), name="proposal_list"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/close/", views.TaskCloseView.as_view(), name="task_close"),
    path("suppression/", views.SuppressionListView.as_view(), name="suppression_list"),
    path(
        "suppression/<int:pk>/remove/",
        views.SuppressionRemoveView.as_view(),
        name="suppression_remove",
    ),
    path("freshness/", views.FreshnessView.as_view(), name="freshness"),
    path("company/<int:pk>/", views.CompanyPanelView.as_view(), name="company_panel"),
    path(
        "company/<int:pk>/legal-status/",
        views.CompanyLegalCheckView.as_view(),
        name="company_legal_check",
    ),
]
