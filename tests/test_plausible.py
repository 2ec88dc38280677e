"""Every assumed policy delta in the open (issue 12 item 6): plausible ranges on unsourced
policy parameters, checked where declared, shown in docs/parameters.md, swept by Sobol configs."""

from __future__ import annotations

import tomllib

import pytest

from ecosystem.errors import ConfigError
from ecosystem.parameter_fields import (
    metadata,
    param,
    plausible_range,
    policy_parameters,
    unsourced,
)
from ecosystem.params import ModelParams, Range
from experiments.config import load_config, parse_config
from experiments.plausible import plausible_bounds
from tests.test_docs import PARAMETERS, ROOT

POLICY_FIELDS = policy_parameters(ModelParams, values=(Range,))


def test_every_unsourced_policy_parameter_has_a_plausible_range():
    missing = [path for path, info, _ in POLICY_FIELDS if unsourced(info) and
               plausible_range(info) is None]
    assert not missing, f"policy parameters without a source need plausible=(…): {missing}"
    assumed = [(path, info) for path, info, _ in POLICY_FIELDS
               if metadata(info)["basis"] == "assumption"]
    assert len(assumed) >= 40
    assert all(plausible_range(info) is not None for _, info in assumed)


@pytest.mark.parametrize(("path", "info", "policy"), POLICY_FIELDS, ids=[p for p, _, _ in
                                                                           POLICY_FIELDS])
def test_a_range_holds_its_default_and_gives_a_reason(path, info, policy):
    rng = plausible_range(info)
    if rng is None:
        return
    assert rng.why.strip() and len(rng.why) < 140, f"{path}: one line of reason"
    lows = rng.low if isinstance(rng.low, tuple) else (rng.low,)
    highs = rng.high if isinstance(rng.high, tuple) else (rng.high,)
    values = info.default if isinstance(info.default, tuple) else (info.default,)
    for low, high, value in zip(lows, highs, values, strict=True):
        assert low < high and low <= value <= high, path
    assert policy  # belongs to a policy: policies.<name>.* or tagged policy=…


def test_the_deltas_the_issue_names_are_in_the_open():
    fields = {p: i for p, i, _ in POLICY_FIELDS}
    for path in ("discovery.demand_value_multiple", "discovery.demand_quality_beta",
                 "policies.team_formation.investor_member_prob",
                 "policies.professor_ceo.career_penalty"):
        assert plausible_range(fields[path]) is not None, path
        assert metadata(fields[path])["basis"] == "assumption", path
    # the issue's alternative career penalty (0.6) lies inside the range
    rng = plausible_range(fields["policies.professor_ceo.career_penalty"])
    assert rng.low <= 0.6 <= rng.high


@pytest.mark.parametrize(
    ("default", "plausible", "match"),
    [
        (0.7, (0.1, 0.5, "why"), "outside"),
        (0.3, (0.5, 0.1, "why"), "must be <"),
        (0.3, (0.1, 0.5, " "), "reason"),
        ((1.0, 2.0), (0.5, 3.0, "why"), "tuple"),
        ((1.0, 2.0), ((0.5, 2.5), (1.5, 3.0), "why"), "outside"),
        ("x", (0.1, 0.5, "why"), "numbers"),
    ],
)
def test_param_refuses_a_range_that_does_not_fit(default, plausible, match):
    with pytest.raises(ValueError, match=match):
        param(default, "x", plausible=plausible)


def test_parameter_table_shows_each_range_with_its_reason():
    text = PARAMETERS.read_text(encoding="utf-8")
    row = next(r for r in text.splitlines() if r.startswith("| `discovery.demand_value_multiple`"))
    assert row.rstrip(" |").endswith(plausible_range(
        ModelParams.model_fields["discovery"].annotation.model_fields["demand_value_multiple"]
    ).text())
    assert "| plausible range |" in text


CONFIG = """
[experiment]
name = "p"

[sweep]
method = "sobol"
samples = 4
plausible = true
scenarios = ["status_quo", "pilot_insurance"]

[sweep.parameters]
"policies.pilot_insurance.loading" = [0.0, 0.05]
"""


def test_plausible_sweep_takes_the_compared_policies_ranges_and_keeps_explicit_bounds():
    cfg = parse_config(tomllib.loads(CONFIG), source="p")
    params = cfg.sweep.parameters
    assert params["policies.pilot_insurance.loading"] == [0.0, 0.05]  # the config's own bounds
    assert params["policies.pilot_insurance.insured_share"] == [0.3, 0.9]
    assert list(params)[0] == "policies.pilot_insurance.loading"
    assert not any(k.startswith("policies.milestone_grants") for k in params)  # not compared
    again = parse_config(cfg.model_dump(mode="json"), source="p")
    assert list(again.sweep.parameters.items()) == list(params.items())
    assert again.digest() == cfg.digest()


def test_plausible_sweep_covers_tagged_parameters_outside_the_policy_block():
    bounds = plausible_bounds(["status_quo", "reverse_commissioning"])
    assert bounds["discovery.demand_value_multiple"] == [1.0, 2.0]
    assert "discovery.demand_quality_beta" not in bounds  # a tuple: not sweepable by path
    assert plausible_bounds(["status_quo"]) == {}
    full = plausible_bounds(["full_chain"])
    assert set(bounds) < set(full)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (('scenarios = ["status_quo", "pilot_insurance"]\n', ""), "no scenarios"),
        (('method = "sobol"', 'method = "lhs"'), "lhs"),
    ],
)
def test_plausible_needs_a_sobol_design_of_paired_effects(change, match):
    with pytest.raises(ConfigError, match=f"plausible.*{match}"):
        parse_config(tomllib.loads(CONFIG.replace(*change)), source="p")


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("assumed_deltas", ("discovery.demand_value_multiple",
                            "policies.professor_ceo.career_penalty",
                            "policies.team_formation.investor_member_prob")),
        ("policy_effect_drivers", ("policies.pilot_insurance.loading",
                                   "policies.milestone_grants.review_threshold")),
    ],
)
def test_shipped_effect_configs_sweep_the_unsourced_deltas_at_their_ranges(name, named):
    cfg = load_config(ROOT / "experiments" / "configs" / f"{name}.toml")
    ranges = plausible_bounds(cfg.sweep.scenarios)
    assert set(ranges) <= set(cfg.sweep.parameters)
    for path in named:
        assert cfg.sweep.parameters[path] == ranges[path]
