"""The report's figures (seaborn on matplotlib's Agg canvas), each saved as PNG and SVG.

* ``throughput`` — transfers per year against each swept numeric parameter, mean and 95% CI
  band (one panel per parameter), or per scenario for scenario sweeps;
* ``funnel`` — projects entering each stage per run (PoC → pilot → pilot started →
  industrialisation → market), per point;
* ``exits`` — where and why projects die, stacked by cause, per point;
* ``time_to_market`` — distribution of the runs' median discovery-to-market months, per point;
* ``stages_over_time`` — projects in each stage per month, mean across runs with a 95% band;
* ``effects`` (scenario sweeps) — paired effects against the reference with 95% CIs;
* ``sensitivity`` (Sobol/Morris sweeps) — the indices with their bootstrap intervals.

Figures are drawn on ``matplotlib.figure.Figure`` objects with an Agg canvas, never through
``pyplot``'s global state: the report works headless, in worker processes and beside a
notebook's own backend. Points beyond ``MAX_GROUPS`` (e.g. a Sobol design) are pooled into one
"all points" group in the per-point figures, which would otherwise be unreadable.
"""

from __future__ import annotations

import math
import textwrap
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pandas.api.typing import SeriesGroupBy
from scipy import stats

from ecosystem.calibration import mean_ci

MAX_GROUPS = 14  # status quo + 12 single policies + full chain still get a group each
FUNNEL: tuple[tuple[str, str], ...] = (
    ("entered_poc", "entered proof of concept"),
    ("entered_pilot", "entered pilot (seeking money)"),
    ("pilots_started", "pilot started (funded)"),
    ("entered_industrialisation", "entered industrialisation"),
    ("transfers", "reached market (transfers)"),
)
STAGES: tuple[tuple[str, str], ...] = (
    ("stage_poc", "proof of concept"),
    ("stage_pilot", "pilot"),
    ("stage_industrialisation", "industrialisation"),
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


def _save(fig: Figure, out: Path, name: str) -> list[Path]:
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


# --- figures ----------------------------------------------------------------------------------
def throughput_figure(
    runs: pd.DataFrame, labels: dict[int, str], out: Path, method: str | None = None
) -> list[Path]:
    """Transfers per year against each swept parameter (or per scenario), 95% CI.

    Grid and Morris designs repeat each value, so the mean per value and its t-interval are
    drawn (over the other parameters when several vary). LHS and Sobol designs rarely repeat a
    value: each run is a dot and a linear fit carries the 95% band.
    """
    y = "transfers_per_year"
    if "param:scenario" in runs.columns:
        stats_rows = [
            (lab, *mean_ci(runs.loc[runs["point_id"] == pid, y].to_numpy(dtype=float)))
            for pid, lab in sorted(labels.items())
        ]
        fig = _figure(8, 0.45 * len(stats_rows) + 1.8)
        ax = fig.subplots()
        ys = np.arange(len(stats_rows))[::-1]
        means = np.array([r[1] for r in stats_rows])
        err = np.array([[r[1] - r[2], r[3] - r[1]] for r in stats_rows]).T
        ax.errorbar(means, ys, xerr=np.nan_to_num(err), fmt="o", color="C0", capsize=3)
        ax.set_yticks(ys, [r[0] for r in stats_rows])
        ax.set_xlabel("transfers per year (market entries, counted months)")
        ax.set_title("Transfer throughput by scenario: mean and 95% CI over replications")
        ax.grid(axis="x", alpha=0.3)
        return _save(fig, out, "throughput")

    params = _numeric_params(runs)
    if not params:
        return []
    ncols = min(3, len(params))
    nrows = math.ceil(len(params) / ncols)
    fig = _figure(max(7.0, 4.6 * ncols), 3.8 * nrows)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for ax, col in zip(axes, params, strict=False):
        name = col.removeprefix("param:")
        x = runs[col].astype(float)
        values = np.sort(x.unique())
        on_levels = method not in ("lhs", "sobol")
        if on_levels:  # a grid axis: mean per value (over the other parameters)
            rows = [mean_ci(runs.loc[x == v, y].to_numpy(dtype=float)) for v in values]
            m = np.array([r[0] for r in rows])
            lo = np.array([r[1] for r in rows])
            hi = np.array([r[2] for r in rows])
            ax.plot(values, m, "o-", color="C0", label="mean")
            ax.fill_between(values, lo, hi, color="C0", alpha=0.25, label="95% CI")
        else:  # sampled designs: each run, and a linear fit with its 95% band
            ax.scatter(x, runs[y], s=8, alpha=0.35, color="C0", label="runs")
            data = pd.DataFrame({"x": x, "y": runs[y]}).dropna()
            if len(data) > 2 and data["x"].nunique() > 1:
                sns.regplot(data=data, x="x", y="y", scatter=False, ci=95, ax=ax, seed=0,
                            color="C3", label="linear fit, 95% CI")
        ax.set_xlabel(name)
        ax.set_ylabel("transfers per year")
        ax.set_title(name.rsplit(".", 1)[-1] + (" (mean over the others)" if
                                                len(params) > 1 and on_levels else ""))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    for ax in axes[len(params):]:
        ax.set_visible(False)
    fig.suptitle("Transfer throughput vs swept parameters\n(market entries per year, "
                 "counted months)")
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
    ncols = min(4, len(order))
    nrows = math.ceil(len(order) / ncols)
    fig = _figure(4.4 * ncols, 2.6 * nrows + 0.6)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False, sharex=True)).ravel()
    top = float(np.nanmax(means.to_numpy())) if means.size else 1.0
    colours = sns.color_palette("crest", len(cols))
    for i, (ax, g) in enumerate(zip(axes, order, strict=False)):
        vals = means.loc[g, cols].to_numpy(dtype=float)
        ypos = np.arange(len(cols))[::-1]
        ax.barh(ypos, vals, color=colours)
        first = vals[0] if vals[0] else math.nan
        for yv, v in zip(ypos, vals, strict=True):
            share = f" ({100 * v / first:.2g}%)" if math.isfinite(first) else ""
            ax.text(v + top * 0.01, yv, f"{v:.3g}{share}", va="center", fontsize=8)
        ax.set_yticks(ypos, [lab for _, lab in FUNNEL] if i % ncols == 0 else [])
        ax.set_xlim(0, top * 1.35 or 1)
        ax.set_title(g, fontsize=10)
        ax.grid(axis="x", alpha=0.3)
        if i // ncols == nrows - 1:
            ax.set_xlabel("projects per run (mean)")
    for ax in axes[len(order):]:
        ax.set_visible(False)
    fig.suptitle("Stage funnel over the counted months (mean per run; % of PoC entries)")
    return _save(fig, out, "funnel")


