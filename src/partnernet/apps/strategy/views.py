"""Web views: strategies and the composer, exports, the catalogue, the margin calculator, the
partner programme. Business logic stays in services/selectors and the engines."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from partnernet.apps.register.exports import EXPORT_TYPES, rows_download
from partnernet.engines.pricing.chain import (
    STAGES,
    ChainResult,
    Deal,
    DealLine,
    Discounts,
    Override,
    PricingError,
    price_deal,
    tactic_from_dict,
)
from partnernet.engines.pricing.licensing import PerpetualTerms, SubscriptionTerms, compare
from partnernet.engines.strategy.catalogue import ROLES, text
from partnernet.engines.strategy.compose import RULES, Choice, check
from partnernet.engines.strategy.examples import examples
from partnernet.engines.strategy.render import FORMATS
from partnernet.engines.strategy.render import render as render_document

from . import selectors, services
from .charts import cumulative_cost_spec, waterfall_spec
from .forms import (
    DealLineFormSet,
    LicensingForm,
    PricingForm,
    StrategyForm,
    TacticForm,
    TargetForm,
)
from .models import Strategy, Target

CONTENT_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
SEVERITY_CSS = {"error": "danger", "warning": "warning", "info": "info"}


def _findings_for_display(findings: list[Any], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "severity": f.severity,
            "css": SEVERITY_CSS[f.severity],
            "message": text(f.message, lang),
            "dimension": f.dimension,
            "source": RULES[f.rule].source,
            "rule": f.rule,
        }
        for f in findings
    ]


class StrategyListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        lang = selectors.current_language()
        rows = []
        for strategy in selectors.strategy_list():
            findings = selectors.strategy_findings(strategy=strategy)
            rows.append(
                {
                    "strategy": strategy,
                    "errors": sum(1 for f in findings if f.severity == "error"),
                    "warnings": sum(1 for f in findings if f.severity == "warning"),
                }
            )
        context = {
            "rows": rows,
            "examples": [
                {
                    "key": key,
                    "title": text(s.title, lang),
                    "summary": text(s.summary, lang),
                    "role": s.role,
                }
                for key, s in examples().items()
            ],
            "form": StrategyForm(),
        }
        return render(request, "strategy/strategy_list.html", context)


class StrategyCreateView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = StrategyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The strategy was not created: check the fields."))
            return render(
                request, "strategy/strategy_list.html", {"rows": [], "examples": [], "form": form}
            )
        strategy = services.strategy_create(**form.cleaned_data, user=request.user)
        return redirect("strategy:strategy", pk=strategy.pk)


class StrategyCopyExampleView(View):
    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        if key not in examples():
            raise Http404
        strategy = services.strategy_copy_example(
            key=key, lang=selectors.current_language(), user=request.user
        )
        messages.success(request, _("The example was copied; edit it as you like."))
        return redirect("strategy:strategy", pk=strategy.pk)


def _composer_rows(strategy: Strategy, lang: str) -> list[dict[str, Any]]:
    catalogue = selectors.catalogue()
    chosen = {c.dimension: c for c in strategy.choices.all()}
    rows = []
    for dim in catalogue.dimensions:
        choice = chosen.get(dim.key)
        applies = dim.applies_to(strategy.role)
        if not applies and choice is None:
            continue
        picked = set(choice.tactics) if choice else set()
        rows.append(
            {
                "key": dim.key,
                "name": text(dim.name, lang),
                "section": dim.section,
                "description": text(dim.description, lang),
                "reconstructed": dim.reconstructed,
                "origin": dim.origin,
                "applies": applies,
                "vendor_decides": bool(choice and choice.vendor_decides),
                "vendor_decides_allowed": strategy.role != "vendor",
                "note": choice.note if choice else "",
                "tactics": [
                    {
                        "key": t.key,
                        "name": text(t.name, lang),
                        "description": text(t.description, lang),
                        "when_to_use": text(t.when_to_use, lang),
                        "number": t.number,
                        "origin": t.origin,
                        "applies": t.applies_to(strategy.role),
                        "checked": t.key in picked,
                        "parameters": [
                            {
                                "key": p.key,
                                "name": text(p.name, lang),
                                "type": p.type,
                                "values": [(v, text(p.labels.get(v), lang) or v) for v in p.values],
                                "value": (choice.parameters.get(t.key, {}) if choice else {}).get(
                                    p.key, p.default
                                ),
                            }
                            for p in t.parameters.values()
                        ],
                    }
                    for t in dim.tactics
                ],
            }
        )
    return rows


def _choices_from_post(request: HttpRequest) -> list[dict[str, Any]]:
    """The composer form's decisions, one dict per dimension present in the form."""
    choices = []
    for dim in selectors.catalogue().dimensions:
        if f"{dim.key}__present" not in request.POST:
            continue
        tactics = request.POST.getlist(f"{dim.key}__tactics")
        parameters: dict[str, dict[str, Any]] = {}
        for key in tactics:
            if key not in dim.tactic_keys():
                continue
            for param in dim.tactic(key).parameters.values():
                raw = request.POST.get(f"{dim.key}__{key}__{param.key}", "")
                if raw == "":
                    continue
                is_int = param.type == "integer" and raw.lstrip("-").isdigit()
                parameters.setdefault(key, {})[param.key] = int(raw) if is_int else raw
        choices.append(
            {
                "dimension": dim.key,
                "tactics": tactics,
                "vendor_decides": bool(request.POST.get(f"{dim.key}__vendor_decides")),
                "parameters": parameters,
                "note": request.POST.get(f"{dim.key}__note", ""),
            }
        )
    return choices


