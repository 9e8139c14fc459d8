"""Web views of the contacts app: people, the proposals queue, tasks, suppression, freshness."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from partnernet.apps.register.exports import EXPORT_TYPES, table_download
from partnernet.apps.register.models import Company
from partnernet.engines.legalstatus import RegisterError
from partnernet.engines.sources import SourceFileError

from .changes import UndoResult
from .filtersets import PersonFilterSet, SuppressionFilterSet, TaskFilterSet
from .forms import (
    ContactsImportForm,
    DueTasksForm,
    EmailAddForm,
    EmailEditForm,
    MergeForm,
    PersonEditForm,
    PersonForm,
    PersonStatusForm,
    PhoneForm,
    SuppressionForm,
)
from .guesses import company_address_patterns, person_guess_addresses
from .imports import contacts_import
from .legal import company_legal_status, legal_status_check, legal_status_provider
from .models import (
    EmailAddress,
    EmailStatus,
    Person,
    PersonChange,
    PersonChangeKind,
    PersonPhone,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Suppression,
    Task,
    TaskStatus,
)
from .selectors import (
    company_mailable_count,
    company_people,
    decay_chart_spec,
    freshness_report,
    person_changes,
    person_detail,
    person_history,
    person_list,
    person_merge_record,
    proposal_queue,
    suppression_list,
    task_list,
)
from .services import (
    email_edit,
    email_remove,
    guess_accept,
    guess_discard,
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
    suppression_remove,
    task_close,
    tasks_open_due,
)
from .tables import PersonTable, SuppressionTable, TaskTable
from .upkeep import reverify_months, verify_guess_days


class PersonListView(SingleTableMixin, FilterView):
    """Contacts with filters; CSV/XLSX of exactly what is shown (all pages)."""

    model = Person
    table_class = PersonTable
    filterset_class = PersonFilterSet
    template_name = "contacts/person_list.html"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return person_list()

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        fmt = self.request.GET.get("_export")
        if fmt in EXPORT_TYPES:
            table = self.get_table_class()(self.object_list)
            return table_download(self.request, table, fmt, "contacts")
        return super().render_to_response(context, **kwargs)


def _person_page(request: HttpRequest, pk: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    """The person page; a form that failed validation replaces its blank twin (status 400)."""
    try:
        person = person_detail(pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    context: dict[str, Any] = {
        "person": person,
        "emails": person.emails.all(),
        "phones": person.phones.all(),
        "history": person_history(person),
        "proposals": person.proposals.filter(status=ProposalStatus.PENDING),
        "tasks": person.tasks.filter(status=TaskStatus.OPEN),
        "changes": person_changes(person),
        "edit_form": PersonEditForm(instance=person),
        "status_form": PersonStatusForm(person=person),
        "email_form": EmailAddForm(),
        "phone_form": PhoneForm(),
        "merge_record": person_merge_record(person) if person.merged_into_id else None,
        "duplicates": [] if person.merged_into_id else person_duplicates(person),
    }
    context.update(forms)
    context["open_form"] = next(iter(forms), "")
    return render(request, "contacts/person_detail.html", context, status=status)


def _undo_message(request: HttpRequest, result: UndoResult) -> None:
    if result.kept:
        messages.warning(
            request,
            _("Undone, except what changed since: %(kept)s") % {"kept": "; ".join(result.kept[:5])},
        )
    else:
        messages.success(request, _("Undone."))


class PersonDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _person_page(request, pk)


class PersonCreateView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"company": request.GET.get("company")}
        return render(request, "contacts/person_form.html", {"form": PersonForm(initial=initial)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PersonForm(request.POST)
        if not form.is_valid():
            return render(request, "contacts/person_form.html", {"form": form}, status=400)
        data = form.cleaned_data
        person = person_create(
            full_name=data["full_name"],
            company=data["company"],
            position=data["position"],
            legal_basis=data["legal_basis"],
            source=data["source"] or _("entered by hand"),
            notes=data["notes"],
            emails=[e for e in data["emails"].replace(";", ",").split(",") if e.strip()],
            phones=[p for p in data["phones"].replace(";", ",").split(",") if p.strip()],
            user=request.user,
        )
        messages.success(request, _("Contact %(name)s added.") % {"name": person})
        return redirect(person)


class PersonEditView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_object_or_404(Person, pk=pk)
        form = PersonEditForm(request.POST, instance=Person.objects.get(pk=pk))
        if form.is_valid():
            try:
                change = person_edit(
                    person=person,
                    values={k: form.cleaned_data[k] for k in form.Meta.fields},
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Saved.") if change else _("Nothing changed."))
                return redirect(person)
        return _person_page(request, pk, status=400, edit_form=form)


class PersonStatusView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_object_or_404(Person, pk=pk)
        form = PersonStatusForm(request.POST, person=person)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change = person_status_set(
                    person=person,
                    status=data["status"],
                    until=data["until"],
                    on_date=data["on_date"],
                    successor=data["successor"],
                    user=request.user,
                    reason=data["reason"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Saved.") if change else _("Nothing changed."))
                return redirect(person)
        return _person_page(request, pk, status=400, status_form=form)


class EmailAddView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_object_or_404(Person, pk=pk)
        form = EmailAddForm(request.POST)
        if form.is_valid():
            try:
                email, _change = person_email_add(
                    person=person,
                    address=form.cleaned_data["address"],
                    status=form.cleaned_data["status"],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Address %(address)s added.") % {"address": email})
                if not email.use_for_mailing:
                    messages.warning(
                        request,
                        _("This address is on the suppression list: no mailing will use it."),
                    )
                return redirect(person)
        return _person_page(request, pk, status=400, email_form=form)


class _RowEditView(View):
    """One address or phone of a person: a form of its own, or its table row swapped for the
    form by htmx. ``name`` names the templates, the context variable and the form's keyword."""

    model: type[models.Model]
    form_class: type[Any]
    name: str

    def _render(self, request: HttpRequest, obj: Any, form: Any, status: int = 200):
        partial = bool(request.headers.get("HX-Request"))
        page = (
            f"contacts/_{self.name}_edit_row.html" if partial else f"contacts/{self.name}_edit.html"
        )
        return render(request, page, {self.name: obj, "form": form}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_object_or_404(self.model, pk=pk)
        return self._render(request, obj, self.form_class(**{self.name: obj}))


class EmailEditView(_RowEditView):
    model = EmailAddress
    form_class = EmailEditForm
    name = "email"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        email = get_object_or_404(EmailAddress.objects.select_related("person"), pk=pk)
        form = EmailEditForm(request.POST, email=email)
        if form.is_valid():
            data = form.cleaned_data
            try:
                email_edit(
                    email=email,
                    address=data["address"],
                    status=data["status"] if data["status"] != EmailStatus.GUESSED else None,
                    use_for_mailing=data["use_for_mailing"],
                    user=request.user,
                    reason=data["reason"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(email.person)
        return self._render(request, email, form, status=400)


class EmailMarkView(View):
    """One click: mark an address valid, bounced or not verified."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        email = get_object_or_404(EmailAddress.objects.select_related("person"), pk=pk)
        try:
            email_edit(
                email=email,
                status=request.POST.get("status", ""),
                user=request.user,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect(email.person)


class EmailRemoveView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        email = get_object_or_404(EmailAddress.objects.select_related("person"), pk=pk)
        person = email.person
        email_remove(email=email, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Address %(address)s removed.") % {"address": email.address})
        return redirect(person)


class PhoneAddView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_object_or_404(Person, pk=pk)
        form = PhoneForm(request.POST)
        if form.is_valid():
            try:
                phone, _change = person_phone_add(
                    person=person,
                    number=form.cleaned_data["number"],
                    kind=form.cleaned_data["kind"] or None,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Phone %(number)s added.") % {"number": phone})
                return redirect(person)
        return _person_page(request, pk, status=400, phone_form=form)


class PhoneEditView(_RowEditView):
    model = PersonPhone
    form_class = PhoneForm
    name = "phone"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        phone = get_object_or_404(PersonPhone.objects.select_related("person"), pk=pk)
        form = PhoneForm(request.POST, phone=phone)
        if form.is_valid():
            try:
                phone_edit(
                    phone=phone,
                    number=form.cleaned_data["number"],
                    kind=form.cleaned_data["kind"] or None,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(phone.person)
        return self._render(request, phone, form, status=400)


class PhoneRemoveView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        phone = get_object_or_404(PersonPhone.objects.select_related("person"), pk=pk)
        person = phone.person
        phone_remove(phone=phone, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Phone %(number)s removed.") % {"number": phone.number})
        return redirect(person)


class PersonMergeView(View):
    """Merge a duplicate: both side by side, the user chooses which one to keep."""

    def _people(self, request: HttpRequest, pk: int) -> tuple[Person, Person | None]:
        person = get_object_or_404(Person, pk=pk, merged_into__isnull=True)
        other_id = request.POST.get("with") or request.GET.get("with") or ""
        if not other_id.strip().isdigit():
            return person, None
        other = Person.objects.filter(pk=int(other_id), merged_into__isnull=True).first()
        return person, other

    def _render(
        self, request: HttpRequest, person: Person, other: Person | None, form: Any, status=200
    ) -> HttpResponse:
        return render(
            request,
            "contacts/person_merge.html",
            {
                "person": person,
                "other": other,
                "form": form,
                "duplicates": person_duplicates(person),
                "sides": [person_detail(p.pk) for p in (person, other) if p is not None],
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person, other = self._people(request, pk)
        if other is None or other.pk == person.pk:
            if request.GET.get("with"):
                messages.error(request, _("No such contact to merge with."))
            return self._render(request, person, None, None)
        return self._render(request, person, other, MergeForm(person=person, other=other))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person, other = self._people(request, pk)
        if other is None or other.pk == person.pk:
            raise Http404
        form = MergeForm(request.POST, person=person, other=other)
        if form.is_valid():
            keep = form.cleaned_data["survivor"]
            survivor, absorbed = (person, other) if keep == str(person.pk) else (other, person)
            try:
                person_merge(
                    survivor=survivor,
                    absorbed=absorbed,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request,
                    _("%(absorbed)s merged into %(survivor)s.")
                    % {"absorbed": absorbed, "survivor": survivor},
                )
                return redirect(survivor)
        return self._render(request, person, other, form, status=400)


class PersonChangeUndoView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        change = get_object_or_404(PersonChange, pk=pk)
        try:
            result = person_change_undo(
                change=change, user=request.user, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            _undo_message(request, result)
        target = change.other_person if change.kind == PersonChangeKind.MERGE else None
        return redirect(target or change.person)


class PersonExportView(View):
    """Everything stored about the person, as a JSON download (a subject access request)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_object_or_404(Person, pk=pk)
        response = JsonResponse(
            person_export(person), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = f'attachment; filename="contact-{person.pk}.json"'
        return response


class PersonEraseView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_object_or_404(Person, pk=pk)
        return render(request, "contacts/person_confirm_erase.html", {"person": person})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_object_or_404(Person, pk=pk)
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm the erasure."))
            return redirect("contacts:person_erase", pk=pk)
        person_erase(person=person, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("The contact's personal data was erased."))
        return redirect("contacts:person_list")


class PersonGuessView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_object_or_404(Person, pk=pk)
        guesses = person_guess_addresses(person=person, top=3, user=request.user)
        if guesses:
            messages.success(
                request,
                _("%(count)d addresses guessed: choose which to try.") % {"count": len(guesses)},
            )
        else:
            messages.info(request, _("Nothing to guess from: the company has no known addresses."))
        return redirect(person)


class EmailGuessView(View):
    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        email = get_object_or_404(EmailAddress, pk=pk, status=EmailStatus.GUESSED)
        person = email.person
        if action == "accept":
            guess_accept(email=email, user=request.user)
        elif action == "discard":
            guess_discard(email=email, user=request.user)
        else:
            raise Http404
        return redirect(person)


class ContactsImportView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "contacts/import.html", {"form": ContactsImportForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ContactsImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "contacts/import.html", {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / get_valid_filename(upload.name or "contacts.csv")
            with open(path, "wb") as handle:
                shutil.copyfileobj(upload, handle)
            try:
                report = contacts_import(
                    path=path,
                    source=form.cleaned_data["source"],
                    legal_basis=form.cleaned_data["legal_basis"],
                    user=request.user,
                )
            except SourceFileError as exc:
                form.add_error("file", str(exc))
                return render(request, "contacts/import.html", {"form": form}, status=400)
        return render(
            request, "contacts/import.html", {"form": ContactsImportForm(), "report": report}
        )


class ProposalQueueView(View):
    """The review queue of contact changes read from replies: one by one or in bulk."""

    def get(self, request: HttpRequest) -> HttpResponse:
        status = request.GET.get("status") or ProposalStatus.PENDING
        kind = request.GET.get("kind") or ""
        proposals = proposal_queue(status)
        if kind:
            proposals = proposals.filter(kind=kind)
        return render(
            request,
            "contacts/proposal_list.html",
            {
                "proposals": proposals[:500],
                "count": proposals.count(),
                "status": status,
                "kind": kind,
                "statuses": ProposalStatus.choices,
                "kinds": ProposalKind.choices,
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action")
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        proposals = list(
            Proposal.objects.filter(pk__in=ids, status=ProposalStatus.PENDING).order_by(
                "created_at", "id"
            )
        )
        done = 0
        for proposal in proposals:
            if action == "accept":
                try:
                    proposal_accept(proposal=proposal, user=request.user)
                except (ValueError, Person.DoesNotExist) as exc:
                    messages.error(request, f"{proposal}: {exc}")
                    continue
            elif action == "reject":
                proposal_reject(proposal=proposal, user=request.user)
            else:
                continue
            done += 1
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        if action == "accept":
            messages.success(request, _("%(count)d proposals accepted.") % {"count": done})
        elif action == "reject":
            messages.success(request, _("%(count)d proposals rejected.") % {"count": done})
        return HttpResponseRedirect(request.get_full_path())


class TaskListView(SingleTableMixin, FilterView):
    model = Task
    table_class = TaskTable
    filterset_class = TaskFilterSet
    template_name = "contacts/task_list.html"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return task_list(None)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["due_form"] = due_tasks_form()
        return context

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        if kwargs["data"] is None or "status" not in kwargs["data"]:
            data = kwargs["data"].copy() if kwargs["data"] is not None else {}
            data["status"] = TaskStatus.OPEN
            kwargs["data"] = data
        return kwargs


class TasksDueView(View):
    """Open the re-verify and verify-guess tasks that are due now."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DueTasksForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
        else:
            result = tasks_open_due(
                months=form.cleaned_data["months"],
                days=form.cleaned_data["days"],
                user=request.user,
            )
            messages.success(
                request,
                _(
                    "%(reverify)d re-verify tasks and %(guess)d verify-guess tasks opened; "
                    "%(closed)d settled guess tasks closed."
                )
                % {
                    "reverify": result["reverify"],
                    "guess": result["verify_guess"],
                    "closed": result["verify_guess_closed"],
                },
            )
        return redirect(request.POST.get("next") or reverse("contacts:task_list"))


def due_tasks_form() -> DueTasksForm:
    return DueTasksForm(initial={"months": reverify_months(), "days": verify_guess_days()})


class TaskCloseView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = get_object_or_404(Task, pk=pk)
        status = request.POST.get("status", TaskStatus.DONE)
        if status not in (TaskStatus.DONE, TaskStatus.DISMISSED):
            raise Http404
        task_close(
            task=task,
            status=status,
            resolution=request.POST.get("resolution", ""),
            user=request.user,
        )
        return redirect(request.POST.get("next") or reverse("contacts:task_list"))


class SuppressionListView(SingleTableMixin, FilterView):
    model = Suppression
    table_class = SuppressionTable
    filterset_class = SuppressionFilterSet
    template_name = "contacts/suppression_list.html"
    paginate_by = 100

    def get_queryset(self) -> Any:
        return suppression_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = SuppressionForm()
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SuppressionForm(request.POST)
        if form.is_valid():
            try:
                _entry, created = suppression_add(
                    value=form.cleaned_data["value"],
                    reason=form.cleaned_data["reason"],
                    source=form.cleaned_data["source"] or _("added by hand"),
                    user=request.user,
                )
            except ValueError as exc:
                messages.error(request, str(exc))
            else:
                if created:
                    messages.success(request, _("Added to the suppression list."))
                else:
                    messages.info(request, _("Already on the suppression list."))
        return redirect("contacts:suppression_list")


class SuppressionRemoveView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = get_object_or_404(Suppression, pk=pk)
        try:
            suppression_remove(entry=entry, user=request.user, reason=_("removed by hand"))
        except ValueError as exc:
            messages.error(request, str(exc))
        return redirect("contacts:suppression_list")


_COMPARED_TO_BOOK = {
    "slower than the book's 5-10% a year": gettext_lazy("slower than the book's 5-10% a year"),
    "faster than the book's 5-10% a year": gettext_lazy("faster than the book's 5-10% a year"),
    "within the book's 5-10% a year": gettext_lazy("within the book's 5-10% a year"),
}


class FreshnessView(TemplateView):
    template_name = "contacts/freshness.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = freshness_report()
        context.update(report)
        context["chart"] = decay_chart_spec(
            report["by_age"],
            title=_("Share of contacts found gone, by year since first seen"),
            axis_x=_("Year since first seen"),
            axis_y=_("Share gone"),
        )
        estimate = report["estimate"]
        if estimate.yearly_decay is not None:
            context["decay_pct"] = f"{estimate.yearly_decay * 100:.1f}"
            # The engine compares; this only translates its verdict.
            context["compared"] = _COMPARED_TO_BOOK[estimate.compared_to_book]
        if estimate.ci95:
            context["ci_pct"] = [f"{v * 100:.1f}" for v in estimate.ci95]
        context["due_form"] = due_tasks_form()
        return context


def panel_context(company: Company) -> dict[str, Any]:
    return {
        "company": company,
        "people": company_people(company),
        "mailable": company_mailable_count(company),
        "legal": company_legal_status(company),
        "patterns": company_address_patterns(company),
        "tasks": Task.objects.filter(company=company, status=TaskStatus.OPEN),
        "proposals": Proposal.objects.filter(company=company, status=ProposalStatus.PENDING),
    }


class CompanyPanelView(View):
    """The contacts side of a company page, loaded with hx-get or included."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        company = get_object_or_404(Company, pk=pk)
        return render(request, "contacts/company_panel.html", panel_context(company))


class CompanyLegalCheckView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        company = get_object_or_404(Company, pk=pk)
        try:
            check = legal_status_check(
                company=company, provider=legal_status_provider(), user=request.user
            )
        except (RegisterError, ValueError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Legal status: %(status)s") % {"status": check.status})
        if request.headers.get("HX-Request"):
            return render(request, "contacts/company_panel.html", panel_context(company))
        return redirect(company)