def exits_figure(runs: pd.DataFrame, labels: dict[int, str], out: Path) -> list[Path]:
    """Exits by cause per point, stacked (mean per run over the counted months)."""
    causes = [c for c in runs.columns if c.startswith("exit_")]
    data = runs[causes].copy()
    data["group"] = _groups(runs, labels)
    means = data.groupby("group")[causes].mean()
    means = means.loc[[g for g in _order(labels) if g in means.index][::-1]]
    means = means.loc[:, means.sum(axis=0) > 0]
    fig = _figure(9, 0.42 * len(means) + 2.2)
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
        ax.legend(title="cause of exit", bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
        ax.set_xlabel("projects per run that left the chain (mean, counted months)")
        ax.grid(axis="x", alpha=0.3)
        ax.grid(axis="y", visible=False)
    ax.set_title("Where projects die: exits by cause")
    return _save(fig, out, "exits")


def time_to_market_figure(runs: pd.DataFrame, labels: dict[int, str], out: Path) -> list[Path]:
    """Distribution of each run's median discovery-to-market months, per point."""
    data = pd.DataFrame({"group": _groups(runs, labels),
                         "months": runs["median_months_to_market"].astype(float)})
    order = _order(labels)
    counts = data.dropna().groupby("group").size()
    tick = {g: f"{g} (n={int(counts.get(g, 0))})" for g in order}
    data["group"] = data["group"].map(tick)
    fig = _figure(8, 0.42 * len(order) + 2.0)
    ax = fig.subplots()
    finite = data.dropna()
    if finite.empty:
        _no_data(ax, "no run reached the market in the counted months")
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
    ax.set_title("Time to market: one dot per run (n = runs with at least one transfer)")
    return _save(fig, out, "time_to_market")


def stages_figure(
    runs: pd.DataFrame, timeseries: pd.DataFrame, labels: dict[int, str], out: Path
) -> list[Path]:
    """Projects in each stage over time: mean across runs and its 95% band."""
    group = _groups(runs, labels).set_axis(runs["run_id"])
    ts = timeseries[["run_id", "month", "counted", *(c for c, _ in STAGES)]].copy()
    ts["group"] = group.reindex(ts["run_id"]).to_numpy()
    order = [g for g in _order(labels) if g in set(ts["group"])]
    palette = _palette(order)
    warm = ts.loc[~ts["counted"].astype(bool), "month"]
    fig = _figure(13, 4.2)
    axes = fig.subplots(1, len(STAGES), sharex=True)
    for ax, (col, title) in zip(axes, STAGES, strict=True):
        band = _t_band(ts.groupby(["group", "month"])[col])
        for g in order:
            b = band.loc[g]
            ax.plot(b.index, b["mean"], color=palette[g], label=g, lw=1.4)
            if len(order) <= MAX_BANDS:  # more bands than this hide the lines
                ax.fill_between(b.index, b["mean"] - b["half"], b["mean"] + b["half"],
                                color=palette[g], alpha=0.15, lw=0)
        if len(warm):
            ax.axvspan(ts["month"].min() - 0.5, warm.max() + 0.5, color="0.5", alpha=0.12,
                       label="warm-up (not counted)")
        ax.set_title(f"in {title}")
        ax.set_xlabel("month")
        ax.set_ylabel("projects (mean across runs)")
        ax.grid(alpha=0.3)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside right upper", fontsize=8)
    band = ", 95% band" if len(order) <= MAX_BANDS else ""
    fig.suptitle(f"Projects per stage over time (mean across runs{band})")
    return _save(fig, out, "stages_over_time")


def effects_figure(effects: pd.DataFrame, out: Path) -> list[Path]:
    """Paired effects against the reference scenario with 95% CIs (a forest plot)."""
    panels = (
        ("transfers_per_year", "Δ transfers per year"),
        ("median_months_to_market", "Δ median months to market"),
        ("public_spend", "Δ public spend per run (M RMB)"),
    )
    scenarios = list(dict.fromkeys(effects["scenario"]))
    reference = effects["reference"].iloc[0]
    fig = _figure(13, 0.4 * len(scenarios) + 2.0)
    axes = fig.subplots(1, len(panels), sharey=True)
    ys = np.arange(len(scenarios))[::-1]
    for ax, (outcome, xlabel) in zip(axes, panels, strict=True):
        part = effects[effects["outcome"] == outcome].set_index("scenario").reindex(scenarios)
        m = part["effect"].to_numpy(dtype=float)
        err = np.vstack([m - part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float) - m])
        ax.errorbar(m, ys, xerr=np.nan_to_num(err), fmt="o", color="C0", capsize=3)
        ax.axvline(0, color="0.3", lw=1, ls="--")
        ax.set_xlabel(xlabel)
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(ys, scenarios)
    fig.suptitle(f"Paired effects against {reference} (mean difference, 95% CI)")
    return _save(fig, out, "effects")