class StrategyCheckView(View):
    """htmx: the findings for the composer's unsaved state, as the findings list fragment."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        strategy = get_object_or_404(Strategy, pk=pk)
        stored = selectors.strategy_as_engine(strategy=strategy)
        assert stored is not None
        posted = {c["dimension"]: c for c in _choices_from_post(request)}
        kept = tuple(c for c in stored.choices if c.dimension not in posted)
        fresh = tuple(
            Choice(
                dimension=c["dimension"],
                tactics=tuple(dict.fromkeys(c["tactics"])),
                vendor_decides=c["vendor_decides"],
                parameters=c["parameters"],
                note=c["note"],
            )
            for c in posted.values()
        )
        draft = replace(stored, choices=kept + fresh)
        findings = check(draft, selectors.catalogue())
        lang = selectors.current_language()
        return render(
            request,
            "strategy/_findings.html",
            {"findings": _findings_for_display(findings, lang), "draft": True},
        )


def _target_initial(request: HttpRequest) -> dict[str, Any]:
    """The target form prefilled from a suggestion's link (metric, dimension, stage, quota)."""
    from partnernet.apps.selection.models import FunnelStageDefinition

    initial: dict[str, Any] = {
        k: request.GET[k] for k in ("metric", "dimension", "direction") if request.GET.get(k)
    }
    if request.GET.get("stage"):
        stage = FunnelStageDefinition.objects.filter(key=request.GET["stage"]).first()
        if stage is not None:
            initial["stage"] = stage.pk
    if request.GET.get("quota", "").isdigit():
        initial["quota"] = int(request.GET["quota"])
    return initial


