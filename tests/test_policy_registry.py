"""Adding a policy is one module + its config block + its ODD section.

This file is that module: it defines a small extra policy — a provincial founder's bonus that
makes a scientist without a licensee likelier to found a firm — and registers it, touching no
other file. The model, its scenarios, config validation and ``set_policy`` then know it.
"""

from __future__ import annotations

import pytest

from ecosystem import ConfigError, ScienceCityModel
from ecosystem.params import ModelParams
from ecosystem.policies import (
    POLICY_NAMES,
    Policy,
    PolicyParams,
    policy_names,
    register,
    scenarios,
    unregister,
)
from ecosystem.policies.params import Probability


class FounderBonusParams(PolicyParams):
    """A bonus for founders: the founding probability rises by ``gain``."""

    gain: Probability = 0.4


class FounderBonus(Policy):
    """More startups: the province rewards scientists who found a firm."""

    name = "founder_bonus"
    label = "Founder bonus"
    source = "test"
    Params = FounderBonusParams

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.startup_founding_prob = min(1.0, rules.startup_founding_prob + self.params.gain)


@pytest.fixture
def founder_bonus():
    register(FounderBonus)
    yield FounderBonus
    unregister(FounderBonus.name)


def test_a_registered_policy_is_known_everywhere(founder_bonus):
    assert policy_names() == (*POLICY_NAMES, "founder_bonus")
    assert "founder_bonus" in scenarios()
    assert ModelParams().policies.founder_bonus.gain == 0.4
    m = ScienceCityModel(seed=1, policy_scenario="founder_bonus", warmup_months=0)
    m.step()
    assert m.active_policy_names() == ["founder_bonus"]
    base = ScienceCityModel(seed=1).rules.startup_founding_prob
    assert m.rules.startup_founding_prob == pytest.approx(base + 0.4)


def test_its_config_block_is_validated_like_the_others(founder_bonus):
    m = ScienceCityModel(seed=1, **{"policies.founder_bonus.gain": 0.1})
    assert m.params.policies.founder_bonus.gain == 0.1
    with pytest.raises(ConfigError, match="founder_bonus"):
        ScienceCityModel(seed=1, **{"policies.founder_bonus.gain": 2.0})
    with pytest.raises(ConfigError, match="unknown parameter 'policies.founder_bonus.size'"):
        m.set_policy("founder_bonus", True, size=1.0)
    m.set_policy("founder_bonus", True, gain=0.2)
    m.step()
    assert m.active_policy_names() == ["founder_bonus"]


def test_it_acts_through_its_mechanism(founder_bonus):
    founded = {}
    for scenario in ("status_quo", "founder_bonus"):
        runs = [
            ScienceCityModel(seed=s, months=96, policy_scenario=scenario, warmup_months=0).run()
            for s in (1, 2)
        ]
        founded[scenario] = sum(m.summary()["startups_founded"] for m in runs)
    assert founded["founder_bonus"] > founded["status_quo"]


def test_unregistering_restores_the_twelve(founder_bonus):
    unregister("founder_bonus")
    assert policy_names() == POLICY_NAMES
    assert "founder_bonus" not in ModelParams.model_fields["policies"].annotation.model_fields
    with pytest.raises(ConfigError):
        ScienceCityModel(seed=1, policy_scenario="founder_bonus")
    register(FounderBonus)  # the fixture unregisters it again


def test_register_rejects_a_policy_without_its_block():
    class NoBlock(Policy):
        name = "no_block"
        label = "No block"
        source = "test"

    with pytest.raises(ValueError, match="Params"):
        register(NoBlock)
    with pytest.raises(ValueError, match="new identifier"):
        register(type("Again", (FounderBonus,), {"name": "pilot_insurance"}))
