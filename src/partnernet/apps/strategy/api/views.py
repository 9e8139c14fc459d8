from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partnernet.engines.pricing.chain import (
    Deal,
    DealLine,
    Discounts,
    Override,
    PricingError,
    price_deal,
    tactic_from_dict,
)
from partnernet.engines.pricing.licensing import PerpetualTerms, SubscriptionTerms, compare
from partnernet.engines.strategy.examples import examples
from partnernet.engines.strategy.render import FORMATS, render

from .. import selectors, services
from ..filtersets import CertificationFilterSet, PartnerStandingFilterSet
from ..models import Certification, PartnerStanding, ProgramLevel, Strategy, Target
from ..views import CONTENT_TYPES
from .serializers import (
    CertificationSerializer,
    DealRequestSerializer,
    PartnerStandingSerializer,
    ProgramLevelSerializer,
    StrategySerializer,
    TargetSerializer,
)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class StrategyViewSet(viewsets.ModelViewSet):
    """Strategies with their choices; ``findings`` runs the composer's checks."""

    queryset = Strategy.objects.prefetch_related("choices", "targets")
    serializer_class = StrategySerializer

    @action(detail=True, methods=["get"])
    def findings(self, request: Request, pk: str | None = None) -> Response:
        strategy = self.get_object()
        return Response([f.to_dict() for f in selectors.strategy_findings(strategy=strategy)])

    @extend_schema(
        parameters=[
            OpenApiParameter("output", str, enum=list(FORMATS)),
            OpenApiParameter("lang", str, enum=["ru", "en"]),
        ]
    )
    @action(detail=True, methods=["get"], url_path="document")
    def document(self, request: Request, pk: str | None = None) -> HttpResponse:
        strategy = self.get_object()
        # not "format": DRF reserves that parameter for content negotiation
        fmt = request.query_params.get("output", "md")
        if fmt not in FORMATS:
            return Response({"detail": f"output must be one of {', '.join(FORMATS)}"}, status=400)  # type: ignore[return-value]
        engine = selectors.strategy_as_engine(strategy=strategy)
        assert engine is not None
        lang = request.query_params.get("lang", "ru")
        content = render(
            engine,
            fmt,
            lang=lang if lang in ("ru", "en") else "ru",
            catalogue=selectors.catalogue(),
        )
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="strategy-{strategy.pk}.{fmt}"'
        return response

    @action(detail=False, methods=["post"], url_path=r"from-example/(?P<key>[a-z_]+)")
    def from_example(self, request: Request, key: str) -> Response:
        if key not in examples():
            return Response({"detail": "no such example"}, status=404)
        lang = request.data.get("lang", "ru") if hasattr(request.data, "get") else "ru"
        strategy = services.strategy_copy_example(key=key, lang=lang, user=request.user)
        return Response(self.get_serializer(strategy).data, status=status.HTTP_201_CREATED)


class TargetViewSet(viewsets.ModelViewSet):
    queryset = Target.objects.select_related("strategy")
    serializer_class = TargetSerializer
    filterset_fields = ["strategy", "metric"]

    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        item = selectors.target_progress(target=self.get_object())
        return Response(
            {
                "current": item.current,
                "progress_pct": item.progress_pct,
                "direction": item.direction,
                "met": item.met,
                "detail": item.detail,
                "note": item.note,
            }
        )


