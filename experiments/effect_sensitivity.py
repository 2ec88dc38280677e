"""What drives each policy effect: Sobol indices of *paired* effects (SALib).

A Sobol sweep with a ``scenarios`` list runs every scenario at every Sobol sample point with the
same seeds (``experiments.design``): point p is sample ``p // S`` and scenario ``p % S``. At
sample j the paired effect of a policy is the mean over replications of policy − reference on
the same seeds, so the luck of the runs cancels as far as it can, and Sobol's first-order and
total indices of that effect over the sampled assumptions say which one moves the effect (not
the level) most. The reference is ``compare_to``, else ``status_quo`` if swept, else the first
scenario. The design matrix is rebuilt from the config (same sampler, same seed) and checked
against the values the runs used.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from experiments.config import ExperimentConfig
from experiments.design import design_points, salib_problem
from experiments.loading import SCENARIO_COLUMN
from experiments.posterior_effects import reference_of
from experiments.sensitivity import _sobol
from experiments.tables import fmt, markdown_table

#: Effects analysed (paired differences of these outcomes).
EFFECT_SENSITIVITY_OUTCOMES: tuple[str, ...] = (
    "gate_clinical_per_year",
    "transfers_per_year",
    "median_months_to_market",
    "public_spend",
)


def is_effect_design(cfg: ExperimentConfig | None) -> bool:
    """Whether a config is a Sobol design crossed with scenarios."""
    return bool(cfg is not None and cfg.sweep is not None and cfg.sweep.method == "sobol"
                and cfg.sweep.scenarios)


def sample_matrix(cfg: ExperimentConfig, runs: pd.DataFrame) -> tuple[dict, np.ndarray]:
    """SALib's problem and the Sobol matrix (one row per sample), checked against the runs."""
    assert cfg.sweep is not None
    order = [c.removeprefix("param:") for c in runs.columns
             if c.startswith("param:") and c != SCENARIO_COLUMN]
    params = cfg.sweep.parameters
    if sorted(order) == sorted(params):  # a manifest's config may list them in another order
        sweep = cfg.sweep.model_copy(update={"parameters": {k: params[k] for k in order}})
        cfg = cfg.model_copy(update={"sweep": sweep})
    problem = salib_problem(cfg.sweep.parameters)
    n_scen = len(cfg.sweep.scenarios)
    points = design_points(cfg)[::n_scen]
    matrix = np.array([[float(p[n]) for n in problem["names"]] for p in points], dtype=float)
    firsts = runs.groupby("point_id", sort=True).first()
    if len(firsts) != len(matrix) * n_scen:
        raise ValueError(f"runs cover {len(firsts)} points but the design has "
                         f"{len(matrix) * n_scen}; is the sweep complete?")
    for j, name in enumerate(problem["names"]):
        used = firsts[f"param:{name}"].to_numpy(dtype=float)[::n_scen]
        if not np.allclose(used, matrix[:, j], rtol=1e-9, atol=1e-12):
            raise ValueError(f"runs' values of {name!r} differ from the rebuilt design matrix")
    return problem, matrix


def sample_effects(
    runs: pd.DataFrame, cfg: ExperimentConfig, policy: str, outcome: str
) -> np.ndarray:
    """Mean paired effect of ``policy`` at each Sobol sample (NaN where no pair has a value)."""
    assert cfg.sweep is not None
    if (runs.groupby("replication")["seed"].nunique() > 1).any():
        raise ValueError("a replication has different seeds across points: not paired")
    runs = runs.assign(sample=runs["point_id"] // len(cfg.sweep.scenarios))
    wide = runs.pivot_table(index=["sample", "replication"], columns=SCENARIO_COLUMN,
                            values=outcome, aggfunc="first", dropna=False)
    diff = (wide[policy] - wide[reference_of(cfg)]).astype(float)
    return diff.groupby(level="sample").mean().sort_index().to_numpy(dtype=float)


def effect_sensitivity(runs: pd.DataFrame, cfg: ExperimentConfig) -> pd.DataFrame:
    """S1 and ST of every policy's paired effect on each outcome, per parameter (tidy)."""
    assert cfg.sweep is not None
    problem, _ = sample_matrix(cfg, runs)
    reference = reference_of(cfg)
    frames = []
    for policy in [s for s in cfg.sweep.scenarios if s != reference]:
        for outcome in EFFECT_SENSITIVITY_OUTCOMES:
            y = sample_effects(runs, cfg, policy, outcome)
            rows = _sobol(problem, y, outcome, cfg.experiment.base_seed)
            frames.append(pd.DataFrame(rows).assign(
                policy=policy, reference=reference, effect_mean=float(np.nanmean(y))
                if np.isfinite(y).any() else math.nan,
            ))
    table = pd.concat(frames, ignore_index=True)
    first = ["policy", "reference", "outcome", "parameter", "index", "value", "conf"]
    return table[first + [c for c in table.columns if c not in first]]


def strongest(table: pd.DataFrame) -> pd.DataFrame:
    """Per policy and outcome, the parameter with the largest total index ST."""
    st = table[(table["index"] == "ST") & table["value"].notna()]
    if st.empty:
        return st
    best = st.loc[st.groupby(["policy", "outcome"], sort=False)["value"].idxmax()]
    return best[["policy", "outcome", "parameter", "value", "conf", "effect_mean"]]


def effect_sensitivity_text(table: pd.DataFrame) -> str:
    """One line per policy and outcome: which assumption moves the effect most."""
    best = strongest(table)
    lines = ["What moves each paired effect most (largest Sobol total index ST):"]
    for r in best.itertuples():
        lines.append(
            f"  {r.policy}, Δ {r.outcome} (mean {fmt(r.effect_mean)}): {r.parameter} "
            f"(ST {fmt(r.value)} ± {fmt(r.conf)})"
        )
    skipped = table[table["value"].isna() & (table["index"] == "ST")]
    for (policy, outcome), part in skipped.groupby(["policy", "outcome"], sort=False):
        lines.append(f"  {policy}, Δ {outcome}: {part['note'].iloc[0]}")
    return "\n".join(lines)


def effect_sensitivity_markdown(table: pd.DataFrame, name: str, prov: str) -> str:
    """``effect_sensitivity.md``: S1/ST per policy, outcome and parameter, and the verdicts."""
    wide = table.pivot_table(index=["policy", "outcome", "parameter"], columns="index",
                             values=["value", "conf"], aggfunc="first", dropna=False)
    rows = []
    for (policy, outcome, parameter), r in wide.iterrows():
        rows.append([policy, f"Δ {outcome}", parameter,
                     f"{fmt(r[('value', 'S1')])} ± {fmt(r[('conf', 'S1')])}",
                     f"{fmt(r[('value', 'ST')])} ± {fmt(r[('conf', 'ST')])}"])
    parts = [
        f"# What drives each policy effect (Sobol indices of paired effects): {name}",
        prov,
        "At every Sobol sample point each scenario ran on the same seeds; the paired effect of a "
        "policy there is the mean over replications of policy − reference. S1 is the share of "
        "the effect's variance over the design explained by the parameter alone, ST including "
        "its interactions; `±` is the half-width of SALib's 95% bootstrap interval. A parameter "
        "with ST ≈ 0 does not move the effect; estimates near or below 0 are noise of a small "
        "design. Columns: effect_sensitivity.csv, docs/calibration.md.",
        effect_sensitivity_text(table).replace("\n  ", "\n* "),
        markdown_table(["policy", "effect", "parameter", "S1", "ST"], rows),
    ]
    return "\n\n".join(parts) + "\n"
