"""Property-based tests over the config space (hypothesis).

Any valid config runs to its end with conserved quantities and consistent stage flows; any
invalid value is refused with a message naming the key. The drawn configs must reach every
stage and the market often enough for the flow invariants to bite (their coverage is counted
and asserted), and mutants of the critical counters must be caught by the same invariants.
"""

from __future__ import annotations

import importlib
import math
from collections import Counter

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ecosystem import POLICY_NAMES, ConfigError, ScienceCityModel
from ecosystem.chain import Chain
from ecosystem.project import EXIT_CAUSES, MARKET, STAGE_INDUSTRIALISATION, STAGE_PILOT

MILESTONES = ("entered_poc", "entered_pilot", "entered_industrialisation", "transfers")


def _range(low: float, high: float):
    return st.tuples(st.floats(low, high), st.floats(low, high)).map(
        lambda t: {"low": min(t), "high": max(t)}
    )


def _down_from(high: float, low: float):
    """Floats in [low, high] whose simplest draw (the one hypothesis favours) is ``high``."""
    return st.floats(0.0, high - low).map(lambda x: high - x)


# Each range is oriented so that hypothesis's simplest draws give a fast, well-funded chain that
# reaches the market; the other draws cover the rest of the space (coverage is asserted below).
valid_configs = st.fixed_dictionaries(
    {
        "months": st.integers(0, 102).map(lambda x: 150 - x),
        "warmup_months": st.integers(0, 12),
        "scale": _down_from(0.45, 0.2),
        "seed": st.integers(0, 2**32),
        "policies_off": st.lists(st.sampled_from(POLICY_NAMES), unique=True, max_size=12),
        "poc.institutional_funding_prob": _down_from(1.0, 0.0),
        "pilot.prior_success_belief": _down_from(1.0, 0.0),
        "policies.pilot_insurance.premium_subsidy": st.floats(0.0, 1.0),
        "policies.one_hour_circle.circle_minutes": st.floats(5.0, 600.0),
        "scientists.discovery_rate": st.tuples(_down_from(0.2, 0.01), _down_from(0.2, 0.01)).map(
            lambda t: {"low": min(t), "high": max(t)}
        ),
        "discovery.viability_threshold": st.floats(0.2, 0.6),
        "poc.duration_months": _range(2.0, 24.0),
        "pilot.duration_months": _range(2.0, 36.0),
        "industrialisation.phase_months": st.tuples(*[st.floats(1.0, 12.0)] * 3),
        "industrialisation.phase_success": st.tuples(*[_down_from(1.0, 0.5)] * 3),
        "industrialisation.registration_review_months": st.floats(0.0, 12.0),
        "industrialisation.production_setup_months": _range(0.0, 12.0),
    }
)


def run_drawn(cfg: dict) -> ScienceCityModel:
    cfg = dict(cfg)
    off = set(cfg.pop("policies_off"))
    enabled = {f"policies.{p}.enabled": True for p in POLICY_NAMES if p not in off}
    seed = cfg.pop("seed")
    return ScienceCityModel(seed=seed, **cfg, **enabled).run()


def violations(m: ScienceCityModel) -> list[str]:
    """Broken conservation laws and stage flows of a finished run (empty: all hold)."""
    out = []
    ts = m.timeseries()
    last = ts.iloc[-1]
    finished = m.chain.finished  # (id, modality, demand, discovered, month, cause, stage)
    active = m.chain.active
    if len(active) + len(finished) != last["entered_poc"]:
        out.append("projects active + finished != entered_poc")
    if sum(last[f"exit_{c}"] for c in EXIT_CAUSES) + last["transfers"] != len(finished):
        out.append("exits + transfers != finished projects")
    if last["transfers"] != sum(1 for f in finished if f[5] == MARKET):
        out.append("transfers != projects that reached the market")
    for counter, stages in (
        ("entered_pilot", {STAGE_PILOT, STAGE_INDUSTRIALISATION}),
        ("entered_industrialisation", {STAGE_INDUSTRIALISATION}),
    ):
        reached = sum(1 for p in active if p.stage in stages)
        reached += sum(1 for f in finished if f[6] in stages)
        if last[counter] != reached:
            out.append(f"{counter} ({last[counter]}) != projects that reached it ({reached})")
    # net public cost is spent minus recovered: a guidance fund whose exits return more than
    # the public paid in makes it negative, legitimately; every other column is a count or a
    # gross amount
    gross = ts.select_dtypes("number").drop(columns=["net_public_cost", "net_public_cost_pv"])
    if not (gross >= -1e-9).all().all():
        out.append("a negative count or amount")
    for p in active:
        if sum(s.spent for s in p.stakes) > sum(s.amount for s in p.stakes) + 1e-9:
            out.append("a pilot spent more than its stakes")
    if any(agent.capital < -1e-6 for agent in m.firms + m.vcs):
        out.append("negative capital")
    return out


