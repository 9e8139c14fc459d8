"""REST API of the contacts app (token auth as the rest of the API)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from partnernet.apps.register.models import Company

from ..filtersets import (
    EmailAddressFilterSet,
    PersonFilterSet,
    ProposalFilterSet,
    SuppressionFilterSet,
    TaskFilterSet,
)
from ..models import EmailAddress, Proposal, ProposalStatus, Suppression, Task
from ..selectors import person_list
from ..services import (
    person_create,
    person_erase,
    person_export,
    proposal_accept,
    proposal_reject,
    suppression_add,
    suppression_is_blocked,
    suppression_remove,
    task_close,
)
from .serializers import (
    EmailAddressSerializer,
    PersonCreateSerializer,
    PersonDetailSerializer,
    PersonSerializer,
    ProposalDecisionSerializer,
    ProposalSerializer,
    SuppressionCheckSerializer,
    SuppressionSerializer,
    TaskCloseSerializer,
    TaskSerializer,
)


def _data(request: Request) -> dict[str, Any]:
    return request.data if isinstance(request.data, dict) else {}


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """Contacts, with the same filters as the web list; create, export and erase."""

    filterset_class = PersonFilterSet

    def get_queryset(self) -> Any:
        return person_list()

    def get_serializer_class(self) -> Any:
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer

    @extend_schema(request=PersonCreateSerializer, responses=PersonDetailSerializer)
    def create(self, request: Request) -> Response:
        data = PersonCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        company_id = values.pop("company", None)
        company = get_object_or_404(Company, pk=company_id) if company_id else None
        person = person_create(company=company, user=request.user, **values)
        return Response(PersonDetailSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str) -> Response:
        """Everything stored about this person (a subject access request)."""
        return Response(person_export(self.get_object()))

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def erase(self, request: Request, pk: str) -> Response:
        """Erase the person's data; their addresses stay suppressed as hashes."""
        result = person_erase(
            person=self.get_object(), user=request.user, reason=_data(request).get("reason", "")
        )
        return Response(result)


class EmailAddressViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = EmailAddress.objects.all().order_by("id")
    serializer_class = EmailAddressSerializer
    filterset_class = EmailAddressFilterSet


class SuppressionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The suppression list. ``check`` tells whether a mailing may reach an address."""

    queryset = Suppression.objects.all()
    serializer_class = SuppressionSerializer
    filterset_class = SuppressionFilterSet

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = SuppressionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry, created = suppression_add(
            value=data.validated_data["value"],
            reason=data.validated_data["reason"],
            source=data.validated_data.get("source", ""),
            user=request.user,
        )
        return Response(
            SuppressionSerializer(entry).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            suppression_remove(entry=self.get_object(), user=request.user)
        except ValueError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=SuppressionCheckSerializer, responses=SuppressionCheckSerializer)
    @action(detail=False, methods=["post"])
    def check(self, request: Request) -> Response:
        data = SuppressionCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = data.validated_data["address"]
        return Response({"address": address, "blocked": suppression_is_blocked(address)})


class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """The review queue; accept or reject one (``/{id}/accept/``) or many (``/accept/``)."""

    queryset = Proposal.objects.all().order_by("created_at", "id")
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet

    @extend_schema(request=None, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], url_path="accept")
    def accept_one(self, request: Request, pk: str) -> Response:
        proposal = self.get_object()
        if proposal.status != ProposalStatus.PENDING:
            return Response({"detail": "already decided"}, status=status.HTTP_409_CONFLICT)
        proposal_accept(proposal=proposal, user=request.user, edits=_data(request).get("edits"))
        proposal.refresh_from_db()
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(request=None, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], url_path="reject")
    def reject_one(self, request: Request, pk: str) -> Response:
        proposal = self.get_object()
        proposal_reject(proposal=proposal, user=request.user)
        proposal.refresh_from_db()
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(request=ProposalDecisionSerializer, responses={200: dict})
    @action(detail=False, methods=["post"], url_path="accept", url_name="accept-many")
    def accept_many(self, request: Request) -> Response:
        data = ProposalDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        accepted = 0
        for proposal in Proposal.objects.filter(
            pk__in=data.validated_data["ids"], status=ProposalStatus.PENDING
        ).order_by("created_at", "id"):
            if proposal_accept(proposal=proposal, user=request.user):
                accepted += 1
        return Response({"accepted": accepted})

    @extend_schema(request=ProposalDecisionSerializer, responses={200: dict})
    @action(detail=False, methods=["post"], url_path="reject", url_name="reject-many")
    def reject_many(self, request: Request) -> Response:
        data = ProposalDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rejected = 0
        for proposal in Proposal.objects.filter(
            pk__in=data.validated_data["ids"], status=ProposalStatus.PENDING
        ):
            proposal_reject(proposal=proposal, user=request.user)
            rejected += 1
        return Response({"rejected": rejected})


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Task.objects.all().order_by("-created_at", "-id")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet

    @extend_schema(request=TaskCloseSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        data = TaskCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = task_close(task=self.get_object(), user=request.user, **data.validated_data)
        return Response(TaskSerializer(task).data)
