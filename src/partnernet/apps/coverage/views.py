"""The Coverage page: how big the partner market is and how much of it the lists have found."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from partnernet.apps.register.exports import EXPORT_TYPES, rows_download

from . import charts, summary
from .exports import EXPORTS, export_table
from .forms import BREAKDOWN_CHOICES, CoverageForm
from .selectors import coverage_lists, coverage_overview

DEFAULT_MIN_COMPANIES = 50
FORM_KEYS = ("sources", "by", "min_companies")


class CoverageView(View):
    template_name = "coverage/overview.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        submitted = any(key in request.GET for key in FORM_KEYS)
        chosen: list[int] | None = None
        by: str | None = None
        min_companies = DEFAULT_MIN_COMPANIES
        form = CoverageForm(request.GET if submitted else None)
        if submitted and form.is_valid():
            chosen = [s.pk for s in form.cleaned_data["sources"]] or None
            by = form.cleaned_data["by"] or None
            min_companies = form.cleaned_data["min_companies"] or DEFAULT_MIN_COMPANIES
        sources = coverage_lists(source_ids=chosen)
        if not submitted:
            form = CoverageForm(
                initial={
                    "sources": [s.pk for s in sources],
                    "by": "",
                    "min_companies": DEFAULT_MIN_COMPANIES,
                }
            )
        elif chosen is None and form.is_valid():
            # nothing ticked means the default lists: show them ticked
            shown = request.GET.copy()
            shown.setlist("sources", [str(s.pk) for s in sources])
            form = CoverageForm(shown)

        export_format = request.GET.get("export", "")
        export = export_format in EXPORT_TYPES
        chart = request.GET.get("chart", "")
        part = request.GET.get("part", "")
        # The breakdown refits every group: the page asks for it in a second request
        # (htmx), so the whole-market figures show without waiting for it.
        want_groups = bool(by) and (part == "groups" or (export and chart == "groups"))
        data: dict[str, Any] | None = None
        if sources:
            data = coverage_overview(
                sources=sources,
                by=by if want_groups else None,
                min_companies=min_companies,
                refresh=request.GET.get("refresh") == "1",
            )

        if export:
            if chart not in EXPORTS or data is None:
                raise Http404("no such chart")
            header, rows = export_table(data, chart)
            return rows_download(export_format, f"coverage-{chart}", header, rows)

        context: dict[str, Any] = {
            "form": form,
            "sources": sources,
            "data": data,
            "by": by,
            "by_label": dict(BREAKDOWN_CHOICES).get(by or "", by),
            "min_companies": min_companies,
            "csv_urls": {chart: self._export_url(request, chart, "csv") for chart in EXPORTS},
            "xlsx_urls": {chart: self._export_url(request, chart, "xlsx") for chart in EXPORTS},
        }
        if data is not None:
            context.update(self._report_context(data, min_companies))
        if part == "groups":
            return render(request, "coverage/_groups.html", context)
        context["groups_url"] = self._part_url(request, "groups") if by and data else ""
        return render(request, self.template_name, context)

    @staticmethod
    def _part_url(request: HttpRequest, part: str) -> str:
        params = request.GET.copy()
        params["part"] = part
        return f"{request.path}?{params.urlencode()}"

    @staticmethod
    def _export_url(request: HttpRequest, chart: str, fmt: str) -> str:
        params = request.GET.copy()
        params.pop("refresh", None)
        params.pop("part", None)
        params["export"] = fmt
        params["chart"] = chart
        return f"{request.path}?{params.urlencode()}"

    @staticmethod
    def _report_context(data: dict[str, Any], min_companies: int) -> dict[str, Any]:
        estimates = [
            {**row, "help": summary.METHOD_HELP.get(row["method"], "")}
            for row in charts.estimate_rows(data)
        ]
        specs = {
            "curve": charts.curve_spec(data),
            "frequency": charts.frequency_spec(data),
            "estimates": charts.estimates_spec(data),
        }
        if len(data["lists"]) >= 2:
            specs["overlap"] = charts.overlap_spec(data)
        groups = []
        if data.get("by"):
            by_groups = data["by"]["groups"]
            for row in charts.group_rows(data):
                note = summary.group_note(by_groups[row["group"]], min_companies)
                groups.append({**row, "note": note})
            if groups:
                specs["groups"] = charts.groups_spec(data)
        return {
            "headline": summary.headline(data),
            "warnings": summary.report_warnings(data),
            "method_help": summary.METHOD_HELP.get(data["recommended"]["method"], ""),
            "estimates": estimates,
            "uniqueness": data["list_uniqueness"],
            "groups": groups,
            "specs": specs,
        }
