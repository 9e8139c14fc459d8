"""Web views of the partner programme: levels, certifications of people, a partner's standing,
the evaluation and the promotion/demotion report with CSV/XLSX exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from partnernet.apps.register.exports import EXPORT_TYPES, rows_download
from partnernet.apps.register.models import Company, Vendor
from partnernet.engines.strategy.program import ProgramError

from . import selectors, services
from .filtersets import CertificationFilterSet
from .models import Certification, PartnerStanding, ProgramLevel
from .program_forms import (
    AddPartnerForm,
    CertificationForm,
    ProgramLevelForm,
    StandingForm,
    style_form,
)


def _as_of(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


# A service's field name → the form field that shows it (the form types parameters as text).
FORM_FIELDS = {"margin_parameters": "margin_parameters_text"}


def add_service_error(form: Any, exc: ValidationError) -> None:
    """Show a service's error next to the field it names, or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        field = FORM_FIELDS.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


MOVEMENT_LABELS = {
    "promote": "success",
    "enter": "success",
    "demote": "danger",
    "leave": "danger",
    "keep": "light",
}


def _evaluation_rows(report: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    names = {level.key: level.name for level in ProgramLevel.objects.all()}
    movements = _movements()
    rows = []
    for ev in report["partners"]:
        rows.append(
            {
                **ev,
                "company_id": int(ev["partner_id"]),
                "current_name": names.get(ev["current_level"] or "", ""),
                "qualifying_name": names.get(ev["qualifying_level"] or "", ""),
                "next_name": names.get(ev["next_level"] or "", ""),
                "css": MOVEMENT_LABELS[ev["movement"]],
                "movement_label": movements[ev["movement"]],
                "gaps_next": [{"label": g["label"][lang], **g} for g in ev["gaps_to_next"]],
                "gaps_current": [{"label": g["label"][lang], **g} for g in ev["gaps_to_current"]],
            }
        )
    return rows


def _movements() -> dict[str, str]:
    return {
        "promote": _("promote"),
        "enter": _("enter the programme"),
        "demote": _("demote"),
        "leave": _("leave the programme"),
        "keep": _("keep"),
    }


class ProgramView(View):
    """The evaluation: each partner's qualifying level, what it lacks, the move it is due."""

    def get(self, request: HttpRequest) -> HttpResponse:
        vendor = request.GET.get("vendor") or None
        as_of = _as_of(request)
        try:
            report = selectors.program_report(vendor=vendor, on=as_of)
        except ProgramError as exc:
            messages.error(request, str(exc))
            report = {"partners": [], "due_for_promotion": [], "due_for_demotion": []}
        lang = selectors.current_language()
        context = {
            "report": report,
            "rows": _evaluation_rows(report, lang) if report["partners"] else [],
            "levels": ProgramLevel.objects.order_by("rank"),
            "vendors": Vendor.objects.order_by("name").values_list("name", flat=True),
            "vendor": vendor or "",
            "as_of": as_of,
            "add_form": AddPartnerForm(),
            "query": request.GET.urlencode(),
        }
        return render(request, "strategy/program.html", context)


class ProgramReportExportView(View):
    """Partners due for promotion or demotion (``?all=1``: every partner) as CSV or XLSX."""

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt not in EXPORT_TYPES:
            raise Http404
        as_of = _as_of(request)
        report = selectors.program_report(vendor=request.GET.get("vendor") or None, on=as_of)
        headers, rows = selectors.program_report_export_table(
            report, due_only=not request.GET.get("all"), lang=selectors.current_language()
        )
        return rows_download(
            fmt, f"programme-moves-{as_of.isoformat()}", headers, rows, "programme"
        )


class ProgramPartnerAddView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = AddPartnerForm(request.POST)
        if not form.is_valid():
            messages.error(request, "; ".join(str(e) for e in form.errors.get("company_ref", [])))
            return redirect("strategy:program")
        company = form.cleaned_data["company_ref"]
        if not PartnerStanding.objects.filter(company=company).exists():
            services.partner_standing_set(company=company)
        return redirect("strategy:program_partner", company_id=company.pk)


class ProgramPartnerView(View):
    """A partner's programme standing: level, facts, certifications and its evaluation."""

    def _render(self, request: HttpRequest, company: Company, form: StandingForm) -> HttpResponse:
        standing = PartnerStanding.objects.filter(company=company).first()
        evaluation = None
        if standing is not None:
            report = selectors.program_report(company_ids=[company.pk])
            rows = _evaluation_rows(report, selectors.current_language())
            evaluation = rows[0] if rows else None
        context = {
            "company": company,
            "standing": standing,
            "form": form,
            "evaluation": evaluation,
            "certifications": selectors.certification_list(company_id=company.pk),
            "today": timezone.localdate(),
        }
        return render(request, "strategy/program_partner.html", context)

    def get(self, request: HttpRequest, company_id: int) -> HttpResponse:
        company = get_object_or_404(Company, pk=company_id)
        standing = PartnerStanding.objects.filter(company=company).first()
        return self._render(request, company, StandingForm(instance=standing))

    def post(self, request: HttpRequest, company_id: int) -> HttpResponse:
        company = get_object_or_404(Company, pk=company_id)
        if request.POST.get("action") == "remove":
            services.partner_standing_remove(company=company)
            messages.success(request, _("The partner left the programme."))
            return redirect("strategy:program")
        form = StandingForm(request.POST)
        if not form.is_valid():
            return self._render(request, company, form)
        services.partner_standing_set(company=company, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("strategy:program_partner", company_id=company.pk)


class ProgramLevelListView(View):
    def _render(self, request: HttpRequest, form: ProgramLevelForm) -> HttpResponse:
        from .program_forms import parameters_text

        levels = [
            {"level": level, "parameters": parameters_text(level.margin_parameters)}
            for level in ProgramLevel.objects.order_by("rank")
        ]
        return render(request, "strategy/program_levels.html", {"levels": levels, "form": form})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ProgramLevelForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProgramLevelForm(request.POST)
        if form.is_valid():
            try:
                services.program_level_save(**form.service_data())
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The level was added."))
                return redirect("strategy:program_levels")
        return self._render(request, form)


class ProgramLevelEditView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        level = get_object_or_404(ProgramLevel, pk=pk)
        return render(
            request,
            "strategy/program_level_form.html",
            {"level": level, "form": ProgramLevelForm(instance=level)},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        level = get_object_or_404(ProgramLevel, pk=pk)
        if request.POST.get("action") == "delete":
            services.program_level_delete(level=level)
            messages.success(request, _("The level was deleted."))
            return redirect("strategy:program_levels")
        form = ProgramLevelForm(request.POST, instance=level)
        if form.is_valid():
            try:
                services.program_level_save(level=level, **form.service_data())
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("strategy:program_levels")
        return render(request, "strategy/program_level_form.html", {"level": level, "form": form})


class CertificationListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = CertificationFilterSet(
            {k: v for k, v in request.GET.items() if k != "export"} or None,
            queryset=selectors.certification_list(),
        )
        style_form(filters.form)
        rows = filters.qs
        fmt = request.GET.get("export")
        if fmt:
            if fmt not in EXPORT_TYPES:
                raise Http404
            headers, table = selectors.certification_export_table(rows)
            return rows_download(fmt, "certifications", headers, table, "certifications")
        query = request.GET.copy()
        query.pop("export", None)
        return render(
            request,
            "strategy/certifications.html",
            {
                "form": filters.form,
                "certifications": rows[:500],
                "total": rows.count(),
                "query": query.urlencode(),
                "today": timezone.localdate(),
            },
        )


class CertificationEditView(View):
    """Add (``pk`` absent; ``?company=ID`` prefills the company) or edit a certification."""

    def _certification(self, pk: int | None) -> Certification | None:
        return get_object_or_404(Certification, pk=pk) if pk else None

    def _company(self, request: HttpRequest, cert: Certification | None) -> Company | None:
        if cert is not None:
            return cert.company
        ref = request.POST.get("company_ref") or request.GET.get("company") or ""
        return selectors.company_by_ref(ref) if ref else None

    def _render(
        self, request: HttpRequest, form: CertificationForm, cert: Certification | None
    ) -> HttpResponse:
        return render(
            request,
            "strategy/certification_form.html",
            {"form": form, "certification": cert, "company": form.company},
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        cert = self._certification(pk)
        form = CertificationForm(instance=cert, company=self._company(request, cert))
        return self._render(request, form, cert)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        cert = self._certification(pk)
        if cert is not None and request.POST.get("action") == "delete":
            company_id = cert.company_id
            services.certification_delete(certification=cert)
            messages.success(request, _("The certification was deleted."))
            return redirect("strategy:program_partner", company_id=company_id)
        form = CertificationForm(request.POST, instance=cert, company=self._company(request, cert))
        if form.is_valid():
            try:
                saved = services.certification_save(certification=cert, **form.service_data())
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                if request.POST.get("next") == "list":
                    return redirect("strategy:certifications")
                return redirect(
                    reverse("strategy:program_partner", kwargs={"company_id": saved.company_id})
                    + "#certifications"
                )
        return self._render(request, form, cert)
