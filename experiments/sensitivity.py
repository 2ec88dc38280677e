"""Global sensitivity measures of a Sobol, Morris or LHS sweep (SALib and SciPy).

Sobol and Morris designs get their own SALib analysers. An LHS design fits neither; it gets
partial rank correlation coefficients (PRCC: Spearman correlation of an outcome with a
parameter after the ranks of the other parameters are regressed out, with a 95% Fisher
interval) for direction and strength of monotone effects, and SALib's PAWN index (median
Kolmogorov–Smirnov distance between conditional and unconditional output distributions) for
effects of any shape.

The analysers need the design matrix in the sampler's order. It is rebuilt from the config in
the manifest with ``experiments.design.design_points`` (same sampler, same seed, same order) and
checked against the parameter values the runs actually used, so a report can never pair the
wrong inputs with the outputs. Replications of a point are averaged first (the indices describe
the expected outcome; replication noise would otherwise pose as an effect of the parameters).

Missing values: a point whose runs had no value (e.g. no transfer, so no time to market) breaks
Sobol's estimators, which need every row; that output is then skipped with a note. Morris
works trajectory by trajectory, so incomplete trajectories are dropped and the rest analysed.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import pawn as pawn_analyze
from SALib.analyze import sobol as sobol_analyze
from scipy import stats

from experiments.config import ExperimentConfig
from experiments.design import design_points, salib_problem
from experiments.tables import fmt, markdown_table, unit

#: Design methods with sensitivity measures.
SENSITIVITY_METHODS = ("sobol", "morris", "lhs")
#: Slices of each parameter's range for PAWN (SALib's default is 10; designs here are small).
PAWN_SLICES = 5

#: Levels of the Morris grid; must equal the sampler's in ``experiments.design``.
MORRIS_LEVELS = 4
#: Bootstrap resamples behind the confidence intervals of the indices.
NUM_RESAMPLES = 1000

#: Outcomes analysed (fields of ``ecosystem.metrics.SUMMARY_FIELDS``).
SENSITIVITY_OUTPUTS: tuple[str, ...] = (
    "transfers_per_year",
    "median_months_to_market",
    "public_spend_per_transfer",
    "pilot_failure_rate",
    "pilot_funding_share",
    "valley_of_death_deaths",
)

#: What each index means, for the Markdown report.
INDEX_HELP = {
    "sobol": (
        "First-order index S1: share of the output's variance explained by the parameter alone; "
        "total index ST: share explained by the parameter including all its interactions. "
        "`±` is the half-width of SALib's 95% bootstrap interval. The design has no second-order "
        "terms (calc_second_order = False). ST ≈ 0 means the parameter can be fixed."
    ),
    "morris": (
        "Morris elementary effects ΔY ÷ Δ, with steps Δ of 2/3 of the parameter's range "
        "(num_levels = 4), so an effect is in the output's own units per whole range of the "
        "parameter: μ* = mean |effect| ranks influence, μ = mean signed effect gives its "
        "direction, σ = spread of the effects (non-linearity or interactions). `±` is the "
        "half-width of SALib's 95% bootstrap interval of μ*."
    ),
    "lhs": (
        "PRCC: partial rank correlation of the outcome with the parameter, the other "
        "parameters' ranks regressed out (−1 to 1; the sign is the direction of a monotone "
        "effect); `±` is the half-width of its 95% Fisher interval. PAWN: median "
        "Kolmogorov–Smirnov distance between the outcome's distribution with the parameter "
        "held in one of 5 slices and its whole distribution (0 to 1, any shape of effect; "
        "no interval, compare with the smallest parameter as a noise floor)."
    ),
}


def in_run_order(cfg: ExperimentConfig, runs: pd.DataFrame) -> ExperimentConfig:
    """The config with its swept parameters in the order the sweep used them.

    The order of ``[sweep.parameters]`` changes the sampled matrix, and a config read back from
    ``manifest.json`` has its keys sorted alphabetically (the manifest is written with sorted
    keys), not in the TOML's order. The runs table keeps the sweep's order in its
    ``param:<path>`` columns, so that order is restored before the design is rebuilt.
    """
    if cfg.sweep is None:
        return cfg
    order = [c.removeprefix("param:") for c in runs.columns if c.startswith("param:")]
    params = cfg.sweep.parameters
    if sorted(order) != sorted(params):
        return cfg  # check_design will say what is wrong
    sweep = cfg.sweep.model_copy(update={"parameters": {k: params[k] for k in order}})
    return cfg.model_copy(update={"sweep": sweep})


def design_matrix(cfg: ExperimentConfig) -> tuple[dict[str, Any], np.ndarray]:
    """SALib's problem and the design matrix of the config's sweep, in run order.

    Pass the config through ``in_run_order`` first when it comes from a manifest.
    """
    if cfg.sweep is None or cfg.sweep.method not in SENSITIVITY_METHODS:
        raise ValueError("sensitivity measures need a sweep with method 'sobol', 'morris' or "
                         "'lhs'")
    problem = salib_problem(cfg.sweep.parameters)
    points = design_points(cfg)
    matrix = np.array([[float(p[n]) for n in problem["names"]] for p in points], dtype=float)
    return problem, matrix


def check_design(runs: pd.DataFrame, names: list[str], matrix: np.ndarray) -> None:
    """Fail when the runs did not use the rebuilt design (wrong manifest, changed sampler)."""
    if runs["point_id"].max() + 1 != len(matrix) or runs["point_id"].nunique() != len(matrix):
        raise ValueError(
            f"runs cover {runs['point_id'].nunique()} points but the design has {len(matrix)}; "
            "is the sweep complete?"
        )
    firsts = runs.groupby("point_id", sort=True).first()
    for j, name in enumerate(names):
        column = f"param:{name}"
        if column not in firsts.columns:
            raise ValueError(f"runs have no column {column!r} for design parameter {name!r}")
        used = firsts[column].to_numpy(dtype=float)
        if not np.allclose(used, matrix[:, j], rtol=1e-9, atol=1e-12):
            raise ValueError(f"runs' values of {name!r} differ from the rebuilt design matrix")


def point_means(runs: pd.DataFrame, outputs: tuple[str, ...], n_points: int) -> pd.DataFrame:
    """Mean over replications of each output at each point (NaN where no run had a value)."""
    means = runs.groupby("point_id", sort=True)[list(outputs)].mean()  # skips NaN
    return means.reindex(range(n_points))


def _rows(method: str, output: str, names: list[str], indices: dict[str, tuple], n: int,
          note: str = "") -> list[dict[str, Any]]:
    rows = []
    for j, name in enumerate(names):
        for index, (values, confs) in indices.items():
            rows.append({
                "method": method, "outcome": output, "parameter": name, "index": index,
                "value": float(values[j]) if values is not None else math.nan,
                "conf": float(confs[j]) if confs is not None else math.nan,
                "points_used": n, "note": note,
            })
    return rows


def _skipped(method: str, output: str, names: list[str], n: int, note: str) -> list[dict]:
    keys = {"sobol": ("S1", "ST"), "morris": ("mu_star", "mu", "sigma"),
            "lhs": ("prcc", "pawn")}[method]
    return _rows(method, output, names, {k: (None, None) for k in keys}, n, note)


def _sobol(problem: dict[str, Any], y: np.ndarray, output: str, seed: int) -> list[dict]:
    names = problem["names"]
    if not np.isfinite(y).all():
        bad = int((~np.isfinite(y)).sum())
        return _skipped("sobol", output, names, 0,
                        f"skipped: {bad} of {y.size} points have no value (Sobol needs all)")
    if np.var(y) == 0:
        return _skipped("sobol", output, names, y.size, "skipped: output constant over the design")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        si = sobol_analyze.analyze(
            problem, y, calc_second_order=False, num_resamples=NUM_RESAMPLES,
            conf_level=0.95, seed=seed,
        )
    return _rows("sobol", output, names, {
        "S1": (si["S1"], si["S1_conf"]), "ST": (si["ST"], si["ST_conf"])
    }, y.size)


def _morris(
    problem: dict[str, Any], x: np.ndarray, y: np.ndarray, output: str, seed: int
) -> list[dict]:
    names = problem["names"]
    size = problem["num_vars"] + 1
    trajectories = y.size // size
    y3 = y.reshape(trajectories, size)
    keep = np.isfinite(y3).all(axis=1)
    note = "" if keep.all() else (
        f"{int((~keep).sum())} of {trajectories} trajectories dropped (points without a value)"
    )
    if keep.sum() < 2:
        return _skipped("morris", output, names, 0,
                        f"skipped: fewer than 2 complete trajectories ({note})")
    xs = x.reshape(trajectories, size, -1)[keep].reshape(-1, x.shape[1])
    ys = y3[keep].reshape(-1)
    if np.var(ys) == 0:
        return _skipped("morris", output, names, ys.size,
                        "skipped: output constant over the design")
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            si = morris_analyze.analyze(
                problem, xs, ys, num_resamples=NUM_RESAMPLES, conf_level=0.95,
                num_levels=MORRIS_LEVELS, seed=seed,
            )
    except (ValueError, IndexError) as exc:  # e.g. an integer step rounded to no change
        return _skipped("morris", output, names, ys.size, f"skipped: SALib failed ({exc})")
    return _rows("morris", output, names, {
        "mu_star": (si["mu_star"], si["mu_star_conf"]),
        "mu": (si["mu"], None),
        "sigma": (si["sigma"], None),
    }, ys.size, note)


def prcc(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Partial rank correlation of ``y`` with each column of ``x``, and 95% half-widths."""
    n, k = x.shape
    rx = np.column_stack([stats.rankdata(x[:, j]) for j in range(k)])
    ry = stats.rankdata(y)
    values = np.full(k, math.nan)
    half = np.full(k, math.nan)
    for j in range(k):
        others = np.column_stack([np.ones(n), np.delete(rx, j, axis=1)])
        res_x = rx[:, j] - others @ np.linalg.lstsq(others, rx[:, j], rcond=None)[0]
        res_y = ry - others @ np.linalg.lstsq(others, ry, rcond=None)[0]
        if np.ptp(res_x) == 0 or np.ptp(res_y) == 0:
            continue
        r = float(stats.pearsonr(res_x, res_y).statistic)
        values[j] = r
        df = n - 3 - (k - 1)  # Fisher's z with k − 1 controlled variables
        if df > 0:
            z = math.atanh(max(min(r, 1 - 1e-12), -1 + 1e-12))
            w = float(stats.norm.ppf(0.975)) / math.sqrt(df)
            half[j] = (math.tanh(z + w) - math.tanh(z - w)) / 2
    return values, half


