"""The report of a results folder: tables, paired policy effects, sensitivity indices, figures.

``write_report(DIR)`` reads what a run or sweep wrote (``runs.parquet``, ``timeseries.parquet``,
``manifest.json``) and writes ``DIR/report/``:

* ``summary.csv`` / ``summary.md`` — per parameter point, mean and 95% t-interval over
  replications of the headline outcomes (spec §6);
* for scenario sweeps, ``effects.csv`` / ``effects.md`` — each scenario against the reference
  scenario on PAIRED runs (replication r uses the same seed in every scenario: common random
  numbers, spec §5b), so the interval is the one of the paired differences, far narrower than
  the one of two independent means; and, when the sweep holds ``full_chain`` and single
  policies, ``interaction.csv`` — whether the package does more than the sum of its parts
  (spec §5), again on paired replications;
* for Sobol and Morris sweeps, ``sensitivity.csv`` / ``sensitivity.md`` (``experiments.
  sensitivity``);
* the figures of ``experiments.figures`` (PNG and SVG).

Everything is robust to missing values: a run without any transfer has no time to market and
no public money per transfer (NaN), and every mean says over how many runs it was taken.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ecosystem.calibration import mean_ci
from ecosystem.errors import ConfigError
from ecosystem.metrics import HEADLINE_FIELDS
from ecosystem.policies import POLICY_NAMES
from experiments.config import ExperimentConfig, parse_config

#: Headline outcomes of the summary table (fields of ``ecosystem.metrics.SUMMARY_FIELDS``).
OUTCOMES: tuple[str, ...] = (*HEADLINE_FIELDS, "entered_poc", "pilots_started")

#: Units shown beside every outcome (all flows are over the counted months, after warm-up).
UNITS: dict[str, str] = {
    "transfers_per_year": "market entries per year",
    "transfers": "market entries per run",
    "median_months_to_market": "months from discovery to market (median of a run's transfers)",
    "public_spend_per_transfer": "M RMB of public money per transfer",
    "public_spend": "M RMB of public money per run",
    "pilot_failure_rate": "failed ÷ finished pilots",
    "pilot_funding_share": "funded pilots ÷ successful PoCs",
    "outsourcing_share": "piloting firms that outsourced out of region ÷ piloting firms",
    "valley_of_death_deaths": "projects per run dead for lack of money or investor withdrawal",
    "entered_poc": "projects per run that entered proof of concept",
    "pilots_started": "pilots started per run",
    "public_money_per_additional_transfer": "M RMB: Δ public spend ÷ Δ transfers (paired)",
}

#: Outcomes of the paired effect table; the last is the ratio of two paired differences.
EFFECT_OUTCOMES: tuple[str, ...] = (
    "transfers_per_year",
    "transfers",
    "median_months_to_market",
    "public_spend",
    "valley_of_death_deaths",
    "pilot_failure_rate",
)
RATIO_OUTCOME = "public_money_per_additional_transfer"

#: Outcomes of the full-chain interaction test (additive quantities only).
INTERACTION_OUTCOMES: tuple[str, ...] = (
    "transfers_per_year",
    "median_months_to_market",
    "public_spend",
)

SCENARIO_COLUMN = "param:scenario"
FULL_CHAIN = "full_chain"
MAX_LABEL_PARAMS = 3  # more swept parameters than this: points are labelled "point N"
MAX_TEXT_POINTS = 15  # more points than this: the printed summary pools them


# --- loading ----------------------------------------------------------------------------------
@dataclass
class Results:
    """What a run or sweep left in its folder."""

    dir: Path
    runs: pd.DataFrame
    timeseries: pd.DataFrame | None
    manifest: dict[str, Any]
    config: ExperimentConfig | None

    @property
    def method(self) -> str | None:
        """The sweep method (``None`` for a plain run of one point)."""
        if self.config is None or self.config.sweep is None:
            return "scenarios" if SCENARIO_COLUMN in self.runs.columns else None
        return self.config.sweep.method

    @property
    def name(self) -> str:
        """The experiment's name."""
        return str(self.manifest.get("experiment") or self.dir.name)

    @property
    def param_columns(self) -> list[str]:
        """The ``param:<dotted path>`` columns of the runs table."""
        return [c for c in self.runs.columns if c.startswith("param:")]