def test_any_valid_config_runs_with_conserved_quantities():
    reached: Counter[str] = Counter()
    draws = 0

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,  # a statistical test over fixed draws
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(valid_configs)
    def check(cfg):
        nonlocal draws
        m = run_drawn(cfg)
        assert len(m.timeseries()) == cfg["months"] + cfg["warmup_months"]
        assert violations(m) == []
        last = m.timeseries().iloc[-1]
        draws += 1
        for milestone in MILESTONES:
            if last[milestone] > 0:
                reached[milestone] += 1
                event(f"reached {milestone}")

    check()
    # the invariants above are only as strong as the stages the draws reach
    assert draws >= 40
    for milestone in MILESTONES:
        assert reached[milestone] >= draws // 4, (milestone, reached, draws)


FAVOURABLE = {
    "months": 120,
    "warmup_months": 0,
    "scale": 0.4,
    "discovery.viability_threshold": 0.3,
    "pilot.prior_success_belief": 0.8,
    "industrialisation.phase_months": (3.0, 3.0, 3.0),
    "industrialisation.phase_success": (1.0, 1.0, 1.0),
    **{f"policies.{p}.enabled": True for p in POLICY_NAMES},
}


def _frozen(counter: str, original):
    """A mutant of a chain step ``original(chain, ...)`` that never increments ``counter``."""

    def mutant(chain, *args, **kwargs):
        before = chain.counts[counter]
        result = original(chain, *args, **kwargs)
        chain.counts[counter] = before
        return result

    return mutant


def _mutate(monkeypatch, counter: str, where: str) -> None:
    """Freeze ``counter`` in the chain step named by ``where`` (as the chain reaches it)."""
    if where == "exit":
        monkeypatch.setattr(Chain, "exit", _frozen(counter, Chain.exit))
    elif where.startswith("handler:"):  # a phase handler, dispatched through Chain.HANDLERS
        phase = where.removeprefix("handler:")
        monkeypatch.setitem(Chain.HANDLERS, phase, _frozen(counter, Chain.HANDLERS[phase]))
    else:  # a submodel's module-level step, looked up by name when called
        module, name = where.rsplit(".", 1)
        mod = importlib.import_module(f"ecosystem.chain.{module}")
        monkeypatch.setattr(mod, name, _frozen(counter, getattr(mod, name)))


@pytest.mark.parametrize(
    ("counter", "where"),
    [
        ("transfers", "exit"),
        ("entered_pilot", "handler:poc"),
        ("entered_industrialisation", "pilot_running.end_pilot"),
        ("entered_poc", "poc._start"),
    ],
)
def test_invariants_catch_a_counter_that_never_increments(monkeypatch, counter, where):
    honest = ScienceCityModel(seed=2, **FAVOURABLE).run()
    assert violations(honest) == []
    assert honest.timeseries().iloc[-1][counter] > 0
    _mutate(monkeypatch, counter, where)
    mutant = ScienceCityModel(seed=2, **FAVOURABLE).run()
    assert mutant.timeseries().iloc[-1][counter] == 0
    assert any(counter in v or "entered_poc" in v or "transfers" in v for v in violations(mutant))


def test_invariants_catch_an_exit_that_is_not_counted(monkeypatch):
    original = Chain.exit

    def forgets_technical_exits(self, project, cause):
        original(self, project, cause)
        if cause == "technical_pilot":
            self.exits[cause] -= 1

    monkeypatch.setattr(Chain, "exit", forgets_technical_exits)
    m = ScienceCityModel(seed=2, **FAVOURABLE).run()
    assert m.chain.exits.get("technical_pilot", 0) == 0
    assert "exits + transfers != finished projects" in violations(m)


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
        ("scale", math.nan),
        ("poc.cost_mrmb", math.inf),
        ("pilot.value_multiple", -math.inf),
        ("policies.one_hour_circle.circle_minutes", math.inf),
    ]
)


@settings(max_examples=20, deadline=None)
@given(bad_values, st.integers(0, 100))
def test_any_invalid_value_is_refused_naming_the_key(bad, seed):
    key, value = bad
    with pytest.raises(ConfigError) as info:
        ScienceCityModel(seed=seed, **{key: value})
    assert key.split(".")[-1] in str(info.value)
