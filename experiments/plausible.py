"""Sweep bounds from the parameters' own plausible ranges (``param(…, plausible=…)``).

``[sweep] plausible = true`` in a Sobol design of paired effects adds every parameter of the
compared policies that carries a plausible range (the unsourced, assumed policy deltas listed
in ``docs/parameters.md``) at that range, so "which assumption moves each effect most" covers
them without restating their bounds in the config. Parameters the config lists itself keep the
config's bounds. A range over a tuple (``discovery.demand_quality_beta``) cannot be swept by a
dotted path and is left out.
"""

from __future__ import annotations

from ecosystem.parameter_fields import plausible_range, policy_parameters
from ecosystem.params import ModelParams, Range
from ecosystem.policies import scenario_overrides


def policies_of(scenarios: list[str]) -> set[str]:
    """The policies any of ``scenarios`` switches on."""
    on: set[str] = set()
    for scenario in scenarios:
        on |= {key.split(".")[1] for key, enabled in scenario_overrides(scenario).items()
               if enabled}
    return on


def plausible_bounds(scenarios: list[str]) -> dict[str, list[float]]:
    """``{dotted path: [low, high]}``: the scalar plausible ranges of the scenarios' policies.

    In the order the parameters are declared, so the same config gives the same design.
    """
    wanted = policies_of(scenarios)
    out: dict[str, list[float]] = {}
    for path, info, policy in policy_parameters(ModelParams, values=(Range,)):
        rng = plausible_range(info)
        if policy in wanted and rng is not None and not isinstance(rng.low, tuple):
            out[path] = [rng.low, rng.high]
    return out
