"""REST endpoints for merges: merge a company into another, undo a merge."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Company
from .models_resolution import CompanyMerge
from .resolution_services import company_merge, company_unmerge


class CompanyMergeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompanyMerge
        fields = ["id", "target", "absorbed", "moved", "reason", "created_at", "undone_at"]


class MergeRequestSerializer(serializers.Serializer):
    other = serializers.IntegerField(help_text="id of the company merged into this one")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CompanyMergeAPIView(APIView):
    @extend_schema(request=MergeRequestSerializer, responses=CompanyMergeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        target = get_object_or_404(Company, pk=pk)
        data = MergeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        other = get_object_or_404(Company, pk=data.validated_data["other"])
        try:
            merge = company_merge(
                target=target,
                absorbed=other,
                user=request.user,
                reason=data.validated_data["reason"],
            )
        except ValueError as error:
            return Response(
                {"detail": str(error), "code": getattr(error, "code", "invalid")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(CompanyMergeSerializer(merge).data, status=status.HTTP_201_CREATED)


class CompanyUnmergeAPIView(APIView):
    @extend_schema(request=ReasonSerializer, responses=CompanyMergeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        merge = get_object_or_404(CompanyMerge, pk=pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            company_unmerge(merge=merge, user=request.user, reason=data.validated_data["reason"])
        except ValueError as error:
            return Response(
                {"detail": str(error), "code": getattr(error, "code", "invalid")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        merge.refresh_from_db()
        return Response(CompanyMergeSerializer(merge).data)


def api_urlpatterns() -> list[Any]:
    from django.urls import path

    return [
        path("companies/<int:pk>/merge/", CompanyMergeAPIView.as_view(), name="company-merge"),
        path("merges/<int:pk>/unmerge/", CompanyUnmergeAPIView.as_view(), name="merge-unmerge"),
    ]
