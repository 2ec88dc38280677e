"""Sweep bounds from the parameters' own plausible ranges (``param(…, plausible=…)``).

``[sweep] plausible = true`` in a Sobol design of paired effects adds every parameter of the
compared policies that carries a plausible range (the unsourced, assumed policy deltas listed
in ``docs/parameters.md``) at that range, so "which assumption moves each effect most" covers
them without restating their bounds in the config. ``plausible = "all"`` adds, besides, the
ranges of the parameters that belong to no policy (the economics and the market: discount
rates, seed rounds, royalties, hospitals' budgets …), in any Sobol, Latin-hypercube or Morris
design. Parameters the config lists itself keep the config's bounds.

A range over a value of several numbers — a ``Range`` (``market.value_threshold``), a tuple
(``discovery.demand_quality_beta``, ``economics.seed_round_mrmb``) or a dict by funder kind
(``economics.discount_rate``, ``economics.belief_shift``) — is left out: a dotted path reaches
no element of a tuple or a dict, and a ``Range`` end set alone is not a valid override (both
ends are needed). Its range stays in the parameter table for readers and the calibration.
"""

from __future__ import annotations

from pydantic.fields import FieldInfo

from ecosystem.parameter_fields import plausible_range, policy_of, walk_fields
from ecosystem.params import ModelParams, Range
from ecosystem.policies import scenario_overrides


def policies_of(scenarios: list[str]) -> set[str]:
    """The policies any of ``scenarios`` switches on."""
    on: set[str] = set()
    for scenario in scenarios:
        on |= {key.split(".")[1] for key, enabled in scenario_overrides(scenario).items()
               if enabled}
    return on


def plausible_bounds(scenarios: list[str], everything: bool = False) -> dict[str, list[float]]:
    """``{dotted path: [low, high]}``: the sweepable plausible ranges of the scenarios' policies.

    With ``everything``, also those of the parameters that belong to no policy. In the order
    the parameters are declared, so the same config gives the same design.
    """
    wanted = policies_of(scenarios)
    out: dict[str, list[float]] = {}
    for path, info in walk_fields(ModelParams, values=(Range,)):
        policy = policy_of(path, info)
        if path.endswith(".enabled") or not (policy in wanted or (everything and not policy)):
            continue
        out.update(_sweepable(path, info))
    return out


def _sweepable(path: str, info: FieldInfo) -> dict[str, list[float]]:
    """A field's range with its dotted path, if it bounds a single number."""
    rng = plausible_range(info)
    if rng is None or info.annotation is Range or not all(
        isinstance(v, int | float) for v in (rng.low, rng.high)
    ):
        return {}
    return {path: [rng.low, rng.high]}
