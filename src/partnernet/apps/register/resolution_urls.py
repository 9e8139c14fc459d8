"""URLs of the review queue and merges (included by the register's urls)."""

from __future__ import annotations

from django.urls import path

from . import resolution_views as views

urlpatterns = [
    path("review/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("review/train/", views.ReviewTrainView.as_view(), name="review_train"),
    path("review/<int:pk>/decide/", views.ReviewDecideView.as_view(), name="review_decide"),
    path("companies/<int:pk>/merge/", views.CompanyMergeView.as_view(), name="company_merge"),
    path("merges/<int:pk>/unmerge/", views.CompanyUnmergeView.as_view(), name="company_unmerge"),
]
