"""Web views of the register: companies, sources and the import dialogue."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from partnernet.engines.sources import MappingError, SourceFileError

from .exports import EXPORT_TYPES, table_download
from .filtersets import CompanyFilterSet, SourceFilterSet
from .forms import ImportMappingForm, ImportUploadForm
from .job_services import import_job_create, import_job_progress
from .models import Company, ImportJob, JobStatus, Source
from .selectors import (
    company_detail,
    company_list,
    source_list,
    source_rows,
    source_rows_with_warnings,
)
from .services import source_preview
from .tables import CompanyTable, SourceRowTable, SourceTable

SESSION_KEY = "register_pending_imports"


class CompanyListView(SingleTableMixin, FilterView):
    """The register: search, filters, sortable columns, pages; CSV/XLSX of exactly this view."""

    model = Company
    table_class = CompanyTable
    filterset_class = CompanyFilterSet
    template_name = "register/company_list.html"
    # Only the table paginates (one COUNT per page view, not two).
    paginate_by = None
    table_pagination = {"per_page": 50}

    def get_queryset(self) -> Any:
        return company_list()

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        fmt = self.request.GET.get("_export")
        if fmt in EXPORT_TYPES:
            # The same filtered queryset and ordering as the page, without pagination.
            table = self.get_table_class()(self.object_list)
            return table_download(self.request, table, fmt, "companies")
        return super().render_to_response(context, **kwargs)


class CompanyDetailView(DetailView):
    model = Company
    template_name = "register/company_detail.html"
    context_object_name = "company"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(company_detail(company=self.object))
        return context


class SourceListView(SingleTableMixin, FilterView):
    model = Source
    table_class = SourceTable
    filterset_class = SourceFilterSet
    template_name = "register/source_list.html"
    paginate_by = 100

    def get_queryset(self) -> Any:
        return source_list()


class SourceDetailView(DetailView):
    model = Source
    template_name = "register/source_detail.html"
    context_object_name = "source"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        failed = SourceRowTable(source_rows(source=self.object, failed_only=True), prefix="f-")
        RequestConfig(self.request, paginate={"per_page": 50}).configure(failed)
        rows = SourceRowTable(source_rows(source=self.object), prefix="r-")
        RequestConfig(self.request, paginate={"per_page": 50}).configure(rows)
        context.update(
            failed_table=failed,
            rows_table=rows,
            warning_rows=source_rows_with_warnings(source=self.object)[:200],
        )
        return context


# Import ----------------------------------------------------------------------------------------


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _pending(request: HttpRequest, token: str) -> dict[str, Any]:
    pending = request.session.get(SESSION_KEY, {})
    if token not in pending:
        raise Http404(_("This upload has expired; upload the file again."))
    return dict(pending[token])


class ImportUploadView(View):
    template_name = "register/import_upload.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ImportUploadForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        upload = form.cleaned_data["file"]
        token = uuid.uuid4().hex
        folder = _upload_dir() / token
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (get_valid_filename(upload.name) or "upload")
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            source_preview(path=path, limit=1)
        except SourceFileError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            form.add_error("file", str(exc))
            return render(request, self.template_name, {"form": form})
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {
            "path": str(path),
            "file_name": upload.name,
            "source_name": form.cleaned_data["source_name"],
            "vendor": form.cleaned_data["vendor"] or None,
            "kind": form.cleaned_data["kind"] or None,
        }
        request.session[SESSION_KEY] = pending
        return redirect("register:import_mapping", token=token)


class ImportMappingView(View):
    """Preview of the detected columns; fix the mapping; confirm to import."""

    template_name = "register/import_mapping.html"

    def _context(
        self, pending: dict[str, Any], mapping: dict[str, str] | None, form: Any = None
    ) -> dict[str, Any]:
        preview = source_preview(path=pending["path"], mapping=mapping, limit=15)
        if form is None:
            form = ImportMappingForm(columns=preview["columns"])
        headers = [header for header, _field in preview["columns"]]
        return {
            "pending": pending,
            "preview": preview,
            "form": form,
            "headers": headers,
            "sample": [[row["values"].get(h, "") for h in headers] for row in preview["rows"]],
            "known_source": Source.objects.filter(name=pending["source_name"]).first(),
        }

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        pending = _pending(request, token)
        return render(request, self.template_name, {"token": token, **self._context(pending, None)})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        pending = _pending(request, token)
        columns = source_preview(path=pending["path"], limit=1)["columns"]
        form = ImportMappingForm(request.POST, columns=columns)
        if not form.is_valid():
            return render(
                request, self.template_name, {"token": token, **self._context(pending, None, form)}
            )
        mapping = form.mapping()
        if request.POST.get("action") != "confirm":
            context = self._context(pending, mapping, form)
            return render(request, self.template_name, {"token": token, **context})
        try:  # the mapping is checked here, so a mistake is shown on this page
            source_preview(path=pending["path"], mapping=mapping, limit=1)
        except (SourceFileError, MappingError, ValueError) as exc:
            messages.error(request, str(exc))
            return redirect("register:import_mapping", token=token)
        # The import runs as a background task; its page follows it (the file stays where
        # the upload put it until the task has read it).
        job = import_job_create(
            path=pending["path"],
            source_name=pending["source_name"],
            vendor=pending["vendor"],
            kind=pending["kind"],
            mapping=mapping,
            user=request.user,
            file_name=pending["file_name"],
        )
        remaining = request.session.get(SESSION_KEY, {})
        remaining.pop(token, None)
        request.session[SESSION_KEY] = remaining
        return redirect("register:import_job", pk=job.pk)


class ImportJobView(View):
    """An import's status while it runs (htmx polls the status block), then its report."""

    template_name = "register/import_job.html"
    partial_name = "register/_import_job_status.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = get_object_or_404(ImportJob, pk=pk)
        context = {"job": job, "report": job.report or {}}
        if not job.is_finished:
            context["rows_read"] = import_job_progress(job=job)
        if job.status == JobStatus.DONE and job.report:
            context["summary"] = import_summary(job.report)
        template = self.partial_name if getattr(request, "htmx", False) else self.template_name
        return render(request, template, context)


def import_summary(report: dict[str, Any]) -> str:
    """The one-sentence outcome of an import, as the page and the message say it."""
    if report.get("unchanged"):
        return _("The same file was imported before: nothing changed.")
    text = _(
        "Imported %(rows)d rows: %(new)d new companies, %(linked)d linked to known "
        "companies, %(errors)d rows with errors."
    ) % {
        "rows": report.get("new_rows", 0),
        "new": report.get("new_companies", 0),
        "linked": report.get("linked", 0),
        "errors": report.get("errors", 0),
    }
    queued = report.get("queued_for_review", 0)
    if queued:
        text += " " + ngettext(
            "%(count)d pair of rows is queued for review.",
            "%(count)d pairs of rows are queued for review.",
            queued,
        ) % {"count": queued}
    return text
