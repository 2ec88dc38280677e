"""Unit tests of pilot financing: screening, patience and withdrawal (ODD §7.5–7.6)."""

from __future__ import annotations

import pytest

from ecosystem import ScienceCityModel
from ecosystem.chain import pilot_financing
from ecosystem.project import STAGE_PILOT, U_PILOT, Stake
from tests._projects import make_project, start


def test_impatient_funder_withdraws_and_project_dies_without_replacement(model):
    firm = model.smes[0]
    vc = model.vcs[0]
    vc.patience = 2.0
    vc.fund_life_months = float("inf")  # no liquidity pressure
    p = start(model, make_project(model, holder=firm, pilot_months=20.0), "pilot")
    p.stage = STAGE_PILOT
    p.facility_kind = "out_of_region"
    p.pilot_cost = 100.0
    p.asset_value = 1e4  # worth continuing on its belief
    for h in model.hospitals:  # and with a market: every hospital has room for it
        h.budget_mrmb_per_year = float("inf")
    p.stakes = [Stake(vc, 60.0, spent=30.0)]
    vc.commit(60.0)
    capital = vc.capital
    p.pilot_elapsed = 22.0  # overrun 2 months
    assert not pilot_financing.check_patience(model.chain, p)  # overrun == patience: stays
    p.asset_value = 0.0  # no replacement will join
    p.pilot_elapsed = 23.0
    assert pilot_financing.check_patience(model.chain, p)
    assert model.chain.exits["investor_withdrawal"] == 1
    assert vc.capital == pytest.approx(capital + 30.0)  # unspent money back


def test_a_funder_whose_belief_no_longer_covers_its_commitment_withdraws(model):
    vc = model.vcs[0]
    vc.patience = 100.0
    vc.fund_life_months = float("inf")
    p = start(model, make_project(model, holder=model.smes[0], pilot_months=20.0), "pilot")
    p.stage, p.facility_kind, p.pilot_cost = STAGE_PILOT, "out_of_region", 100.0
    stake = Stake(vc, 60.0, spent=30.0)
    p.stakes = [stake]
    p.asset_value = 1e4
    for h in model.hospitals:
        h.budget_mrmb_per_year = float("inf")
    assert pilot_financing.leave_reason(model, p, stake, 1.0) is None
    for _ in range(200):  # it has seen many antibody pilots fail
        vc.observe(p.modality, STAGE_PILOT, False)
    p.asset_value = 150.0
    assert vc.beliefs.mean(p.modality, STAGE_PILOT) < 0.05
    assert pilot_financing.leave_reason(model, p, stake, 1.0) == "belief"


def test_feasibility_pre_assessment_screens_demand_pulled_pilots():
    m = ScienceCityModel(seed=7, policy_scenario="reverse_commissioning", warmup_months=0)
    firm = m.lead_firms[1]
    p = start(m, make_project(m, holder=firm), "financing")
    p.stage, p.demand_pulled = STAGE_PILOT, True
    p.scalability = 0.05
    p.z = p.z.copy()
    p.z[:] = 0.0
    pilot_financing.advance(m.chain, p)
    assert m.chain.exits["screened_out"] == 1
    assert m.government.ledger.private_total == 0.0


def test_a_replacement_funder_counts_its_patience_from_when_it_joined(model):
    """A funder that replaces a leaver joins a late pilot knowingly: it does not leave the next
    month for an overrun it accepted, only once the pilot overruns its patience again."""
    firm, leaver = model.smes[0], model.vcs[0]
    for vc in model.vcs:
        vc.patience, vc.fund_life_months = 3.0, float("inf")  # no liquidity pressure
    leaver.patience = 2.0
    p = start(model, make_project(model, holder=firm, pilot_months=20.0), "pilot")
    # worth ten pilots, and within what hospitals can list (a far larger price finds no market)
    p.stage, p.facility_kind, p.pilot_cost, p.asset_value = STAGE_PILOT, "own_line", 100.0, 1e3
    p.stakes = [Stake(leaver, 60.0, spent=30.0)]
    leaver.commit(60.0)
    p.pilot_elapsed = 25.0  # overrun 5 > the leaver's patience
    assert not pilot_financing.check_patience(model.chain, p)  # replaced, not dead
    joined = [s for s in p.stakes if s.funder is not leaver]
    assert joined and all(s.joined_overrun == 5.0 for s in joined)
    stake = joined[0]
    stake.funder.patience = 3.0
    assert pilot_financing.leave_reason(model, p, stake, 8.0) is None  # 3 late since joining
    assert pilot_financing.leave_reason(model, p, stake, 8.5) == "patience"


