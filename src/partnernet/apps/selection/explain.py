"""Show the engine's explanations in the user's language.

The selection engine explains in fixed English phrases (kept as they are in the API, the CLI
and stored shortlists, so scripts can rely on them). The web pages translate them here and
show specialisation and sector names instead of their keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnernet.apps.register.models import Sector, Specialisation


def _labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for model in (Specialisation, Sector):
        for item in model.objects.all():
            labels[item.key] = item.label
    return labels


def _names(text: str, labels: dict[str, str]) -> str:
    return ", ".join(labels.get(key.strip(), key.strip()) for key in text.split(","))


Rule = tuple[re.Pattern[str], Callable[[re.Match[str], dict[str, str]], str]]

RULES: list[Rule] = [
    (
        re.compile(r"^works in (.+)$"),
        lambda m, labels: _("works in %(items)s") % {"items": _names(m[1], labels)},
    ),
    (
        re.compile(r"^other product directions: (.+)$"),
        lambda m, labels: (
            _("other product directions: %(items)s") % {"items": _names(m[1], labels)}
        ),
    ),
    (re.compile(r"^product direction unknown$"), lambda m, labels: _("product direction unknown")),
    (
        re.compile(r"^works with (.+) customers; the target is (.+)$"),
        lambda m, labels: (
            _("works with %(have)s customers; the target is %(want)s")
            % {"have": _names(m[1], labels), "want": _names(m[2], labels)}
        ),
    ),
    (
        re.compile(r"^serves (\d+) target customer\(s\)$"),
        lambda m, labels: (
            ngettext("serves %(n)d target customer", "serves %(n)d target customers", int(m[1]))
            % {"n": int(m[1])}
        ),
    ),
    (
        re.compile(r"^serves (.+)$"),
        lambda m, labels: _("serves %(items)s") % {"items": _names(m[1], labels)},
    ),
    (
        re.compile(r"^vertical experience: (.+)$"),
        lambda m, labels: _("vertical experience: %(items)s") % {"items": _names(m[1], labels)},
    ),
    (
        re.compile(r"^size (\w+) below (\w+)$"),
        lambda m, labels: _("size %(have)s below %(want)s") % {"have": m[1], "want": m[2]},
    ),
    (re.compile(r"^is a (.+)$"), lambda m, labels: _("is a %(kinds)s") % {"kinds": m[1]}),
    (
        re.compile(r"^authorised by (\d+) vendor\(s\)$"),
        lambda m, labels: (
            ngettext("authorised by %(n)d vendor", "authorised by %(n)d vendors", int(m[1]))
            % {"n": int(m[1])}
        ),
    ),
    (
        re.compile(r"^(\d+) vendor authorisation\(s\) in the niche$"),
        lambda m, labels: (
            ngettext(
                "%(n)d vendor authorisation in the niche",
                "%(n)d vendor authorisations in the niche",
                int(m[1]),
            )
            % {"n": int(m[1])}
        ),
    ),
    (re.compile(r"^lacks (.+)$"), lambda m, labels: _("lacks %(rule)s") % {"rule": m[1]}),
    (
        re.compile(r"^branch office here; head office: (.+)$"),
        lambda m, labels: (
            _("branch office here; head office: %(place)s")
            % {"place": _("unknown") if m[1] == "unknown" else m[1]}
        ),
    ),
]


class Explainer:
    """Translates explanation phrases; unknown phrases pass through unchanged."""

    def __init__(self) -> None:
        self.labels = _labels()

    def __call__(self, text: str) -> str:
        for pattern, render in RULES:
            match = pattern.match(text)
            if match:
                return render(match, self.labels)
        return text

    def many(self, texts: Iterable[str]) -> list[str]:
        return [self(text) for text in texts]

    def entries(self, items: Iterable[Any]) -> None:
        """Translate ``reasons`` and ``warnings`` of result dicts in place (for display)."""
        for item in items:
            for key in ("reasons", "warnings"):
                if isinstance(item, dict) and key in item:
                    item[key] = self.many(item[key])
