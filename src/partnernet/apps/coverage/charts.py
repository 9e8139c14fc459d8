"""Vega-Lite specs (built with Altair) for the Coverage page.

Each function takes the report in the shape of ``partnernet coverage --json`` and returns a
spec dict for the ``vega_chart`` template tag. Labels are translated here, at render time.
The rows each chart draws are the rows its CSV export writes (``exports.py``).
"""

from __future__ import annotations

from typing import Any

import altair as alt
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

GREEN = "#2e8b57"
BLUE = "#1f5f8b"
GREY = "#7f8c8d"
ORANGE = "#d35400"


def _named(datasets: dict[str, list[dict[str, Any]]], name: str, rows: list[dict[str, Any]]) -> Any:
    """A reference to rows kept beside the spec: Altair validates the spec without them.

    Validating a 42 × 42 overlap table value by value takes seconds; the rows are plain data
    and need no schema check, so they go into the spec's top-level ``datasets`` afterwards.
    """
    datasets[name] = rows
    return alt.Data(name=name)


def _number_locale() -> dict[str, Any]:
    """Vega's number format in the page's language (Russian groups digits with a space)."""
    return {
        "decimal": str(get_format("DECIMAL_SEPARATOR")),
        "thousands": str(get_format("THOUSAND_SEPARATOR")),
        "grouping": [3],
        "currency": ["", ""],
    }


