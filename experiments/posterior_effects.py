"""Policy effects under parameter uncertainty: paired effects over posterior draws × seeds.

A sweep with ``[experiment] posterior`` runs every scenario at each of K parameter sets drawn
from a calibration posterior (``experiments.posterior_draws``), with the same R seeds at every
point, so replication r meets the same luck in every scenario *and* every draw. Point p of the
sweep is draw ``p // S`` and scenario ``p % S`` (``experiments.design``).

The paired effect of a policy in draw k and replication r is e[k, r] = policy − reference.
Draws are resampled by weight, so they count equally. Per policy and outcome:

* ``effect`` — the mean of e over draws and seeds: the posterior-expected effect;
* ``interval_low`` / ``interval_high`` — the 2.5% and 97.5% quantiles of e over draws × seeds:
  where the effect of the policy on one history of the region falls when both the parameters
  (as far as the calibration leaves them open) and the luck of the run are unknown;
* ``ci_low`` / ``ci_high`` — a 95% hierarchical bootstrap interval of ``effect`` (resample
  draws, then seeds within each draw): how precisely this sweep knows the expected effect;
* the variance of e split by the law of total variance, Var(e) = E_k[Var_r(e | k)] +
  Var_k(E_r[e | k]): ``var_stochastic`` is the mean within-draw variance over seeds, and
  ``var_parameter`` the variance of the per-draw mean effects less the part their own
  sampling noise explains (mean of Var_r / R_k, floored at 0). ``share_parameter`` is the
  parameter part's share, and ``dominant`` names the larger part.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from experiments.config import ExperimentConfig
from experiments.loading import SCENARIO_COLUMN
from experiments.tables import fmt, markdown_table, plain_table, unit

#: Outcomes of the posterior effect table.
POSTERIOR_OUTCOMES: tuple[str, ...] = (
    "gate_clinical_per_year",
    "transfers_per_year",
    "median_months_to_market",
    "public_spend",
)
BOOTSTRAP_RESAMPLES = 2000
#: Spawn key of the bootstrap's random stream (apart from the runs' and the draws' seeds).
BOOTSTRAP_STREAM = 0x424F4F54  # "BOOT"


def reference_of(cfg: ExperimentConfig) -> str:
    """``compare_to``, else ``status_quo`` if swept, else the first scenario."""
    assert cfg.sweep is not None
    scenarios = cfg.sweep.scenarios
    wanted = cfg.experiment.compare_to
    if wanted:
        return wanted
    return "status_quo" if "status_quo" in scenarios else scenarios[0]


def with_draws(runs: pd.DataFrame, cfg: ExperimentConfig) -> pd.DataFrame:
    """The runs with a ``draw`` column (point p is draw p // S), checked against the design."""
    assert cfg.sweep is not None
    scenarios = cfg.sweep.scenarios
    runs = runs.assign(draw=runs["point_id"] // len(scenarios))
    expected = runs["point_id"].map(lambda p: scenarios[int(p) % len(scenarios)])
    if not (expected == runs[SCENARIO_COLUMN]).all():
        raise ValueError("runs' scenarios do not follow the design's draw-major order")
    return runs


def paired_matrix(runs: pd.DataFrame, policy: str, reference: str, outcome: str) -> np.ndarray:
    """e[k, r]: the paired effect in draw k and replication r (NaN where a run has no value)."""
    if (runs.groupby("replication")["seed"].nunique() > 1).any():
        raise ValueError("a replication has different seeds across points: not paired")
    values = runs.pivot_table(
        index=["draw", "replication"], columns=SCENARIO_COLUMN, values=outcome, aggfunc="first",
        dropna=False,
    )
    diff = (values[policy] - values[reference]).astype(float)
    return diff.unstack("replication").sort_index().to_numpy(dtype=float)


def variance_parts(e: np.ndarray) -> tuple[float, float]:
    """(stochastic, parameter) parts of Var(e) by the law of total variance."""
    reps = np.isfinite(e).sum(axis=1)
    keep = reps >= 2
    if keep.sum() < 2:
        return math.nan, math.nan
    e = e[keep]
    within = np.nanvar(e, axis=1, ddof=1)
    means = np.nanmean(e, axis=1)
    stochastic = float(np.mean(within))
    parameter = max(float(np.var(means, ddof=1) - np.mean(within / reps[keep])), 0.0)
    return stochastic, parameter


def hierarchical_bootstrap(
    e: np.ndarray, seed: int, resamples: int = BOOTSTRAP_RESAMPLES
) -> tuple[float, float]:
    """95% interval of the mean effect: resample draws, then seeds within each drawn draw."""
    rows = e[np.isfinite(e).any(axis=1)]
    if len(rows) < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    k, r = rows.shape
    pick_draw = rng.integers(0, k, size=(resamples, k))
    pick_seed = rng.integers(0, r, size=(resamples, k, r))
    sample = rows[pick_draw[:, :, None], pick_seed]
    with warnings.catch_warnings():  # a draw whose resampled seeds all lack a value
        warnings.simplefilter("ignore", RuntimeWarning)
        means = np.nanmean(np.nanmean(sample, axis=2), axis=1)
    means = means[np.isfinite(means)]
    lo, hi = np.quantile(means, [0.025, 0.975])
    return float(lo), float(hi)


def bootstrap_seed(base_seed: int) -> int:
    """The bootstrap's seed, derived from the experiment's base seed."""
    seq = np.random.SeedSequence(base_seed, spawn_key=(BOOTSTRAP_STREAM,))
    return int(seq.generate_state(1)[0])


def posterior_effects(
    runs: pd.DataFrame, cfg: ExperimentConfig, outcomes: tuple[str, ...] = POSTERIOR_OUTCOMES
) -> pd.DataFrame:
    """Per policy and outcome: effect, both intervals and the two variance parts (tidy)."""
    assert cfg.sweep is not None
    runs = with_draws(runs, cfg)
    reference = reference_of(cfg)
    seed = bootstrap_seed(cfg.experiment.base_seed)
    rows = []
    for policy in [s for s in cfg.sweep.scenarios if s != reference]:
        for outcome in outcomes:
            e = paired_matrix(runs, policy, reference, outcome)
            finite = e[np.isfinite(e)]
            stochastic, parameter = variance_parts(e)
            total = stochastic + parameter
            lo, hi = (np.quantile(finite, [0.025, 0.975]) if finite.size else (math.nan,) * 2)
            ci_lo, ci_hi = hierarchical_bootstrap(e, seed)
            share = parameter / total if total > 0 else math.nan
            rows.append({
                "policy": policy, "reference": reference, "outcome": outcome,
                "unit": unit(outcome),
                "effect": float(finite.mean()) if finite.size else math.nan,
                "interval_low": float(lo), "interval_high": float(hi),
                "ci_low": ci_lo, "ci_high": ci_hi,
                "draws": int(np.isfinite(e).any(axis=1).sum()), "replications": e.shape[1],
                "n_pairs": int(finite.size),
                "var_stochastic": stochastic, "var_parameter": parameter,
                "share_parameter": share,
                "dominant": _dominant(stochastic, parameter),
            })
    return pd.DataFrame(rows)


def draw_effects(runs: pd.DataFrame, cfg: ExperimentConfig, outcome: str) -> pd.DataFrame:
    """Mean paired effect per policy and draw (for the figure)."""
    runs = with_draws(runs, cfg)
    reference = reference_of(cfg)
    assert cfg.sweep is not None
    frames = []
    for policy in [s for s in cfg.sweep.scenarios if s != reference]:
        e = paired_matrix(runs, policy, reference, outcome)
        with warnings.catch_warnings():  # a draw where no pair has a value
            warnings.simplefilter("ignore", RuntimeWarning)
            means = np.nanmean(e, axis=1)
        frames.append(pd.DataFrame({"policy": policy, "draw": range(len(means)),
                                    "effect": means}))
    return pd.concat(frames, ignore_index=True)


def _dominant(stochastic: float, parameter: float) -> str:
    if not (math.isfinite(stochastic) and math.isfinite(parameter)):
        return "not enough draws or seeds to tell"
    if stochastic + parameter == 0:
        return "neither (the effect does not vary)"
    return "parameter" if parameter > stochastic else "stochastic"


# --- text -------------------------------------------------------------------------------------
HEADER = ["policy", "outcome", "effect", "95% interval (parameters + luck)",
          "95% CI of the mean", "parameter share of variance", "dominant"]


def _rows(table: pd.DataFrame) -> list[list[str]]:
    return [
        [r.policy, f"{r.outcome} ({r.unit})" if r.unit else r.outcome, fmt(r.effect),
         f"[{fmt(r.interval_low)}, {fmt(r.interval_high)}]",
         f"[{fmt(r.ci_low)}, {fmt(r.ci_high)}]",
         "–" if not math.isfinite(r.share_parameter) else f"{r.share_parameter:.0%}",
         r.dominant]
        for r in table.itertuples()
    ]


def posterior_sentence(table: pd.DataFrame) -> str:
    """Which part dominates the throughput effect of each policy, in one line each."""
    lines = []
    for r in table[table["outcome"] == "transfers_per_year"].itertuples():
        share = "–" if not math.isfinite(r.share_parameter) else f"{r.share_parameter:.0%}"
        lines.append(
            f"{r.policy} vs {r.reference}: {fmt(r.effect)} transfers/year, 95% interval "
            f"[{fmt(r.interval_low)}, {fmt(r.interval_high)}] over {r.draws} posterior draws × "
            f"{r.replications} seeds; parameter uncertainty is {share} of its variance "
            f"({r.dominant} dominates)."
        )
    return "\n".join(lines)


def posterior_text(table: pd.DataFrame) -> str:
    """Plain-text table for the terminal."""
    return plain_table(HEADER, _rows(table)) + "\n" + posterior_sentence(table)


def posterior_markdown(table: pd.DataFrame, cfg: ExperimentConfig, name: str, prov: str) -> str:
    """``posterior_effects.md``: the table and how to read it."""
    post = cfg.posterior
    source = (
        f"`{post.source}` (sha256 {post.sha256[:16]}…, {len(post.values)} draws by weight with "
        f"seed {post.seed})" if post is not None else "the posterior"
    )
    parts = [
        f"# Policy effects under parameter uncertainty: {name}",
        prov,
        f"Parameter sets drawn from {source}; every scenario runs at every draw with the same "
        "seeds (paired across scenarios and draws).",
        "Effect = mean over draws × seeds of the paired difference policy − reference. The 95% "
        "interval is the 2.5–97.5% quantile range of the paired effect over draws × seeds "
        "(parameter and stochastic uncertainty together); the 95% CI is a hierarchical bootstrap "
        "of the mean (draws, then seeds). The variance of the effect is split by the law of total "
        "variance into a parameter part (variance of the per-draw mean effects, less their "
        "sampling noise) and a stochastic part (mean variance over seeds within a draw); "
        "'dominant' names the larger. Columns: posterior_effects.csv, docs/calibration.md.",
        markdown_table(HEADER, _rows(table)),
        posterior_sentence(table),
    ]
    return "\n\n".join(parts) + "\n"