class StrategyDetailView(View):
    """The composer: header, decisions per dimension with checks, targets, exports."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        strategy = get_object_or_404(Strategy, pk=pk)
        return self._render(
            request,
            strategy,
            StrategyForm(instance=strategy),
            TargetForm(initial=_target_initial(request)),
        )

    def _render(
        self, request: HttpRequest, strategy: Strategy, form: StrategyForm, target_form: TargetForm
    ) -> HttpResponse:
        lang = selectors.current_language()
        findings = selectors.strategy_findings(strategy=strategy)
        shown = _findings_for_display(findings, lang)
        by_dimension: dict[str, list[dict[str, Any]]] = {}
        for finding in shown:
            by_dimension.setdefault(finding["dimension"] or "", []).append(finding)
        rows = _composer_rows(strategy, lang)
        for row in rows:
            row["findings"] = by_dimension.get(row["key"], [])
        context = {
            "strategy": strategy,
            "form": form,
            "target_form": target_form,
            "rows": rows,
            "findings": shown,
            "general_findings": by_dimension.get("", []),
            "targets": [
                {
                    "label": selectors.target_label(p.target),
                    "progress": p,
                    "chart_id": f"target-chart-{p.target.pk}",
                }
                for p in selectors.strategy_targets_progress(strategy=strategy)
            ],
            "suggested_targets": selectors.suggested_targets(strategy=strategy, lang=lang),
            "formats": [f for f in FORMATS if f != "html"],
        }
        return render(request, "strategy/strategy_detail.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        strategy = get_object_or_404(Strategy, pk=pk)
        if request.POST.get("section") == "header":
            form = StrategyForm(request.POST, instance=strategy)
            if not form.is_valid():
                return self._render(request, strategy, form, TargetForm())
            services.strategy_update(strategy=strategy, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("strategy:strategy", pk=strategy.pk)
        for choice in _choices_from_post(request):
            services.strategy_choice_set(strategy=strategy, **choice)
        messages.success(request, _("Saved."))
        return redirect(reverse("strategy:strategy", kwargs={"pk": strategy.pk}) + "#findings")


class StrategyDeleteView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        services.strategy_delete(strategy=get_object_or_404(Strategy, pk=pk))
        messages.success(request, _("The strategy was deleted."))
        return redirect("strategy:strategy_list")


class StrategyExportView(View):
    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        if fmt not in CONTENT_TYPES:
            raise Http404
        strategy = get_object_or_404(Strategy, pk=pk)
        engine = selectors.strategy_as_engine(strategy=strategy)
        assert engine is not None
        lang = request.GET.get("lang") or selectors.current_language()
        content = render_document(
            engine,
            fmt,
            lang=lang if lang in ("ru", "en") else "ru",
            catalogue=selectors.catalogue(),
        )
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        name = slugify(strategy.title, allow_unicode=False) or f"strategy-{strategy.pk}"
        disposition = "inline" if fmt == "html" else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{name}.{fmt}"'
        return response


class TargetCreateView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        strategy = get_object_or_404(Strategy, pk=pk)
        form = TargetForm(request.POST)
        if form.is_valid():
            try:
                services.target_create(strategy=strategy, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
            else:
                messages.success(request, _("The target was added."))
        else:
            messages.error(request, _("The target was not added: check the fields."))
        return redirect(reverse("strategy:strategy", kwargs={"pk": pk}) + "#targets")


class TargetDeleteView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = get_object_or_404(Target, pk=pk)
        strategy_pk = target.strategy_id
        services.target_delete(target=target)
        return redirect(reverse("strategy:strategy", kwargs={"pk": strategy_pk}) + "#targets")


class CatalogueView(View):
    def _dimensions(self, lang: str) -> list[tuple[str, str]]:
        return [(d.key, text(d.name, lang)) for d in selectors.catalogue().dimensions]

    def get(self, request: HttpRequest, form: TacticForm | None = None) -> HttpResponse:
        lang = selectors.current_language()
        catalogue = selectors.catalogue()
        context = {
            "dimensions": [
                {
                    "key": d.key,
                    "section": d.section,
                    "name": text(d.name, lang),
                    "description": text(d.description, lang),
                    "roles": d.roles,
                    "reconstructed": d.reconstructed,
                    "tactics": [
                        {
                            "key": t.key,
                            "number": t.number,
                            "name": text(t.name, lang),
                            "description": text(t.description, lang),
                            "when_to_use": text(t.when_to_use, lang),
                            "roles": t.roles,
                            "origin": t.origin,
                        }
                        for t in d.tactics
                    ],
                }
                for d in catalogue.dimensions
            ],
            "form": form or TacticForm(dimensions=self._dimensions(lang)),
            "roles": ROLES,
        }
        return render(request, "strategy/catalogue.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TacticForm(request.POST, dimensions=self._dimensions(selectors.current_language()))
        if form.is_valid():
            try:
                services.tactic_create(**form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The tactic was added."))
                return redirect("strategy:catalogue")
        return self.get(request, form)


WATERFALL_LABELS = {
    "list_total": gettext_lazy("List price"),
    "customer_discount": gettext_lazy("Customer discount"),
    "customer_price": gettext_lazy("Customer pays"),
    "partner_margin": gettext_lazy("Partner margin"),
    "distributor_margin": gettext_lazy("Distributor margin"),
    "vendor_revenue": gettext_lazy("Vendor receives"),
}
PARTY_LABELS = {
    "vendor": gettext_lazy("Vendor"),
    "distributor": gettext_lazy("Distributor"),
    "partner": gettext_lazy("Partner"),
    "customer": gettext_lazy("Customer"),
}


LINE_PREFIX = "lines"


def _with_lines(data: Any) -> Any:
    """The calculator's input with a line formset; an old single-line query
    (``list_price``, ``quantity``) becomes its one line, so saved links keep working."""
    if f"{LINE_PREFIX}-TOTAL_FORMS" in data or "list_price" not in data:
        return data
    data = data.copy()
    data.update(
        {
            f"{LINE_PREFIX}-TOTAL_FORMS": "1",
            f"{LINE_PREFIX}-INITIAL_FORMS": "0",
            f"{LINE_PREFIX}-0-list_price": data.get("list_price", ""),
            f"{LINE_PREFIX}-0-quantity": data.get("quantity") or "1",
        }
    )
    return data


DEAL_COLUMNS = [
    "line",
    "name",
    "quantity",
    "list_price",
    "list_total",
    "distributor_price",
    "distributor_total",
    "partner_price",
    "partner_total",
    "customer_price",
    "customer_total",
    "distributor_margin",
    "partner_margin",
    "partner_margin_pct",
]


def deal_table(result: ChainResult) -> list[dict[str, Any]]:
    """One row per deal line and a last row (``line`` = "total") for the deal; amounts in
    roubles as Decimal. The page and the CSV/XLSX download show the same rows."""
    rows = [
        {key: value for key, value in line.to_dict().items()} | {"line": number}
        for number, line in enumerate(result.lines, start=1)
    ]
    distributor = result.party("distributor")
    partner = result.party("partner")
    assert partner is not None
    rows.append(
        {
            "line": "total",
            "name": "",
            "quantity": sum(line.quantity for line in result.lines),
            "list_price": None,
            "list_total": result.list_total,
            "distributor_price": None,
            "distributor_total": distributor.buys_at if distributor else None,
            "partner_price": None,
            "partner_total": partner.buys_at,
            "customer_price": None,
            "customer_total": result.customer_price,
            "distributor_margin": distributor.margin if distributor else None,
            "partner_margin": partner.margin,
            "partner_margin_pct": partner.margin_pct,
        }
    )
    return rows


def deal_download(fmt: str, title: str, result: ChainResult) -> HttpResponse:
    def cell(value: Any) -> Any:
        # XLSX cells take numbers (kopeck amounts are exact in a double); CSV keeps the digits.
        return float(value) if fmt == "xlsx" and isinstance(value, Decimal) else value

    rows = ([cell(row[key]) for key in DEAL_COLUMNS] for row in deal_table(result))
    name = f"deal-{slugify(title, allow_unicode=False) or result.tactic}"
    return rows_download(fmt, name, DEAL_COLUMNS, rows, "deal")


class PricingView(View):
    """The margin calculator: deal lines (added and removed on the page), a tactic, the chain
    per line and for the deal, a waterfall chart, and the table as CSV/XLSX (``export``)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        data = _with_lines(request.GET) if request.GET else None
        return self._respond(request, data, save=False)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self._respond(request, _with_lines(request.POST), save=True)

    def _respond(self, request: HttpRequest, data: Any, *, save: bool) -> HttpResponse:
        form = PricingForm(data)
        lines = DealLineFormSet(data, prefix=LINE_PREFIX)
        context: dict[str, Any] = {"form": form, "lines": lines, "stages": STAGES}
        export = (data or {}).get("export")
        if data is not None and form.is_valid() and lines.is_valid():
            result = self._compute(form, lines)
            if result is not None:
                if export in EXPORT_TYPES:
                    return deal_download(export, form.cleaned_data.get("title") or "", result)
                if save and form.cleaned_data.get("save"):
                    services.deal_calculation_save(
                        result=result,
                        inputs={
                            k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"
                        },
                        title=form.cleaned_data.get("title") or "",
                    )
                    messages.success(request, _("The calculation was saved."))
                context.update(self._present(result))
        return render(request, "strategy/pricing.html", context)

    def _compute(self, form: PricingForm, lines: Any) -> ChainResult | None:
        data = form.cleaned_data
        override = None
        if data["tactic"] == "flexible" and data.get("override_partner_discount") is not None:
            override = Override(
                data["override_partner_discount"], approved_by=data.get("approved_by") or None
            )
        deal = Deal(
            lines=tuple(
                DealLine(line["list_price"], line["quantity"], line.get("name") or "")
                for line in lines.cleaned_data
                if line and not line.get("DELETE")
            ),
            partner_status=data.get("status") or None,
            stages={s: data[f"stage_{s}_by"] for s in STAGES}
            if data["tactic"] == "floating_by_participation"
            else {},
            customer_discount_pct=data.get("customer_discount") or 0,  # type: ignore[arg-type]
            override=override,
            partner_floor_pct=data["floor"] if data.get("floor") is not None else 20,  # type: ignore[arg-type]
        )
        try:
            return price_deal(deal, tactic_from_dict(form.tactic_data()))
        except PricingError as exc:
            form.add_error(None, str(exc))
            return None

    def _present(self, result: ChainResult) -> dict[str, Any]:
        lang = selectors.current_language()
        labels = {k: str(v) for k, v in WATERFALL_LABELS.items()}
        return {
            "result": result,
            "parties": [{"label": PARTY_LABELS[p.role], **p.to_dict()} for p in result.parties],
            "deal_rows": deal_table(result),
            "has_distributor": result.party("distributor") is not None,
            "warnings": [text(w.message, lang) for w in result.warnings],
            "chart": waterfall_spec(result.waterfall(), labels),
        }


