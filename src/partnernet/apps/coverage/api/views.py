"""``GET /api/coverage/``: the coverage report in the shape of ``partnernet coverage --json``."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partnernet.apps.register.coverage_selectors import coverage_sources
from partnernet.apps.register.models import Source

from ..selectors import BY_FIELDS, coverage_overview


def _source_names(values: list[str]) -> list[str]:
    """``sources`` may repeat or hold comma-separated names/ids; a name with a comma wins."""
    names: list[str] = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        if "," in value and not Source.objects.filter(name=value).exists():
            names.extend(part.strip() for part in value.split(",") if part.strip())
        else:
            names.append(value)
    return names


class CoverageReportView(APIView):
    """Market coverage: unique companies, frequency counts, estimates, curve and overlap.

    The lists are every vendor and distributor partner-locator source, in import order,
    unless ``sources`` names others. ``by`` adds one analysis per value of a company field.
    Results are cached until the register changes; ``refresh=1`` recomputes them.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "sources",
                str,
                many=True,
                description="source names or ids that count as lists (repeat the parameter "
                "or separate with commas); default: every partner locator",
            ),
            OpenApiParameter("by", str, enum=list(BY_FIELDS), description="breakdown field"),
            OpenApiParameter(
                "min_companies",
                int,
                description="with by: groups with fewer companies get no model fit (default 50)",
            ),
            OpenApiParameter("refresh", bool, description="recompute instead of the cache"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        by = params.get("by") or None
        if by is not None and by not in BY_FIELDS:
            return Response({"detail": f"by must be one of {', '.join(BY_FIELDS)}"}, status=400)
        try:
            min_companies = int(params.get("min_companies", 50))
        except ValueError:
            min_companies = 0
        if min_companies < 2:
            return Response({"detail": "min_companies must be a whole number ≥ 2"}, status=400)
        try:
            sources = coverage_sources(names=_source_names(params.getlist("sources")) or None)
        except ValueError as error:
            return Response({"detail": str(error)}, status=400)
        data = coverage_overview(
            sources=sources,
            by=by,
            min_companies=min_companies,
            refresh=params.get("refresh") in ("1", "true"),
        )
        return Response(data)
