"""The report's figures (seaborn on matplotlib's Agg canvas), each saved as PNG and SVG.

* ``throughput`` — transfers per year against each swept numeric parameter, mean and 95% CI
  band (one panel per parameter), or per scenario for scenario sweeps;
* ``funnel`` — projects entering each stage per run (PoC → pilot → pilot started →
  industrialisation → market), per point;
* ``exits`` — where and why projects die, stacked by cause, per point;
* ``time_to_market`` — distribution of the runs' median discovery-to-market months, per point;
* ``stages_over_time`` — projects in each stage per month, mean across runs with a 95% band;
* ``effects`` — paired effects of each point against the reference with 95% CIs (a forest
  plot, up to ``MAX_GROUPS`` points);
* ``response`` (grid sweeps) — paired effect against the reference along each swept parameter
  (the others held at the reference's values), with its 95% band;
* ``sensitivity`` (Sobol/Morris/LHS sweeps) — the indices with their intervals;
* ``response_over_time`` (sweeps with a reference) — the paired effect on each gate's flow per
  year since the policy's introduction, one panel per gate.

Every axis says its unit; titles are wrapped to the width of their axes; ``layout_problems``
finds text cut off by the figure's edge or overlapping other text (the figure test runs it on
every kind of figure).

Figures are drawn on ``matplotlib.figure.Figure`` objects with an Agg canvas, never through
``pyplot``'s global state: the report works headless, in worker processes and beside a
notebook's own backend. Points beyond ``MAX_GROUPS`` (e.g. a Sobol design) are pooled into one
"all points" group in the per-point figures, which would otherwise be unreadable.
"""

from __future__ import annotations

import itertools
import math
import textwrap
import warnings
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from pandas.api.typing import SeriesGroupBy
from scipy import stats

from ecosystem import outputs, vocabulary
from ecosystem.policies import POLICY_LABELS
from experiments.statistics import mean_interval

MAX_GROUPS = 18  # status quo + 15 single policies + full chain still get a group each (+1 spare)
FUNNEL: tuple[tuple[str, str], ...] = (
    ("entered_poc", "entered proof of concept"),
    ("entered_pilot", "entered pilot (seeking money)"),
    ("pilots_started", "pilot started (funded)"),
    ("entered_industrialisation", "entered industrialisation"),
    ("transfers", "reached market (transfers)"),
)
STAGES: tuple[tuple[str, str], ...] = tuple(  # column, label: the vocabulary's stage names
    (column, vocabulary.STAGE_LABELS[stage].lower())
    for column, stage in zip(
        ("stage_poc", "stage_pilot", "stage_industrialisation"), vocabulary.STAGES, strict=True
    )
)
MAX_BANDS = 5  # confidence bands drawn in the over-time figure up to this many groups
POOLED = "all points (pooled)"
DPI = 150


