"""Review queue and merges in the web UI (logic lives in ``resolution_services``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from . import job_services
from .job_services import TrainingRefused, training_job_create, training_rows
from .models import Company, JobStatus, ResolutionTraining, SourceRow
from .models_resolution import CompanyMerge, ReviewPair, ReviewStatus
from .resolution_services import MergeError, company_merge, company_unmerge, review_decide

_ROW_FIELDS = ("name", "inn", "ogrn", "bin", "unp", "city", "region", "domains", "phones")


def _row_view(row: SourceRow) -> dict[str, Any]:
    c = row.canonical or {}
    city = c.get("city") or {}
    return {
        "row": row,
        "name": c.get("name") or "",
        "identifiers": ", ".join(
            f"{k.upper()} {c[k]}" for k in ("inn", "ogrn", "bin", "unp") if c.get(k)
        ),
        "city": city.get("name") or c.get("city_raw") or "",
        "region": c.get("region") or "",
        "domains": ", ".join(c.get("domains") or ()),
        "phones": ", ".join(c.get("phones") or ()),
        "source": row.source.name,
        "company": row.company,
    }


class ReviewQueueView(ListView):
    """Open pairs, most probable first; the first one shown side by side for a decision."""

    model = ReviewPair
    template_name = "register/review/queue.html"
    paginate_by = 50

    def get_queryset(self) -> Any:
        status = self.request.GET.get("status", ReviewStatus.OPEN)
        return ReviewPair.objects.filter(status=status).select_related(
            "left__source", "right__source", "left__company", "right__company"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pairs = list(context["object_list"])
        current = pairs[0] if pairs else None
        context.update(
            status=self.request.GET.get("status", ReviewStatus.OPEN),
            statuses=ReviewStatus.choices,
            current=current,
            left=_row_view(current.left) if current else None,
            right=_row_view(current.right) if current else None,
            levels=sorted((current.levels or {}).items()) if current else [],
            weights=current.match_weights if current else {},
            open_count=ReviewPair.objects.filter(status=ReviewStatus.OPEN).count(),
            **training_context(),
        )
        return context


def training_context() -> dict[str, Any]:
    """The model in use and the latest re-training (for the queue page's model card)."""
    latest = ResolutionTraining.objects.order_by("-created_at", "-id").first()
    active = (
        ResolutionTraining.objects.filter(status=JobStatus.DONE, model__isnull=False)
        .order_by("-finished_at", "-id")
        .first()
    )
    return {
        "training": latest,
        "active_training": active,
        "training_rows": training_rows(),
        "training_min_rows": job_services.TRAINING_MIN_ROWS,
    }


class ReviewTrainView(View):
    """Staff: re-train the model in the background (POST); its status block (GET, polled)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "register/review/_training.html", training_context())

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied
        try:
            training_job_create(user=request.user)
        except TrainingRefused as error:
            messages.error(request, str(error))
        else:
            messages.info(request, _("Re-training started; the page shows when it ends."))
        return HttpResponseRedirect(reverse("register:review_queue"))


class ReviewDecideView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pair = get_object_or_404(ReviewPair, pk=pk)
        status = request.POST.get("decision", "")
        if status not in (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED, ReviewStatus.SKIPPED):
            messages.error(request, _("Unknown decision."))
        else:
            review_decide(pair=pair, status=status, user=request.user)
        return HttpResponseRedirect(reverse("register:review_queue"))


class CompanyMergeView(TemplateView):
    """Merge another company into this one (by id), with a reason for the change log."""

    template_name = "register/review/merge.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        company = get_object_or_404(Company, pk=self.kwargs["pk"])
        context.update(
            company=company,
            merges_in=CompanyMerge.objects.filter(target=company).select_related("absorbed"),
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = get_object_or_404(Company, pk=pk)
        try:
            other = Company.objects.get(pk=int(request.POST.get("other", "0")))
            company_merge(
                target=target,
                absorbed=other,
                user=request.user,
                reason=request.POST.get("reason", ""),
            )
        except (Company.DoesNotExist, ValueError) as error:
            text = (
                str(error)
                if isinstance(error, MergeError)
                else _("There is no company with that number.")
            )
            messages.error(request, _("Cannot merge: %(error)s") % {"error": text})
        else:
            messages.success(request, _("Merged into %(name)s.") % {"name": target.display_name})
        return HttpResponseRedirect(reverse("register:company_merge", args=[pk]))


class CompanyUnmergeView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        merge = get_object_or_404(CompanyMerge, pk=pk)
        try:
            company_unmerge(merge=merge, user=request.user, reason=request.POST.get("reason", ""))
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Merge undone."))
        return HttpResponseRedirect(reverse("register:company_merge", args=[merge.target_id]))
