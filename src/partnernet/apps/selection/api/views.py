"""REST API of selection: one endpoint per approach, the funnel, quotas, target customers and
shortlists. GET runs an approach with query parameters (lists repeat: ``?quotas=a&quotas=b``);
POST takes the same parameters as JSON. ``save=NAME`` stores the result as a shortlist."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.db.models import Count
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partnernet.engines.sources import SourceFileError

from .. import selectors, services
from ..models import (
    FunnelStageDefinition,
    Partnership,
    Quota,
    Shortlist,
    StageHistory,
    SupplyRelation,
    TargetCustomer,
)
from .serializers import (
    CustomerImportSerializer,
    FunnelStageSerializer,
    PartnershipSerializer,
    QuotaSerializer,
    SelectionParametersSerializer,
    ShortlistCreateSerializer,
    ShortlistDetailSerializer,
    ShortlistSerializer,
    StageHistorySerializer,
    StageMovesSerializer,
    SupplyRelationSerializer,
    TargetCustomerSerializer,
)

LIST_PARAMS = ("quotas", "niches", "sectors", "kinds")


def _parameters(request: Request) -> dict[str, Any]:
    if request.method == "GET":
        raw: dict[str, Any] = {}
        for key in request.query_params:
            values = request.query_params.getlist(key)
            raw[key] = values if key in LIST_PARAMS else values[-1]
    else:
        raw = dict(request.data)
    serializer = SelectionParametersSerializer(data=raw)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ApproachView(APIView):
    approach = ""

    @extend_schema(
        parameters=[SelectionParametersSerializer],
        responses={200: dict},
        description="Run the approach; save=NAME also stores the result as a shortlist.",
    )
    def get(self, request: Request) -> Response:
        return self.run(request)

    @extend_schema(request=SelectionParametersSerializer, responses={200: dict})
    def post(self, request: Request) -> Response:
        return self.run(request)

    def run(self, request: Request) -> Response:
        parameters = _parameters(request)
        save = parameters.pop("save", "")
        try:
            result = selectors.selection_run(approach=self.approach, parameters=parameters)
            if save:
                shortlist = services.shortlist_save(
                    name=save,
                    approach=self.approach,
                    parameters=result["parameters"],
                    entries=result["entries"],
                    user=request.user,
                )
                result["shortlist"] = {"id": shortlist.pk, "name": shortlist.name}
        except selectors.SelectionError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(result)


class RegionalView(ApproachView):
    """Gap report per territory for each quota (``quotas=city:1000000:5``)."""

    approach = "regional"


class SpecialisationView(ApproachView):
    """A short list in one niche (``niches``) or vertical (``sectors``)."""

    approach = "specialisation"


class CustomersView(ApproachView):
    """Partners ranked by the size-weighted target customers they serve; coverage per customer."""

    approach = "customers"


class PhasedView(ApproachView):
    """The funnel board; ``evaluate=true`` adds the moves the stage rules propose."""

    approach = "phased"


class StageMovesApplyView(APIView):
    @extend_schema(request=StageMovesSerializer, responses={200: dict})
    def post(self, request: Request) -> Response:
        serializer = StageMovesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            moved = services.stage_moves_apply(
                moves=[(m["company_id"], m["stage"]) for m in serializer.validated_data["moves"]],
                user=request.user,
            )
        except (selectors.SelectionError, Partnership.DoesNotExist) as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"applied": moved})


class CustomerImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=CustomerImportSerializer, responses={200: dict})
    def post(self, request: Request) -> Response:
        serializer = CustomerImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report: dict[str, Any] = {}
        with tempfile.TemporaryDirectory() as tmp:
            try:
                for field, importer in (
                    ("targets", services.target_customers_import),
                    ("suppliers", services.supply_relations_import),
                ):
                    upload = data.get(field)
                    if upload is None:
                        continue
                    path = Path(tmp) / Path(upload.name).name
                    with path.open("wb") as handle:
                        shutil.copyfileobj(upload, handle)
                    kwargs: dict[str, Any] = {"path": path}
                    if field == "suppliers":
                        kwargs["source"] = data.get("source", "")
                    report[field] = importer(**kwargs).as_dict()
            except SourceFileError as exc:
                return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(report)


class ShortlistViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Saved selections; POST re-runs an approach with parameters and stores the result."""

    def get_queryset(self) -> Any:
        queryset = Shortlist.objects.annotate(size=Count("entries")).order_by("-created_at", "-id")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("entries__company")
        return queryset

    def get_serializer_class(self) -> Any:
        return ShortlistDetailSerializer if self.action == "retrieve" else ShortlistSerializer

    @extend_schema(request=ShortlistCreateSerializer, responses={201: ShortlistDetailSerializer})
    def create(self, request: Request) -> Response:
        serializer = ShortlistCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            params = SelectionParametersSerializer(data=data["parameters"])
            params.is_valid(raise_exception=True)
            result = selectors.selection_run(
                approach=data["approach"], parameters=dict(params.validated_data)
            )
            shortlist = services.shortlist_save(
                name=data["name"],
                approach=data["approach"],
                parameters=result["parameters"],
                entries=result["entries"],
                user=request.user,
            )
        except selectors.SelectionError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        shortlist = self.get_queryset().prefetch_related("entries__company").get(pk=shortlist.pk)
        return Response(ShortlistDetailSerializer(shortlist).data, status=status.HTTP_201_CREATED)


class FunnelStageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Funnel stages; PATCH ``rules`` (one METRIC OP NUMBER per line) to change them."""

    queryset = FunnelStageDefinition.objects.order_by("order", "key")
    serializer_class = FunnelStageSerializer
    pagination_class = None

    def perform_update(self, serializer: Any) -> None:
        data = serializer.validated_data
        try:
            services.funnel_stage_update(
                stage=serializer.instance,
                rules=data.get("rules", serializer.instance.rules),
                name=data.get("name"),
                name_en=data.get("name_en"),
                counts_as_recruited=data.get("counts_as_recruited"),
            )
        except selectors.SelectionError as exc:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"rules": [str(exc)]}) from exc


class PartnershipViewSet(viewsets.ModelViewSet):
    """Our partnerships; a stage change is recorded in the company's stage history."""

    serializer_class = PartnershipSerializer

    def get_queryset(self) -> Any:
        return Partnership.objects.select_related("company", "stage").order_by("company_id")

    def _save(self, serializer: Any) -> None:
        data = serializer.validated_data
        company = data.get("company") or serializer.instance.company
        stage = data.get("stage")
        serializer.instance = services.partnership_set(
            company=company,
            stage=stage.key if stage else None,
            kinds=data.get("kinds"),
            joined_on=data.get("joined_on"),
            facts={k: data[k] for k in services.FACTS if k in data},
            notes=data.get("notes"),
            user=self.request.user,
        )

    perform_create = _save
    perform_update = _save

    @extend_schema(
        parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH)],
        responses={200: StageHistorySerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        partnership = self.get_object()
        rows = StageHistory.objects.filter(company_id=partnership.company_id).select_related(
            "from_stage", "to_stage"
        )
        return Response(StageHistorySerializer(rows.order_by("moved_on", "id"), many=True).data)


class QuotaViewSet(viewsets.ModelViewSet):
    serializer_class = QuotaSerializer
    queryset = Quota.objects.order_by("id")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        try:
            serializer.instance = services.quota_create(
                spec=data["spec"], label=data.get("label", ""), criteria=data.get("criteria")
            )
        except selectors.SelectionError as exc:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"spec": [str(exc)]}) from exc


class TargetCustomerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TargetCustomerSerializer
    queryset = TargetCustomer.objects.order_by("name", "id")


class SupplyRelationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SupplyRelationSerializer
    queryset = SupplyRelation.objects.order_by("customer_id", "id")