# --- helpers ----------------------------------------------------------------------------------
def _figure(width: float, height: float) -> Figure:
    """A figure on its own Agg canvas (no pyplot, no global backend switch)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _wrap(text: str, ax_or_fig, fontsize: float = 10.0) -> str:
    """Text wrapped to the width of an axes (or figure), so a title never runs off it."""
    fig = ax_or_fig if isinstance(ax_or_fig, Figure) else ax_or_fig.figure
    if isinstance(ax_or_fig, Figure):
        width_in = fig.get_figwidth()
    else:
        width_in = fig.get_figwidth() * ax_or_fig.get_position().width
    chars = max(12, int(width_in * 72 / (fontsize * 0.6)))
    return "\n".join(textwrap.fill(line, chars) for line in text.split("\n"))


def _title(ax, text: str, fontsize: float = 10.0) -> None:
    ax.set_title(_wrap(text, ax, fontsize), fontsize=fontsize)


def _suptitle(fig: Figure, text: str) -> None:
    fig.suptitle(_wrap(text, fig, 12.0), fontsize=12.0)


LABEL_CHARS = 34  # tick labels longer than this wrap onto more lines


def _label(text: str) -> str:
    """A point label wrapped at its commas/spaces so long labels do not squeeze the axes."""
    return textwrap.fill(text, LABEL_CHARS)


def _arm(label: str) -> str:
    """A scenario's plain-language name (``one_hour_circle`` → One-hour circle), else ``label``.

    Policy labels come from the policy registry, so a newly registered policy is named too.
    """
    if label == "full_chain":
        return "All policies (full chain)"
    if label == "status_quo":
        return "Status quo"
    return POLICY_LABELS.get(label, label)


def _parameter_names(paths: list[str]) -> dict[str, str]:
    """Short, unique labels of dotted parameter paths.

    A policy's parameter is named with its policy (``Pilot loans: running_cost_mrmb_per_year``),
    since policies share parameter names; any other by its last part, unless two share it.
    """
    short = {p: (f"{_arm(p.split('.')[1])}: {p.rsplit('.', 1)[-1]}"
                 if p.startswith("policies.") and p.count(".") >= 2 else p.rsplit(".", 1)[-1])
             for p in paths}
    counts = pd.Series(list(short.values())).value_counts()
    return {p: (s if counts[s] == 1 else p) for p, s in short.items()}


def _panel_height(labels: list[str], least: float) -> float:
    """Inches for a panel of horizontal bars, one per label: ``least``, more for wrapped ones."""
    return max(least, _row_height(labels) + 1.0)


def _few_ticks(ax, nbins: int = 5) -> None:
    """At most ``nbins`` x ticks, so the numbers of a narrow panel do not run into each other."""
    ax.xaxis.set_major_locator(MaxNLocator(nbins=nbins))


def _row_height(labels: list[str]) -> float:
    """Inches for a horizontal row per label (more for wrapped labels)."""
    return sum(0.3 + 0.14 * _label(lab).count("\n") for lab in labels) + 0.15 * len(labels)


def _pct(p: float) -> str:
    """A percentage without scientific notation: ``100%``, ``37%``, ``4.2%``, ``0.3%``."""
    return f"{p:.0f}%" if p >= 9.5 else f"{p:.1f}%"


def _interval(values: np.ndarray, outcome: str) -> tuple[float, float, float, int]:
    return mean_interval(values, outputs.domain(outcome))


def layout_problems(fig: Figure) -> list[str]:
    """Text cut off by the figure's edge, or titles, labels and legends overlapping.

    Uses the rendered (tight) bounding boxes of the figure's text: the suptitle, each visible
    axes' title, axis labels and tick labels, and every legend.
    """
    renderer = fig.canvas.get_renderer()
    fig_box = fig.bbox
    named: list[tuple[str, object]] = []
    crowded: list[str] = []
    if fig._suptitle is not None and fig._suptitle.get_text():
        named.append(("suptitle", fig._suptitle.get_window_extent(renderer)))
    for i, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        for what, text in (("title", ax.title), ("xlabel", ax.xaxis.label),
                           ("ylabel", ax.yaxis.label)):
            if text.get_text() and text.get_visible():
                named.append((f"axes {i} {what}", text.get_window_extent(renderer)))
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            named.append((f"axes {i} legend", legend.get_window_extent(renderer)))
        for what, axis in (("x axis", ax.xaxis), ("y axis", ax.yaxis)):
            box = axis.get_tightbbox(renderer)  # drawn tick labels and the label
            if box is not None and not _inside(box, fig_box):
                named_cut = f"axes {i} {what} (tick labels) cut off by the figure's edge"
                return [named_cut]
            if _crowded(axis, renderer):
                crowded.append(f"axes {i} {what}: tick labels run into each other")
    for j, legend in enumerate(fig.legends):
        named.append((f"figure legend {j}", legend.get_window_extent(renderer)))
    problems = [f"{n} cut off by the figure's edge" for n, b in named if not _inside(b, fig_box)]
    for a in range(len(named)):
        for b in range(a + 1, len(named)):
            (na, ba), (nb, bb) = named[a], named[b]
            if _overlap(ba, bb):
                problems.append(f"{na} overlaps {nb}")
    return problems + crowded


def _crowded(axis, renderer) -> bool:
    """Whether two drawn tick labels of one axis overlap (numbers run together)."""
    boxes = [t.get_window_extent(renderer) for t in axis.get_ticklabels()
             if t.get_visible() and t.get_text()]
    return any(_overlap(a, b, tol=0.0) for a, b in itertools.combinations(boxes, 2))


def _inside(box, outer, tol: float = 1.0) -> bool:
    return (box.x0 >= outer.x0 - tol and box.y0 >= outer.y0 - tol
            and box.x1 <= outer.x1 + tol and box.y1 <= outer.y1 + tol)


def _overlap(a, b, tol: float = 1.0) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tol) and (min(a.y1, b.y1) - max(a.y0, b.y0) > tol)


#: Where ``_save`` reports layout problems while ``write_figures`` runs.
_LAYOUT: ContextVar[list[str] | None] = ContextVar("layout_problems", default=None)


def _save(fig: Figure, out: Path, name: str) -> list[Path]:
    collected = _LAYOUT.get()
    if collected is not None:
        fig.canvas.draw()
        collected += [f"{name}: {p}" for p in layout_problems(fig)]
    png, svg = out / f"{name}.png", out / f"{name}.svg"
    fig.savefig(png, dpi=DPI)
    fig.savefig(svg, metadata={"Date": None})  # no timestamp: same input, same file
    return [png, svg]


def _groups(runs: pd.DataFrame, labels: dict[int, str]) -> pd.Series:
    """Each run's group label: its point's label, or one pooled group for large designs."""
    if len(labels) > MAX_GROUPS:
        return pd.Series(POOLED, index=runs.index)
    return runs["point_id"].map(labels)


def _order(labels: dict[int, str]) -> list[str]:
    return [POOLED] if len(labels) > MAX_GROUPS else [labels[k] for k in sorted(labels)]


def _palette(order: list[str]) -> dict[str, tuple]:
    """Distinct colours per group; the status quo, the usual reference, in near-black."""
    others = [g for g in order if g != "status_quo"]
    colours = sns.color_palette("tab10" if len(others) <= 10 else "tab20", len(others))
    palette = dict(zip(others, colours, strict=True))
    if "status_quo" in order:
        palette["status_quo"] = (0.1, 0.1, 0.1)
    return palette


def _t_band(values: SeriesGroupBy) -> pd.DataFrame:
    """Per group: mean and the half-width of the 95% t-interval (0 with one value)."""
    agg = values.agg(["mean", "std", "count"])
    t = stats.t.ppf(0.975, np.maximum(agg["count"] - 1, 1))
    half = np.where(agg["count"] > 1, t * agg["std"] / np.sqrt(agg["count"]), 0.0)
    agg["half"] = np.nan_to_num(half)
    return agg


def _no_data(ax, text: str) -> None:
    ax.text(0.5, 0.5, textwrap.fill(text, 34), ha="center", va="center",
            transform=ax.transAxes, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])


def _numeric_params(runs: pd.DataFrame) -> list[str]:
    cols = [c for c in runs.columns if c.startswith("param:") and c != "param:scenario"]
    return [
        c for c in cols
        if pd.api.types.is_numeric_dtype(runs[c]) or pd.api.types.is_bool_dtype(runs[c])
    ]


def counted_flows(timeseries: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Per run: last month minus the end of warm-up (as ``ecosystem.metrics.summarise``)."""
    ts = timeseries.sort_values(["run_id", "month"])
    last = ts.groupby("run_id").tail(1).set_index("run_id")[columns]
    base = ts[~ts["counted"].astype(bool)].groupby("run_id").tail(1).set_index("run_id")[columns]
    return last - base.reindex(last.index).fillna(0.0)


