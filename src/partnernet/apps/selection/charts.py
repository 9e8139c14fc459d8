"""Vega-Lite specs of the selection pages: the gap map, gaps per district, the funnel in time.

The map needs no tiles or boundary files: every bundled city is a faint dot (together they
draw Russia and the CIS), the quota's cities are points sized by recruited partners and
coloured by the gap, on a conic equal-area projection centred on Russia.
"""

from __future__ import annotations

from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
PROJECTION = {"type": "conicEqualArea", "rotate": [-100, 0], "parallels": [52, 64]}
GAP_COLOURS = {"domain": [0, 1, 5], "range": ["#2e8b57", "#f0ad4e", "#c0392b"]}


def gap_map_spec(
    rows: list[dict[str, Any]], background: list[dict[str, Any]], labels: dict[str, str]
) -> dict[str, Any]:
    points = [
        {
            "name": r["name"],
            "lon": r["lon"],
            "lat": r["lat"],
            "have": r["have"],
            "need": r["need"],
            "gap": r["gap"],
        }
        for r in rows
        if r.get("lon") is not None and r.get("lat") is not None
    ]
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 420,
        "projection": PROJECTION,
        "layer": [
            {
                "data": {"values": background},
                "mark": {"type": "circle", "size": 4, "color": "#c8ced6", "opacity": 0.7},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                },
            },
            {
                "data": {"values": points},
                "mark": {"type": "circle", "opacity": 0.85, "stroke": "#333", "strokeWidth": 0.5},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                    "size": {
                        "field": "have",
                        "type": "quantitative",
                        "title": labels["have"],
                        "scale": {"range": [40, 900], "zero": False},
                    },
                    "color": {
                        "field": "gap",
                        "type": "quantitative",
                        "title": labels["gap"],
                        "scale": GAP_COLOURS,
                    },
                    "tooltip": [
                        {"field": "name", "title": labels["territory"]},
                        {"field": "have", "title": labels["have"]},
                        {"field": "need", "title": labels["need"]},
                        {"field": "gap", "title": labels["gap"]},
                    ],
                },
            },
        ],
    }


def gap_bars_spec(rows: list[dict[str, Any]], labels: dict[str, str]) -> dict[str, Any]:
    """Have and gap per territory as stacked bars (federal districts, regions, countries)."""
    values = []
    for r in rows:
        values.append(
            {"territory": r["name"], "part": labels["have"], "n": min(r["have"], r["need"])}
        )
        values.append({"territory": r["name"], "part": labels["gap"], "n": r["gap"]})
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": {"step": 18},
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "territory", "type": "nominal", "title": None, "sort": None},
            "x": {"field": "n", "type": "quantitative", "title": labels["partners"]},
            "color": {
                "field": "part",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [labels["have"], labels["gap"]],
                    "range": ["#2e8b57", "#c0392b"],
                },
            },
            "tooltip": [
                {"field": "territory", "title": labels["territory"]},
                {"field": "part", "title": " "},
                {"field": "n", "title": labels["partners"]},
            ],
        },
    }


def stage_counts_spec(rows: list[dict[str, Any]], labels: dict[str, str]) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 220,
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": None},
            "y": {"field": "count", "type": "quantitative", "title": labels["partners"]},
            "color": {"field": "stage", "type": "nominal", "title": labels["stage"]},
        },
    }