def load_results(path: str | Path) -> Results:
    """Read a results folder; the manifest's config is re-validated (it names the design)."""
    path = Path(path)
    runs_path = path / "runs.parquet"
    if not runs_path.is_file():
        raise ConfigError(f"'{path}' has no runs.parquet; give a results folder of run/sweep")
    runs = pd.read_parquet(runs_path)
    ts_path = path / "timeseries.parquet"
    timeseries = pd.read_parquet(ts_path) if ts_path.is_file() else None
    manifest: dict[str, Any] = {}
    config = None
    manifest_path = path / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        if "config" in manifest:
            config = parse_config(manifest["config"], source=str(manifest_path))
    return Results(path, runs, timeseries, manifest, config)


# --- labels and formatting --------------------------------------------------------------------
def _short_names(columns: list[str]) -> dict[str, str]:
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
    names = _short_names(params)
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


def fmt(x: float) -> str:
    """A number with three significant digits; ``–`` when missing."""
    if x is None or not math.isfinite(x):
        return "–" if x is None or math.isnan(x) else ("∞" if x > 0 else "-∞")
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def fmt_ci(mean: float, low: float, high: float, n: int) -> str:
    """``mean [low, high]``; only the mean when there is one value, ``–`` when none."""
    if n == 0 or mean is None or not math.isfinite(mean):
        return "–"
    if n == 1:
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


# --- summary ----------------------------------------------------------------------------------
def summary_frame(runs: pd.DataFrame, outcomes: tuple[str, ...] = OUTCOMES) -> pd.DataFrame:
    """Tidy table: one row per (point, outcome) with mean, 95% CI and the runs it used.

    ``n`` counts the runs with a finite value: a point whose runs made no transfer has no time
    to market, and its mean is then over fewer runs than ``runs`` (or missing).
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
            m, lo, hi, n = mean_ci(_values(group, outcome))
            rows.append(
                {**base, "outcome": outcome, "mean": m, "ci_low": lo, "ci_high": hi, "n": n}
            )
    return pd.DataFrame(rows)


def _values(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats; all NaN when the runs table lacks it (an older results folder)."""
    if column not in frame.columns:
        return np.full(len(frame), math.nan)
    return frame[column].to_numpy(dtype=float)


def summary_markdown(summary: pd.DataFrame, results: Results) -> str:
    """Points as rows, outcomes as columns, each cell ``mean [95% CI]``."""
    outcomes = list(dict.fromkeys(summary["outcome"]))
    params = [c for c in summary.columns if c.startswith("param:")]
    shown = params if len(params) > MAX_LABEL_PARAMS else []  # not already in the label
    names = _short_names(shown)
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
    units = "\n".join(f"* `{o}`: {UNITS.get(o, '')}" for o in outcomes)
    return "\n\n".join(
        [
            f"# Summary: {results.name}",
            _provenance(results),
            "Mean over replications with its 95% t-interval `[low, high]`. Flows are counted "
            "after the warm-up. `(n=k)` means only k runs had a value (e.g. a run without "
            "transfers has no time to market and no public money per transfer); `–` means none.",
            markdown_table(["point", *(names[c] for c in shown), "runs", *outcomes], rows),
            "Units:\n\n" + units,
        ]
    ) + "\n"


def _provenance(results: Results) -> str:
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


# --- paired effects ---------------------------------------------------------------------------
def reference_scenario(runs: pd.DataFrame, config: ExperimentConfig | None) -> str:
    """``experiment.compare_to``, else ``status_quo`` if swept, else the first scenario."""
    scenarios = list(dict.fromkeys(runs.sort_values("point_id")[SCENARIO_COLUMN]))
    wanted = config.experiment.compare_to if config is not None else None
    if wanted:
        if wanted not in scenarios:
            raise ConfigError(
                f"experiment.compare_to = {wanted!r} is not among the swept scenarios "
                f"({', '.join(scenarios)})"
            )
        return wanted
    return "status_quo" if "status_quo" in scenarios else scenarios[0]