# --- figures ---------------------------------------------------------------------------------
Y_THROUGHPUT = "transfers per year\n(market entries per year)"


def throughput_figure(
    runs: pd.DataFrame, labels: dict[int, str], out: Path, method: str | None = None
) -> list[Path]:
    """Transfers per year against each swept parameter (or per scenario), 95% interval.

    Grid and Morris designs repeat each value, so the mean per value and its bootstrap interval
    are drawn (over the other parameters when several vary). LHS and Sobol designs rarely repeat
    a value: each run is a dot and a linear fit carries the 95% band.
    """
    y = "transfers_per_year"
    if "param:scenario" in runs.columns:
        stats_rows = [
            (lab, *_interval(runs.loc[runs["point_id"] == pid, y].to_numpy(dtype=float), y))
            for pid, lab in sorted(labels.items())
        ]
        fig = _figure(8, _row_height([r[0] for r in stats_rows]) + 1.8)
        ax = fig.subplots()
        ys = np.arange(len(stats_rows))[::-1]
        means = np.array([r[1] for r in stats_rows])
        err = np.array([[r[1] - r[2], r[3] - r[1]] for r in stats_rows]).T
        ax.errorbar(means, ys, xerr=np.nan_to_num(err), fmt="o", color="C0", capsize=3)
        ax.set_yticks(ys, [_label(r[0]) for r in stats_rows])
        ax.set_xlabel("transfers per year (market entries per year, counted months)")
        _suptitle(fig, "Transfer throughput by scenario: mean and 95% bootstrap interval over "
                  "replications")
        ax.grid(axis="x", alpha=0.3)
        return _save(fig, out, "throughput")

    params = _numeric_params(runs)
    if not params:
        return []
    ncols = min(2, len(params))
    nrows = math.ceil(len(params) / ncols)
    fig = _figure(max(7.0, 5.0 * ncols), 3.9 * nrows + 0.6)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    on_levels = method not in ("lhs", "sobol")
    for ax, col in zip(axes, params, strict=False):
        name = col.removeprefix("param:")
        x = runs[col].astype(float)
        values = np.sort(x.unique())
        if on_levels:  # a grid axis: mean per value (over the other parameters)
            rows = [_interval(runs.loc[x == v, y].to_numpy(dtype=float), y) for v in values]
            m = np.array([r[0] for r in rows])
            lo = np.array([r[1] for r in rows])
            hi = np.array([r[2] for r in rows])
            ax.plot(values, m, "o-", color="C0", label="mean")
            ax.fill_between(values, lo, hi, color="C0", alpha=0.25, label="95% interval")
        else:  # sampled designs: each run, and a linear fit with its 95% band
            ax.scatter(x, runs[y], s=8, alpha=0.35, color="C0", label="runs")
            data = pd.DataFrame({"x": x, "y": runs[y]}).dropna()
            if len(data) > 2 and data["x"].nunique() > 1:
                sns.regplot(data=data, x="x", y="y", scatter=False, ci=95, ax=ax, seed=0,
                            color="C3", label="linear fit, 95% CI")
        ax.set_xlabel(_wrap(f"{name} (parameter value)", ax, 9))
        ax.set_ylabel(Y_THROUGHPUT)
        _title(ax, name.rsplit(".", 1)[-1] + (" (mean over the others)" if
                                              len(params) > 1 and on_levels else ""))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    for ax in axes[len(params):]:
        ax.set_visible(False)
    _suptitle(fig, "Transfer throughput vs swept parameters (counted months)")
    return _save(fig, out, "throughput")