def _lhs(problem: dict[str, Any], x: np.ndarray, y: np.ndarray, output: str, seed: int
         ) -> list[dict]:
    names = problem["names"]
    ok = np.isfinite(y)
    note = "" if ok.all() else f"{int((~ok).sum())} of {y.size} points without a value dropped"
    if ok.sum() < len(names) + 4:
        return _skipped("lhs", output, names, int(ok.sum()),
                        f"skipped: {int(ok.sum())} points with a value, too few for "
                        f"{len(names)} parameters")
    xs, ys = x[ok], y[ok]
    if np.var(ys) == 0:
        return _skipped("lhs", output, names, ys.size, "skipped: output constant over the design")
    values, half = prcc(xs, ys)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        pawn = pawn_analyze.analyze(problem, xs, ys, S=PAWN_SLICES, seed=seed)
    return _rows("lhs", output, names, {
        "prcc": (values, half), "pawn": (np.asarray(pawn["median"], dtype=float), None),
    }, ys.size, note)


def lhs_matrix(runs: pd.DataFrame, names: list[str]) -> np.ndarray:
    """The LHS design matrix as the runs used it (one row per point, in point order)."""
    firsts = runs.groupby("point_id", sort=True).first()
    return firsts[[f"param:{n}" for n in names]].to_numpy(dtype=float)


