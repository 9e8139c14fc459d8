from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from partnernet.engines.sources import MappingError, SourceFileError

from ..filtersets import (
    AuthorisationFilterSet,
    CompanyFilterSet,
    SourceFilterSet,
    SourceRowFilterSet,
    VendorFilterSet,
)
from ..models import Authorisation, Source, SourceRow, Vendor
from ..selectors import company_list
from ..services import source_import, vendor_get_or_create
from .serializers import (
    AuthorisationSerializer,
    CompanyDetailSerializer,
    CompanySerializer,
    SourceImportSerializer,
    SourceRowSerializer,
    SourceSerializer,
    VendorSerializer,
)


class CompanyViewSet(viewsets.ReadOnlyModelViewSet):
    """Companies of the register, with the same filters as the web list."""

    serializer_class = CompanySerializer
    filterset_class = CompanyFilterSet
    ordering_fields = [
        "display_name",
        "inn",
        "city_name",
        "region",
        "source_count",
        "last_confirmed",
        "id",
    ]
    ordering = ["display_name", "id"]

    def get_queryset(self) -> Any:
        queryset = company_list()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "names__source",
                "identifier_set__source",
                "locations",
                "domains",
                "phones",
                "specialisations__specialisation",
                "sectors__sector",
            )
        return queryset

    def get_serializer_class(self) -> Any:
        return CompanyDetailSerializer if self.action == "retrieve" else CompanySerializer


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Imported sources with their counts; POST ``/sources/import/`` imports a file."""

    queryset = Source.objects.select_related("vendor").order_by("name")
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    ordering_fields = ["name", "imported_at", "row_count", "error_count"]

    @extend_schema(request=SourceImportSerializer, responses={201: SourceSerializer})
    @action(
        detail=False,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        url_path="import",
    )
    def import_file(self, request: Request) -> Response:
        serializer = SourceImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data["file"]
        folder = Path(tempfile.mkdtemp(prefix="partnernet-import-"))
        try:
            path = folder / Path(upload.name).name
            with open(path, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            report = source_import(
                path=path,
                source_name=data["source"],
                vendor=data.get("vendor") or None,
                kind=data.get("kind") or None,
                mapping=data.get("mapping") or None,
                user=request.user,
                file_name=upload.name,
            )
        except (SourceFileError, MappingError, ValueError) as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        source = Source.objects.get(pk=report.source_id)
        body = SourceSerializer(source, context={"request": request}).data
        body["report"] = report.as_dict()
        return Response(body, status=status.HTTP_200_OK if report.unchanged else 201)


class SourceRowViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = SourceRow.objects.select_related("source").order_by("source__name", "row_number")
    serializer_class = SourceRowSerializer
    filterset_class = SourceRowFilterSet
    ordering_fields = ["row_number", "id"]


class AuthorisationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Authorisation.objects.select_related("vendor", "source").order_by("id")
    serializer_class = AuthorisationSerializer
    filterset_class = AuthorisationFilterSet
    ordering_fields = ["level_rank", "first_seen", "last_seen", "id"]


class VendorViewSet(
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    queryset = Vendor.objects.order_by("name")
    serializer_class = VendorSerializer
    filterset_class = VendorFilterSet
    ordering_fields = ["name", "id"]

    def perform_create(self, serializer: Any) -> None:
        vendor = vendor_get_or_create(name=serializer.validated_data["name"])
        serializer.instance = vendor