def funnel_figure(
    runs: pd.DataFrame, timeseries: pd.DataFrame, labels: dict[int, str], out: Path
) -> list[Path]:
    """Projects entering each stage per run (counted months), one funnel per point."""
    cols = [c for c, _ in FUNNEL]
    flows = counted_flows(timeseries, cols)
    group = _groups(runs, labels).set_axis(runs["run_id"])
    flows["group"] = group.reindex(flows.index).to_numpy()
    means = flows.groupby("group")[cols].mean()
    order = [g for g in _order(labels) if g in means.index]
    ncols = min(3, len(order))
    nrows = math.ceil(len(order) / ncols)
    fig = _figure(max(8.0, 4.6 * ncols + 2.0), 2.7 * nrows + 0.9)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False, sharex=True)).ravel()
    top = float(np.nanmax(means.to_numpy())) if means.size else 1.0
    colours = sns.color_palette("crest", len(cols))
    for i, (ax, g) in enumerate(zip(axes, order, strict=False)):
        vals = means.loc[g, cols].to_numpy(dtype=float)
        ypos = np.arange(len(cols))[::-1]
        ax.barh(ypos, vals, color=colours)
        first = vals[0] if vals[0] else math.nan
        for yv, v in zip(ypos, vals, strict=True):
            share = f" ({_pct(100 * v / first)})" if math.isfinite(first) else ""
            ax.text(v + top * 0.01, yv, f"{v:.3g}{share}", va="center", fontsize=8)
        ax.set_yticks(ypos, [lab for _, lab in FUNNEL] if i % ncols == 0 else [])
        ax.set_xlim(0, top * 1.6 or 1)
        _title(ax, g, 10)
        ax.grid(axis="x", alpha=0.3)
        if i // ncols == nrows - 1 or i + ncols >= len(order):
            ax.set_xlabel("projects per run (mean)")
    for ax in axes[len(order):]:
        ax.set_visible(False)
    _suptitle(fig, "Stage funnel over the counted months (projects per run, mean; % of PoC "
              "entries)")
    return _save(fig, out, "funnel")


def exits_figure(runs: pd.DataFrame, labels: dict[int, str], out: Path) -> list[Path]:
    """Exits by cause per point, stacked (mean per run over the counted months)."""
    causes = [c for c in runs.columns if c.startswith("exit_")]
    data = runs[causes].copy()
    data["group"] = _groups(runs, labels)
    means = data.groupby("group")[causes].mean()
    means = means.loc[[g for g in _order(labels) if g in means.index][::-1]]
    means = means.loc[:, means.sum(axis=0) > 0]
    means.index = [_label(str(g)) for g in means.index]
    fig = _figure(10, _row_height(list(means.index)) + 2.4)
    ax = fig.subplots()
    if means.empty or means.shape[1] == 0:
        _no_data(ax, "no exits in the counted months")
    else:
        colours = sns.color_palette("Set2", means.shape[1])
        left = np.zeros(len(means))
        for colour, cause in zip(colours, means.columns, strict=True):
            ax.barh(means.index, means[cause], left=left, color=colour,
                    label=cause.removeprefix("exit_").replace("_", " "))
            left += means[cause].to_numpy()
        fig.legend(title="cause of exit", loc="outside right upper", fontsize=8)
        ax.set_xlabel("projects per run that left the chain (mean, counted months)")
        ax.grid(axis="x", alpha=0.3)
        ax.grid(axis="y", visible=False)
    _suptitle(fig, "Where projects die: exits by cause")
    return _save(fig, out, "exits")