def _spec(chart: Any, datasets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    chart = chart.configure(locale={"number": _number_locale()}).configure_legend(labelLimit=360)
    spec: dict[str, Any] = chart.to_dict()
    spec.setdefault("datasets", {}).update(datasets)
    return spec


def _series_names() -> dict[str, str]:
    return {
        "observed": _("in import order"),
        "expected": _("average over random orders"),
        "extrapolated": _("expected from further lists"),
    }


def curve_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Long-format points: one row per (number of lists, series)."""
    names = _series_names()
    rows: list[dict[str, Any]] = []
    total = len(data["lists"])
    for point in data["curve"]:
        if point["extrapolated"]:
            rows.append(
                {
                    "lists": point["lists"],
                    "series": names["extrapolated"],
                    "companies": point["expected"],
                    "list": None,
                    "new": None,
                }
            )
            continue
        rows.append(
            {
                "lists": point["lists"],
                "series": names["observed"],
                "companies": point["observed"],
                "list": point["list"],
                "new": point["new"],
            }
        )
        rows.append(
            {
                "lists": point["lists"],
                "series": names["expected"],
                "companies": point["expected"],
                "list": None,
                "new": None,
            }
        )
        if point["lists"] == total and any(p["extrapolated"] for p in data["curve"]):
            # the extrapolation starts where the observed curve ends
            rows.append(
                {
                    "lists": total,
                    "series": names["extrapolated"],
                    "companies": point["observed"],
                    "list": None,
                    "new": None,
                }
            )
    return rows


def curve_spec(data: dict[str, Any]) -> dict[str, Any]:
    """Accumulation curve: observed, expected over random orders, extrapolation, estimate band."""
    datasets: dict[str, list[dict[str, Any]]] = {}
    names = _series_names()
    rec = data["recommended"]
    x_title = _("Lists merged")
    y_title = _("Unique companies")
    lines = (
        alt.Chart(_named(datasets, "curve", curve_rows(data)))
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=alt.X("lists:Q", title=x_title, axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("companies:Q", title=y_title),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=[names["observed"], names["expected"], names["extrapolated"]],
                    range=[BLUE, GREY, ORANGE],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                title=None,
                legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(
                    domain=[names["observed"], names["expected"], names["extrapolated"]],
                    range=[[1, 0], [4, 3], [2, 2]],
                ),
            ),
            tooltip=[
                alt.Tooltip("series:N", title=_("Curve")),
                alt.Tooltip("lists:Q", title=x_title),
                alt.Tooltip("list:N", title=_("List")),
                alt.Tooltip("new:Q", title=_("New companies")),
                alt.Tooltip("companies:Q", title=y_title, format=",.0f"),
            ],
        )
    )
    layers: list[Any] = []
    population = rec.get("population")
    low, high = rec["ci95"]
    if population is not None:
        label = (_("at least %(n)s") if rec["lower_bound"] else _("estimate %(n)s")) % {
            "n": number_format(round(population), force_grouping=True)
        }
        band_row = {
            "population": population,
            "low": low,
            "high": high,
            "label": label,
        }
        band_data = _named(datasets, "band", [band_row])
        tooltip = [
            alt.Tooltip("label:N", title=_("Estimated market")),
            alt.Tooltip("low:Q", title=_("range from (95%)"), format=",.0f"),
            alt.Tooltip("high:Q", title=_("range to (95%)"), format=",.0f"),
        ]
        if low is not None and high is not None:
            layers.append(
                alt.Chart(band_data)
                .mark_rect(opacity=0.15, color=GREEN)
                .encode(y="low:Q", y2="high:Q", tooltip=tooltip)
            )
        layers.append(
            alt.Chart(band_data)
            .mark_rule(color=GREEN, strokeDash=[6, 3], strokeWidth=2)
            .encode(y="population:Q", tooltip=tooltip)
        )
        layers.append(
            alt.Chart(band_data)
            .mark_text(align="left", baseline="bottom", dx=4, dy=-4, color=GREEN, fontWeight="bold")
            .encode(y="population:Q", x=alt.value(4), text="label:N")
        )
    chart = alt.layer(*layers, lines).properties(width="container", height=320)
    return _spec(chart, datasets)


def frequency_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    unique = data["unique"] or 1
    return [
        {"k": k, "companies": q, "share": round(q / unique, 4)}
        for k, q in enumerate(data["frequency"], start=1)
    ]


def frequency_spec(data: dict[str, Any]) -> dict[str, Any]:
    """Histogram of Q_k: how many companies are on exactly k lists."""
    datasets: dict[str, list[dict[str, Any]]] = {}
    rows = frequency_rows(data)
    rare, often = _("on one or two lists"), _("on three lists or more")
    for row in rows:
        row["group"] = rare if row["k"] <= 2 else often
    chart = (
        alt.Chart(_named(datasets, "frequency", rows))
        .mark_bar()
        .encode(
            x=alt.X("k:O", title=_("Number of lists a company is on"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("companies:Q", title=_("Companies")),
            color=alt.Color(
                "group:N",
                title=None,
                scale=alt.Scale(domain=[rare, often], range=[ORANGE, BLUE]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("k:O", title=_("Lists")),
                alt.Tooltip("companies:Q", title=_("Companies"), format=",d"),
                alt.Tooltip("share:Q", title=_("Share of known companies"), format=".1%"),
            ],
        )
        .properties(width="container", height=240)
    )
    return _spec(chart, datasets)


def overlap_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every ordered pair of different lists: companies on both, Jaccard, both sizes."""
    overlap = data["overlap"]
    names = overlap["lists"]
    counts = overlap["counts"]
    jaccard = overlap["jaccard"]
    rows = []
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            if i == j:
                continue
            rows.append(
                {
                    "list_a": a,
                    "list_b": b,
                    "size_a": counts[i][i],
                    "size_b": counts[j][j],
                    "both": counts[i][j],
                    "jaccard": jaccard[i][j],
                }
            )
    return rows


def overlap_spec(data: dict[str, Any]) -> dict[str, Any]:
    """Heat map of Jaccard similarity between lists (diagonal left out), counts in the tooltip."""
    datasets: dict[str, list[dict[str, Any]]] = {}
    names = data["overlap"]["lists"]
    side = max(240, 14 * len(names))
    axis = alt.Axis(labelLimit=160)
    chart = (
        alt.Chart(_named(datasets, "overlap", overlap_rows(data)))
        .mark_rect()
        .encode(
            x=alt.X(
                "list_b:N",
                sort=names,
                title=None,
                axis=alt.Axis(labelLimit=160, labelAngle=-60),
            ),
            y=alt.Y("list_a:N", sort=names, title=None, axis=axis),
            color=alt.Color(
                "jaccard:Q",
                title=_("Jaccard"),
                scale=alt.Scale(scheme="blues", domainMin=0),
            ),
            tooltip=[
                alt.Tooltip("list_a:N", title=_("List")),
                alt.Tooltip("list_b:N", title=_("Other list")),
                alt.Tooltip("both:Q", title=_("Companies on both"), format=",d"),
                alt.Tooltip("size_a:Q", title=_("Companies on the list"), format=",d"),
                alt.Tooltip("size_b:Q", title=_("Companies on the other list"), format=",d"),
                alt.Tooltip("jaccard:Q", title=_("Jaccard"), format=".3f"),
            ],
        )
        .properties(width="container", height=side)
    )
    return _spec(chart, datasets)


def estimate_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    recommended = data["recommended"]["method"]
    return [
        {
            "method": e["method"],
            "population": e["population"],
            "se": e.get("se"),
            "low": e["ci95"][0],
            "high": e["ci95"][1],
            "aic": e.get("aic"),
            "recommended": e["method"] == recommended,
        }
        for e in data["estimates"]
    ]


def estimates_spec(data: dict[str, Any]) -> dict[str, Any]:
    """Every estimator's number with its 95% interval, the recommended one highlighted."""
    datasets: dict[str, list[dict[str, Any]]] = {}
    yes, no = _("recommended"), _("other methods")
    rows = []
    for row in estimate_rows(data):
        if row["population"] is None:
            continue
        rows.append(
            {
                **row,
                "kind": yes if row["recommended"] else no,
                # an interval with no upper end is drawn up to the point estimate only
                "high_drawn": row["high"] if row["high"] is not None else row["population"],
            }
        )
    order = [r["method"] for r in rows]
    base = alt.Chart(_named(datasets, "estimates", rows)).encode(
        y=alt.Y("method:N", sort=order, title=None, axis=alt.Axis(labelLimit=180))
    )
    color = alt.Color(
        "kind:N",
        title=None,
        scale=alt.Scale(domain=[yes, no], range=[GREEN, BLUE]),
        legend=alt.Legend(orient="bottom"),
    )
    tooltip = [
        alt.Tooltip("method:N", title=_("Method")),
        alt.Tooltip("population:Q", title=_("Estimate"), format=",.0f"),
        alt.Tooltip("low:Q", title=_("range from (95%)"), format=",.0f"),
        alt.Tooltip("high:Q", title=_("range to (95%)"), format=",.0f"),
    ]
    whiskers = base.mark_rule(strokeWidth=2).encode(
        # log scale: one runaway model (×20) must not squash the others into a dot
        x=alt.X("low:Q", title=_("Companies in the market"), scale=alt.Scale(type="log")),
        x2="high_drawn:Q",
        color=color,
        tooltip=tooltip,
    )
    points = base.mark_point(filled=True, size=60).encode(
        x="population:Q", color=color, tooltip=tooltip
    )
    known = (
        alt.Chart(_named(datasets, "known", [{"known": data["unique"]}]))
        .mark_rule(color=GREY, strokeDash=[4, 3])
        .encode(
            x="known:Q",
            tooltip=[alt.Tooltip("known:Q", title=_("Companies found"), format=",d")],
        )
    )
    chart = alt.layer(known, whiskers, points).properties(
        width="container", height=max(160, 22 * len(rows))
    )
    return _spec(chart, datasets)


def group_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per group of the breakdown, largest first."""
    by = data.get("by") or {}
    rows = []
    for name, group in by.get("groups", {}).items():
        rec = group["recommended"]
        rows.append(
            {
                "group": name,
                "companies": group["unique"],
                "method": rec["method"],
                "population": rec["population"],
                "low": rec["ci95"][0],
                "high": rec["ci95"][1],
                "lower_bound": rec["lower_bound"],
                "seen_share": rec.get("seen_share")
                if rec.get("seen_share") is not None
                else (group["unique"] / rec["population"] if rec["population"] else None),
                "next_list_new": group["next_list_expected_new"],
                "small": group["unique"] < by.get("min_companies", 50),
            }
        )
    rows.sort(key=lambda r: (-r["companies"], r["group"]))
    return rows


def groups_spec(data: dict[str, Any]) -> dict[str, Any]:
    """Known companies per group (bars) against the estimate and its range (tick and rule)."""
    datasets: dict[str, list[dict[str, Any]]] = {}
    rows = []
    for row in group_rows(data):
        estimate = row["population"] if row["population"] is not None else row["companies"]
        rows.append(
            {
                **row,
                "estimate": estimate,
                "low_drawn": row["low"] if row["low"] is not None else estimate,
                "high_drawn": row["high"] if row["high"] is not None else estimate,
            }
        )
    order = [r["group"] for r in rows]
    base = alt.Chart(_named(datasets, "groups", rows)).encode(
        y=alt.Y("group:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    )
    tooltip = [
        alt.Tooltip("group:N", title=_("Group")),
        alt.Tooltip("companies:Q", title=_("Companies found"), format=",d"),
        alt.Tooltip("estimate:Q", title=_("Estimate"), format=",.0f"),
        alt.Tooltip("low:Q", title=_("range from (95%)"), format=",.0f"),
        alt.Tooltip("high:Q", title=_("range to (95%)"), format=",.0f"),
    ]
    bars = base.mark_bar(color=BLUE, opacity=0.7).encode(
        x=alt.X("companies:Q", title=_("Companies")), tooltip=tooltip
    )
    ranges = base.mark_rule(color=GREEN, strokeWidth=2).encode(
        x="low_drawn:Q", x2="high_drawn:Q", tooltip=tooltip
    )
    ticks = base.mark_tick(color=GREEN, thickness=3).encode(x="estimate:Q", tooltip=tooltip)
    chart = alt.layer(bars, ranges, ticks).properties(
        width="container", height=max(120, 18 * len(rows))
    )
    return _spec(chart, datasets)
