"""``{% load contacts_panel %}{% contacts_company_panel company %}``: the contacts side of a
company page (people, reachable addresses, legal status, learned address patterns, tasks)."""

from __future__ import annotations

from typing import Any

from django import template

from partnernet.apps.register.models import Company

register = template.Library()


@register.inclusion_tag("contacts/company_panel.html", takes_context=True)
def contacts_company_panel(context: dict[str, Any], company: Company) -> dict[str, Any]:
    from partnernet.apps.contacts.views import panel_context

    data = panel_context(company)
    data["csrf_token"] = context.get("csrf_token")
    data["request"] = context.get("request")
    return data
