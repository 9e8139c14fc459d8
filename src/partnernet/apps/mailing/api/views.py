from __future__ import annotations

from typing import Any

from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ..filtersets import CampaignFilterSet, DeliveryFilterSet, FeedbackMessageFilterSet
from ..models import Campaign, Delivery, FeedbackMessage
from ..selectors import audience_count, campaign_stats
from ..services import campaign_create, campaign_update
from .serializers import CampaignSerializer, DeliverySerializer, FeedbackMessageSerializer


class CampaignViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = campaign_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = campaign_update(
            campaign=serializer.instance, **serializer.validated_data
        )

    @action(detail=True, methods=["get"])
    def stats(self, request: Request, pk: str | None = None) -> Response:
        campaign = self.get_object()
        return Response(
            {"deliveries": campaign_stats(campaign), "audience": audience_count(campaign.audience)}
        )

    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        from ..tasks import campaign_send_task

        result = campaign_send_task.enqueue(self.get_object().pk)
        return Response({"task": str(result.id), "status": str(result.status)}, status=202)


class DeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Delivery.objects.all().order_by("id")
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilterSet


class FeedbackMessageViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = FeedbackMessage.objects.defer("raw").order_by("-received_at", "-id")
    serializer_class = FeedbackMessageSerializer
    filterset_class = FeedbackMessageFilterSet
