"""Headline figures: transfers so far, transfers per year, months to market, public money."""

from __future__ import annotations

import math
from typing import Any

import solara

#: (key of ``model.headline()``, label, format, unit, explanation for the tooltip)
FIGURES: tuple[tuple[str, str, str, str, str], ...] = (
    ("transfers", "Transfers so far", "{:.0f}", "", "Technologies that reached the market."),
    ("transfers_per_year", "Transfers per year", "{:.1f}", "", "Transfers ÷ years run so far."),
    (
        "median_months_to_market",
        "Median time to market",
        "{:.0f}",
        " months",
        "From discovery to market, for the technologies that got there.",
    ),
    (
        "public_spend_per_transfer",
        "Public money per transfer",
        "{:,.0f}",
        " M RMB",
        "All public money spent so far ÷ transfers so far.",
    ),
)


def format_figure(value: float | None, fmt: str, unit: str) -> str:
    """Format a headline value; missing or undefined values (no transfer yet) show a dash."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return fmt.format(value) + unit


def month_text(model: Any) -> str:
    """'Month 30 of 204 (warm-up: months 1-24)' for the page."""
    month = int(getattr(model, "month", 0))
    total = int(getattr(model, "total_months", 0))
    warmup = int(getattr(getattr(model, "params", None), "warmup_months", 0) or 0)
    text = f"Month {month} of {total}" if total else f"Month {month}"
    if warmup:
        text += f" (warm-up: months 1–{warmup})"
    return text


@solara.component
def Headline(model: Any, tick: int = 0) -> None:
    """Show a row of big numbers, redrawn when ``tick`` changes."""
    values = model.headline()
    with solara.Row(style={"flex-wrap": "wrap", "gap": "8px"}, classes=["sc-headline"]):
        for key, label, fmt, unit, explanation in FIGURES:
            with solara.Card(
                margin=0, style={"flex": "1 1 160px", "min-width": "150px"}, classes=[f"sc-{key}"]
            ):
                solara.Text(label, style={"font-size": "0.85em", "color": "#546e7a"})
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=format_figure(values.get(key), fmt, unit),
                    attributes={"title": explanation},
                    classes=["sc-figure"],
                    style="font-size: 1.7em; font-weight: 600; line-height: 1.3;",
                )
    solara.Text(month_text(model), classes=["sc-month"], style={"color": "#37474f"})