class CatalogueView(APIView):
    """The tactics catalogue, shipped and user-added."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(selectors.catalogue().to_dict())


class DealView(APIView):
    """The margin chain of one deal under a margin tactic."""

    @extend_schema(request=DealRequestSerializer, responses={200: dict})
    def post(self, request: Request) -> Response:
        serializer = DealRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            lines = tuple(
                DealLine(
                    line["list_price"], int(line.get("quantity", 1)), str(line.get("name", ""))
                )
                for line in data["lines"]
            )
            override = None
            if data.get("override"):
                raw = data["override"]
                override = Override(
                    Decimal(str(raw["partner_pct"])),
                    Decimal(str(raw["distributor_pct"]))
                    if raw.get("distributor_pct") is not None
                    else None,
                    approved_by=raw.get("approved_by"),
                )
            deal = Deal(
                lines=lines,
                partner_status=data.get("partner_status") or None,
                stages=data.get("stages") or {},
                customer_discount_pct=data["customer_discount_pct"],
                override=override,
                partner_floor_pct=data["partner_floor_pct"],
            )
            result = price_deal(deal, tactic_from_dict(data))
        except (PricingError, KeyError, TypeError, ValueError) as exc:
            return Response({"detail": str(exc)}, status=400)
        if data.get("store"):
            services.deal_calculation_save(
                result=result, inputs=_plain(dict(request.data)), title=data.get("title") or ""
            )
        return Response(_plain(result.to_dict()))


class LicensingView(APIView):
    """Perpetual licence vs subscription over a horizon (list prices; chain discounts in %)."""

    @extend_schema(request=dict, responses={200: dict})
    def post(self, request: Request) -> Response:
        data: dict[str, Any] = request.data  # type: ignore[assignment]
        try:
            comparison = compare(
                PerpetualTerms(
                    Decimal(str(data["licence_price"])),
                    support_pct=Decimal(str(data.get("support_pct", 20))),
                    first_year_support_included=bool(data.get("first_year_support_included", True)),
                    support_indexation_pct=Decimal(str(data.get("support_indexation_pct", 0))),
                ),
                SubscriptionTerms(
                    Decimal(str(data["subscription_price"])),
                    Decimal(str(data.get("indexation_pct", 0))),
                ),
                horizon_years=int(data.get("horizon_years", 5)),
                discounts=Discounts(
                    Decimal(str(data.get("partner_pct", 0))),
                    None
                    if data.get("distributor_pct") is None
                    else Decimal(str(data["distributor_pct"])),
                    Decimal(str(data.get("customer_pct", 0))),
                ),
                discount_rate_pct=None
                if data.get("discount_rate_pct") is None
                else Decimal(str(data["discount_rate_pct"])),
            )
        except (PricingError, KeyError, TypeError, ValueError, ArithmeticError) as exc:
            return Response({"detail": str(exc)}, status=400)
        return Response(_plain(comparison.to_dict()))


class ProgramEvaluationView(APIView):
    """Every partner's programme level, gaps and due move."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(
            _plain(selectors.program_report(vendor=request.query_params.get("vendor") or None))
        )


class ProgramLevelViewSet(viewsets.ModelViewSet):
    """Levels of the partner programme (requirements and benefits), by rank.

    Writes go through the same service as the web form: a duplicate key or rank, a discount
    outside 0–100% or a margin parameter that is not a number is a 400 naming the field.
    Deleting a level leaves its partners in the programme without a level.
    """

    serializer_class = ProgramLevelSerializer
    ordering_fields = ["rank", "key", "name"]
    ordering = ["rank"]

    def get_queryset(self) -> QuerySet[ProgramLevel]:
        return ProgramLevel.objects.annotate(partner_count=Count("partners")).order_by("rank")

    def perform_destroy(self, instance: ProgramLevel) -> None:
        services.program_level_delete(level=instance)


class CertificationViewSet(viewsets.ModelViewSet):
    """Certifications of partners' people; filters as on the web list (``q``, ``company`` as
    INN or id, ``vendor`` id, ``provider``, ``role``, ``validity``=valid|expiring|expired).
    The CSV/XLSX export stays on the web page."""

    serializer_class = CertificationSerializer
    filterset_class = CertificationFilterSet
    ordering_fields = ["issued", "expires", "person", "id"]

    def get_queryset(self) -> QuerySet[Certification]:
        return selectors.certification_list()

    def perform_destroy(self, instance: Certification) -> None:
        services.certification_delete(certification=instance)


class PartnerStandingViewSet(viewsets.ModelViewSet):
    """Partners in the programme: level and facts (yearly sales, marketing activities).

    ``company`` is written as the register id or INN; posting a company already in the
    programme updates its standing; deleting takes the partner out of the programme (its
    certifications stay). ``GET program/evaluation/`` judges every partner here.
    """

    serializer_class = PartnerStandingSerializer
    ordering_fields = ["company__display_name", "yearly_sales", "updated"]
    filterset_class = PartnerStandingFilterSet

    def get_queryset(self) -> QuerySet[PartnerStanding]:
        return PartnerStanding.objects.select_related("company", "level").order_by(
            "company__display_name"
        )

    def perform_destroy(self, instance: PartnerStanding) -> None:
        services.partner_standing_remove(company=instance.company)
