"""Tables of a report: point labels, number formats, the summary table, Markdown and plain text.

Units come from the data dictionary (``ecosystem.outputs``); intervals from
``experiments.statistics``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ecosystem import outputs
from ecosystem.metrics import HEADLINE_FIELDS
from experiments.loading import SCENARIO_COLUMN, Results
from experiments.statistics import mean_interval, replication_warning

#: Headline outcomes of the summary table (fields of ``ecosystem.metrics.SUMMARY_FIELDS``).
OUTCOMES: tuple[str, ...] = (*HEADLINE_FIELDS, "entered_poc", "pilots_started")
MAX_LABEL_PARAMS = 3  # more swept parameters than this: points are labelled "point N"
MAX_TEXT_POINTS = 15  # more points than this: the printed summary pools them
#: Short column titles with units for the printed tables.
SHORT = {
    "transfers_per_year": "transfers/year",
    "median_months_to_market": "months to market",
    "public_spend_per_transfer": "public M RMB/transfer",
    "public_spend": "public M RMB/run",
}


def unit(outcome: str) -> str:
    """The outcome's unit from the data dictionary (or the ratio's own)."""
    if outcome == "public_money_per_additional_transfer":
        return "M RMB per additional transfer (Δ net public cost ÷ Δ transfers, paired)"
    return outputs.unit(outcome)


# --- labels and formatting --------------------------------------------------------------------
def short_names(columns: list[str]) -> dict[str, str]:
    """Last part of each dotted path, or the whole path where two would collide."""
    paths = [c.removeprefix("param:") for c in columns]
    last = [p.rsplit(".", 1)[-1] for p in paths]
    return {
        c: (s if last.count(s) == 1 else p)
        for c, p, s in zip(columns, paths, last, strict=True)
    }


def format_value(value: Any) -> str:
    """A parameter value as a short label (``0.4``, ``60``, ``True``)."""
    if isinstance(value, float | np.floating):
        return f"{float(value):.4g}"
    return str(value)


def point_labels(runs: pd.DataFrame) -> dict[int, str]:
    """A readable label per point: the scenario, ``name=value`` pairs, or ``point N``.

    ``point N`` is used when no parameter varies or more than ``MAX_LABEL_PARAMS`` do (a
    Morris or Sobol design); the tables then show the values in their own columns.
    """
    params = [c for c in runs.columns if c.startswith("param:")]
    names = short_names(params)
    firsts = runs.sort_values("point_id").groupby("point_id", sort=True).first()
    labels: dict[int, str] = {}
    for point_id, row in firsts.iterrows():
        if not params or len(params) > MAX_LABEL_PARAMS:
            labels[int(point_id)] = "baseline" if len(firsts) == 1 else f"point {point_id}"
        elif params == [SCENARIO_COLUMN]:
            labels[int(point_id)] = str(row[SCENARIO_COLUMN])
        else:
            labels[int(point_id)] = ", ".join(
                f"{names[c]}={format_value(row[c])}" for c in params
            )
    return labels


#: Magnitudes below this are float summation noise around 0 (e.g. 6.9e-19), shown as 0.
ROUNDING_NOISE = 1e-12


def fmt(x: float) -> str:
    """A number with three significant digits; ``–`` when missing."""
    if x is None or not math.isfinite(x):
        return "–" if x is None or math.isnan(x) else ("∞" if x > 0 else "-∞")
    if abs(x) < ROUNDING_NOISE:  # a mean of differences that cancel exactly, up to float sums
        return "0"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def fmt_ci(mean: float, low: float, high: float, n: int) -> str:
    """``mean [low, high]``; only the mean when there is one value, ``–`` when none."""
    if n == 0 or mean is None or not math.isfinite(mean):
        return "–"
    if n == 1 or (isinstance(low, float) and math.isnan(low)):
        return fmt(mean)  # one value: no interval
    return f"{fmt(mean)} [{fmt(low)}, {fmt(high)}]"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (pipes in cells escaped)."""
    def cell(s: str) -> str:
        return str(s).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    """A fixed-width text table for the terminal."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def values(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats; all NaN when the runs table lacks it (an older results folder)."""
    if column not in frame.columns:
        return np.full(len(frame), math.nan)
    return frame[column].to_numpy(dtype=float)


# --- summary ----------------------------------------------------------------------------------
def summary_frame(runs: pd.DataFrame, outcomes: tuple[str, ...] = OUTCOMES) -> pd.DataFrame:
    """Tidy table: one row per (point, outcome) with mean, 95% interval and the runs it used.

    ``n`` counts the runs with a finite value: a point whose runs made no transfer has no time
    to market, and its mean is then over fewer runs than ``runs`` (or missing). The interval is
    the percentile bootstrap of ``experiments.statistics.mean_interval``, inside the outcome's
    domain.
    """
    labels = point_labels(runs)
    params = [c for c in runs.columns if c.startswith("param:")]
    rows = []
    for point_id, group in runs.groupby("point_id", sort=True):
        base: dict[str, Any] = {"point_id": int(point_id), "label": labels[int(point_id)]}
        base.update({c: group[c].iloc[0] for c in params})
        base["runs"] = len(group)
        base["active_policies"] = group["active_policies"].iloc[0]
        for outcome in outcomes:
            m, lo, hi, n = mean_interval(values(group, outcome), outputs.domain(outcome))
            rows.append({**base, "outcome": outcome, "unit": unit(outcome), "mean": m,
                         "ci_low": lo, "ci_high": hi, "n": n})
    return pd.DataFrame(rows)


