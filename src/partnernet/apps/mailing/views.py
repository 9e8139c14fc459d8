"""Web views: campaigns (list, create, edit, detail with deliveries), intake, unsubscribe."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from partnernet.apps.register.exports import EXPORT_TYPES, table_download

from . import settings as mail_settings
from .filtersets import CampaignFilterSet, DeliveryFilterSet, FeedbackMessageFilterSet
from .forms import CampaignForm, EspImportForm, IntakeUploadForm
from .models import Campaign, CampaignStatus, FeedbackMessage
from .selectors import (
    audience_count,
    audience_recipients,
    campaign_list,
    campaign_stats,
    delivery_list,
    feedback_message_list,
    feedback_message_outcome,
)
from .sending import campaign_template, recipient_values
from .services import (
    IntakeItem,
    deliveries_requeue_failed,
    deliveries_requeue_interrupted,
    delivery_by_token,
    esp_import,
    feedback_intake_many,
    unsubscribe_token_apply,
)

# One download helper for every list page: the register's.
_export = table_download


# --- campaigns -------------------------------------------------------------------------------


class CampaignListView(SingleTableMixin, FilterView):
    model = Campaign
    filterset_class = CampaignFilterSet
    template_name = "mailing/campaign_list.html"
    paginate_by = 50

    def get_table_class(self) -> Any:
        from .tables import CampaignTable

        return CampaignTable

    def get_queryset(self) -> QuerySet[Campaign]:
        return campaign_list()


class _CampaignFormMixin:
    model = Campaign
    form_class: Any = CampaignForm
    template_name: Any = "mailing/campaign_form.html"
    request: HttpRequest

    def form_valid(self, form: Any) -> HttpResponse:
        campaign = form.save(commit=False)
        if campaign.prepared_at is None:
            campaign.audience = form.audience()
        if not campaign.name:
            campaign.name = campaign.subject
        if not campaign.created_by and self.request.user.is_authenticated:
            campaign.created_by = self.request.user.get_username()
        campaign.save()
        messages.success(self.request, _("Campaign saved."))
        return redirect(campaign)


class CampaignCreateView(_CampaignFormMixin, CreateView):  # type: ignore[misc]
    def get_initial(self) -> dict[str, Any]:
        return {"from_address": mail_settings_default_from(), "body": _default_body()}


class CampaignUpdateView(_CampaignFormMixin, UpdateView):  # type: ignore[misc]
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        campaign = get_object_or_404(Campaign, pk=kwargs["pk"])
        if campaign.status in (CampaignStatus.SENDING, CampaignStatus.DONE):
            messages.error(request, _("A campaign that is being sent or was sent cannot change."))
            return redirect(campaign)
        return super().dispatch(request, *args, **kwargs)


def mail_settings_default_from() -> str:
    from django.conf import settings

    return str(getattr(settings, "DEFAULT_FROM_EMAIL", "") or "")


def _default_body() -> str:
    return _(
        "Hello, {{ greeting_name }}!\n\n"
        "We invite you to a webinar on our new product line.\n\n"
        "[Register](https://example.com/webinar)\n"
    )


class AudiencePreviewView(View):
    """htmx: the audience count, a few recipients and the rendered body for the form's values."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CampaignForm(request.POST)
        form.is_valid()  # the audience fields are optional; use whatever is valid
        form.cleaned_data.setdefault("body", request.POST.get("body", ""))
        audience = form.audience()
        campaign = Campaign(
            subject=request.POST.get("subject", ""),
            body=request.POST.get("body", ""),
            from_address=request.POST.get("from_address", "") or "news@example.com",
            audience=audience,
        )
        return render(request, "mailing/_audience_preview.html", _preview_context(campaign))


def _preview_context(campaign: Campaign) -> dict[str, Any]:
    recipients = audience_recipients(campaign.audience)
    template = campaign_template(campaign)
    sample = recipients[0] if recipients else None
    from .models import Delivery

    fake = Delivery(
        campaign=campaign,
        address=sample.address if sample else "",
        person=sample.person if sample else None,
        token="preview",
    )
    from partnernet.engines.mailing import personalise

    body = personalise(template, recipient_values(fake))
    return {
        "counts": audience_count(campaign.audience),
        "recipients": recipients[:10],
        "preview_html": body.html,
        "preview_text": body.text,
        "unknown_placeholders": template.unknown,
    }


class CampaignDetailView(DetailView):
    model = Campaign
    template_name = "mailing/campaign_detail.html"
    context_object_name = "campaign"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        from .tables import DeliveryTable

        deliveries = DeliveryFilterSet(request.GET, queryset=delivery_list(self.object))
        table = DeliveryTable(deliveries.qs)
        fmt = request.GET.get("_export")
        if fmt in EXPORT_TYPES:
            return _export(request, table, fmt, f"deliveries-{self.object.pk}")
        RequestConfig(request, paginate={"per_page": 100}).configure(table)
        context = self.get_context_data(object=self.object)
        context.update(
            table=table,
            filter=deliveries,
            stats=campaign_stats(self.object),
            smtp=f"{self.object.smtp_host or mail_settings.smtp_options()['host']}:"
            f"{self.object.smtp_port or mail_settings.smtp_options()['port']}",
            rate=self.object.rate_per_minute or mail_settings.default_rate_per_minute(),
        )
        if self.object.prepared_at is None:
            context.update(_preview_context(self.object))
        return self.render_to_response(context)


