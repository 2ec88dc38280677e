"""Unit tests of industrialisation: costs, trials, reviews (ODD §7.9–7.10)."""

from __future__ import annotations

import math

import pytest

from ecosystem import ScienceCityModel
from ecosystem.chain import industrialisation
from ecosystem.project import STAGE_INDUSTRIALISATION, U_REGISTRATION
from tests._projects import make_project, start


def test_serial_review_adds_regional_lag_and_sync_removes_it():
    base = ScienceCityModel(seed=1)
    sync = ScienceCityModel(seed=1, policy_scenario="review_sync", warmup_months=0)
    review = base.params.industrialisation.registration_review_months
    assert base.government.registration_months(7.0) == review + 7.0
    assert sync.government.registration_months(7.0) == review - 6.0
    assert base.government.ind_review_months() == 3.0
    assert sync.government.ind_review_months() == 1.5


def test_trial_without_local_slot_runs_out_of_region_after_waiting():
    m = ScienceCityModel(seed=7)
    for h in m.hospitals:
        h.trials_running = h.trial_slots  # every local slot is taken
    firm = m.lead_firms[1]
    p = start(m, make_project(m, holder=firm), "trial")
    p.stage = STAGE_INDUSTRIALISATION
    waited = 0
    while not p.trial_remote:
        industrialisation.trial(m.chain, p)
        waited += 1
        assert waited < 20
    # it leaves in the first whole month past the wait
    assert waited == math.floor(m.params.industrialisation.trial_wait_months) + 1
    assert p.handoffs[-1].out_of_region
    assert m.chain.counts["trials_out_of_region"] == 1


def test_holder_without_money_stalls_then_sells_out():
    m = ScienceCityModel(seed=7)
    sme = m.smes[0]
    sme.capital = 0.0
    m.lead_firms.clear()  # nobody to acquire it
    p = start(m, make_project(m, holder=sme), "ind_review")
    p.stage, p.countdown = STAGE_INDUSTRIALISATION, 3.0
    handler = m.chain.HANDLERS["ind_review"]
    for _ in range(int(m.params.industrialisation.stall_months)):
        handler(m.chain, p)
    assert p.countdown == 3.0
    assert m.chain.exits["transferred_out"] == 1


def test_registration_approves_or_refuses_by_the_published_rate():
    m = ScienceCityModel(seed=7)
    rate = m.params.industrialisation.registration_success
    outcomes = {}
    for u in (rate - 0.01, rate + 0.01):
        p = start(m, make_project(m, holder=m.lead_firms[0]), "registration")
        p.stage = STAGE_INDUSTRIALISATION
        p.u[U_REGISTRATION] = u
        p.countdown = 1
        industrialisation.registration(m.chain, p)
        outcomes[u] = (p.phase, p.stage, p.gates.get("approval"))
    assert outcomes[rate - 0.01] == ("production", STAGE_INDUSTRIALISATION, m.month)
    assert outcomes[rate + 0.01][1] == "technical_clinical"
    assert m.chain.counts["approvals"] == 1


def test_published_attrition_gives_the_published_likelihood_of_approval():
    ind = ScienceCityModel(seed=1).params.industrialisation
    loa = ind.phase_success[0] * ind.phase_success[1] * ind.phase_success[2]
    assert loa * ind.registration_success == pytest.approx(0.079, abs=0.001)  # BIO 2021: 7.9%
    assert sum(ind.phase_months) / 12 + ind.registration_review_months / 12 == pytest.approx(
        10.5
    )  # phase I to approval, years


def test_a_lead_firm_pays_for_the_project_it_acquires_through_the_stakes():
    """M&A moves money: the buyer's capital falls by the price; the bank, then the equity
    holders pro rata, receive it; the buyer then owns the project outright."""
    from ecosystem.project import Stake

    m = ScienceCityModel(seed=7)
    sme, vc, bank = m.smes[0], m.vcs[0], m.banks[0]
    p = start(m, make_project(m, holder=sme), "ind_review")
    p.stage, p.asset_value, p.pilot_started = STAGE_INDUSTRIALISATION, 500.0, m.month
    p.stakes = [Stake(bank, 20.0, spent=20.0, loan=True), Stake(sme, 30.0, spent=30.0),
                Stake(vc, 50.0, spent=50.0)]
    m.params.industrialisation.acquisition_prob = 1.0
    for h in m.hospitals:  # a market for it: every hospital has room
        h.budget_mrmb_per_year = float("inf")
    for firm in m.lead_firms:  # every lead firm is next door and can pay
        firm.cell = sme.cell
        firm.capital = 1e6
    before = {a: a.capital for a in (sme, vc, bank)}
    total = sum(a.capital for a in m.agents if hasattr(a, "capital")) + m.book.special_total()
    industrialisation.maybe_acquire(m.chain, p)
    buyer = p.holder
    assert buyer in m.lead_firms and p.stakes == []
    price = m.book.flows["acquisitions"] + m.book.flows["loan_repayments"]
    assert m.book.flows["acquisitions"] > 0
    assert bank.capital - before[bank] == pytest.approx(20.0)  # the loan, no interest in year 0
    gain_sme, gain_vc = sme.capital - before[sme], vc.capital - before[vc]
    assert gain_vc == pytest.approx(gain_sme * 50 / 30)  # pro rata to what each put in
    assert bank.capital - before[bank] + gain_sme + gain_vc == pytest.approx(price)
    assert buyer.capital == pytest.approx(1e6 - price)
    after = sum(a.capital for a in m.agents if hasattr(a, "capital")) + m.book.special_total()
    assert after == pytest.approx(total)  # money moved, none created


def test_the_acquisition_price_carries_the_published_chance_of_reaching_the_market():
    m = ScienceCityModel(seed=7)
    for h in m.hospitals:
        h.budget_mrmb_per_year = float("inf")
    ind = m.params.industrialisation
    p = start(m, make_project(m, holder=m.smes[0]), "ind_review")
    loa = math.prod(ind.phase_success) * ind.registration_success
    assert industrialisation.chance_to_market(ind, p) == pytest.approx(loa)
    p.phase, p.trial_index = "trial", 2
    assert industrialisation.chance_to_market(ind, p) == pytest.approx(
        ind.phase_success[2] * ind.registration_success
    )
    p.phase = "registration"
    assert industrialisation.chance_to_market(ind, p) == ind.registration_success
    p.phase = "production"
    assert industrialisation.chance_to_market(ind, p) == 1.0
    buyer = m.lead_firms[0]
    p.phase, p.trial_index = "trial", 2
    late = industrialisation.acquisition_price(m.chain, p, buyer)
    assert late > 0
    p.phase, p.trial_index = "ind_review", 0
    assert industrialisation.acquisition_price(m.chain, p, buyer) < late  # more risk, less paid


def test_a_buyer_who_refuses_never_prices_the_project(monkeypatch):
    m = ScienceCityModel(seed=7)
    p = start(m, make_project(m, holder=m.smes[0]), "ind_review")
    m.params.industrialisation.acquisition_prob = 0.0  # every buyer refuses
    luck = p.luck.bit_generator.state

    def priced(*args):
        raise AssertionError("a refused acquisition has no price")

    monkeypatch.setattr(industrialisation, "acquisition_price", priced)
    industrialisation.maybe_acquire(m.chain, p)
    assert p.holder is m.smes[0] and m.chain.counts["acquisitions"] == 0
    assert p.luck.bit_generator.state != luck  # the buyer and accept draws were made all the same