def time_to_market_figure(runs: pd.DataFrame, labels: dict[int, str], out: Path) -> list[Path]:
    """Distribution of each run's median discovery-to-market months, per point."""
    data = pd.DataFrame({"group": _groups(runs, labels),
                         "months": runs["median_months_to_market"].astype(float)})
    order = _order(labels)
    counts = data.dropna().groupby("group").size()
    tick = {g: _label(f"{g} (n={int(counts.get(g, 0))})") for g in order}
    data["group"] = data["group"].map(tick)
    fig = _figure(9, _row_height(list(tick.values())) + 2.2)
    ax = fig.subplots()
    finite = data.dropna()
    if finite.empty:
        _no_data(ax, "no run reached the market in the counted months: is the horizon "
                 "longer than the time to market?")
    else:
        ticks = [tick[g] for g in order]
        with warnings.catch_warnings():  # seaborn 0.13 on matplotlib ≥ 3.11: `vert` renamed
            warnings.simplefilter("ignore", DeprecationWarning)
            sns.boxplot(data=finite, x="months", y="group", order=ticks, ax=ax, color="0.85",
                        fliersize=0, orient="h")
        rng = np.random.default_rng(0)  # own jitter: seaborn's uses numpy's global state
        pos = finite["group"].map({t: i for i, t in enumerate(ticks)}).to_numpy(dtype=float)
        ax.scatter(finite["months"], pos + rng.uniform(-0.2, 0.2, len(pos)), s=9, alpha=0.6,
                   color="C0", zorder=3)
        ax.set_xlabel("median months from discovery to market (per run)")
        ax.set_ylabel("")
        ax.grid(axis="x", alpha=0.3)
    _suptitle(fig, "Time to market: one dot per run (n = runs with at least one transfer)")
    return _save(fig, out, "time_to_market")


def stages_figure(
    runs: pd.DataFrame, timeseries: pd.DataFrame, labels: dict[int, str], out: Path
) -> list[Path]:
    """Projects in each stage over time: mean across runs and its 95% band (≥ 0)."""
    group = _groups(runs, labels).set_axis(runs["run_id"])
    ts = timeseries[["run_id", "month", "counted", *(c for c, _ in STAGES)]].copy()
    ts["group"] = group.reindex(ts["run_id"]).to_numpy()
    order = [g for g in _order(labels) if g in set(ts["group"])]
    palette = _palette(order)
    warm = ts.loc[~ts["counted"].astype(bool), "month"]
    legend_lines = sum(1 + _label(g).count("\n") for g in order) + 2
    fig = _figure(13, max(4.6, 0.19 * legend_lines + 1.0))
    axes = fig.subplots(1, len(STAGES), sharex=True)
    for ax, (col, title) in zip(axes, STAGES, strict=True):
        band = _t_band(ts.groupby(["group", "month"])[col])
        for g in order:
            b = band.loc[g]
            ax.plot(b.index, b["mean"], color=palette[g], label=g, lw=1.4)
            if len(order) <= MAX_BANDS:  # more bands than this hide the lines
                ax.fill_between(b.index, (b["mean"] - b["half"]).clip(lower=0),
                                b["mean"] + b["half"], color=palette[g], alpha=0.15, lw=0)
        if len(warm):
            ax.axvspan(ts["month"].min() - 0.5, warm.max() + 0.5, color="0.5", alpha=0.12,
                       label="warm-up (not counted)")
        _title(ax, f"in {title}")
        ax.set_xlabel("month of the run")
        ax.set_ylabel("projects (mean across runs)")
        ax.grid(alpha=0.3)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, [_label(n) for n in names], loc="outside right center", fontsize=8)
    band = ", 95% band" if len(order) <= MAX_BANDS else ""
    _suptitle(fig, f"Projects per stage over time (mean across runs{band})")
    return _save(fig, out, "stages_over_time")


def response_over_time_figure(response: pd.DataFrame, out: Path) -> list[Path]:
    """Paired effect per year since the policy's introduction, one panel per gate.

    Each point is a line of the mean paired difference (arm − reference) in the gate's flow
    that year; filled markers where that year's 95% t-interval excludes 0, open where it does
    not; 95% bands when there are at most ``MAX_BANDS`` points (more would hide the lines).
    """
    from experiments.over_time import GATES, LABELS

    gates = [g for g in GATES if g in set(response["gate"])]
    points = list(dict.fromkeys(response["label"]))
    palette = _palette(points)
    reference = response["reference"].iloc[0]
    cols = 4
    rows = math.ceil(len(gates) / cols)
    fig = _figure(15, 3.3 * rows + 0.8)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, gate in zip(axes, gates, strict=False):
        part = response[response["gate"] == gate]
        for point in points:
            r = part[part["label"] == point].sort_values("year")
            colour = palette[point]
            ax.plot(r["year"], r["effect"], color=colour, lw=1.3, label=point)
            shows = (r["ci_low"] > 0) | (r["ci_high"] < 0)
            ax.scatter(r["year"][shows], r["effect"][shows], color=colour, s=14, zorder=3)
            ax.scatter(r["year"][~shows], r["effect"][~shows], facecolors="white",
                       edgecolors=colour, s=14, zorder=3, lw=0.8)
            if len(points) <= MAX_BANDS:
                ax.fill_between(r["year"], r["ci_low"], r["ci_high"], color=colour,
                                alpha=0.15, lw=0)
        ax.axhline(0, color="0.3", lw=0.8, ls="--")
        _title(ax, LABELS[gate])
        ax.set_xlabel("years since introduction")
        ax.set_ylabel("Δ projects per year")
        ax.grid(alpha=0.3)
    for ax in axes[len(gates):]:
        ax.set_visible(False)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, [_label(n) for n in names], loc="outside right center", fontsize=8,
               title=f"vs {reference}", title_fontsize=8)
    _suptitle(fig, f"Response over time since introduction: paired effect on each gate's yearly "
                   f"flow against {reference} (filled: 95% CI excludes 0)")
    return _save(fig, out, "response_over_time")


