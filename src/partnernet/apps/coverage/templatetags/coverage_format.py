"""Number formats of the Coverage page: rounded counts with the locale's grouping, percents."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()


@register.filter
def count(value: float | int | None) -> str:
    """A rounded count with thousands grouping; an em dash for no value."""
    if value is None:
        return "—"
    return str(intcomma(round(float(value))))


@register.filter
def pct(value: float | None, digits: int = 0) -> str:
    """A share (0..1) as a percent in the current locale."""
    if value is None:
        return "—"
    sign = "\u00a0%" if (get_language() or "").startswith("ru") else "%"
    return f"{number_format(float(value) * 100, decimal_pos=int(digits))}{sign}"