def _scenario_wide(runs: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Replications as rows, scenarios as columns, after checking that runs are paired.

    Pairing is by replication; the seed of a replication must be the same in every scenario
    (common random numbers), otherwise the differences would not be paired at all.
    """
    seeds = runs.groupby("replication")["seed"].nunique()
    if (seeds > 1).any():
        bad = [int(r) for r in seeds[seeds > 1].index]
        raise ValueError(f"replications {bad} have different seeds across scenarios: not paired")
    if runs.duplicated(["replication", SCENARIO_COLUMN]).any():
        raise ValueError("a scenario appears twice for the same replication; cannot pair runs")
    if outcome not in runs.columns:
        runs = runs.assign(**{outcome: math.nan})
    return runs.pivot(index="replication", columns=SCENARIO_COLUMN, values=outcome).astype(float)


def paired_difference(
    treated: np.ndarray, reference: np.ndarray
) -> tuple[float, float, float, float, float, int]:
    """Means of both arms and the mean paired difference with its 95% CI, over finite pairs.

    Returns ``(reference mean, treated mean, effect, ci_low, ci_high, n_pairs)``; the effect is
    exactly the difference of the two means because both are taken over the same pairs.
    """
    t = np.asarray(treated, dtype=float)
    r = np.asarray(reference, dtype=float)
    ok = np.isfinite(t) & np.isfinite(r)
    if not ok.any():
        return math.nan, math.nan, math.nan, math.nan, math.nan, 0
    effect, lo, hi, n = mean_ci(t[ok] - r[ok])
    return float(r[ok].mean()), float(t[ok].mean()), effect, lo, hi, n


def fieller_ratio(num: np.ndarray, den: np.ndarray) -> tuple[float, float, float, int, str]:
    """Ratio of the means of paired differences, with Fieller's 95% interval.

    Public money per additional transfer is mean(Δ spend) ÷ mean(Δ transfers). A delta-method
    interval is wrong when the denominator is near zero; Fieller's interval is exact under
    normality and says so: when Δ transfers is not significantly different from zero the
    interval is unbounded, reported as (−∞, ∞) with a note. Returns ``(ratio, low, high, n,
    note)``.
    """
    a = np.asarray(num, dtype=float)
    b = np.asarray(den, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = a[ok], b[ok]
    n = int(a.size)
    if n == 0:
        return math.nan, math.nan, math.nan, 0, "no paired runs"
    ma, mb = float(a.mean()), float(b.mean())
    if mb == 0:
        return math.nan, -math.inf, math.inf, n, "no additional transfers on average"
    ratio = ma / mb
    note = "" if mb > 0 else "fewer transfers than the reference: ratio not a cost"
    if n < 2:
        return ratio, math.nan, math.nan, n, note or "one pair: no interval"
    t2 = float(stats.t.ppf(0.975, n - 1)) ** 2
    saa, sbb = float(a.var(ddof=1)), float(b.var(ddof=1))
    sab = float(np.cov(a, b, ddof=1)[0, 1])
    qa = mb * mb - t2 * sbb / n
    qb = -2.0 * (ma * mb - t2 * sab / n)
    qc = ma * ma - t2 * saa / n
    if qa <= 0:
        return ratio, -math.inf, math.inf, n, "CI unbounded: Δ transfers not significant"
    root = math.sqrt(max(qb * qb - 4 * qa * qc, 0.0))
    return ratio, (-qb - root) / (2 * qa), (-qb + root) / (2 * qa), n, note


def paired_effects(runs: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Effect of every scenario against ``reference`` on paired replications (tidy table)."""
    scenarios = list(dict.fromkeys(runs.sort_values("point_id")[SCENARIO_COLUMN]))
    wide = {o: _scenario_wide(runs, o) for o in (*EFFECT_OUTCOMES, "public_spend", "transfers")}
    rows = []
    for scenario in scenarios:
        if scenario == reference:
            continue
        for outcome in EFFECT_OUTCOMES:
            w = wide[outcome]
            ref_mean, mean, eff, lo, hi, n = paired_difference(w[scenario], w[reference])
            rel = eff / ref_mean if ref_mean and math.isfinite(ref_mean) else math.nan
            rows.append({
                "scenario": scenario, "reference": reference, "outcome": outcome,
                "reference_mean": ref_mean, "scenario_mean": mean, "effect": eff,
                "ci_low": lo, "ci_high": hi, "relative_effect": rel, "n_pairs": n, "note": "",
            })
        spend, transfers = wide["public_spend"], wide["transfers"]
        ratio, lo, hi, n, note = fieller_ratio(
            spend[scenario] - spend[reference], transfers[scenario] - transfers[reference]
        )
        rows.append({
            "scenario": scenario, "reference": reference, "outcome": RATIO_OUTCOME,
            "reference_mean": math.nan, "scenario_mean": math.nan, "effect": ratio,
            "ci_low": lo, "ci_high": hi, "relative_effect": math.nan, "n_pairs": n,
            "note": note,
        })
    return pd.DataFrame(rows)


def interaction_effects(runs: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Is ``full_chain`` more than the sum of the single policies? (paired, per replication).

    For replication r: interaction_r = (full_r − ref_r) − Σ_p (single_p,r − ref_r), over the
    single-policy scenarios present in the sweep; a positive mean with a CI above zero means the
    package does more than the sum of its parts on that outcome. Replications where any of the
    scenarios has no value are left out (``n_pairs``).
    """
    scenarios = set(runs[SCENARIO_COLUMN])
    singles = [p for p in POLICY_NAMES if p in scenarios]
    if FULL_CHAIN not in scenarios or reference not in scenarios or not singles:
        return pd.DataFrame()
    rows = []
    for outcome in INTERACTION_OUTCOMES:
        w = _scenario_wide(runs, outcome)[[reference, FULL_CHAIN, *singles]].dropna()
        full = (w[FULL_CHAIN] - w[reference]).to_numpy()
        summed = sum((w[p] - w[reference]).to_numpy() for p in singles)
        m, lo, hi, n = mean_ci(full - summed) if len(w) else (math.nan,) * 3 + (0,)
        rows.append({
            "outcome": outcome, "reference": reference,
            "full_chain_effect": float(full.mean()) if len(w) else math.nan,
            "sum_of_single_effects": float(np.mean(summed)) if len(w) else math.nan,
            "interaction": m, "ci_low": lo, "ci_high": hi, "n_pairs": n,
            "singles": ",".join(singles), "singles_missing": ",".join(
                p for p in POLICY_NAMES if p not in scenarios
            ),
            "verdict": _verdict(lo, hi, n),
        })
    return pd.DataFrame(rows)


def _verdict(lo: float, hi: float, n: int) -> str:
    if n < 2 or not (math.isfinite(lo) and math.isfinite(hi)):
        return "not enough paired runs to tell"
    if lo > 0:
        return "more than the sum of the single effects"
    if hi < 0:
        return "less than the sum of the single effects"
    return "not distinguishable from the sum of the single effects"


def interaction_sentence(inter: pd.DataFrame) -> str:
    """The answer to spec §5's question, on throughput, in one sentence."""
    if inter.empty:
        return ""
    r = inter.set_index("outcome").loc["transfers_per_year"]
    missing = f" (singles not swept: {r['singles_missing']})" if r["singles_missing"] else ""
    return (
        f"full_chain vs {r['reference']}: {fmt(r['full_chain_effect'])} transfers/year; the "
        f"{len(r['singles'].split(','))} single policies sum to "
        f"{fmt(r['sum_of_single_effects'])}{missing}. Interaction (full − sum) = "
        f"{fmt(r['interaction'])} [95% CI {fmt(r['ci_low'])}, {fmt(r['ci_high'])}] over "
        f"{int(r['n_pairs'])} paired replications: full_chain's effect on throughput is "
        f"{r['verdict']}."
    )


def effects_markdown(effects: pd.DataFrame, inter: pd.DataFrame, results: Results) -> str:
    """The main effects (throughput, time to market, public money per additional transfer)."""
    reference = effects["reference"].iloc[0] if len(effects) else ""
    main = ("transfers_per_year", "median_months_to_market", "public_spend", RATIO_OUTCOME)
    rows = []
    for scenario, group in effects.groupby("scenario", sort=False):
        by = group.set_index("outcome")
        cells = [str(scenario)]
        for o in main:
            r = by.loc[o]
            text = fmt_ci(r["effect"], r["ci_low"], r["ci_high"], int(r["n_pairs"]))
            if o != RATIO_OUTCOME and int(r["n_pairs"]) < results.runs["replication"].nunique():
                text += f" (n={int(r['n_pairs'])})"
            if r["note"]:
                text += f" — {r['note']}"
            cells.append(text)
        rows.append(cells)
    ref_runs = results.runs[results.runs[SCENARIO_COLUMN] == reference]
    base = ", ".join(
        f"{o} {fmt(mean_ci(_values(ref_runs, o))[0])} {unit}"
        for o, unit in (("transfers_per_year", "per year"), ("median_months_to_market", "months"),
                        ("public_spend", "M RMB per run"))
    )
    parts = [
        f"# Paired effects against `{reference}`: {results.name}",
        _provenance(results),
        f"Reference `{reference}` means: {base}.",
        "Each cell is the mean paired difference scenario − reference over replications "
        "(replication r has the same seed in every scenario: common random numbers) with its "
        "95% t-interval. Δ transfers/year in market entries per year; Δ months to market in "
        "months (negative = faster; only pairs where both runs had a transfer, `n`); Δ public "
        "spend in M RMB per run over the counted months; public money per additional transfer = "
        "mean Δ public spend ÷ mean Δ transfers in M RMB, with Fieller's 95% interval "
        "(unbounded when Δ transfers is not significantly different from zero).",
        markdown_table(
            ["scenario", "Δ transfers/year", "Δ months to market", "Δ public spend (M RMB)",
             "public M RMB per additional transfer"],
            rows,
        ),
    ]
    if not inter.empty:
        irows = [
            [r.outcome, fmt(r.full_chain_effect), fmt(r.sum_of_single_effects),
             fmt_ci(r.interaction, r.ci_low, r.ci_high, int(r.n_pairs)), str(int(r.n_pairs)),
             r.verdict]
            for r in inter.itertuples()
        ]
        parts += [
            "## Is the full chain more than the sum of its parts?",
            interaction_sentence(inter),
            "Per replication, interaction = (full_chain − reference) − Σ (single policy − "
            "reference); the table gives its mean and paired 95% CI (for months to market, a "
            "negative interaction means the package shortens time to market by more than the "
            "single policies together).",
            markdown_table(
                ["outcome", "full_chain effect", "sum of single effects",
                 "interaction [95% CI]", "pairs", "full_chain's effect is"],
                irows,
            ),
        ]
    return "\n\n".join(parts) + "\n"


# --- the report -------------------------------------------------------------------------------
def write_report(out_dir: Path) -> str:
    """Write ``out_dir/report/`` and return a short text summary of what it found and wrote.

    The text is what ``sciencecity report`` and ``reproduce`` print: the files, the headline
    table and, when they apply, the paired effects, the interaction verdict and the most
    influential parameters, so a terminal user sees the answer without opening a file.
    """
    from experiments import figures, sensitivity

    results = load_results(out_dir)
    out = Path(out_dir) / "report"
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []

    summary = summary_frame(results.runs)
    summary.to_csv(out / "summary.csv", index=False)
    written.append("summary.csv")

    text = [
        f"Report of '{results.name}' ({_provenance(results).removeprefix('Experiment: ')})",
        "",
        _main_table(summary),
    ]

    effects = inter = pd.DataFrame()
    if SCENARIO_COLUMN in results.runs.columns and results.runs[SCENARIO_COLUMN].nunique() > 1:
        reference = reference_scenario(results.runs, results.config)
        effects = paired_effects(results.runs, reference)
        inter = interaction_effects(results.runs, reference)
        effects.to_csv(out / "effects.csv", index=False)
        (out / "effects.md").write_text(effects_markdown(effects, inter, results))
        written += ["effects.csv", "effects.md"]
        if not inter.empty:
            inter.to_csv(out / "interaction.csv", index=False)
            written.append("interaction.csv")
        text += ["", f"Paired effects against {reference} (95% CI):", _effects_table(effects)]
        if not inter.empty:
            text += ["", interaction_sentence(inter)]

    sens = pd.DataFrame()
    if results.method in ("sobol", "morris") and results.config is not None:
        sens = sensitivity.sensitivity_indices(results.runs, results.config)
        sens.to_csv(out / "sensitivity.csv", index=False)
        (out / "sensitivity.md").write_text(
            sensitivity.sensitivity_markdown(sens, results.name, _provenance(results))
        )
        written += ["sensitivity.csv", "sensitivity.md"]
        text += ["", sensitivity.sensitivity_text(sens)]

    figs, problems = figures.write_figures(
        out, results.runs, results.timeseries, point_labels(results.runs),
        method=results.method, effects=effects, sensitivity=sens,
    )
    fig_names = sorted({p.stem for p in figs})
    (out / "summary.md").write_text(
        summary_markdown(summary, results) + _figure_section(fig_names, problems)
    )
    written.insert(1, "summary.md")
    text.insert(1, f"wrote {out}/: " + ", ".join(written)
                + (f"; figures (PNG+SVG): {', '.join(fig_names)}" if fig_names else ""))
    text += [f"figure problem: {p}" for p in problems]
    return "\n".join(text)


def _figure_section(names: list[str], problems: list[str]) -> str:
    if not names and not problems:
        return ""
    lines = ["", "## Figures", ""]
    lines += [f"![{n}]({n}.png)" for n in names]
    lines += [f"* figure problem: {p}" for p in problems]
    return "\n".join(lines) + "\n"


def _main_table(summary: pd.DataFrame) -> str:
    """Plain-text table of the three outcomes people ask for first."""
    main = ("transfers_per_year", "median_months_to_market", "public_spend_per_transfer")
    header = ["point", "transfers/year", "months to market", "public M RMB/transfer"]
    rows = []
    if summary["point_id"].nunique() > MAX_TEXT_POINTS:
        n_points = summary["point_id"].nunique()
        pooled = summary.groupby("outcome")["mean"].agg(["mean", "min", "max"])
        rows = [[f"{o}: mean of the {n_points} point means {fmt(pooled.loc[o, 'mean'])}, "
                 f"range {fmt(pooled.loc[o, 'min'])} to {fmt(pooled.loc[o, 'max'])}"]
                for o in main]
        return _plain_table([f"{n_points} points (per-point table in summary.md)"], rows)
    for (_, label), group in summary.groupby(["point_id", "label"], sort=True):
        by = group.set_index("outcome")
        runs = int(group["runs"].iloc[0])
        cells = [label]
        for o in main:
            n = int(by.loc[o, "n"])
            text = fmt_ci(by.loc[o, "mean"], by.loc[o, "ci_low"], by.loc[o, "ci_high"], n)
            cells.append(text + (f" (n={n})" if 0 < n < runs else ""))
        rows.append(cells)
    return _plain_table(header, rows)


def _effects_table(effects: pd.DataFrame) -> str:
    main = ("transfers_per_year", "median_months_to_market", RATIO_OUTCOME)
    header = ["scenario", "Δ transfers/year", "Δ months to market", "public M RMB/extra transfer"]
    rows = []
    for scenario, group in effects.groupby("scenario", sort=False):
        by = group.set_index("outcome")
        rows.append([str(scenario)] + [
            fmt_ci(by.loc[o, "effect"], by.loc[o, "ci_low"], by.loc[o, "ci_high"],
                   int(by.loc[o, "n_pairs"]))
            for o in main
        ])
    return _plain_table(header, rows)


def _plain_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)
