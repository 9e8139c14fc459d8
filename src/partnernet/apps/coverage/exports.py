"""The data behind each Coverage chart and table (``?export=csv|xlsx&chart=…``).

The rows are the ones the chart draws (``charts.py``); headers are translated. The file itself
is written by the register's download helper, like every other list in the product.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from . import charts

Table = tuple[list[str], list[list[Any]]]


def _curve(data: dict[str, Any]) -> Table:
    header = [_("lists merged"), _("curve"), _("unique companies"), _("list"), _("new companies")]
    rows = [
        [r["lists"], r["series"], r["companies"], r["list"] or "", _blank(r["new"])]
        for r in charts.curve_rows(data)
    ]
    return header, rows


def _frequency(data: dict[str, Any]) -> Table:
    header = [_("lists"), _("companies"), _("share of known companies")]
    return header, [[r["k"], r["companies"], r["share"]] for r in charts.frequency_rows(data)]


def _overlap(data: dict[str, Any]) -> Table:
    header = [
        _("list"),
        _("other list"),
        _("companies on the list"),
        _("companies on the other list"),
        _("companies on both"),
        _("Jaccard"),
    ]
    rows = [
        [r["list_a"], r["list_b"], r["size_a"], r["size_b"], r["both"], r["jaccard"]]
        for r in charts.overlap_rows(data)
    ]
    return header, rows


def _estimates(data: dict[str, Any]) -> Table:
    header = [
        _("method"),
        _("estimate"),
        _("standard error"),
        _("range from (95%)"),
        _("range to (95%)"),
        "AIC",
        _("recommended"),
    ]
    rows = [
        [
            r["method"],
            _blank(r["population"]),
            _blank(r["se"]),
            _blank(r["low"]),
            _blank(r["high"]),
            _blank(r["aic"]),
            _("yes") if r["recommended"] else "",
        ]
        for r in charts.estimate_rows(data)
    ]
    return header, rows


def _lists(data: dict[str, Any]) -> Table:
    header = [
        _("list"),
        _("companies on the list"),
        _("companies on no other list"),
        _("share on no other list"),
    ]
    rows = [[u["list"], u["size"], u["unique"], u["unique_share"]] for u in data["list_uniqueness"]]
    return header, rows


def _groups(data: dict[str, Any]) -> Table:
    header = [
        _("group"),
        _("companies found"),
        _("method"),
        _("estimate"),
        _("range from (95%)"),
        _("range to (95%)"),
        _("lower bound"),
        _("share of the market known"),
        _("next list adds"),
        _("too few companies for a model"),
    ]
    rows = [
        [
            r["group"],
            r["companies"],
            r["method"],
            _blank(r["population"]),
            _blank(r["low"]),
            _blank(r["high"]),
            _("yes") if r["lower_bound"] else "",
            _blank(r["seen_share"]),
            r["next_list_new"],
            _("yes") if r["small"] else "",
        ]
        for r in charts.group_rows(data)
    ]
    return header, rows


EXPORTS: dict[str, Callable[[dict[str, Any]], Table]] = {
    "curve": _curve,
    "frequency": _frequency,
    "overlap": _overlap,
    "estimates": _estimates,
    "lists": _lists,
    "groups": _groups,
}


def _blank(value: Any) -> Any:
    return "" if value is None else value


def export_table(data: dict[str, Any], chart: str) -> Table:
    """Header and rows of one chart's data; ``KeyError`` for an unknown chart."""
    return EXPORTS[chart](data)
