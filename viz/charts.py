"""Charts that update as the lesson runs, from each world's monthly table (``datacollector``).

* projects per stage in the policy world (stacked areas);
* cumulative transfers to market in both worlds, on one chart (chosen policies vs status quo);
* exits by cause so far (bars);
* public money spent so far, by instrument (stacked areas, M RMB).

Time is counted in years since the lesson's start and cumulative figures from that start (the
spun-up history before it is not shown). Each chart is an Altair template built once
(:func:`viz.vega.cached_template`); a frame only fills in the data.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import solara

from viz.export import DataExport
from viz.reading import reading
from viz.style import (
    EXITS,
    PUBLIC_INSTRUMENTS,
    STAGE_COLOR,
    STAGES,
    TRANSFER_COLOR,
    WORLD_LABELS,
    WORLD_QUO_COLOR,
)
from viz.vega import Spec, VegaSpec, cached_template, with_datasets

CHART_HEIGHT = 85
# Room reserved for the y labels: a chart is laid out once in the browser, and labels that
# grow as the run goes on (0 -> 12k) must not push the plot out of its card.
_Y_AXIS = alt.Axis(format="~s", minExtent=34)
_YEARS = alt.X("years:Q", title="years since start", scale=alt.Scale(domainMin=0, nice=False))
#: Columns counted from the lesson's start (the others are stocks, shown as they are).
_CUMULATIVE = ["transfers", *(c for c, _, _ in EXITS), *(c for c, _, _ in PUBLIC_INSTRUMENTS)]


def _chart_columns() -> list[str]:
    columns = ["month", "transfers", *(c for c, _, _, _ in STAGES)]
    return columns + [c for c, _, _ in EXITS] + [c for c, _, _ in PUBLIC_INSTRUMENTS]


def model_table(world: Any, start_month: int = 0) -> pd.DataFrame:
    """Monthly values the charts use, from ``start_month`` on, with ``years`` since it.

    The first row is the state at the start (cumulative columns 0), so every chart starts at
    the origin and is never empty. Only the charted columns are copied (the model collects
    some seventy).
    """
    data = world.datacollector.model_vars
    months = len(data.get("month", []))
    first = max(0, start_month - 1)  # row of the lesson's month 0: the state at its start
    table: dict[str, list[Any]] = {}
    for column in _chart_columns():
        values = data.get(column)
        if values is None or len(values) != months:
            continue
        rows = list(values[first:]) if start_month > 0 else [0, *values]
        if column in _CUMULATIVE:
            rows = [v - rows[0] for v in rows]
        table[column] = rows
    frame = pd.DataFrame(table)
    if "month" not in frame or frame.empty:
        return pd.DataFrame({"month": [start_month], "years": [0.0]})
    frame["month"] = [start_month + i for i in range(len(frame))]
    frame["years"] = (frame["month"] - start_month) / 12.0
    return frame


def lesson_tables(lesson: Any) -> dict[str, pd.DataFrame]:
    """The chart tables of both worlds: ``policy`` and ``quo``."""
    start = lesson.start.month
    return {"policy": model_table(lesson.world, start), "quo": model_table(lesson.quo, start)}


def _source(name: str) -> alt.Chart:
    return alt.Chart(alt.NamedData(name=name))


def _finish(
    chart: alt.TopLevelMixin, title: str, height: int = CHART_HEIGHT, legend_font: int = 9
) -> alt.TopLevelMixin:
    return (
        chart.properties(
            title=title,
            width="container",
            height=height,
            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        )
        .configure_view(stroke=None)
        .configure_title(fontSize=12, anchor="start")
        .configure_legend(
            labelFontSize=legend_font,
            titleFontSize=10,
            orient="bottom",
            columns=2,
            labelLimit=0,
            symbolSize=40,
            labelOffset=2,
            columnPadding=4,
            rowPadding=1,
            padding=2,
        )
        .configure_axis(labelFontSize=10, titleFontSize=10)
    )


def stages_template() -> alt.TopLevelMixin:
    """Stacked areas: projects in each stage, month by month."""
    area = _source("series").mark_area(opacity=0.9, line={"color": "#37474f", "strokeWidth": 0.4})
    area = area.encode(
        x=_YEARS,
        y=alt.Y("projects:Q", stack="zero", title="projects", axis=_Y_AXIS),
        color=alt.Color(
            "stage:N",
            scale=alt.Scale(domain=list(STAGE_COLOR), range=list(STAGE_COLOR.values())),
            legend=alt.Legend(title=None),
        ),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("years:Q", format=".1f"), "stage:N", "projects:Q"],
    )
    return _finish(area, "Projects in each stage")


def transfers_template() -> alt.TopLevelMixin:
    """Lines: transfers to market since the start, chosen policies and status quo together."""
    labels = list(WORLD_LABELS.values())
    line = _source("series").mark_line(strokeWidth=2.5, interpolate="step-after")
    line = line.encode(
        x=_YEARS,
        y=alt.Y(
            "transfers:Q",
            title="transfers (cumulative)",
            # whole transfers only: a short chart would otherwise label 0.5 as "1"
            axis=alt.Axis(
                format="d",
                tickMinStep=1,
                minExtent=34,
                labelExpr="datum.value % 1 ? '' : datum.label",
            ),
        ),
        color=alt.Color(
            "world:N",
            scale=alt.Scale(domain=labels, range=[TRANSFER_COLOR, WORLD_QUO_COLOR]),
            # inside, top left: cumulative lines rise to the right and leave that corner free
            legend=alt.Legend(title=None, orient="top-left", columns=1, fillColor="#ffffffcc"),
        ),
        strokeDash=alt.StrokeDash(
            "world:N", scale=alt.Scale(domain=labels, range=[[1, 0], [5, 3]]), legend=None
        ),
        tooltip=["world:N", alt.Tooltip("years:Q", format=".1f"), "transfers:Q"],
    )
    return _finish(line, "Transfers to market")


def exits_template() -> alt.TopLevelMixin:
    """Bars: projects that stopped, by cause, so far (the count is part of each row's label)."""
    labels = [label for _, label, _ in EXITS]
    bars = (
        _source("series")
        .mark_bar()
        .encode(
            y=alt.Y(
                "row:N",
                sort=alt.EncodingSortField("order"),
                title=None,
                axis=alt.Axis(labelLimit=230, minExtent=100),
            ),
            x=alt.X("projects:Q", title="projects (cumulative)"),
            color=alt.Color(
                "cause:N",
                scale=alt.Scale(domain=labels, range=[c for _, _, c in EXITS]),
                legend=None,
            ),
            tooltip=["cause:N", "projects:Q"],
        )
    )
    return _finish(bars, "Why projects stopped")


def public_template() -> alt.TopLevelMixin:
    """Stacked areas: public money spent so far, by instrument."""
    labels = [label for _, label, _ in PUBLIC_INSTRUMENTS]
    area = (
        _source("series")
        .mark_area(opacity=0.9)
        .encode(
            x=_YEARS,
            y=alt.Y("mrmb:Q", stack="zero", title="M RMB (cumulative)", axis=_Y_AXIS),
            color=alt.Color(
                "instrument:N",
                scale=alt.Scale(domain=labels, range=[c for _, _, c in PUBLIC_INSTRUMENTS]),
                legend=alt.Legend(title=None),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("years:Q", format=".1f"),
                "instrument:N",
                alt.Tooltip("mrmb:Q", format=".1f"),
            ],
        )
    )
    # every instrument has a legend row of two: a lower plot keeps the card's height, and a
    # smaller font keeps the nine instruments' two columns inside the card at 1366 × 768
    return _finish(area, "Public money spent", height=CHART_HEIGHT - 14, legend_font=8)


def _long(
    table: pd.DataFrame, columns: list[tuple[str, str]], var: str, value: str
) -> list[dict[str, Any]]:
    """Rows month / ``var`` / ``value`` / order from ``columns`` [(column, label)] of ``table``."""
    years = table["years"].tolist()
    rows: list[dict[str, Any]] = []
    for order, (column, label) in enumerate(columns):
        if column not in table:
            continue
        for year, amount in zip(years, table[column].tolist(), strict=True):
            rows.append({"years": year, var: label, value: amount, "order": order})
    return rows


def stages_spec(tables: dict[str, pd.DataFrame]) -> Spec:
    """Spec of the stage chart of the policy world."""
    cols = [(c, label) for c, _, label, _ in STAGES]
    return with_datasets(
        cached_template(stages_template), series=_long(tables["policy"], cols, "stage", "projects")
    )


def transfers_series(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Rows world / years / transfers of both worlds."""
    rows = []
    for key in ("policy", "quo"):
        table = tables[key]
        if "transfers" not in table:
            continue
        for year, n in zip(table["years"].tolist(), table["transfers"].tolist(), strict=True):
            rows.append({"world": WORLD_LABELS[key], "years": year, "transfers": n})
    return rows


def transfers_spec(tables: dict[str, pd.DataFrame]) -> Spec:
    """Spec of the cumulative-transfers chart of both worlds."""
    return with_datasets(cached_template(transfers_template), series=transfers_series(tables))


def exits_spec(tables: dict[str, pd.DataFrame]) -> Spec:
    """Spec of the exits chart: the latest count of each cause since the start."""
    table = tables["policy"]
    last = table.iloc[-1] if not table.empty else pd.Series(dtype=float)
    counts = [int(last.get(c, 0) or 0) for c, _, _ in EXITS]
    series = [
        {"cause": label, "row": f"{label} · {n}", "projects": n, "order": i}
        for i, ((_, label, _), n) in enumerate(zip(EXITS, counts, strict=True))
    ]
    return with_datasets(cached_template(exits_template), series=series)


def public_spec(tables: dict[str, pd.DataFrame]) -> Spec:
    """Spec of the public-money chart of the policy world."""
    cols = [(c, label) for c, label, _ in PUBLIC_INSTRUMENTS]
    return with_datasets(
        cached_template(public_template),
        series=_long(tables["policy"], cols, "instrument", "mrmb"),
    )


#: (chart key, builder) in page order; the key names the chart's export files.
CHARTS = (
    ("transfers", transfers_spec),
    ("stages", stages_spec),
    ("exits", exits_spec),
    ("public_money", public_spec),
)


@solara.component
def Charts(lesson: Any, tick: int = 0) -> None:
    """Show the four charts in a 2 × 2 grid, redrawn when ``tick`` changes.

    The download of the monthly data sits beside the note above them.
    """
    with reading(lesson):
        tables = lesson_tables(lesson)
    with solara.Row(style={"align-items": "center", "gap": "8px"}):
        solara.Text(
            "Other charts: the chosen-policies world.",
            style={"font-size": "0.8em", "color": "#607d8b", "flex": "1 1 auto"},
            classes=["sc-charts-note"],
        )
        DataExport(lesson)
    with solara.GridFixed(columns=2, row_gap="6px", column_gap="6px"):
        for key, make in CHARTS:
            with solara.Card(
                margin=0, classes=["sc-chart", f"sc-chart-{key}"], style={"min-width": "0"}
            ):
                VegaSpec(make(tables), name=key)
