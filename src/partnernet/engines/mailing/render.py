"""A campaign body: Markdown in, HTML and plain text out, with per-recipient placeholders.

Placeholders are written ``{{ name }}`` (spaces optional). Known names: ``first_name``,
``full_name``, ``greeting_name`` (first name and patronymic, the polite Russian form),
``company``, ``position``, ``unsubscribe_url``. Values are escaped in the HTML part; an unknown
placeholder is left as written and listed in ``unknown`` so the form can warn before sending.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import markdown

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
KNOWN = frozenset(
    {"first_name", "full_name", "greeting_name", "company", "position", "unsubscribe_url"}
)
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)

HTML_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family: Arial, sans-serif; font-size: 15px; line-height: 1.5; color: #222;">
{body}
</body></html>
"""


@dataclass(slots=True)
class RenderedBody:
    html: str
    text: str
    unknown: list[str] = field(default_factory=list)


def _substitute(source: str, values: Mapping[str, str], escape: bool) -> tuple[str, list[str]]:
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            if name not in unknown:
                unknown.append(name)
            return match.group(0)
        value = values[name] or ""
        return html.escape(value) if escape else value

    return PLACEHOLDER.sub(replace, source), unknown


def markdown_to_text(source: str) -> str:
    """Plain-text reading of Markdown: links as ``text (url)``, no emphasis marks or #s."""
    text = _LINK.sub(
        lambda m: m.group(2) if m.group(1) in ("", m.group(2)) else f"{m.group(1)} ({m.group(2)})",
        source,
    )
    text = _EMPHASIS.sub(r"\2", text)
    text = _HEADING.sub("", text)
    return text.strip() + "\n"


def render_template(source: str, *, title: str = "") -> RenderedBody:
    """Markdown to HTML and text once per campaign, placeholders left in place.

    Markdown first, placeholders after: a recipient's value is never read as Markdown or HTML.
    Write a placeholder in a link without spaces: ``[unsubscribe]({{unsubscribe_url}})``.
    """
    body_html = markdown.markdown(source, extensions=["extra", "sane_lists"], output_format="html")
    page = HTML_PAGE.format(title=html.escape(title), body=body_html)
    names = list(dict.fromkeys(PLACEHOLDER.findall(source)))
    return RenderedBody(
        html=page, text=markdown_to_text(source), unknown=[n for n in names if n not in KNOWN]
    )


def personalise(template: RenderedBody, values: Mapping[str, str]) -> RenderedBody:
    """One recipient's copy of a rendered template."""
    body_html, unknown = _substitute(template.html, values, escape=True)
    text, _unknown = _substitute(template.text, values, escape=False)
    return RenderedBody(html=body_html, text=text, unknown=unknown)


def render_body(
    source: str, values: Mapping[str, str] | None = None, *, title: str = ""
) -> RenderedBody:
    """Render one recipient's copy (or a preview, with ``values`` of a sample recipient)."""
    return personalise(render_template(source, title=title), dict(values or {}))
