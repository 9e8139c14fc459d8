"""Web pages of selection: the four approaches, the funnel board, target customers, shortlists."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from partnernet.apps.register.exports import EXPORT_TYPES, rows_download
from partnernet.apps.register.models import Company
from partnernet.engines.sources import SourceFileError

from . import charts, selectors, services
from .errors import user_message
from .explain import Explainer
from .forms import (
    CustomerImportForm,
    PartnershipForm,
    RegionalForm,
    ShortlistSaveForm,
    SpecialisationForm,
    StageRulesForm,
)
from .models import (
    FunnelStageDefinition,
    Partnership,
    Quota,
    Shortlist,
    SupplyRelation,
    TargetCustomer,
)


def _labels() -> dict[str, str]:
    return {
        "have": _("have"),
        "need": _("need"),
        "gap": _("gap"),
        "territory": _("territory"),
        "partners": _("partners"),
        "stage": _("stage"),
    }


def _save_shortlist(request: HttpRequest, approach: str, result: dict[str, Any]) -> HttpResponse:
    form = ShortlistSaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the shortlist a name."))
        return HttpResponseRedirect(request.get_full_path())
    shortlist = services.shortlist_save(
        name=form.cleaned_data["name"],
        approach=approach,
        parameters=result["parameters"],
        entries=result["entries"],
        user=request.user,
    )
    messages.success(
        request,
        _("Saved shortlist “%(name)s” with %(n)d companies.")
        % {"name": shortlist.name, "n": shortlist.entries.count()},
    )
    return redirect(shortlist.get_absolute_url())


class HomeView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        stages = selectors.phased_selection()["stages"]
        return render(
            request,
            "selection/home.html",
            {
                "stages": stages,
                "shortlists": selectors.shortlist_list()[:10],
                "customer_count": TargetCustomer.objects.count(),
                "supplier_count": SupplyRelation.objects.count(),
            },
        )


class ApproachPage(View):
    """GET shows the form and, once submitted, the result; POST saves it as a shortlist."""

    approach = ""
    form_class: Any = None
    template_name = ""

    def result(self, form: Any) -> dict[str, Any]:
        return selectors.selection_run(approach=self.approach, parameters=form.parameters())

    def compute(self, request: HttpRequest) -> tuple[Any, dict[str, Any] | None]:
        if not request.GET:
            return self.form_class(), None
        form = self.form_class(request.GET)
        if not form.is_valid():
            return form, None
        try:
            return form, self.result(form)
        except selectors.SelectionError as exc:
            form.add_error(None, user_message(exc))
            return form, None

    def extra(self, result: dict[str, Any]) -> dict[str, Any]:
        return {}

    def context(self) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest) -> HttpResponse:
        form, result = self.compute(request)
        context = {"form": form, "result": result, "save_form": ShortlistSaveForm()}
        context.update(self.context())
        if result is not None:
            context.update(self.extra(result))
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest) -> HttpResponse:
        _form, result = self.compute(request)
        if result is None:
            messages.error(request, _("Run the selection before saving it."))
            return HttpResponseRedirect(request.get_full_path())
        return _save_shortlist(request, self.approach, result)


class RegionalView(ApproachPage):
    approach = "regional"
    form_class = RegionalForm
    template_name = "selection/regional.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        self.saved_quotas = [
            {
                "spec": quota.spec,
                "label": quota.label,
                "query": urlencode({"quotas": quota.spec, "top": 5, **quota.criteria}, doseq=True),
            }
            for quota in Quota.objects.filter(active=True)
        ]
        return super().get(request)

    def context(self) -> dict[str, Any]:
        return {"saved_quotas": getattr(self, "saved_quotas", [])}

    def extra(self, result: dict[str, Any]) -> dict[str, Any]:
        labels = _labels()
        background = selectors.city_points()
        explain = Explainer()
        quotas = []
        for index, quota in enumerate(result["quotas"]):
            rows = quota["gaps"]
            for row in rows:
                explain.entries(row["candidates"])
            if rows and rows[0]["type"] == "city":
                chart = charts.gap_map_spec(rows, background, labels)
            else:
                chart = charts.gap_bars_spec(rows, labels)
            quotas.append({**quota, "chart": chart, "chart_id": f"gap-chart-{index}"})
        return {"quotas": quotas}


class SpecialisationView(ApproachPage):
    approach = "specialisation"
    form_class = SpecialisationForm
    template_name = "selection/specialisation.html"

    def extra(self, result: dict[str, Any]) -> dict[str, Any]:
        entries = [dict(entry) for entry in result["entries"]]
        Explainer().entries(entries)
        return {"entries": entries}


class CustomersView(View):
    template_name = "selection/customers.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "form": CustomerImportForm(),
                "save_form": ShortlistSaveForm(),
                "result": selectors.customer_selection(),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        if "name" in request.POST:
            return _save_shortlist(request, "customers", selectors.customer_selection())
        form = CustomerImportForm(request.POST, request.FILES)
        if form.is_valid():
            with tempfile.TemporaryDirectory() as tmp:
                for field, importer in (
                    ("targets", services.target_customers_import),
                    ("suppliers", services.supply_relations_import),
                ):
                    upload = form.cleaned_data.get(field)
                    if not upload:
                        continue
                    path = Path(tmp) / Path(upload.name).name
                    with path.open("wb") as handle:
                        shutil.copyfileobj(upload, handle)
                    kwargs: dict[str, Any] = {"path": path}
                    if field == "suppliers":
                        kwargs["source"] = form.cleaned_data.get("source") or ""
                    try:
                        report = importer(**kwargs)
                    except SourceFileError as exc:
                        messages.error(request, str(exc))
                        continue
                    messages.success(
                        request,
                        _(
                            "%(file)s: %(created)d added, %(updated)d already known, "
                            "%(linked)d linked to the register"
                        )
                        % {
                            "file": upload.name,
                            "created": report.created,
                            "updated": report.updated,
                            "linked": report.linked,
                        },
                    )
                    for error in report.errors[:20]:
                        messages.warning(request, error)
        return redirect("selection:customers")


class PhasedView(View):
    template_name = "selection/phased.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        evaluate = bool(request.GET.get("evaluate"))
        result = selectors.phased_selection(evaluate=evaluate)
        for move in result.get("moves", []):
            move["lacking_text"] = "; ".join(move["lacking"])
        definitions = selectors.funnel_definitions()
        counts = selectors.stage_counts_by_month()
        return render(
            request,
            self.template_name,
            {
                "result": result,
                "evaluate": evaluate,
                "rule_forms": [
                    (d, StageRulesForm(instance=d, prefix=f"stage-{d.pk}")) for d in definitions
                ],
                "counts_chart": charts.stage_counts_spec(counts, _labels()) if counts else None,
                "save_form": ShortlistSaveForm(),
                "stage_names": {d.key: d.label for d in definitions},
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action")
        if action == "apply":
            moves = []
            for value in request.POST.getlist("move"):
                company_id, _sep, stage = value.partition(":")
                if company_id.isdigit() and stage:
                    moves.append((int(company_id), stage))
            moved = services.stage_moves_apply(moves=moves, user=request.user)
            messages.success(request, _("%(n)d partners moved.") % {"n": moved})
            return redirect("selection:phased")
        if action == "rules":
            definition = get_object_or_404(FunnelStageDefinition, pk=request.POST.get("stage"))
            form = StageRulesForm(
                request.POST, instance=definition, prefix=f"stage-{definition.pk}"
            )
            if form.is_valid():
                try:
                    services.funnel_stage_update(
                        stage=FunnelStageDefinition.objects.get(pk=definition.pk),
                        rules=form.cleaned_data["rules"],
                        name=form.cleaned_data["name"],
                        name_en=form.cleaned_data["name_en"],
                        counts_as_recruited=form.cleaned_data["counts_as_recruited"],
                    )
                    messages.success(request, _("Rules saved."))
                except selectors.SelectionError as exc:
                    messages.error(request, user_message(exc))
            return redirect("selection:phased")
        if "name" in request.POST:
            return _save_shortlist(request, "phased", selectors.phased_selection(evaluate=True))
        return redirect("selection:phased")


class PartnershipView(View):
    """Our partnership with one company: stage, kinds, facts, and its stage history."""

    template_name = "selection/partnership.html"

    def get(self, request: HttpRequest, company_id: int) -> HttpResponse:
        company = get_object_or_404(Company, pk=company_id)
        partnership = Partnership.objects.filter(company=company).select_related("stage").first()
        initial: dict[str, Any] = {}
        if partnership:
            initial = {
                "stage": partnership.stage.key,
                "kinds": partnership.kinds,
                "joined_on": partnership.joined_on,
                "deals_12m": partnership.deals_12m,
                "certified_people": partnership.certified_people,
                "marketing_events_12m": partnership.marketing_events_12m,
                "notes": partnership.notes,
            }
        return render(
            request,
            self.template_name,
            {
                "company": company,
                "partnership": partnership,
                "form": PartnershipForm(initial=initial),
                "history": selectors.stage_history(company_id=company.pk),
            },
        )

    def post(self, request: HttpRequest, company_id: int) -> HttpResponse:
        company = get_object_or_404(Company, pk=company_id)
        form = PartnershipForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                {
                    "company": company,
                    "form": form,
                    "history": selectors.stage_history(company_id=company.pk),
                },
            )
        data = form.cleaned_data
        services.partnership_set(
            company=company,
            stage=data["stage"].key,
            kinds=data["kinds"],
            joined_on=data.get("joined_on"),
            facts={k: data[k] for k in services.FACTS},
            notes=data["notes"],
            user=request.user,
            rule=_("set by hand"),
        )
        messages.success(request, _("Partnership saved."))
        return redirect("selection:partnership", company_id=company.pk)


class ShortlistListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "selection/shortlist_list.html", {"shortlists": selectors.shortlist_list()}
        )


class ShortlistDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        shortlist = get_object_or_404(Shortlist, pk=pk)
        fmt = request.GET.get("export")
        if fmt in EXPORT_TYPES:
            headers, rows = selectors.shortlist_export_table(shortlist=shortlist)
            return rows_download(fmt, f"shortlist-{shortlist.pk}", headers, rows, "shortlist")
        return render(
            request,
            "selection/shortlist_detail.html",
            {
                "shortlist": shortlist,
                "entries": self.explained(shortlist),
                "rerun_url": reverse(f"selection:{shortlist.approach}"),
            },
        )

    @staticmethod
    def explained(shortlist: Shortlist) -> list[Any]:
        explain = Explainer()
        entries = list(selectors.shortlist_entries(shortlist=shortlist))
        for entry in entries:
            entry.reasons = explain.many(entry.reasons)
            entry.warnings = explain.many(entry.warnings)
        return entries

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        shortlist = get_object_or_404(Shortlist, pk=pk)
        if request.POST.get("action") == "delete":
            shortlist.delete()
            messages.success(request, _("Shortlist deleted."))
        return redirect("selection:shortlists")