def _running_pilot(model, value: float):
    vc = model.vcs[0]
    vc.patience, vc.fund_life_months = 100.0, float("inf")  # neither patience nor liquidity
    p = start(model, make_project(model, holder=model.smes[0], pilot_months=20.0), "pilot")
    p.stage, p.facility_kind, p.pilot_cost, p.asset_value = STAGE_PILOT, "cdmo", 100.0, value
    for h in model.hospitals:
        h.budget_mrmb_per_year = float("inf")
    stake = Stake(vc, 100.0, spent=50.0)
    p.stakes = [stake]
    vc.commit(100.0)
    return p, stake


@pytest.mark.parametrize("accuracy", [0.6, 0.75, 0.9])
def test_a_troubled_readout_lowers_every_funders_belief_by_its_likelihood_ratio(model, accuracy):
    from ecosystem.funding import pilot_terms

    model.params.pilot.readout_accuracy = accuracy
    p, _ = _running_pilot(model, 400.0)
    vc = model.vcs[0]
    before = vc.view(pilot_terms(model, p, 100.0, 0.9, 0.0)).belief
    p.readout_done, p.readout_evidence = True, (1 - accuracy) / accuracy
    after = vc.view(pilot_terms(model, p, 100.0, 0.9, 0.0)).belief
    odds = lambda b: b / (1 - b)  # noqa: E731
    assert after < before
    assert odds(after) / odds(before) == pytest.approx((1 - accuracy) / accuracy)


def test_the_readout_is_right_more_often_than_not_and_comes_once_half_way(model):
    from ecosystem.chain import pilot_running

    model.params.pilot.readout_accuracy = 0.8
    right = n = 0
    for i in range(400):
        p = make_project(model, holder=model.smes[0], pilot_months=20.0)
        p.facility_kind, p.discovered = "cdmo", 10_000 + i  # a fresh readout draw each
        will_pass = p.u[U_PILOT] < p.scalability * 0.9
        pilot_running.interim_readout(model.chain, p)
        assert p.readout_done
        right += (p.readout_evidence > 1.0) == will_pass
        n += 1
    assert 0.72 < right / n < 0.88  # 0.8 ± 4 binomial standard errors


def test_a_funder_quits_a_troubled_pilot_only_when_the_rest_is_not_worth_paying(model):
    model.params.pilot.readout_accuracy = 0.9
    p, stake = _running_pilot(model, 200.0)  # worth two pilots on success
    p.pilot_elapsed = p.progress = 10.0
    assert pilot_financing.leave_reason(model, p, stake, 0.0) is None  # before the readout
    p.readout_done, p.readout_evidence = True, 9.0  # on track: stays
    assert pilot_financing.leave_reason(model, p, stake, 0.0) is None
    p.readout_evidence = 1 / 9  # troubled: its belief falls ninefold in the odds
    assert pilot_financing.leave_reason(model, p, stake, 0.0) == "belief"
    p.asset_value = 1e5  # unless what is left to pay is small beside what success is worth
    assert pilot_financing.leave_reason(model, p, stake, 0.0) is None


def test_an_uninformative_readout_changes_nothing():
    """Accuracy 0.5 is no information: the run equals one where readouts never happen."""
    a = ScienceCityModel(seed=5, warmup_months=0, months=120, pilot={"readout_accuracy": 0.5})
    a.run()
    assert a.chain.counts["interim_readouts"] > 0
    assert a.chain.counts["readouts_troubled"] == 0
    assert a.chain.counts["withdrawals_belief"] == 0
