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
    path("<int:pk>/status/", views.PersonStatusView.as_view(), name="person_status"),
    path("<int:pk>/emails/add/", views.EmailAddView.as_view(), name="email_add"),
    path("<int:pk>/phones/add/", views.PhoneAddView.as_view(), name="phone_add"),
    path("<int:pk>/merge/", views.PersonMergeView.as_view(), name="person_merge"),
    path("emails/<int:pk>/edit/", views.EmailEditView.as_view(), name="email_edit"),
    path("emails/<int:pk>/mark/", views.EmailMarkView.as_view(), name="email_mark"),
    path("emails/<int:pk>/remove/", views.EmailRemoveView.as_view(), name="email_remove"),
    path("phones/<int:pk>/edit/", views.PhoneEditView.as_view(), name="phone_edit"),
    path("phones/<int:pk>/remove/", views.PhoneRemoveView.as_view(), name="phone_remove"),
    path("changes/<int:pk>/undo/", views.PersonChangeUndoView.as_view(), name="change_undo"),
    path("addresses/<int:pk>/<str:action>/", views.EmailGuessView.as_view(), name="email_guess"),
    path("proposals/", views.ProposalQueueView.as_view(), name="proposal_list"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/due/", views.TasksDueView.as_view(), name="tasks_due"),
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
