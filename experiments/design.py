"""Experimental designs: the parameter points of a sweep (grid, LHS, Sobol, Morris, scenarios).

Samplers come from SALib; they are seeded from the experiment's base seed, so the same config
always gives the same points. Each point is a dict of dotted parameter paths to values, plus a
``scenario`` for scenario sweeps.

Two designs cross parameter sets with scenarios, draw-major (all scenarios of a parameter set
are consecutive points, so point p is set ``p // S``, scenario ``p % S`` of S scenarios):

* a scenario sweep with ``[experiment] posterior``: every scenario at each posterior draw;
* a Sobol sweep with a ``scenarios`` list: every scenario at each Sobol sample point, so the
  paired effect of a policy is known at every point (``experiments.effect_sensitivity``).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from experiments.config import ExperimentConfig


def salib_problem(parameters: dict[str, list[Any]]) -> dict[str, Any]:
    """SALib's problem dict for ``[low, high]`` ranges."""
    names = list(parameters)
    return {
        "num_vars": len(names),
        "names": names,
        "bounds": [[float(v[0]), float(v[1])] for v in parameters.values()],
    }


def design_size(cfg: ExperimentConfig) -> int:
    """How many points ``design_points`` will return, computed without drawing them."""
    sweep = cfg.sweep
    if sweep is None:
        return 1
    if sweep.method == "scenarios":
        return len(sweep.scenarios) * (cfg.experiment.posterior_draws or 1)
    if sweep.method == "grid":
        return math.prod(len(v) for v in sweep.parameters.values())
    dims = len(sweep.parameters)
    per_sample = {"lhs": 1, "sobol": dims + 2, "morris": dims + 1}[sweep.method]
    return sweep.samples * per_sample * max(1, len(sweep.scenarios))


def design_points(cfg: ExperimentConfig) -> list[dict[str, Any]]:
    """Every parameter point of the config, in a fixed order."""
    sweep = cfg.sweep
    if sweep is None:
        return [{}]
    if sweep.method == "scenarios":
        draws = cfg.posterior.values if cfg.posterior is not None else ({},)
        return [{"scenario": s, **theta} for theta in draws for s in sweep.scenarios]
    params = sweep.parameters
    if sweep.method == "grid":
        names = list(params)
        return [
            dict(zip(names, combo, strict=True)) for combo in itertools.product(*params.values())
        ]
    from SALib.sample import latin, morris, sobol  # imported here: slow, and only for samplers

    problem = salib_problem(params)
    seed = cfg.experiment.base_seed
    if sweep.method == "lhs":
        matrix = latin.sample(problem, sweep.samples, seed=seed)
    elif sweep.method == "sobol":
        matrix = sobol.sample(problem, sweep.samples, calc_second_order=False, seed=seed)
    else:
        matrix = morris.sample(problem, sweep.samples, num_levels=4, seed=seed)
    points = [_typed(cfg, dict(zip(problem["names"], row, strict=True))) for row in matrix]
    if sweep.scenarios:
        return [{"scenario": s, **point} for point in points for s in sweep.scenarios]
    return points


def _typed(cfg: ExperimentConfig, point: dict[str, float]) -> dict[str, Any]:
    """Round values whose parameter is an integer; keep floats as plain floats."""
    base = cfg.params_for().model_dump()
    out: dict[str, Any] = {}
    for key, value in point.items():
        node: Any = base
        for part in key.split("."):
            node = node[part]
        out[key] = (
            int(round(value))
            if isinstance(node, int) and not isinstance(node, bool)
            else (float(np.float64(value)))
        )
    return out
