"""The start page: what the register holds and where to go next."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.views.generic import TemplateView


def _count(label: str) -> int | None:
    try:
        return apps.get_model(label).objects.count()
    except LookupError:
        return None


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["counts"] = {
            "companies": _count("register.Company"),
            "sources": _count("register.Source"),
            "source_rows": _count("register.SourceRow"),
            "vendors": _count("register.Vendor"),
            "people": _count("contacts.Person"),
        }
        return context