def sensitivity_indices(
    runs: pd.DataFrame,
    cfg: ExperimentConfig,
    outputs: tuple[str, ...] = SENSITIVITY_OUTPUTS,
    seed: int | None = None,
) -> pd.DataFrame:
    """Tidy table of the indices: method, output, parameter, index, value, conf, note.

    The bootstrap of the confidence intervals is seeded (by default from the experiment's base
    seed), so the same results folder always gives the same report.
    """
    cfg = in_run_order(cfg, runs)
    assert cfg.sweep is not None
    method = cfg.sweep.method
    if method == "lhs":
        problem = salib_problem(cfg.sweep.parameters)
        matrix = lhs_matrix(runs, problem["names"])
    else:
        problem, matrix = design_matrix(cfg)
        check_design(runs, problem["names"], matrix)
    seed = cfg.experiment.base_seed % 2**32 if seed is None else seed
    outputs = tuple(o for o in outputs if o in runs.columns)
    means = point_means(runs, outputs, len(matrix))
    rows: list[dict] = []
    for output in outputs:
        y = means[output].to_numpy(dtype=float)
        if method == "sobol":
            rows += _sobol(problem, y, output, seed)
        elif method == "lhs":
            rows += _lhs(problem, matrix, y, output, seed)
        else:
            rows += _morris(problem, matrix, y, output, seed)
    return pd.DataFrame(rows)