def provenance(results: Results) -> str:
    """One sentence: method, size, preset, horizon, seed, commit and config hash."""
    m = results.manifest
    runs = results.runs
    reps = runs["replication"].nunique() if len(runs) else 0
    points = runs["point_id"].nunique() if len(runs) else 0
    parts = [
        f"method: {results.method or 'single point'}",
        f"{points} point(s) × {reps} replication(s) = {len(runs)} run(s)",
    ]
    if results.config is not None:
        p = results.config.params_for()
        parts.append(f"preset {results.config.preset}, {p.months} counted months after "
                     f"{p.warmup_months} months of warm-up")
        parts.append(f"base seed {results.config.experiment.base_seed}")
    if m.get("git_commit"):
        parts.append(f"commit {m['git_commit']}")
    if m.get("config_hash"):
        parts.append(f"config {m['config_hash']}")
    return "Experiment: " + "; ".join(parts) + "."


def summary_markdown(summary: pd.DataFrame, results: Results) -> str:
    """Points as rows, outcomes as columns, each cell ``mean [95% interval]``."""
    outcomes = list(dict.fromkeys(summary["outcome"]))
    params = [c for c in summary.columns if c.startswith("param:")]
    shown = params if len(params) > MAX_LABEL_PARAMS else []  # not already in the label
    names = short_names(shown)
    rows = []
    for (_, label), group in summary.groupby(["point_id", "label"], sort=True):
        by = group.set_index("outcome")
        runs = int(group["runs"].iloc[0])
        cells = [label, *(format_value(group[c].iloc[0]) for c in shown), str(runs)]
        for o in outcomes:
            r = by.loc[o]
            text = fmt_ci(r["mean"], r["ci_low"], r["ci_high"], int(r["n"]))
            if 0 < int(r["n"]) < runs:
                text += f" (n={int(r['n'])})"
            cells.append(text)
        rows.append(cells)
    units = "\n".join(f"* `{o}`: {unit(o)}" for o in outcomes)
    warning = replication_warning(results.replications)
    return "\n\n".join(
        [
            f"# Summary: {results.name}",
            provenance(results),
            *([f"**{warning}**"] if warning else []),
            "Mean over replications with its 95% percentile-bootstrap interval `[low, high]` "
            "(it stays inside the outcome's domain: counts ≥ 0, shares in [0, 1]). Flows are "
            "counted after the warm-up. `(n=k)` means only k runs had a value (e.g. a run "
            "without transfers has no time to market and no public money per transfer); `–` "
            "means none. Column definitions: docs/outputs.md.",
            markdown_table(["point", *(names[c] for c in shown), "runs", *outcomes], rows),
            "Units:\n\n" + units,
        ]
    ) + "\n"


def main_table(summary: pd.DataFrame) -> str:
    """Plain-text table of the three outcomes people ask for first, units in the header."""
    main = ("transfers_per_year", "median_months_to_market", "public_spend_per_transfer")
    header = ["point", "transfers/year", "months to market", "public M RMB/transfer"]
    if summary["point_id"].nunique() > MAX_TEXT_POINTS:
        n_points = summary["point_id"].nunique()
        pooled = summary.groupby("outcome")["mean"].agg(["mean", "min", "max"])
        rows = [[f"{o}: mean of the {n_points} point means {fmt(pooled.loc[o, 'mean'])}, "
                 f"range {fmt(pooled.loc[o, 'min'])} to {fmt(pooled.loc[o, 'max'])} "
                 f"({unit(o)})"]
                for o in main]
        return plain_table([f"{n_points} points (per-point table in summary.md)"], rows)
    rows = []
    for (_, label), group in summary.groupby(["point_id", "label"], sort=True):
        by = group.set_index("outcome")
        runs = int(group["runs"].iloc[0])
        cells = [label]
        for o in main:
            n = int(by.loc[o, "n"])
            text = fmt_ci(by.loc[o, "mean"], by.loc[o, "ci_low"], by.loc[o, "ci_high"], n)
            cells.append(text + (f" (n={n})" if 0 < n < runs else ""))
        rows.append(cells)
    return plain_table(header, rows)


def figure_section(names: list[str], problems: list[str]) -> str:
    """The Markdown list of the report's figures and any figure problem."""
    if not names and not problems:
        return ""
    lines = ["", "## Figures", ""]
    lines += [f"![{n}]({n}.png)" for n in names]
    lines += [f"* figure problem: {p}" for p in problems]
    return "\n".join(lines) + "\n"
