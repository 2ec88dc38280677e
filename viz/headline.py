"""Market figures of both worlds since the lesson's start, and where the lesson is.

Transfers, transfers per year, months to market and public money per transfer: the end of the
chain, below the flow through its gates (:mod:`viz.gate_flow`), since market entries are rare
and a lesson may see none.
"""

from __future__ import annotations

import math
from typing import Any

import solara

from viz.reading import reading
from viz.style import WORLD_LABELS

#: (key of ``model.headline()``, label, format, unit, explanation for the tooltip)
FIGURES: tuple[tuple[str, str, str, str, str], ...] = (
    ("transfers", "Transfers", "{:.0f}", "", "Technologies that reached the market."),
    (
        "transfers_per_year",
        "Transfers per year",
        "{:.1f}",
        "",
        "Transfers ÷ years since the lesson's start (from the first year on).",
    ),
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
        "Public money spent since the lesson's start ÷ transfers.",
    ),
)


def format_figure(value: float | None, fmt: str, unit: str) -> str:
    """Format a headline value; missing or undefined values (no transfer yet) show a dash."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return fmt.format(value) + unit


def month_text(lesson: Any) -> str:
    """'Month 30 of 240 · 2.5 years since the lesson's start' for the page."""
    month = int(getattr(lesson, "month", 0))
    total = int(getattr(lesson, "lesson_months", 0))
    text = f"Month {month} of {total}" if total else f"Month {month}"
    return f"{text} · {month / 12:.1f} years since the lesson's start"


@solara.component
def Headline(lesson: Any, tick: int = 0) -> None:
    """Show a row of big numbers, both worlds in each card, redrawn when ``tick`` changes."""
    with reading(lesson):
        policy, quo = lesson.headline(), lesson.headline_quo()
    with solara.Row(style={"flex-wrap": "wrap", "gap": "6px"}, classes=["sc-headline"]):
        for key, label, fmt, unit, explanation in FIGURES:
            with solara.Card(
                margin=0, style={"flex": "1 1 150px", "min-width": "140px"}, classes=[f"sc-{key}"]
            ):
                with solara.Row(style={"align-items": "baseline", "gap": "6px"}):
                    solara.Text(label, style={"font-size": "0.78em", "color": "#546e7a"})
                    solara.HTML(
                        tag="div",
                        unsafe_innerHTML=format_figure(policy.get(key), fmt, unit),
                        attributes={"title": f"{WORLD_LABELS['policy']}: {explanation}"},
                        classes=["sc-figure"],
                        style="font-size: 1.15em; font-weight: 600; line-height: 1.15;",
                    )
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=(
                        f"{WORLD_LABELS['quo']}: {format_figure(quo.get(key), fmt, unit)}"
                    ),
                    attributes={"title": f"{WORLD_LABELS['quo']}: {explanation}"},
                    classes=["sc-figure-quo"],
                    style="font-size: 0.78em; color: #607d8b;",
                )


@solara.component
def LessonStatus(lesson: Any, tick: int = 0) -> None:
    """Where the lesson is, and a clear message once it has ended."""
    solara.Text(
        month_text(lesson), classes=["sc-month"], style={"color": "#37474f", "padding-top": "6px"}
    )
    if not lesson.running:
        solara.Success(
            "Run finished — press Reset to start again.", dense=True, classes=["sc-finished"]
        )