class CampaignActionView(View):
    """POST: send (a background task), requeue interrupted or failed deliveries."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        campaign = get_object_or_404(Campaign, pk=pk)
        if action == "send":
            from .tasks import campaign_send_task

            campaign_send_task.enqueue(campaign.pk)
            messages.success(
                request,
                _("Sending is queued; a task worker sends it (partnernet db_worker)."),
            )
        elif action == "requeue-interrupted":
            count = deliveries_requeue_interrupted(campaign=campaign)
            messages.info(request, _("%(n)d interrupted deliveries queued again.") % {"n": count})
        elif action == "requeue-failed":
            count = deliveries_requeue_failed(campaign=campaign)
            messages.info(request, _("%(n)d failed deliveries queued again.") % {"n": count})
        else:
            raise Http404
        return redirect(campaign)


# --- intake ----------------------------------------------------------------------------------


class FeedbackMessageListView(SingleTableMixin, FilterView):
    model = FeedbackMessage
    filterset_class = FeedbackMessageFilterSet
    template_name = "mailing/feedback_list.html"
    paginate_by = 100

    def get_table_class(self) -> Any:
        from .tables import FeedbackMessageTable

        return FeedbackMessageTable

    def get_queryset(self) -> QuerySet[FeedbackMessage]:
        return feedback_message_list()

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        fmt = self.request.GET.get("_export")
        if fmt in EXPORT_TYPES:
            return _export(self.request, self.get_table_class()(self.object_list), fmt, "feedback")
        context.update(
            upload_form=IntakeUploadForm(),
            esp_form=EspImportForm(),
            imap_configured=bool(mail_settings.imap_options()["host"]),
        )
        return super().render_to_response(context, **kwargs)


class FeedbackMessageDetailView(DetailView):
    model = FeedbackMessage
    template_name = "mailing/feedback_detail.html"
    context_object_name = "message"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(feedback_message_outcome(self.object))
        raw = bytes(self.object.raw or b"")
        head = raw.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
        context["headers"] = head.decode("utf-8", "replace")[:20000]
        return context


class IntakeUploadView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = IntakeUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a file."))
            return redirect("mailing:feedback_list")
        upload = form.cleaned_data["file"]
        data = upload.read()
        if data.startswith(b"From "):
            import mailbox
            import tempfile

            with tempfile.NamedTemporaryFile(suffix=".mbox") as handle:
                handle.write(data)
                handle.flush()
                items = [
                    IntakeItem(origin=f"upload:{upload.name}:{n}", raw=bytes(m.as_bytes()))
                    for n, m in enumerate(mailbox.mbox(handle.name), start=1)
                ]
        else:
            items = [IntakeItem(origin=f"upload:{upload.name}", raw=data)]
        report = feedback_intake_many(items=items)
        messages.success(
            request,
            _("%(stored)d messages stored, %(dup)d seen before, %(changes)d changes.")
            % {"stored": report.stored, "dup": report.duplicates, "changes": report.changes},
        )
        return redirect("mailing:feedback_list")


class EspImportView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = EspImportForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a file."))
            return redirect("mailing:feedback_list")
        upload = form.cleaned_data["file"]
        try:
            report = esp_import(data=upload.read(), name=upload.name)
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect("mailing:feedback_list")
        messages.success(
            request,
            _("%(stored)d rows stored, %(dup)d seen before, %(changes)d changes.")
            % {"stored": report.stored, "dup": report.duplicates, "changes": report.changes},
        )
        return redirect("mailing:feedback_list")


class ImapPollView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        from .tasks import imap_poll_task

        imap_poll_task.enqueue(reschedule=False)
        messages.success(request, _("The mailbox will be read by a task worker."))
        return redirect("mailing:feedback_list")


# --- unsubscribe (public) --------------------------------------------------------------------


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """GET: a confirmation page (link scanners must not unsubscribe anyone by following links).
    POST: unsubscribe — the page's button and RFC 8058 one-click POSTs from mail clients."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        delivery = delivery_by_token(token)
        if delivery is None:
            return render(request, "mailing/unsubscribe.html", {"invalid": True}, status=404)
        return render(request, "mailing/unsubscribe.html", {"delivery": delivery, "token": token})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        delivery = unsubscribe_token_apply(token=token, via="one-click" if one_click else "link")
        if delivery is None:
            return render(request, "mailing/unsubscribe.html", {"invalid": True}, status=404)
        if one_click:
            return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
        return render(request, "mailing/unsubscribe.html", {"delivery": delivery, "done": True})