def sensitivity_figure(sens: pd.DataFrame, out: Path) -> list[Path]:
    """Sobol S1/ST or Morris μ* per parameter and output, with bootstrap intervals."""
    method = str(sens["method"].iloc[0])
    outputs = list(dict.fromkeys(sens["output"]))
    keys = ("S1", "ST") if method == "sobol" else ("mu_star",)
    ncols = min(3, len(outputs))
    nrows = math.ceil(len(outputs) / ncols)
    fig = _figure(5.2 * ncols, 3.4 * nrows)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for ax, output in zip(axes, outputs, strict=False):
        part = sens[sens["output"] == output]
        params = list(dict.fromkeys(part["parameter"]))
        ys = np.arange(len(params))[::-1]
        height = 0.8 / len(keys)
        if part["value"].isna().all():
            _no_data(ax, next((n for n in part["note"] if n), "no value"))
            ax.set_title(output, fontsize=10)
            continue
        for k, key in enumerate(keys):
            sub = part[part["index"] == key].set_index("parameter").reindex(params)
            ax.barh(ys + (k - (len(keys) - 1) / 2) * height, sub["value"], height=height,
                    xerr=np.nan_to_num(sub["conf"].to_numpy(float)), capsize=2,
                    label={"mu_star": "μ*"}.get(key, key), color=f"C{k}")
        ax.set_yticks(ys, [p.rsplit(".", 1)[-1] for p in params], fontsize=8)
        ax.set_title(output, fontsize=10)
        ax.set_xlabel("index (share of output variance)" if method == "sobol"
                      else "μ* (output units per range of the parameter)")
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize=8)
    for ax in axes[len(outputs):]:
        ax.set_visible(False)
    fig.suptitle(f"Sensitivity indices ({method}, 95% bootstrap intervals)")
    return _save(fig, out, "sensitivity")


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
        jobs.append(("effects", lambda: effects_figure(effects, out)))
    if sensitivity is not None and not sensitivity.empty and method in ("sobol", "morris"):
        jobs.append(("sensitivity", lambda: sensitivity_figure(sensitivity, out)))
    written: list[Path] = []
    with sns.axes_style("whitegrid"), sns.plotting_context("notebook", font_scale=0.85):
        for name, job in jobs:
            try:
                written += job()
            except Exception as exc:  # noqa: BLE001 - reported in the report, see docstring
                problems.append(f"{name}: {type(exc).__name__}: {exc}")
    return written, problems
