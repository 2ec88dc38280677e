"""Every assumed policy delta in the open (issue 12 item 6): plausible ranges on unsourced
policy parameters, checked where declared, shown in docs/parameters.md, swept by Sobol configs.
A range lives in ``plausible=``, never in a parameter's meaning text, so the tooling sees all."""

from __future__ import annotations

import re
import tomllib

import pytest

from ecosystem.errors import ConfigError
from ecosystem.model import ScienceCityModel
from ecosystem.parameter_fields import (
    metadata,
    param,
    plausible_range,
    policy_parameters,
    unsourced,
    walk_fields,
)
from ecosystem.params import ModelParams, Range
from experiments.config import load_config, parse_config
from experiments.plausible import plausible_bounds
from tests.test_docs import PARAMETERS, ROOT

POLICY_FIELDS = policy_parameters(ModelParams, values=(Range,))
ALL_FIELDS = walk_fields(ModelParams, values=(Range,))
#: A range written as text: "range 2–6", "0.02–0.10", "20-35%", "±0.05".
RANGE_IN_TEXT = re.compile(r"\brange\b|\d\s*[–—-]\s*\d|±\s*\d", re.IGNORECASE)


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
    "text",
    ["yearly rate (assumption; range 0.02–0.08)", "rate (assumption; 0.02–0.10)",
     "venture 20-35%", "prior (range ±0.05)", "reviews a year (Range: quarterly)"],
)
def test_a_range_written_in_a_meaning_is_caught(text):
    assert RANGE_IN_TEXT.search(text)


def test_no_parameter_writes_its_range_in_its_meaning():
    """Ranges go into ``plausible=`` where the parameter table and the sweeps read them."""
    in_text = {path: info.description for path, info in ALL_FIELDS
               if RANGE_IN_TEXT.search(info.description or "")}
    assert not in_text, f"move these ranges into param(…, plausible=(low, high, why)): {in_text}"


def test_the_economics_and_market_ranges_are_declared():
    fields = dict(ALL_FIELDS)
    for path in ("economics.seed_round_equity", "economics.royalty_rate",
                 "economics.discount_rate", "economics.belief_shift",
                 "economics.seed_round_mrmb", "market.reference_listing_share",
                 "market.value_threshold", "policies.shared_platforms.upfront_cost_cut"):
        assert plausible_range(fields[path]) is not None, path
    assumed = [p for p, i in ALL_FIELDS
               if p.startswith(("economics.", "market.")) and metadata(i)["basis"] == "assumption"
               and p != "economics.inventor_share_of_royalty"]
    assert all(plausible_range(fields[p]) is not None for p in assumed)
    rate = plausible_range(fields["economics.discount_rate"])
    assert set(rate.low) == set(fields["economics.discount_rate"].default)
    assert rate.low["vc"] <= 0.25 <= rate.high["vc"]


@pytest.mark.parametrize(
    ("default", "plausible", "match"),
    [
        (0.7, (0.1, 0.5, "why"), "outside"),
        (0.3, (0.5, 0.1, "why"), "must be <"),
        (0.3, (0.1, 0.5, " "), "reason"),
        ((1.0, 2.0), (0.5, 3.0, "why"), "tuple"),
        ((1.0, 2.0), ((0.5, 2.5), (1.5, 3.0), "why"), "outside"),
        ("x", (0.1, 0.5, "why"), "numbers"),
        ({"a": 0.1, "b": 0.2}, ({"a": 0.0}, {"a": 0.5}, "why"), "dict"),
        ({"a": 0.1, "b": 0.2}, ({"a": 0.0, "b": 0.3}, {"a": 0.5, "b": 0.5}, "why"), "outside"),
        (Range(low=0.4, high=0.8), ((0.3, 0.6), (0.6, 0.7), "why"), "outside"),
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


ALL_CONFIG = """
[experiment]
name = "p"

[sweep]
method = "morris"
samples = 2
plausible = "all"
"""


def test_plausible_all_takes_the_model_wide_ranges_in_any_sampling_design():
    cfg = parse_config(tomllib.loads(ALL_CONFIG), source="p")
    params = cfg.sweep.parameters
    assert params["economics.royalty_rate"] == [0.02, 0.08]
    assert params["market.hospital_budget_mrmb_per_year"] == [30.0, 120.0]
    # ranges over several numbers (a Range, a tuple, a dict by funder kind) stay out
    assert not any(k.startswith(("market.value_threshold", "economics.discount_rate",
                                 "economics.belief_shift", "economics.seed_round_mrmb"))
                   for k in params)
    assert not any(k.startswith("policies.") for k in params)  # no policy compared
    assert "economics.pilot_capex_share" not in params  # shared platforms' assumption
    with_policy = plausible_bounds(["status_quo", "shared_platforms"], everything=True)
    assert set(params) < set(with_policy)
    assert with_policy["economics.pilot_capex_share"] == [0.3, 0.7]
    assert with_policy["policies.shared_platforms.upfront_cost_cut"] == [0.3, 0.5]
    again = parse_config(cfg.model_dump(mode="json"), source="p")
    assert again.digest() == cfg.digest()


def test_every_swept_model_wide_range_builds_a_model_at_its_ends():
    bounds = plausible_bounds([], everything=True)
    for end in (0, 1):
        ScienceCityModel(seed=1, months=1, warmup_months=0,
                         **{k: v[end] for k, v in bounds.items()})


@pytest.mark.parametrize("method", ["grid", "scenarios"])
def test_plausible_all_needs_a_sampling_design(method):
    text = ALL_CONFIG.replace('method = "morris"', f'method = "{method}"')
    text += 'scenarios = ["status_quo", "pilot_insurance"]\n' if method == "scenarios" else ""
    with pytest.raises(ConfigError, match="plausible = \"all\""):
        parse_config(tomllib.loads(text), source="p")


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