EFFECT_PANELS = (
    ("transfers_per_year", "Δ transfers per year\n(market entries per year)"),
    ("median_months_to_market", "Δ median months to market\n(months; < 0 = faster)"),
    ("public_spend", "Δ public spend\n(M RMB per run)"),
)


def effects_figure(effects: pd.DataFrame, out: Path) -> list[Path]:
    """Paired effects against the reference point with 95% CIs (a forest plot)."""
    points = list(dict.fromkeys(effects["label"]))
    reference = effects["reference"].iloc[0]
    fig = _figure(13, _row_height(points) + 2.2)
    axes = fig.subplots(1, len(EFFECT_PANELS), sharey=True)
    ys = np.arange(len(points))[::-1]
    for ax, (outcome, xlabel) in zip(axes, EFFECT_PANELS, strict=True):
        part = effects[effects["outcome"] == outcome].set_index("label").reindex(points)
        m = part["effect"].to_numpy(dtype=float)
        err = np.vstack([m - part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float) - m])
        ax.errorbar(m, ys, xerr=np.nan_to_num(err), fmt="o", color="C0", capsize=3)
        ax.axvline(0, color="0.3", lw=1, ls="--")
        ax.set_xlabel(xlabel)
        ax.grid(axis="x", alpha=0.3)
        _few_ticks(ax)
    axes[0].set_yticks(ys, [_label(_arm(p)) for p in points])
    _suptitle(fig, f"Paired effects against {_arm(reference)} (mean paired difference, 95% CI)")
    return _save(fig, out, "effects")


def response_figure(effects: pd.DataFrame, runs: pd.DataFrame, out: Path) -> list[Path]:
    """Grid response curves: paired effect against the reference along each parameter.

    For each swept parameter the points that differ from the reference only in it are drawn
    (with the reference itself at effect 0): the curve is a paired effect, so its band is the
    interval of paired differences, not the overlap of two unpaired bands.
    """
    params = _numeric_params(runs)
    reference = str(effects["reference"].iloc[0])
    firsts = runs.groupby("point_id", sort=True).first()
    ref_id = next(int(p) for p in firsts.index if p not in set(effects["point_id"]))
    ref = firsts.loc[ref_id]
    panels = [o for o, _ in EFFECT_PANELS if o != "median_months_to_market"]
    fig = _figure(max(7.0, 4.8 * len(params)), 3.6 * len(panels) + 0.8)
    axes = np.atleast_2d(fig.subplots(len(panels), len(params), squeeze=False))
    for j, col in enumerate(params):
        others = [c for c in params if c != col]
        on_line = [int(p) for p, row in firsts.iterrows()
                   if all(row[c] == ref[c] for c in others)]
        for i, outcome in enumerate(panels):
            ax = axes[i, j]
            part = effects[(effects["outcome"] == outcome) & effects["point_id"].isin(on_line)]
            x = firsts.loc[part["point_id"], col].to_numpy(dtype=float)
            data = pd.DataFrame({"x": np.append(x, float(ref[col])),
                                 "m": np.append(part["effect"].to_numpy(float), 0.0),
                                 "lo": np.append(part["ci_low"].to_numpy(float), 0.0),
                                 "hi": np.append(part["ci_high"].to_numpy(float), 0.0)})
            data = data.sort_values("x")
            ax.plot(data["x"], data["m"], "o-", color="C0", label="paired effect")
            ax.fill_between(data["x"], data["lo"], data["hi"], color="C0", alpha=0.25,
                            label="95% CI (paired)")
            ax.axhline(0, color="0.3", lw=1, ls="--")
            ax.plot([float(ref[col])], [0.0], "s", color="k", label="reference")
            ax.set_ylabel(dict(EFFECT_PANELS)[outcome])
            ax.set_xlabel(_wrap(f"{col.removeprefix('param:')} (parameter value)", ax, 9))
            ax.grid(alpha=0.3)
            if i == 0:
                short = col.removeprefix("param:").rsplit(".", 1)[-1]
                _title(ax, short + (" (others at the reference)" if others else ""))
            if i == 0 and j == 0:
                ax.legend(fontsize=8, loc="best")
    _suptitle(fig, f"Response curves: paired effect against {reference} (95% CI)")
    return _save(fig, out, "response")


