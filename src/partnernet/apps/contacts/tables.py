"""Tables of the contacts app (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import EmailStatus, Person, Suppression, Task

EMAIL_BADGE: dict[str, str] = {
    EmailStatus.VALID: "success",
    EmailStatus.UNVERIFIED: "secondary",
    EmailStatus.BOUNCED: "danger",
    EmailStatus.GUESSED: "warning",
}
STATUS_BADGE: dict[str, str] = {
    "active": "success",
    "on_leave": "info",
    "left": "secondary",
    "unknown": "light",
}


class PersonTable(tables.Table):
    full_name = tables.Column(linkify=True, verbose_name=pgettext_lazy("person", "Name"))
    position = tables.Column(verbose_name=_("Position"))
    company = tables.Column(
        linkify=True, verbose_name=_("Company"), order_by="company__display_name"
    )
    emails = tables.Column(verbose_name=_("E-mail"), orderable=False, empty_values=())
    phones = tables.Column(verbose_name=_("Phones"), orderable=False, empty_values=())
    status = tables.Column(verbose_name=_("Status"))
    last_confirmed = tables.DateColumn(verbose_name=_("Last confirmed"), format="Y-m-d")

    class Meta:
        model = Person
        fields = (
            "full_name",
            "position",
            "company",
            "emails",
            "phones",
            "status",
            "last_confirmed",
        )
        attrs = {"class": "table table-sm table-hover align-middle", "id": "person-table"}
        order_by = ("full_name",)

    def render_emails(self, record: Person) -> Any:
        return format_html_join(
            " ",
            '<span class="badge text-bg-{} fw-normal" title="{}">{}</span>',
            (
                (EMAIL_BADGE.get(e.status, "light"), e.get_status_display(), e.address)
                for e in record.emails.all()
            ),
        )

    def value_emails(self, record: Person) -> str:
        return "; ".join(f"{e.address} ({e.status})" for e in record.emails.all())

    def render_phones(self, record: Person) -> str:
        return ", ".join(p.number for p in record.phones.all())

    def value_phones(self, record: Person) -> str:
        return "; ".join(p.number for p in record.phones.all())

    def render_status(self, value: str, record: Person) -> Any:
        label = record.get_status_display()
        if record.on_leave_until:
            label = f"{label} → {record.on_leave_until:%d.%m.%Y}"
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            STATUS_BADGE.get(record.status, "light"),
            label,
        )

    def value_status(self, value: str, record: Person) -> str:
        return str(record.get_status_display())


class TaskTable(tables.Table):
    title = tables.Column(verbose_name=_("Task"))
    kind = tables.Column(verbose_name=_("Kind"))
    company = tables.Column(linkify=True, verbose_name=_("Company"))
    person = tables.Column(linkify=True, verbose_name=_("Contact"))
    status = tables.Column(verbose_name=_("Status"))
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), format="Y-m-d H:i")
    actions = tables.TemplateColumn(
        template_name="contacts/_task_actions.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Task
        fields = ("title", "kind", "company", "person", "status", "created_at")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "task-table"}


class SuppressionTable(tables.Table):
    value = tables.Column(verbose_name=_("Address or domain"), empty_values=())
    reason = tables.Column(verbose_name=_("Reason"))
    source = tables.Column(verbose_name=_("Source"))
    created_at = tables.DateTimeColumn(verbose_name=_("Added"), format="Y-m-d H:i")

    class Meta:
        model = Suppression
        fields = ("value", "reason", "source", "created_at")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "suppression-table"}

    def render_value(self, record: Suppression) -> Any:
        if not record.value:
            return format_html(
                '<span class="text-muted" title="{}">#{}</span>',
                _("erased person: only a hash is kept"),
                record.value_hash[:12],
            )
        return record.value
