"""Web views of the contacts app: people, the proposals queue, tasks, suppression, freshness."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
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

from .filtersets import PersonFilterSet, SuppressionFilterSet, TaskFilterSet
from .forms import ContactsImportForm, PersonEditForm, PersonForm, SuppressionForm
from .guesses import company_address_patterns, person_guess_addresses
from .imports import contacts_import
from .legal import company_legal_status, legal_status_check, legal_status_provider
from .models import (
    EmailAddress,
    EmailStatus,
    Person,
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
    person_detail,
    person_history,
    person_list,
    proposal_queue,
    suppression_list,
    task_list,
)
from .services import (
    guess_accept,
    guess_discard,
    person_create,
    person_erase,
    person_export,
    person_update,
    proposal_accept,
    proposal_reject,
    suppression_add,
    suppression_remove,
    task_close,
)
from .tables import PersonTable, SuppressionTable, TaskTable


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


class PersonDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            person = person_detail(pk)
        except Person.DoesNotExist as exc:
            raise Http404 from exc
        return render(
            request,
            "contacts/person_detail.html",
            {
                "person": person,
                "emails": person.emails.all(),
                "history": person_history(person),
                "proposals": person.proposals.filter(status=ProposalStatus.PENDING),
                "tasks": person.tasks.filter(status=TaskStatus.OPEN),
                "edit_form": PersonEditForm(instance=person),
            },
        )


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
            person_update(
                person=person,
                user=request.user,
                reason=_("edited"),
                **{k: form.cleaned_data[k] for k in form.Meta.fields},
            )
            messages.success(request, _("Saved."))
        else:
            messages.error(request, _("Not saved: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect(person)


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

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        if kwargs["data"] is None or "status" not in kwargs["data"]:
            data = kwargs["data"].copy() if kwargs["data"] is not None else {}
            data["status"] = TaskStatus.OPEN
            kwargs["data"] = data
        return kwargs


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
