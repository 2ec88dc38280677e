"""Property-based tests over the config space (hypothesis).

Any valid config runs to its end with conserved quantities; any invalid value is refused with
a message naming the key.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem import POLICY_NAMES, ConfigError, ScienceCityModel
from ecosystem.project import EXIT_CAUSES

valid_configs = st.fixed_dictionaries(
    {
        "months": st.integers(1, 36),
        "warmup_months": st.integers(0, 12),
        "scale": st.floats(0.05, 0.6),
        "seed": st.integers(0, 2**32),
        "policies": st.lists(st.sampled_from(POLICY_NAMES), unique=True, max_size=12),
        "poc.institutional_funding_prob": st.floats(0.0, 1.0),
        "pilot.prior_success_belief": st.floats(0.0, 1.0),
        "policies.pilot_insurance.premium_subsidy": st.floats(0.0, 1.0),
        "policies.one_hour_circle.circle_minutes": st.floats(5.0, 600.0),
        "scientists.discovery_rate": st.tuples(st.floats(0.0, 0.2), st.floats(0.0, 0.2)).map(
            lambda t: {"low": min(t), "high": max(t)}
        ),
    }
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_configs)
def test_any_valid_config_runs_with_conserved_quantities(cfg):
    cfg = dict(cfg)
    enabled = {f"policies.{p}.enabled": True for p in cfg.pop("policies")}
    seed = cfg.pop("seed")
    m = ScienceCityModel(seed=seed, **cfg, **enabled).run()
    ts = m.timeseries()
    assert len(ts) == cfg["months"] + cfg["warmup_months"]
    last = ts.iloc[-1]
    finished = len(m.chain.finished)
    assert len(m.chain.active) + finished == last["entered_poc"]
    assert sum(last[f"exit_{c}"] for c in EXIT_CAUSES) + last["transfers"] == finished
    assert (ts.select_dtypes("number") >= -1e-9).all().all()
    for p in m.chain.active:
        assert sum(s.spent for s in p.stakes) <= sum(s.amount for s in p.stakes) + 1e-9
    for agent in m.firms + m.vcs:
        assert agent.capital >= -1e-6


bad_values = st.sampled_from(
    [
        ("months", 0),
        ("months", -3),
        ("warmup_months", -1),
        ("scale", 0.0),
        ("scientists.count", -10),
        ("poc.success_if_viable", 1.2),
        ("pilot.prior_success_belief", -0.1),
        ("policies.pilot_insurance.premium_subsidy", 7),
        ("region.sme_count", -1),
        ("policies.one_hour_circle.circle_minutes", 0),
        ("poc.duration_months", {"low": 10, "high": 5}),
        ("months", "many"),
    ]
)


@settings(max_examples=12, deadline=None)
@given(bad_values, st.integers(0, 100))
def test_any_invalid_value_is_refused_naming_the_key(bad, seed):
    key, value = bad
    with pytest.raises(ConfigError) as info:
        ScienceCityModel(seed=seed, **{key: value})
    assert key.split(".")[-1] in str(info.value)
