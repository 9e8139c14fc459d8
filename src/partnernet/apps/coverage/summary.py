"""Plain-language reading of a coverage report for the page: headline, reasons, warnings.

The engine's own ``reason`` and ``warnings`` are English notes for the command line; the page
builds its sentences from the report's numbers instead, so every one of them is translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partnernet.engines.coverage.recommend import MIN_GOF_P, MIN_SEEN_SHARE
from partnernet.engines.coverage.report import SINGLETON_WARNING, SMALL_SAMPLE

METHOD_HELP = {
    "chao2": gettext_lazy(
        "From the companies seen on one and on two lists. By design a lower bound: it assumes "
        "the rarely listed companies are all alike."
    ),
    "ichao2": gettext_lazy(
        "Chao2 improved with the companies seen on three and four lists; still a lower bound."
    ),
    "jackknife1": gettext_lazy("First-order jackknife: adds a share of the one-list companies."),
    "jackknife2": gettext_lazy("Second-order jackknife: uses the one-list and two-list companies."),
    "ice": gettext_lazy(
        "Sample coverage (ICE): how much of the market the rarely listed companies suggest is "
        "still unseen."
    ),
    "M0": gettext_lazy("Every company and every list alike. Almost always too low."),
    "Mt": gettext_lazy("Lists differ in size, companies are alike."),
    "Mh Darroch": gettext_lazy("Log-linear model of unequal listing chances (Darroch)."),
    "Mh Poisson2": gettext_lazy("Log-linear model of unequal listing chances (Poisson)."),
    "Mh Gamma3.5": gettext_lazy("Log-linear model of unequal listing chances (Gamma 3.5)."),
    "Mh beta-binomial": gettext_lazy(
        "Companies differ in how likely a list is to include them (beta distribution)."
    ),
    "Mh logit-normal": gettext_lazy(
        "Companies differ in how likely a list is to include them (logit-normal)."
    ),
    "Mth logit-normal": gettext_lazy(
        "Companies differ, and lists differ in size: usually the best fit for vendor lists."
    ),
    "observed": gettext_lazy("Only the companies found; nothing to estimate from."),
}


@dataclass
class Headline:
    unique: int
    lists: int
    population: int | None
    low: int | None
    high: int | None
    lower_bound: bool
    known_share: float | None  # share of the estimated market already found
    next_new: int
    method: str
    reasons: list[str] = field(default_factory=list)


def _int(value: float | None) -> int | None:
    return None if value is None else round(value)


def headline(data: dict[str, Any]) -> Headline:
    rec = data["recommended"]
    population = rec.get("population")
    known = data["unique"] / population if population else None
    return Headline(
        unique=data["unique"],
        lists=len(data["lists"]),
        population=_int(population),
        low=_int(rec["ci95"][0]),
        high=_int(rec["ci95"][1]),
        lower_bound=bool(rec["lower_bound"]),
        known_share=min(known, 1.0) if known is not None else None,
        next_new=round(data["next_list_expected_new"]),
        method=rec["method"],
        reasons=lower_bound_reasons(data),
    )


def lower_bound_reasons(data: dict[str, Any]) -> list[str]:
    """Why the recommended number can only be read as "at least", in plain words."""
    rec = data["recommended"]
    if not rec["lower_bound"]:
        return []
    reasons: list[str] = []
    gof_p = rec.get("gof_p")
    if rec["method"] in ("chao2", "observed") and gof_p is not None and gof_p < MIN_GOF_P:
        reasons.append(
            _(
                "No model describes how often companies repeat across these lists, so the page "
                "shows Chao2, which needs no such model and errs on the low side. The usual "
                "cause is duplicates the merge missed: one partner counted as two companies "
                "looks like two partners seen once."
            )
        )
        return reasons
    if rec["method"] in ("chao2", "observed"):
        reasons.append(
            _(
                "Too few companies appear on two or more lists to fit any model; Chao2 stands "
                "in, and it errs on the low side."
            )
        )
        return reasons
    seen = rec.get("seen_share")
    if seen is not None and seen < MIN_SEEN_SHARE:
        reasons.append(
            _(
                "The best model says %(share)s of the market is on none of these lists. How "
                "many such quiet companies exist cannot be checked from the lists themselves, "
                "so the true number may well be higher."
            )
            % {"share": f"{1 - seen:.0%}"}
        )
    if rec["ci95"][1] is None:
        reasons.append(
            _("The lists do not rule out a much larger market: the range has no upper end.")
        )
    if gof_p is not None and gof_p < MIN_GOF_P:
        reasons.append(_("The chosen model describes the counts poorly."))
    return reasons


def report_warnings(data: dict[str, Any]) -> list[str]:
    """Warnings about the data, translated; built from the numbers, not the engine's text."""
    lists = len(data["lists"])
    unique = data["unique"]
    notes: list[str] = []
    if lists < 2:
        notes.append(_("At least two lists are needed to estimate anything."))
    if unique == 0:
        notes.append(_("No company is on the chosen lists."))
    elif unique < SMALL_SAMPLE:
        notes.append(
            ngettext(
                "Only %(n)d company: the estimates are rough, read the ranges.",
                "Only %(n)d companies: the estimates are rough, read the ranges.",
                unique,
            )
            % {"n": unique}
        )
    if lists >= 10 and unique and data["frequency"][0] > SINGLETON_WARNING * unique:
        notes.append(
            _(
                "%(share)s of the companies are on one list only. Duplicates the merge missed "
                "look exactly like this and inflate every estimate: check the review queue."
            )
            % {"share": f"{data['frequency'][0] / unique:.0%}"}
        )
    failed = [w.split(":", 1)[0] for w in data.get("warnings", []) if ": not computed" in w]
    if failed:
        notes.append(_("Could not be computed on these data: %s.") % ", ".join(failed))
    return notes


def group_note(group: dict[str, Any], min_companies: int) -> str:
    unique = group["unique"]
    if unique < min_companies:
        return _("Too few companies for a model: Chao2, read as “at least”.")
    if unique < SMALL_SAMPLE:
        return _("Small group: a rough estimate.")
    if group["recommended"]["lower_bound"]:
        return _("Lower bound: the true number may be higher.")
    return ""
