"""REST API of the contacts app (token auth as the rest of the API)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
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
from ..models import (
    EmailAddress,
    Person,
    PersonChange,
    PersonPhone,
    Proposal,
    ProposalStatus,
    Suppression,
    Task,
)
from ..selectors import person_list
from ..services import (
    email_edit,
    email_remove,
    person_change_undo,
    person_create,
    person_duplicates,
    person_edit,
    person_email_add,
    person_erase,
    person_export,
    person_merge,
    person_phone_add,
    person_status_set,
    phone_edit,
    phone_remove,
    proposal_accept,
    proposal_reject,
    suppression_add,
    suppression_is_blocked,
    suppression_remove,
    task_close,
    tasks_open_due,
)
from .serializers import (
    DueTasksSerializer,
    DuplicateSerializer,
    EmailAddressSerializer,
    EmailAddSerializer,
    EmailEditSerializer,
    MergeSerializer,
    PersonChangeSerializer,
    PersonCreateSerializer,
    PersonDetailSerializer,
    PersonEditSerializer,
    PersonPhoneSerializer,
    PersonSerializer,
    PersonStatusSerializer,
    PhoneAddSerializer,
    PhoneEditSerializer,
    ProposalDecisionSerializer,
    ProposalSerializer,
    SuppressionCheckSerializer,
    SuppressionSerializer,
    TaskCloseSerializer,
    TaskSerializer,
    UndoResultSerializer,
)


def _data(request: Request) -> dict[str, Any]:
    return request.data if isinstance(request.data, dict) else {}


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class _ServiceErrors:
    """A service's translated ``ValidationError`` becomes a 400 with the same field keys."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoValidationError):
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            exc = serializers.ValidationError(detail)
        return super().handle_exception(exc)  # type: ignore[misc]


def _change(change: PersonChange | None) -> dict[str, Any] | None:
    return PersonChangeSerializer(change).data if change is not None else None


