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
