"""The model as a whole: determinism, conservation, policy switching, data columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecosystem import ScienceCityModel
from ecosystem.project import EXIT_CAUSES, STAGES

REQUIRED_COLUMNS = [
    "stage_poc",
    "stage_pilot",
    "stage_industrialisation",
    "transfers",
    "entered_poc",
    "entered_pilot",
    "entered_industrialisation",
    "exit_technical_poc",
    "exit_technical_pilot",
    "exit_no_funding",
    "exit_investor_withdrawal",
    "exit_compliance_abandoned",
    "exit_transferred_out",
    "public_spend",
    "private_spend",
]


def test_every_agent_kind_exists(model):
    kinds = {type(a).__name__ for a in model.agents}
    assert kinds >= {
        "Scientist",
        "Enterprise",
        "Investor",
        "Hospital",
        "Government",
        "PilotPlatform",
        "Institution",
    }
    assert {e.kind for e in model.firms} == {"lead_firm", "sme"}
    assert {i.kind for i in model.agents if type(i).__name__ == "Investor"} == {
        "vc",
        "guidance_fund",
        "bank",
    }
    assert sum(h.assesses_biotherapy for h in model.hospitals) == 2
    assert {f.tier for f in model.facilities.all} == {1, 2, 3}


def test_run_lasts_warmup_plus_months_and_collects_required_columns(finished_model):
    ts = finished_model.timeseries()
    assert len(ts) == 300 + 180  # spin-up + counted months (defaults)
    assert list(ts["month"]) == list(range(1, 481))
    for col in REQUIRED_COLUMNS:
        assert col in ts.columns
    assert not finished_model.running


def test_same_seed_same_timeseries():
    a = ScienceCityModel(seed=5, months=60, warmup_months=12).run().timeseries()
    b = ScienceCityModel(seed=5, months=60, warmup_months=12).run().timeseries()
    pd.testing.assert_frame_equal(a, b)
    c = ScienceCityModel(seed=6, months=60, warmup_months=12).run().timeseries()
    assert not a.equals(c)


def test_projects_are_conserved(finished_model):
    """Every project that entered PoC is in exactly one stage or one terminal state."""
    m = finished_model
    ts = m.timeseries().iloc[-1]
    active = len(m.chain.active)
    finished = len(m.chain.finished)
    assert active + finished == ts["entered_poc"]
    terminal = sum(ts[f"exit_{c}"] for c in EXIT_CAUSES) + ts["transfers"]
    assert terminal == finished
    assert sum(ts[f"stage_{s}"] for s in ("poc", "pilot", "industrialisation")) == active
    assert all(p.stage in STAGES for p in m.chain.active)
    ids = [p.id for p in m.chain.active] + [r[0] for r in m.chain.finished]
    assert len(ids) == len(set(ids))


def test_cumulative_counts_never_fall_and_money_never_negative(finished_model):
    ts = finished_model.timeseries()
    cumulative = [
        c for c in ts.columns if c.startswith(("exit_", "entered_", "public_", "private_"))
    ] + ["transfers"]
    diffs = ts[cumulative].diff().dropna()
    assert (diffs >= -1e-9).all().all()
    assert (ts.select_dtypes("number") >= -1e-9).all().all()


def test_money_spent_never_exceeds_committed(finished_model):
    for p in finished_model.chain.active:
        for s in p.stakes:
            assert s.spent <= s.amount + 1e-9


def test_pilot_stage_flows_are_consistent(finished_model):
    ts = finished_model.timeseries().iloc[-1]
    assert ts["pilots_started"] <= ts["entered_pilot"] <= ts["entered_poc"]
    assert ts["entered_industrialisation"] <= ts["pilots_started"]
    assert ts["pilots_passed"] + ts["pilots_failed"] <= ts["pilots_started"]
    assert ts["transfers"] <= ts["entered_industrialisation"]


def test_policy_switch_takes_effect_next_month_and_is_recorded():
    m = ScienceCityModel(seed=2, months=24, warmup_months=0)
    for _ in range(5):
        m.step()
    m.set_policy("review_sync", enabled=True)
    assert "review_sync" not in m.active_policy_names()
    assert not m.rules.parallel_review
    m.step()
    assert "review_sync" in m.active_policy_names() and m.rules.parallel_review
    assert m.policy_events == [(6, "review_sync", "enabled")]
    m.set_policy("one_hour_circle", enabled=True, circle_minutes=90)
    m.step()
    assert m.region.circle.minutes == 90
    ts = m.timeseries()
    assert list(ts["policy_changes"].iloc[4:7]) == [0, 1, 3]
    assert ts["active_policies"].iloc[6] == "review_sync,one_hour_circle"
    m.set_policy("review_sync", enabled=False)
    m.step()
    assert not m.rules.parallel_review


def test_set_policy_rejects_unknown_names():
    m = ScienceCityModel(seed=2)
    with pytest.raises(ValueError, match="allowed: professor_ceo"):
        m.set_policy("free_money", enabled=True)
    with pytest.raises(ValueError, match="premium_subsidy"):
        m.set_policy("pilot_insurance", subsidy=0.5)
    with pytest.raises(ValueError):
        m.set_policy("pilot_insurance", premium_subsidy=2.0)


def test_common_random_numbers_align_discoveries_across_scenarios():
    """A policy that does not touch discovery leaves the discoveries identical."""
    a = ScienceCityModel(seed=9, months=36, warmup_months=0).run().timeseries()
    b = (
        ScienceCityModel(seed=9, months=36, warmup_months=0, policy_scenario="pilot_insurance")
        .run()
        .timeseries()
    )
    assert np.array_equal(a["discoveries"], b["discoveries"])


def test_summary_fields(finished_model):
    s = finished_model.summary()
    for key in (
        "transfers_per_year",
        "pilot_failure_rate",
        "median_months_to_market",
        "public_spend_per_transfer",
        "outsourcing_share",
    ):
        assert key in s
    assert 0 <= s["pilot_failure_rate"] <= 1


def test_agent_data_only_on_request():
    from agents import Enterprise, Scientist

    off = ScienceCityModel(seed=1, months=2, warmup_months=0).run()
    assert not off.datacollector.agenttype_reporters
    on = ScienceCityModel(seed=1, months=2, warmup_months=0, collect_agents=True).run()
    sci = on.datacollector.get_agenttype_vars_dataframe(Scientist)
    assert len(sci) == 2 * len(on.scientists)
    firms = on.datacollector.get_agenttype_vars_dataframe(Enterprise)
    assert {"capital", "outsourced_out_of_region"} <= set(firms.columns)