class PersonViewSet(_ServiceErrors, viewsets.ReadOnlyModelViewSet):
    """Contacts, with the same filters as the web list; create, edit, export, erase, merge.

    Every edit answers ``{"person": …, "change": …}``: the change record (``null`` when nothing
    changed) can be undone with ``POST /changes/{id}/undo/``.
    """

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

    @extend_schema(request=PersonEditSerializer, responses={200: dict})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change details: name parts, position, legal basis, notes."""
        values = _valid(PersonEditSerializer, request)
        reason = values.pop("reason")
        change = person_edit(
            person=self.get_object(), values=values, user=request.user, reason=reason
        )
        person = Person.objects.get(pk=pk)
        return Response({"person": PersonDetailSerializer(person).data, "change": _change(change)})

    @extend_schema(request=PersonStatusSerializer, responses={200: dict})
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str) -> Response:
        """Employment status: active, on_leave (with ``until``), left (with ``successor``)."""
        values = _valid(PersonStatusSerializer, request)
        successor_id = values.pop("successor")
        successor = get_object_or_404(Person, pk=successor_id) if successor_id else None
        change = person_status_set(
            person=self.get_object(), successor=successor, user=request.user, **values
        )
        person = Person.objects.get(pk=pk)
        return Response({"person": PersonDetailSerializer(person).data, "change": _change(change)})

    @extend_schema(request=EmailAddSerializer, responses={201: dict})
    @action(detail=True, methods=["post"], url_path="emails")
    def add_email(self, request: Request, pk: str) -> Response:
        """Add one address (validated; a suppressed one is stored but never mailed)."""
        values = _valid(EmailAddSerializer, request)
        email, change = person_email_add(person=self.get_object(), user=request.user, **values)
        return Response(
            {"email": EmailAddressSerializer(email).data, "change": _change(change)},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=PhoneAddSerializer, responses={201: dict})
    @action(detail=True, methods=["post"], url_path="phones")
    def add_phone(self, request: Request, pk: str) -> Response:
        """Add one phone, normalised to E.164; ``kind`` from the number when not given."""
        values = _valid(PhoneAddSerializer, request)
        phone, change = person_phone_add(person=self.get_object(), user=request.user, **values)
        return Response(
            {"phone": PersonPhoneSerializer(phone).data, "change": _change(change)},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses=DuplicateSerializer(many=True))
    @action(detail=True, methods=["get"])
    def duplicates(self, request: Request, pk: str) -> Response:
        """Likely duplicates: same name at the same company, or an address in common."""
        found = person_duplicates(self.get_object())
        return Response(
            [{"person": PersonSerializer(d.person).data, "reasons": d.reasons} for d in found]
        )

    @extend_schema(request=MergeSerializer, responses=PersonChangeSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        """Merge the duplicate ``absorbed`` into this person (this one is kept)."""
        values = _valid(MergeSerializer, request)
        absorbed = get_object_or_404(Person, pk=values["absorbed"])
        change = person_merge(
            survivor=self.get_object(),
            absorbed=absorbed,
            user=request.user,
            reason=values["reason"],
        )
        return Response(PersonChangeSerializer(change).data)

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


class EmailAddressViewSet(_ServiceErrors, viewsets.ReadOnlyModelViewSet):
    """Addresses; PATCH corrects or marks one (``address``, ``status``, ``use_for_mailing``),
    DELETE removes one. Both answer with the undoable change."""

    queryset = EmailAddress.objects.all().order_by("id")
    serializer_class = EmailAddressSerializer
    filterset_class = EmailAddressFilterSet

    @extend_schema(request=EmailEditSerializer, responses={200: dict})
    def partial_update(self, request: Request, pk: str) -> Response:
        values = _valid(EmailEditSerializer, request)
        change = email_edit(email=self.get_object(), user=request.user, **values)
        email = EmailAddress.objects.get(pk=pk)
        return Response({"email": EmailAddressSerializer(email).data, "change": _change(change)})

    @extend_schema(responses={200: PersonChangeSerializer})
    def destroy(self, request: Request, pk: str) -> Response:
        change = email_remove(
            email=self.get_object(), user=request.user, reason=_data(request).get("reason", "")
        )
        return Response(PersonChangeSerializer(change).data)


class PhoneViewSet(_ServiceErrors, viewsets.ReadOnlyModelViewSet):
    """Phones of people; PATCH changes ``number`` or ``kind``, DELETE removes one."""

    queryset = PersonPhone.objects.all().order_by("id")
    serializer_class = PersonPhoneSerializer
    filterset_fields = ["person", "kind", "number"]

    @extend_schema(request=PhoneEditSerializer, responses={200: dict})
    def partial_update(self, request: Request, pk: str) -> Response:
        values = _valid(PhoneEditSerializer, request)
        change = phone_edit(phone=self.get_object(), user=request.user, **values)
        phone = PersonPhone.objects.get(pk=pk)
        return Response({"phone": PersonPhoneSerializer(phone).data, "change": _change(change)})

    @extend_schema(responses={200: PersonChangeSerializer})
    def destroy(self, request: Request, pk: str) -> Response:
        change = phone_remove(
            phone=self.get_object(), user=request.user, reason=_data(request).get("reason", "")
        )
        return Response(PersonChangeSerializer(change).data)


class PersonChangeViewSet(_ServiceErrors, viewsets.ReadOnlyModelViewSet):
    """Changes made by hand and merges (filter ``person``); ``{id}/undo/`` gives back what
    nobody changed since and lists the rest as ``kept``."""

    queryset = PersonChange.objects.all().order_by("-created_at", "-id")
    serializer_class = PersonChangeSerializer
    filterset_fields = ["person", "kind"]

    @extend_schema(request=None, responses=UndoResultSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: str) -> Response:
        result = person_change_undo(
            change=self.get_object(), user=request.user, reason=_data(request).get("reason", "")
        )
        return Response({"undone": result.undone, "kept": result.kept})


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

    @extend_schema(request=DueTasksSerializer, responses={200: dict})
    @action(detail=False, methods=["post"], url_path="create-due")
    def create_due(self, request: Request) -> Response:
        """Open re-verify tasks (contacts not confirmed for ``months``) and verify-guess tasks
        (guesses unsettled for ``days``); close settled guess tasks."""
        values = _valid(DueTasksSerializer, request)
        return Response(tasks_open_due(user=request.user, **values))

    @extend_schema(request=TaskCloseSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        data = TaskCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = task_close(task=self.get_object(), user=request.user, **data.validated_data)
        return Response(TaskSerializer(task).data)
