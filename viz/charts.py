"""Charts that update as the model runs, from the model's monthly table (``datacollector``).

* projects per stage over time (stacked areas);
* cumulative transfers to market;
* exits by cause so far (bars);
* public money spent so far, by instrument (stacked areas, M RMB).

The warm-up months (the region filling up with projects before counting starts) are shaded.
Each chart is an Altair template built once (:func:`viz.vega.cached_template`); a frame only
fills in the data.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import solara

from viz.style import EXITS, PUBLIC_INSTRUMENTS, STAGE_COLOR, STAGES, TRANSFER_COLOR
from viz.vega import Spec, VegaSpec, cached_template, with_datasets

CHART_HEIGHT = 165
# Room reserved for the y labels: a chart is laid out once in the browser, and labels that
# grow as the run goes on (0 -> 12k) must not push the plot out of its card.
_Y_AXIS = alt.Axis(format="~s", minExtent=34)
_MONTH = alt.X("month:Q", title="month", scale=alt.Scale(domainMin=0, nice=False))


def _chart_columns() -> list[str]:
    columns = ["month", "transfers", *(c for c, _, _, _ in STAGES)]
    return columns + [c for c, _, _ in EXITS] + [c for c, _, _ in PUBLIC_INSTRUMENTS]


def model_table(model: Any) -> pd.DataFrame:
    """Return the monthly values the charts use, with a month-0 row of zeros first.

    The zero row makes every chart start at the origin and never be empty. Only the charted
    columns are copied (the model collects some sixty).
    """
    data = model.datacollector.model_vars
    months = len(data.get("month", []))
    table = {}
    for column in _chart_columns():
        values = data.get(column)
        if values is not None and len(values) == months:
            table[column] = [0, *values]
    if "month" not in table:
        table["month"] = [0]
    return pd.DataFrame(table)


def _warmup(model: Any) -> pd.DataFrame:
    months = int(getattr(getattr(model, "params", None), "warmup_months", 0) or 0)
    if months <= 0:
        return pd.DataFrame({"x": [], "x2": [], "text": []})
    return pd.DataFrame({"x": [0.0], "x2": [float(months)], "text": ["warm-up"]})


def _source(name: str) -> alt.Chart:
    return alt.Chart(alt.NamedData(name=name))


def _with_warmup(chart: alt.Chart) -> alt.LayerChart:
    band = (
        _source("warmup").mark_rect(color="#eceff1", opacity=0.8).encode(x=alt.X("x:Q"), x2="x2:Q")
    )
    label = (
        _source("warmup")
        .mark_text(align="left", baseline="top", dx=3, dy=3, color="#90a4ae", fontSize=10)
        .encode(x="x:Q", y=alt.value(0), text="text:N")
    )
    return alt.layer(band, chart, label)


def _finish(chart: alt.TopLevelMixin, title: str) -> alt.TopLevelMixin:
    return (
        chart.properties(
            title=title,
            width="container",
            height=CHART_HEIGHT,
            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        )
        .configure_view(stroke=None)
        .configure_title(fontSize=13, anchor="start")
        .configure_legend(
            labelFontSize=10, titleFontSize=10, orient="bottom", columns=2, labelLimit=88
        )
        .configure_axis(labelFontSize=10, titleFontSize=10)
    )


def stages_template() -> alt.TopLevelMixin:
    """Stacked areas: projects in each stage, month by month."""
    area = _source("series").mark_area(opacity=0.9, line={"color": "#37474f", "strokeWidth": 0.4})
    area = area.encode(
        x=_MONTH,
        y=alt.Y("projects:Q", stack="zero", title="projects", axis=_Y_AXIS),
        color=alt.Color(
            "stage:N",
            scale=alt.Scale(domain=list(STAGE_COLOR), range=list(STAGE_COLOR.values())),
            legend=alt.Legend(title=None),
        ),
        order=alt.Order("order:Q"),
        tooltip=["month:Q", "stage:N", "projects:Q"],
    )
    return _finish(_with_warmup(area), "Projects in each stage")


def transfers_template() -> alt.TopLevelMixin:
    """Line: transfers to market so far."""
    line = _source("series").mark_line(
        color=TRANSFER_COLOR, strokeWidth=2.5, interpolate="step-after"
    )
    line = line.encode(
        x=_MONTH,
        y=alt.Y(
            "transfers:Q",
            title="transfers (cumulative)",
            axis=alt.Axis(format="d", tickMinStep=1, minExtent=34),
        ),
        tooltip=["month:Q", "transfers:Q"],
    )
    return _finish(_with_warmup(line), "Transfers to market so far")


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
            x=_MONTH,
            y=alt.Y("mrmb:Q", stack="zero", title="M RMB (cumulative)", axis=_Y_AXIS),
            color=alt.Color(
                "instrument:N",
                scale=alt.Scale(domain=labels, range=[c for _, _, c in PUBLIC_INSTRUMENTS]),
                legend=alt.Legend(title=None),
            ),
            order=alt.Order("order:Q"),
            tooltip=["month:Q", "instrument:N", alt.Tooltip("mrmb:Q", format=".1f")],
        )
    )
    return _finish(_with_warmup(area), "Public money spent so far")


def _long(
    table: pd.DataFrame, columns: list[tuple[str, str]], var: str, value: str
) -> list[dict[str, Any]]:
    """Rows month / ``var`` / ``value`` / order from ``columns`` [(column, label)] of ``table``."""
    months = table["month"].tolist()
    rows: list[dict[str, Any]] = []
    for order, (column, label) in enumerate(columns):
        if column not in table:
            continue
        for month, amount in zip(months, table[column].tolist(), strict=True):
            rows.append({"month": month, var: label, value: amount, "order": order})
    return rows


def stages_spec(model: Any, table: pd.DataFrame) -> Spec:
    """Spec of the stage chart for the table so far."""
    cols = [(c, label) for c, _, label, _ in STAGES]
    return with_datasets(
        cached_template(stages_template),
        series=_long(table, cols, "stage", "projects"),
        warmup=_warmup(model),
    )


def transfers_spec(model: Any, table: pd.DataFrame) -> Spec:
    """Spec of the cumulative-transfers chart."""
    cols = [c for c in ("month", "transfers") if c in table]
    series = table[cols] if len(cols) == 2 else pd.DataFrame({"month": [], "transfers": []})
    return with_datasets(cached_template(transfers_template), series=series, warmup=_warmup(model))


def exits_spec(model: Any, table: pd.DataFrame) -> Spec:
    """Spec of the exits chart: the latest cumulative count of each cause."""
    last = table.iloc[-1] if not table.empty else pd.Series(dtype=float)
    counts = [int(last.get(c, 0) or 0) for c, _, _ in EXITS]
    series = [
        {"cause": label, "row": f"{label} · {n}", "projects": n, "order": i}
        for i, ((_, label, _), n) in enumerate(zip(EXITS, counts, strict=True))
    ]
    return with_datasets(cached_template(exits_template), series=series)


def public_spec(model: Any, table: pd.DataFrame) -> Spec:
    """Spec of the public-money chart."""
    cols = [(c, label) for c, label, _ in PUBLIC_INSTRUMENTS]
    return with_datasets(
        cached_template(public_template),
        series=_long(table, cols, "instrument", "mrmb"),
        warmup=_warmup(model),
    )


CHARTS = (stages_spec, transfers_spec, exits_spec, public_spec)


@solara.component
def Charts(model: Any, tick: int = 0) -> None:
    """Show the four charts in a 2 × 2 grid, redrawn when ``tick`` changes."""
    table = model_table(model)
    with solara.GridFixed(columns=2, row_gap="8px", column_gap="8px"):
        for make in CHARTS:
            with solara.Card(margin=0, classes=["sc-chart"], style={"min-width": "0"}):
                VegaSpec(make(model, table))
