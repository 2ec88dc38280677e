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