SENS_KEYS = {"sobol": ("S1", "ST"), "morris": ("mu_star",), "lhs": ("prcc", "pawn")}
SENS_XLABEL = {
    "sobol": "index (share of output variance)",
    "morris": "μ* (outcome units per parameter range)",
    "lhs": "PRCC (−1 to 1) and PAWN (0 to 1)",
}


def sensitivity_figure(sens: pd.DataFrame, out: Path) -> list[Path]:
    """Sobol S1/ST, Morris μ* or LHS PRCC/PAWN per parameter and outcome, with intervals."""
    method = str(sens["method"].iloc[0])
    outcomes = list(dict.fromkeys(sens["outcome"]))
    keys = SENS_KEYS[method]
    names = _parameter_names(list(dict.fromkeys(sens["parameter"])))
    ncols = min(3, len(outcomes))
    nrows = math.ceil(len(outcomes) / ncols)
    fig = _figure(5.6 * ncols, _panel_height(list(names.values()), 3.6) * nrows + 0.6)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for ax, outcome in zip(axes, outcomes, strict=False):
        part = sens[sens["outcome"] == outcome]
        params = list(dict.fromkeys(part["parameter"]))
        ys = np.arange(len(params))[::-1]
        height = 0.8 / len(keys)
        if part["value"].isna().all():
            _no_data(ax, next((n for n in part["note"] if n), "no value"))
            _title(ax, outcome)
            continue
        for k, key in enumerate(keys):
            sub = part[part["index"] == key].set_index("parameter").reindex(params)
            ax.barh(ys + (k - (len(keys) - 1) / 2) * height, sub["value"], height=height,
                    xerr=np.nan_to_num(sub["conf"].to_numpy(float)), capsize=2,
                    label={"mu_star": "μ*", "prcc": "PRCC", "pawn": "PAWN"}.get(key, key),
                    color=f"C{k}")
        ax.set_yticks(ys, [_label(names[p]) for p in params], fontsize=8)
        _title(ax, f"{outcome} ({outputs.unit(outcome)})")
        ax.set_xlabel(SENS_XLABEL[method])
        ax.grid(axis="x", alpha=0.3)
        if method == "lhs":
            ax.axvline(0, color="0.3", lw=1)
        ax.legend(fontsize=8, loc="best")
    for ax in axes[len(outcomes):]:
        ax.set_visible(False)
    interval = "95% Fisher intervals of PRCC" if method == "lhs" else "95% bootstrap intervals"
    _suptitle(fig, f"Sensitivity ({method}, {interval})")
    return _save(fig, out, "sensitivity")


POSTERIOR_PANELS = (
    ("gate_clinical_per_year", "Δ clinical entries (IND) per year"), *EFFECT_PANELS
)


def posterior_effects_figure(table: pd.DataFrame, per_draw: pd.DataFrame, out: Path) -> list[Path]:
    """Policy effects under parameter uncertainty: per-draw means, mean and both intervals.

    Each dot is one posterior draw's mean paired effect over seeds (clinical-entry panel, where
    policies introduced into the running ecosystem show within the window); the thick
    bar is the 95% interval over draws × seeds (parameters and luck), the thin black bar the
    95% CI of the mean (hierarchical bootstrap).
    """
    policies = list(dict.fromkeys(table["policy"]))
    reference = str(table["reference"].iloc[0])
    fig = _figure(13, _row_height(policies) + 2.4)
    axes = fig.subplots(1, len(POSTERIOR_PANELS), sharey=True)
    ys = np.arange(len(policies))[::-1]
    for ax, (outcome, xlabel) in zip(axes, POSTERIOR_PANELS, strict=True):
        part = table[table["outcome"] == outcome].set_index("policy").reindex(policies)
        m = part["effect"].to_numpy(dtype=float)
        ax.hlines(ys, part["interval_low"], part["interval_high"], color="C0", lw=6, alpha=0.35,
                  label="95% interval (parameters + luck)")
        err = np.vstack([m - part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float) - m])
        ax.errorbar(m, ys, xerr=np.nan_to_num(err), fmt="o", color="k", capsize=3,
                    label="mean, 95% CI of the mean")
        if outcome == "gate_clinical_per_year" and not per_draw.empty:
            y_of = dict(zip(policies, ys, strict=True))
            ax.scatter(per_draw["effect"], per_draw["policy"].map(y_of) + 0.22, s=10,
                       color="C1", alpha=0.7, label="one posterior draw (mean over seeds)")
        ax.axvline(0, color="0.3", lw=1, ls="--")
        ax.set_xlabel(xlabel)
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(ys, [_label(p) for p in policies])
    axes[-1].legend(*axes[0].get_legend_handles_labels(), fontsize=7, loc="lower right")
    _suptitle(fig, f"Paired effects against {reference} under parameter uncertainty")
    return _save(fig, out, "posterior_effects")


