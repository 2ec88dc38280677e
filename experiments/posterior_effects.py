"""Policy effects under parameter uncertainty: a scenario sweep repeated over posterior draws.

Each of N particles drawn from a calibration's posterior (by weight, from a seed) becomes one
copy of a scenario-sweep config with the particle's values set in ``[model]``; every copy keeps
the config's base seed, so replication r meets the same luck in every scenario *and* every
draw. The paired effect of a policy in draw k and replication r is e[k, r] (policy − reference);
the effect's mean over replications in draw k is m[k]. By the law of total variance, the spread
of m[k] over draws has a stochastic part, mean over k of Var_r(e[k, r]) / R, and a parameter
part, the rest; the larger one "dominates". Only the calibrated parameters vary; the sweep's
own horizon and settings are kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecosystem.errors import ConfigError
from ecosystem.presets import set_dotted
from experiments.calibrate_config import coerce
from experiments.calibrate_posterior import Posterior
from experiments.config import ExperimentConfig, parse_config


def draw_configs(
    cfg: ExperimentConfig, posterior: Posterior, draws: int, seed: int
) -> list[tuple[dict[str, float], ExperimentConfig]]:
    """One validated sweep config per posterior draw (the draw's values set in [model])."""
    if cfg.sweep is None or cfg.sweep.method != "scenarios":
        raise ConfigError("posterior effects need a scenario sweep ([sweep] method = 'scenarios')")
    kinds = posterior.config._kinds()
    out = []
    for k, theta in enumerate(posterior.draw(draws, seed)):
        data: dict[str, Any] = cfg.model_dump(mode="json")
        for key, value in theta.items():
            set_dotted(data["model"], key, coerce(value, kinds[key]))
        data["experiment"]["name"] = f"{cfg.experiment.name}_draw{k:03d}"
        out.append((theta, parse_config(data, source=f"posterior draw {k}")))
    return out


def run_posterior_effects(
    cfg: ExperimentConfig,
    posterior: Posterior,
    draws: int,
    out: str | Path,
    *,
    seed: int = 0,
    outcome: str = "transfers_per_year",
    workers: int = 1,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Run the sweep for every draw (each resumable in ``out/draw_NNN``) and combine effects."""
    from experiments.sweep import run_sweep

    out = Path(out)
    frames = []
    for k, (_, draw_cfg) in enumerate(draw_configs(cfg, posterior, draws, seed)):
        folder = out / f"draw_{k:03d}"
        run_sweep(draw_cfg, folder, workers=workers, scheduler=scheduler, progress=False)
        frames.append(pd.read_parquet(folder / "runs.parquet").assign(draw=k))
    return combine_effects(pd.concat(frames, ignore_index=True), cfg, outcome)


SCENARIO_COLUMN = "param:scenario"  # how the runs table names a scenario sweep's point


def _paired_wide(runs: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Replications as rows, scenarios as columns; refuses runs that are not paired."""
    if (runs.groupby("replication")["seed"].nunique() > 1).any():
        raise ValueError("a replication has different seeds across scenarios: not paired")
    return runs.pivot(index="replication", columns=SCENARIO_COLUMN, values=outcome).astype(float)


def combine_effects(runs: pd.DataFrame, cfg: ExperimentConfig, outcome: str) -> pd.DataFrame:
    """Per policy: mean effect, 90% interval over draws, and the two variance parts."""
    reference = cfg.experiment.compare_to or "status_quo"
    wide = {k: _paired_wide(g, outcome) for k, g in runs.groupby("draw")}
    rows = []
    for policy in [s for s in cfg.sweep.scenarios if s != reference]:
        e = np.array([(w[policy] - w[reference]).to_numpy() for w in wide.values()])
        m = np.nanmean(e, axis=1)
        reps = np.isfinite(e).sum(axis=1)
        stochastic = float(np.nanmean(np.nanvar(e, axis=1, ddof=1) / reps))
        total = float(np.nanvar(m, ddof=1)) if len(m) > 1 else float("nan")
        parameter = max(total - stochastic, 0.0)
        lo, hi = np.nanquantile(m, [0.05, 0.95])
        rows.append(
            {
                "policy": policy,
                "outcome": outcome,
                "effect": float(np.nanmean(m)),
                "interval_low": float(lo),
                "interval_high": float(hi),
                "draws": len(m),
                "replications": int(np.median(reps)),
                "var_stochastic": stochastic,
                "var_parameter": parameter,
                "dominant": "parameter" if parameter > stochastic else "stochastic",
            }
        )
    return pd.DataFrame(rows)