RANK_BY = {"sobol": "ST", "morris": "mu_star", "lhs": "prcc"}


def _wide(sens: pd.DataFrame, output: str) -> pd.DataFrame:
    part = sens[sens["outcome"] == output]
    value = part.pivot(index="parameter", columns="index", values="value")
    conf = part.pivot(index="parameter", columns="index", values="conf")
    rank = RANK_BY[str(part["method"].iloc[0])]
    order = value[rank].abs().sort_values(ascending=False, na_position="last").index
    return value.loc[order].join(conf.loc[order].add_suffix("_conf"))


def sensitivity_markdown(sens: pd.DataFrame, name: str, provenance: str) -> str:
    """One table per outcome, parameters ranked by ST (Sobol), μ* (Morris) or |PRCC| (LHS)."""
    if sens.empty:
        return f"# Sensitivity: {name}\n\nNo outputs to analyse.\n"
    method = str(sens["method"].iloc[0])
    parts = [f"# Sensitivity ({method}): {name}", provenance,
             "Replications are averaged per design point first. " + INDEX_HELP[method]]
    for output in dict.fromkeys(sens["outcome"]):
        part = sens[sens["outcome"] == output]
        notes = sorted({n for n in part["note"] if n})
        w = _wide(sens, output)
        if method == "sobol":
            header = ["parameter", "S1", "ST"]
            rows = [[p, f"{fmt(r.S1)} ± {fmt(r.S1_conf)}", f"{fmt(r.ST)} ± {fmt(r.ST_conf)}"]
                    for p, r in w.iterrows()]
        elif method == "lhs":
            header = ["parameter", "PRCC", "PAWN (median KS)"]
            rows = [[p, f"{fmt(r.prcc)} ± {fmt(r.prcc_conf)}", fmt(r.pawn)]
                    for p, r in w.iterrows()]
        else:
            header = ["parameter", "μ*", "μ", "σ"]
            rows = [[p, f"{fmt(r.mu_star)} ± {fmt(r.mu_star_conf)}", fmt(r.mu), fmt(r.sigma)]
                    for p, r in w.iterrows()]
        parts.append(f"## {output} ({unit(output)})")
        if notes:
            parts.append("Note: " + "; ".join(notes))
        parts.append(markdown_table(header, rows))
    return "\n\n".join(parts) + "\n"


def sensitivity_text(sens: pd.DataFrame, top: int = 3) -> str:
    """The most influential parameters per outcome, one line each."""
    if sens.empty:
        return "Sensitivity: no outputs to analyse."
    method = str(sens["method"].iloc[0])
    rank = RANK_BY[method]
    by = "|PRCC|" if method == "lhs" else rank
    lines = [f"Most influential parameters ({method}, ranked by {by}):"]
    for output in dict.fromkeys(sens["outcome"]):
        w = _wide(sens, output)
        if w[rank].isna().all():
            note = next((n for n in sens.loc[sens["outcome"] == output, "note"] if n), "no value")
            lines.append(f"  {output}: {note}")
            continue
        best = w[rank].dropna().head(top)  # already ordered by |value|
        per = f"; μ* in {unit(output)} per parameter range" if method == "morris" else ""
        lines.append(f"  {output}{per}: " + ", ".join(f"{p} {fmt(v)}" for p, v in best.items()))
    return "\n".join(lines)
