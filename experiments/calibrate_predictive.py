"""Posterior predictive checks: calibration targets, checks of the inputs, validation targets.

Particles are drawn from the posterior by weight; each draw runs every arm a check needs (the
calibrated preset in the status quo, the Suzhou preset, the professor-CEO scheme) on the same
seed, so contrasts between arms are paired. The three tables are kept apart: calibration
targets were fitted, the checks of the inputs are the stylised facts that are near-identities
of single inputs, and validation targets were never seen by the calibration.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecosystem.calibration import STYLISED_FACTS
from experiments.calibrate_config import CalibrationConfig, parse_calibration
from experiments.calibrate_posterior import LOW_ESS_SHARE, Posterior
from experiments.calibrate_runner import particle_statistics
from experiments.calibrate_targets import (
    ARMS,
    VALIDATION_TARGETS,
    Check,
    ValidationTarget,
    check_pooled,
    check_values,
    format_checks,
)


def draw_seed(base_seed: int, draw: int) -> int:
    """The seed shared by every arm of predictive draw ``draw``."""
    seq = np.random.SeedSequence(base_seed, spawn_key=(2, draw))
    return int(seq.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


@functools.lru_cache(maxsize=4)
def _parsed(config_json: str) -> CalibrationConfig:
    """A config parsed once per worker process."""
    return parse_calibration(json.loads(config_json), source="predictive task")


def predictive_task(
    config_data: dict[str, Any], theta: dict[str, float], seed: int, arms: list[str]
) -> dict[str, dict[str, float]]:
    """Run every arm of one draw (a worker's job; plain data in and out)."""
    cfg = _parsed(json.dumps(config_data, sort_keys=True))
    out = {}
    for arm in arms:
        preset, scenario = ARMS[arm]
        out[arm] = particle_statistics(cfg, theta, seed, preset=preset, scenario=scenario)
    return out


def validation_targets(cfg: CalibrationConfig) -> list[ValidationTarget]:
    """The validation targets a config asks for (all by default)."""
    names = cfg.validation if cfg.validation is not None else list(VALIDATION_TARGETS)
    return [VALIDATION_TARGETS[n] for n in names]


def needed_arms(cfg: CalibrationConfig) -> list[str]:
    """The arms the checks of a config need (the base arm always)."""
    arms = ["base"]
    for target in validation_targets(cfg):
        arms += [a for a in target.arms if a not in arms]
    return arms


@dataclass
class Predictive:
    """Posterior predictive draws: the parameters and every arm's statistics per draw."""

    thetas: list[dict[str, float]]
    seeds: list[int]
    runs: list[dict[str, dict[str, float]]]

    def frame(self) -> pd.DataFrame:
        """One row per draw and arm: parameters, seed and statistics."""
        rows = []
        for k, (theta, seed, arms) in enumerate(
            zip(self.thetas, self.seeds, self.runs, strict=True)
        ):
            for arm, stats in arms.items():
                rows.append({"draw": k, "arm": arm, "seed": seed, **theta, **stats})
        return pd.DataFrame(rows)


def run_predictive(
    posterior: Posterior, draws: int, workers: int = 1, scheduler: str | None = None
) -> Predictive:
    """Draw ``draws`` particles by weight and run every needed arm for each."""
    from experiments.sweep import make_executor

    cfg = posterior.config
    base = cfg.calibration.base_seed
    thetas = posterior.draw(draws, seed=draw_seed(base, 2**31))
    seeds = [draw_seed(base, k) for k in range(draws)]
    arms = needed_arms(cfg)
    data = cfg.model_dump(mode="json")
    with make_executor(workers, scheduler) as executor:
        mapper = map if executor is None else executor.map
        runs = list(mapper(predictive_task, [data] * draws, thetas, seeds, [arms] * draws))
    return Predictive(thetas, seeds, runs)


def calibration_checks(cfg: CalibrationConfig, pred: Predictive) -> list[Check]:
    """The fitted targets on the posterior predictive."""
    out = []
    for name, t in cfg.targets.items():
        stat = t.statistic or name
        values = [run["base"].get(stat, math.nan) for run in pred.runs]
        out.append(check_values(name, t.label or name, t.source, t.low, t.high, values))
    return out


def input_checks(pred: Predictive) -> list[Check]:
    """The stylised facts of spec §7, kept as checks of the inputs (not fitted)."""
    return [
        check_values(
            f.summary_field,
            f.name,
            f.source,
            f.low,
            f.high,
            [run["base"].get(f.summary_field, math.nan) for run in pred.runs],
        )
        for f in STYLISED_FACTS
    ]


def validation_checks(cfg: CalibrationConfig, pred: Predictive) -> list[Check]:
    """The validation targets on the posterior predictive (never fitted)."""
    out = []
    for target in validation_targets(cfg):
        if target.missing:
            check = check_values(
                target.name, target.label, target.source, target.low, target.high, [math.nan]
            )
            check = replace(check, note=f"not measurable: {target.missing}")
        elif target.pooled:
            pairs = [target.measure(run) for run in pred.runs]
            check = check_pooled(target, pairs, seed=cfg.calibration.base_seed)
        else:
            values = [target.measure(run)[0] / target.measure(run)[1] for run in pred.runs]
            check = check_values(
                target.name, target.label, target.source, target.low, target.high, values
            )
        out.append(check)
    return out


def predictive_report(posterior: Posterior, pred: Predictive) -> str:
    """The three tables, Markdown, with the posterior summary above them."""
    cfg = posterior.config
    lo, hi = posterior.quantiles(0.05), posterior.quantiles(0.95)
    mean = posterior.mean()
    n, ess = len(posterior.particles), posterior.effective_sample_size
    lines = [
        f"Posterior of '{cfg.calibration.name}' ({n} particles, effective sample size "
        f"{ess:.1f}; {len(posterior.generations)} generations; {len(pred.runs)} predictive "
        f"draws, {cfg.calibration.replications} run(s) each; result: pass when the 90% "
        "predictive interval overlaps the target range)",
        "",
    ]
    if ess < LOW_ESS_SHARE * n:
        lines += [
            f"Warning: the weights rest on about {ess:.0f} of {n} particles (effective sample "
            f"size below {LOW_ESS_SHARE:.0%} of the population), so the means and intervals "
            "below are rough; run more particles or generations.",
            "",
        ]
    accepted = posterior.accepted_mean()
    span = posterior.particles[posterior.parameters].quantile([0.05, 0.95])
    lines += [
        "| parameter | posterior mean | 90% interval | accepted sets: mean (unweighted) "
        "| accepted sets: 5–95% |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{p}` | {mean[p]:.4g} | {lo[p]:.4g}–{hi[p]:.4g} | {accepted[p]:.4g} "
        f"| {span.loc[0.05, p]:.4g}–{span.loc[0.95, p]:.4g} |"
        for p in posterior.parameters
    ]
    final_eps = _final_epsilon(posterior)
    tolerance = "not recorded" if math.isnan(final_eps) else f"epsilon {final_eps:.3g}"
    lines += [
        "",
        f"The accepted sets are the last generation's {n} parameter sets, each of whose runs "
        f"came within the final tolerance ({tolerance}); their unweighted mean "
        "describes the whole population where the weights rest on a few particles.",
    ]
    lines += [
        "",
        format_checks(calibration_checks(cfg, pred), "Calibration targets (fitted)"),
        "",
        format_checks(input_checks(pred), "Checks of the inputs (stylised facts, not fitted)"),
        "",
        format_checks(validation_checks(cfg, pred), "Validation targets (never fitted)"),
    ]
    return "\n".join(lines)


def _final_epsilon(posterior: Posterior) -> float:
    """The tolerance of the last generation (NaN when the history does not record it)."""
    gens = posterior.generations
    if "epsilon" not in gens or gens.empty:
        return float("nan")
    return float(gens["epsilon"].iloc[-1])


def write_predictive(folder: Path, posterior: Posterior, pred: Predictive) -> str:
    """Write predictive.parquet and tables.md into a calibration folder; return the tables."""
    pred.frame().to_parquet(folder / "predictive.parquet", index=False)
    text = predictive_report(posterior, pred)
    (folder / "tables.md").write_text(text + "\n")
    return text