def effect_sensitivity_figure(table: pd.DataFrame, out: Path) -> list[Path]:
    """Sobol total index ST of each policy's paired effect, per parameter (one panel each)."""
    panels = list(dict.fromkeys(zip(table["policy"], table["outcome"], strict=True)))
    names = _parameter_names(list(dict.fromkeys(table["parameter"])))
    ncols = min(3, len(panels))
    nrows = math.ceil(len(panels) / ncols)
    fig = _figure(5.6 * ncols, _panel_height(list(names.values()), 3.4) * nrows + 0.6)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for ax, (policy, outcome) in zip(axes, panels, strict=False):
        part = table[(table["policy"] == policy) & (table["outcome"] == outcome)]
        params = list(dict.fromkeys(part["parameter"]))
        ys = np.arange(len(params))[::-1]
        _title(ax, f"{_arm(policy)}: Δ {outcome}", 9)
        if part["value"].isna().all():
            _no_data(ax, next((n for n in part["note"] if n), "no value"))
            continue
        for k, key in enumerate(("S1", "ST")):
            sub = part[part["index"] == key].set_index("parameter").reindex(params)
            ax.barh(ys + (k - 0.5) * 0.4, sub["value"], height=0.4, color=f"C{k}", label=key,
                    xerr=np.nan_to_num(sub["conf"].to_numpy(float)), capsize=2)
        ax.set_yticks(ys, [_label(names[p]) for p in params], fontsize=8)
        ax.set_xlabel("Sobol index (share of the effect's variance)")
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    _suptitle(fig, "What drives each paired effect (Sobol S1 and ST, 95% bootstrap intervals)")
    return _save(fig, out, "effect_sensitivity")


# --- all of them ------------------------------------------------------------------------------
def write_figures(
    out: Path,
    runs: pd.DataFrame,
    timeseries: pd.DataFrame | None,
    labels: dict[int, str],
    *,
    method: str | None = None,
    effects: pd.DataFrame | None = None,
    sensitivity: pd.DataFrame | None = None,
    posterior: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    effect_sensitivity: pd.DataFrame | None = None,
    over_time: pd.DataFrame | None = None,
) -> tuple[list[Path], list[str]]:
    """Draw every figure that applies; return the files written and any problems.

    A figure that fails is reported, not raised: the tables of the report are the result, the
    figures a view of it, and one odd corner (say a parameter of a strange type) must not cost
    the user the whole report.
    """
    out.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[str, Callable[[], list[Path]]]] = [
        ("throughput", lambda: throughput_figure(runs, labels, out, method)),
        ("exits", lambda: exits_figure(runs, labels, out)),
        ("time_to_market", lambda: time_to_market_figure(runs, labels, out)),
    ]
    problems: list[str] = []
    if timeseries is not None and len(timeseries):
        jobs += [
            ("funnel", lambda: funnel_figure(runs, timeseries, labels, out)),
            ("stages_over_time", lambda: stages_figure(runs, timeseries, labels, out)),
        ]
    else:
        problems.append("no timeseries.parquet: funnel and stages over time not drawn")
    if effects is not None and not effects.empty:
        if effects["point_id"].nunique() <= MAX_GROUPS:
            jobs.append(("effects", lambda: effects_figure(effects, out)))
        if method == "grid" and _numeric_params(runs):
            jobs.append(("response", lambda: response_figure(effects, runs, out)))
    if (over_time is not None and not over_time.empty
            and over_time["point_id"].nunique() <= MAX_GROUPS):
        jobs.append(("response_over_time", lambda: response_over_time_figure(over_time, out)))
    if sensitivity is not None and not sensitivity.empty:
        jobs.append(("sensitivity", lambda: sensitivity_figure(sensitivity, out)))
    if posterior is not None and not posterior[0].empty:
        jobs.append(("posterior_effects", lambda: posterior_effects_figure(*posterior, out)))
    if effect_sensitivity is not None and not effect_sensitivity.empty:
        jobs.append(("effect_sensitivity",
                     lambda: effect_sensitivity_figure(effect_sensitivity, out)))
    written: list[Path] = []
    layout: list[str] = []
    token = _LAYOUT.set(layout)
    try:
        with sns.axes_style("whitegrid"), sns.plotting_context("notebook", font_scale=0.85):
            for name, job in jobs:
                try:
                    written += job()
                except Exception as exc:  # noqa: BLE001 - reported in the report, see docstring
                    problems.append(f"{name}: {type(exc).__name__}: {exc}")
    finally:
        _LAYOUT.reset(token)
    return written, problems + [f"layout: {p}" for p in layout]
