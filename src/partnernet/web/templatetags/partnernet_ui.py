"""Template tags shared by every app: Vega-Lite charts and export links."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def vega_scripts() -> SafeString:
    """The three vendored Vega scripts; include once on a page with charts."""
    tags = [
        format_html('<script src="{}"></script>', static(f"vendor/vega/{name}"))
        for name in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
    ]
    return mark_safe("\n".join(tags))


@register.simple_tag
def vega_chart(spec: dict[str, Any] | str, chart_id: str, csv_url: str = "") -> SafeString:
    """A chart container; partnernet.js renders it with vega-embed (PNG/SVG export menu)."""
    if isinstance(spec, str):
        spec = json.loads(spec)
    spec_id = f"{chart_id}-spec"
    parts = [
        format_html(
            '<div id="{}" class="chart" data-vega-spec="{}" role="img"></div>', chart_id, spec_id
        ),
        json_script(spec, spec_id),
    ]
    if csv_url:
        parts.append(
            format_html(
                '<a class="small" href="{}"><i class="bi bi-download"></i> {}</a>',
                csv_url,
                _("Data (CSV)"),
            )
        )
    return mark_safe("".join(str(p) for p in parts))


@register.simple_tag(takes_context=True)
def export_url(context: dict[str, Any], fmt: str) -> str:
    """The current list URL with its filters and sort, plus ``export=csv|xlsx``."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    params["export"] = fmt
    return f"{request.path}?{params.urlencode()}"
