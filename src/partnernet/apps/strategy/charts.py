"""Vega-Lite specs (via Altair) for the strategy pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import altair as alt


def waterfall_spec(steps: list[dict[str, Any]], labels: dict[str, str]) -> dict[str, Any]:
    """A waterfall from the list total to the vendor's revenue (``ChainResult.waterfall()``).

    Totals are bars from zero; steps float between the running total before and after them.
    """
    rows = []
    running = Decimal(0)
    for order, step in enumerate(steps):
        amount = Decimal(step["amount"])
        if step["kind"] == "total":
            start, end = Decimal(0), amount
            running = amount
        else:
            start, end = running, running + amount
            running = end
        rows.append(
            {
                "order": order,
                "step": labels.get(step["label"], step["label"]),
                "start": float(start),
                "end": float(end),
                "amount": float(amount),
                "kind": step["kind"]
                if step["kind"] == "total"
                else ("down" if amount < 0 else "up"),
            }
        )
    data = alt.Data(values=rows)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("step:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("start:Q", title="₽"),
            y2="end:Q",
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=["total", "down", "up"], range=["#0b3c5d", "#c0392b", "#2e8b57"]
                ),
                legend=None,
            ),
            tooltip=[alt.Tooltip("step:N"), alt.Tooltip("amount:Q", format=",.2f")],
        )
        .properties(width="container", height=260)
    )
    return chart.to_dict()


def cumulative_cost_spec(comparison: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """Cumulative customer cost per year, one line per licence model."""
    rows = [
        {"year": year["year"], "model": labels[model], "cost": float(year["cumulative_customer"])}
        for model in ("perpetual", "subscription")
        for year in comparison[model]["years"]
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=labels["year"]),
            y=alt.Y("cost:Q", title="₽"),
            color=alt.Color("model:N", title=None),
            tooltip=["model:N", "year:O", alt.Tooltip("cost:Q", format=",.2f")],
        )
        .properties(width="container", height=240)
    )
    return chart.to_dict()


def _target_rule(target: float) -> alt.Chart:
    return (
        alt.Chart(alt.Data(values=[{"target": target}]))
        .mark_rule(color="#c0392b", strokeDash=[4, 3])
        .encode(y="target:Q")
    )


def target_history_spec(
    rows: list[dict[str, Any]], *, target: float, labels: dict[str, str]
) -> dict[str, Any]:
    """A target's value at the end of every month (``date``, ``value``) and the target line."""
    line = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("date:T", title=labels["date"], axis=alt.Axis(format="%m.%Y")),
            y=alt.Y("value:Q", title=labels["value"]),
            tooltip=[alt.Tooltip("date:T", format="%m.%Y"), alt.Tooltip("value:Q")],
        )
    )
    return alt.layer(line, _target_rule(target)).properties(width="container", height=120).to_dict()


def quota_gaps_spec(rows: list[dict[str, Any]], *, labels: dict[str, str]) -> dict[str, Any]:
    """Territories with a gap: partners they have and partners missing, as stacked bars."""
    values = [
        {"territory": r["territory"], "part": labels[part], "n": r[part], "order": i}
        for r in rows
        for i, part in enumerate(("have", "gap"))
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("territory:N", sort=None, title=None),
            x=alt.X("n:Q", stack="zero", title=labels["partners"]),
            color=alt.Color(
                "part:N",
                scale=alt.Scale(
                    domain=[labels["have"], labels["gap"]], range=["#2e8b57", "#e67e22"]
                ),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            order=alt.Order("order:Q"),
            tooltip=["territory:N", "part:N", "n:Q"],
        )
        .properties(width="container", height=max(60, 14 * len(rows)))
    )
    return chart.to_dict()


def deal_margins_spec(
    rows: list[dict[str, Any]], *, target: float, labels: dict[str, str]
) -> dict[str, Any]:
    """Partner margin of each recent saved deal (deals below the floor in red), target line."""
    points = (
        alt.Chart(alt.Data(values=rows))
        .mark_circle(size=40)
        .encode(
            x=alt.X("date:T", title=labels["date"]),
            y=alt.Y("margin:Q", title=labels["margin"]),
            color=alt.Color(
                "below:N",
                scale=alt.Scale(domain=[False, True], range=["#0b3c5d", "#c0392b"]),
                legend=None,
            ),
            tooltip=[alt.Tooltip("deal:N", title=labels["deal"]), "date:T", "margin:Q"],
        )
    )
    return (
        alt.layer(points, _target_rule(target)).properties(width="container", height=120).to_dict()
    )