class LicensingView(View):
    """Perpetual vs subscription: yearly CAPEX/OPEX and each party's money over a horizon."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = LicensingForm(request.GET or None)
        context: dict[str, Any] = {"form": form}
        if request.GET and form.is_valid():
            context.update(self._compare(form))
        return render(request, "strategy/licensing.html", context)

    def _compare(self, form: LicensingForm) -> dict[str, Any]:
        data = form.cleaned_data
        try:
            comparison = compare(
                PerpetualTerms(
                    data["licence_price"],
                    support_pct=data["support_pct"],
                    first_year_support_included=data["first_year_support_included"],
                    support_indexation_pct=data.get("support_indexation_pct") or Decimal(0),
                ),
                SubscriptionTerms(
                    data["subscription_price"], data.get("indexation_pct") or Decimal(0)
                ),
                horizon_years=data["horizon_years"],
                discounts=Discounts(
                    data["partner_discount"],
                    data.get("distributor_discount"),
                    data.get("customer_discount") or Decimal(0),
                ),
                discount_rate_pct=data.get("discount_rate_pct"),
            )
        except PricingError as exc:
            form.add_error(None, str(exc))
            return {}
        result = comparison.to_dict()
        labels = {
            "perpetual": str(gettext_lazy("Perpetual licence")),
            "subscription": str(gettext_lazy("Subscription")),
            "year": str(gettext_lazy("Year")),
        }
        pairs = zip(result["perpetual"]["years"], result["subscription"]["years"], strict=True)
        return {
            "comparison": result,
            "years": list(pairs),
            "chart": cumulative_cost_spec(result, labels),
        }


class ExampleExportView(View):
    """An example strategy as a document, without copying it first."""

    def get(self, request: HttpRequest, key: str, fmt: str) -> HttpResponse:
        if key not in examples() or fmt not in CONTENT_TYPES:
            raise Http404
        lang = request.GET.get("lang") or selectors.current_language()
        content = render_document(examples()[key], fmt, lang=lang if lang in ("ru", "en") else "ru")
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        disposition = "inline" if fmt == "html" else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{key}.{fmt}"'
        return response
