"""Unit tests of each mechanism: hand-offs, funding and patience, pilot failure and compliance,
outsourcing, regulatory review, PoC money."""

from __future__ import annotations

import numpy as np
import pytest

from ecosystem import ScienceCityModel
from ecosystem.funding import PilotTerms, assemble_syndicate, pilot_terms
from ecosystem.project import (
    STAGE_INDUSTRIALISATION,
    STAGE_PILOT,
    U_COMPLIANCE,
    U_PILOT,
    U_REAPPROVAL,
    Stake,
    draw_project,
)


def make_project(model, *, modality="antibody", holder=None, **attrs):
    sci = model.scientists[0]
    p = draw_project(0, 0, sci, False, model.streams.keyed("test", 0), model.params, 0.0)
    p.modality = modality
    p.holder = holder
    for k, v in attrs.items():
        setattr(p, k, v)
    return p


def start(model, p, phase):
    """Put a project into the chain at a phase."""
    p.phase = phase
    model.chain.active.append(p)
    return p


# --- hand-offs --------------------------------------------------------------------------------
def test_handoff_delays_the_project_and_is_recorded(model):
    sme = model.smes[0]
    p = make_project(model, holder=sme)
    model.chain.handoff(p, model.scientists[0].cell, None)
    assert p.wait >= model.params.space.out_of_region_delay_months
    assert p.handoffs[-1].out_of_region
    assert model.chain.counts["handoffs_out_of_region"] == 1


def test_waiting_project_does_not_progress(model):
    p = start(model, make_project(model, holder=model.lead_firms[1], poc_months=12), "poc")
    p.wait = 2.5
    model.chain.step()
    model.chain.step()
    assert p.phase_elapsed == 0 and p.wait == pytest.approx(0.5)
    model.chain.step()
    assert p.phase_elapsed == 1


# --- funding decisions ------------------------------------------------------------------------
def test_insurance_lowers_the_downside_and_raises_expected_return():
    bare = PilotTerms(cost=100, loan=0, loan_repayment=0, value=400, belief=0.3, premium=0, claim=0)
    insured = PilotTerms(100, 0, 0, 400, 0.3, premium=18.8, claim=36)
    assert insured.loss_per_unit < bare.loss_per_unit
    assert insured.expected_return > bare.expected_return


def test_loan_shifts_downside_to_the_bank():
    bare = PilotTerms(100, 0, 0, 300, 0.3, 0, 0)
    loan = PilotTerms(100, 40, 40 * 1.3, 300, 0.3, 0, 0)
    assert loan.equity == 60
    assert loan.expected_return > bare.expected_return


def test_capped_guidance_fund_cedes_upside_to_private_investors():
    pro_rata = PilotTerms(100, 0, 0, 320, 0.3, 0, 0, fund_stake=40, fund_cap=None)
    capped = PilotTerms(100, 0, 0, 320, 0.3, 0, 0, fund_stake=40, fund_cap=0.05)
    assert pro_rata.expected_return < 0 < capped.expected_return


def test_funders_refuse_negative_expected_return(model):
    model.guidance_fund.capital = 0.0
    p = make_project(model, holder=model.lead_firms[1])
    p.asset_value = 1.0  # worthless asset
    terms = pilot_terms(model, p, 100.0, 0.9, 0.0)
    assert terms.expected_return < 0
    assert assemble_syndicate(model, p, terms, 100.0) is None
    assert model.lead_firms[1].capital == model.params.region.lead_firms[1].capital_mrmb


def test_syndicate_commits_capital_only_when_complete(model):
    firm = model.lead_firms[1]
    p = make_project(model, holder=firm)
    p.asset_value = 1000.0
    terms = pilot_terms(model, p, 50.0, 0.9, 0.0)
    before = firm.capital + sum(v.capital for v in model.vcs) + model.guidance_fund.capital
    stakes = assemble_syndicate(model, p, terms, 50.0)
    assert stakes is not None
    assert sum(s.amount for s in stakes) == pytest.approx(50.0)
    after = firm.capital + sum(v.capital for v in model.vcs) + model.guidance_fund.capital
    assert before - after == pytest.approx(50.0)
    for s in stakes:  # nobody exceeds their risk budget
        if s.funder.kind != "guidance_fund":
            assert (
                s.amount
                <= s.funder.risk_tolerance * (s.funder.capital + s.amount) / (terms.loss_per_unit)
                + 1e-9
            )


def test_impatient_funder_withdraws_and_project_dies_without_replacement(model):
    firm = model.smes[0]
    vc = model.vcs[0]
    vc.patience = 2.0
    p = start(model, make_project(model, holder=firm, pilot_months=20.0), "pilot")
    p.stage = STAGE_PILOT
    p.facility_kind = "out_of_region"
    p.pilot_cost = 100.0
    p.asset_value = 0.0  # no replacement will join
    p.stakes = [Stake(vc, 60.0, spent=30.0)]
    vc.capital -= 60.0
    capital = vc.capital
    p.pilot_elapsed = 22.0  # overrun 2 months
    assert not model.chain._check_patience(p)  # overrun == patience: stays
    p.pilot_elapsed = 23.0
    model.chain._to_remove = []
    assert model.chain._check_patience(p)
    assert model.chain.exits["investor_withdrawal"] == 1
    assert vc.capital == pytest.approx(capital + 30.0)  # unspent money back


# --- pilot failure and compliance --------------------------------------------------------------
def test_pilot_succeeds_iff_scale_up_draw_below_retention_times_expertise(model):
    firm = model.lead_firms[1]
    for u, passed in ((0.1, True), (0.9, False)):
        m = ScienceCityModel(seed=7)
        firm = m.lead_firms[1]
        p = start(m, make_project(m, holder=firm, pilot_months=2.0), "pilot")
        p.stage, p.facility_kind, p.pilot_cost = STAGE_PILOT, "own_line", 10.0
        p.scalability = 0.5
        p.u = p.u.copy()
        p.u[U_PILOT] = u
        p.checkpoint_done = True
        m.chain._to_remove = []
        m.chain._pilot(p)
        m.chain._pilot(p)
        assert (p.stage == STAGE_INDUSTRIALISATION) is passed
        assert m.chain.counts["pilots_passed" if passed else "pilots_failed"] == 1


def test_major_change_forces_reapproval_of_six_to_twelve_months(model):
    p = make_project(model, holder=model.lead_firms[1], readiness=0.3)
    p.u = p.u.copy()
    p.u[U_COMPLIANCE] = 0.9
    assert model.chain._major_change(p)
    assert p.phase == "reapproval"
    assert 6.0 <= p.reapproval_left <= 12.0
    p2 = make_project(model, readiness=0.95)
    p2.u = p2.u.copy()
    p2.u[U_COMPLIANCE] = 0.9
    assert not model.chain._major_change(p2)


def test_review_sync_makes_reapprovals_rarer_and_shorter():
    sync = ScienceCityModel(seed=7, policy_scenario="review_sync")
    p = make_project(sync, readiness=0.3)
    p.u = p.u.copy()
    p.u[U_COMPLIANCE] = 0.6  # below 0.3 + 0.7 * 0.5 = 0.65: no major change
    assert not sync.chain._major_change(p)
    p.u[U_COMPLIANCE] = 0.9
    assert sync.chain._major_change(p)
    assert p.reapproval_left == pytest.approx(max(1.0, p.reapproval_months_base - 6.0))


def test_failed_reapproval_abandons_the_project(model):
    p = start(model, make_project(model, holder=model.lead_firms[1]), "reapproval")
    p.stage, p.reapproval_left, p.pilot_months = STAGE_PILOT, 1.0, 40.0
    p.facility_kind = "own_line"
    p.u = p.u.copy()
    p.u[U_REAPPROVAL] = 0.99
    model.chain._to_remove = []
    model.chain._reapproval(p)
    assert model.chain.exits["compliance_abandoned"] == 1


# --- outsourcing -------------------------------------------------------------------------------
def test_own_line_then_local_cdmo_then_out_of_region(model):
    threesbio = next(f for f in model.lead_firms if f.name == "3SBio")
    assert model.facilities.choose(make_project(model, holder=threesbio))[1] == "own_line"
    sme = model.smes[0]
    gene = make_project(model, modality="gene_therapy", holder=sme)
    facility, kind, factor = model.facilities.choose(gene)
    assert kind == "out_of_region" and factor == pytest.approx(1.3)
    vaccine = make_project(model, modality="mrna_vaccine", holder=sme)
    kinds = {model.facilities.choose(vaccine)[1] for _ in range(50)}
    assert "cdmo" in kinds  # Hunnan vaccine CDMO is reachable some of the time


def test_local_cdmo_policy_builds_capacity_for_missing_modalities():
    m = ScienceCityModel(seed=7, policy_scenario="local_cdmo")
    gene = make_project(m, modality="gene_therapy", holder=m.smes[0])
    kinds = {m.facilities.choose(gene)[1] for _ in range(30)}
    assert "cdmo" in kinds
    assert m.government.ledger.public["cdmo_build"] == 0.0
    m.step()
    assert m.government.ledger.public["cdmo_build"] == pytest.approx(300.0 / (15 * 12))


def test_shared_platforms_cut_upfront_cost():
    m = ScienceCityModel(seed=7, policy_scenario="shared_platforms")
    p = make_project(m, modality="small_molecule", holder=m.smes[0])
    choices = [m.facilities.choose(p) for _ in range(50)]
    shared = [c for c in choices if c[1] == "university"]
    assert shared and shared[0][2] == pytest.approx(0.6)


# --- regulatory review ---------------------------------------------------------------------------
def test_serial_review_adds_regional_lag_and_sync_removes_it():
    base = ScienceCityModel(seed=1)
    sync = ScienceCityModel(seed=1, policy_scenario="review_sync")
    assert base.government.registration_months(7.0) == 12.0 + 7.0
    assert sync.government.registration_months(7.0) == 12.0 - 6.0
    assert base.government.ind_review_months() == 3.0
    assert sync.government.ind_review_months() == 1.5


# --- PoC money ----------------------------------------------------------------------------------
def test_milestone_grants_pay_tranches_and_stop_at_failed_milestone():
    m = ScienceCityModel(seed=3, policy_scenario="milestone_grants")
    p = start(m, make_project(m, poc_months=4.0), "poc")
    p.grant, p.viable = True, False
    p.u = p.u.copy()
    p.u[1] = 0.0  # fails at the prototype milestone
    m.chain._pay_grant(p, 0)
    m.chain._to_remove = []
    for _ in range(3):
        if p in m.chain._to_remove:
            break
        m.chain._poc(p)
    assert m.government.ledger.public["milestone_grants"] == pytest.approx(0.3)
    assert m.chain.exits["technical_poc"] == 1


def test_professor_ceo_raises_push_propensity():
    base = ScienceCityModel(seed=1)
    prof = ScienceCityModel(seed=1, policy_scenario="professor_ceo")
    a = np.array([s.push_propensity() for s in base.scientists])
    b = np.array([s.push_propensity() for s in prof.scientists])
    assert (b >= a).all() and b.mean() > a.mean()


def test_insurer_prices_from_its_own_losses():
    from ecosystem.policies import Insurer

    ins = Insurer(prior_failure=0.7, prior_weight=20)
    model_params = ScienceCityModel(seed=1).params
    params, pilot = model_params.policies.pilot_insurance, model_params.pilot
    rate0 = ins.premium_rate(params, pilot)
    expected = (0.7 * 0.6 * 0.6 + 0.05 * min(0.1, 0.6 * 0.3) + 0.01 * min(0.02, 0.6 * 0.1)) * 1.2
    assert rate0 == pytest.approx(expected)
    for _ in range(50):
        ins.record(failed=False)
    assert ins.premium_rate(params, pilot) < rate0


def test_feasibility_pre_assessment_screens_demand_pulled_pilots():
    m = ScienceCityModel(seed=7, policy_scenario="reverse_commissioning")
    firm = m.lead_firms[1]
    p = start(m, make_project(m, holder=firm), "financing")
    p.stage, p.demand_pulled = STAGE_PILOT, True
    p.scalability = 0.05
    p.z = p.z.copy()
    p.z[:] = 0.0
    m.chain._to_remove = []
    m.chain._financing(p)
    assert m.chain.exits["screened_out"] == 1
    assert m.government.ledger.private_total == 0.0


def test_trial_without_local_slot_runs_out_of_region_after_waiting():
    m = ScienceCityModel(seed=7)
    for h in m.hospitals:
        h.trials_running = h.trial_slots  # every local slot is taken
    firm = m.lead_firms[1]
    p = start(m, make_project(m, holder=firm), "trial")
    p.stage = STAGE_INDUSTRIALISATION
    m.chain._to_remove = []
    waited = 0
    while not p.trial_remote:
        m.chain._trial(p)
        waited += 1
        assert waited < 20
    assert waited == m.params.industrialisation.trial_wait_months + 1
    assert p.handoffs[-1].out_of_region
    assert m.chain.counts["trials_out_of_region"] == 1


def test_holder_without_money_stalls_then_sells_out():
    m = ScienceCityModel(seed=7)
    sme = m.smes[0]
    sme.capital = 0.0
    m.lead_firms.clear()  # nobody to acquire it
    p = start(m, make_project(m, holder=sme), "ind_review")
    p.stage, p.countdown = STAGE_INDUSTRIALISATION, 3.0
    m.chain._to_remove = []
    handler = m.chain._handlers["ind_review"]
    for _ in range(int(m.params.industrialisation.stall_months)):
        handler(p)
    assert p.countdown == 3.0
    assert m.chain.exits["transferred_out"] == 1


def test_capped_fund_payout_cedes_upside_at_launch():
    m = ScienceCityModel(seed=7, policy_scenario="guidance_fund")
    firm, fund = m.lead_firms[1], m.guidance_fund
    p = start(m, make_project(m, holder=firm), "launch")
    p.stage, p.asset_value, p.fund_cap = STAGE_INDUSTRIALISATION, 1000.0, 0.05
    p.stakes = [Stake(fund, 40.0, spent=40.0), Stake(firm, 60.0, spent=60.0)]
    for h in m.hospitals:
        h.assesses_biotherapy = True
    fund_before, firm_before = fund.capital, firm.capital
    m.chain._to_remove = []
    m.chain._launch(p)
    gained_fund = fund.capital - fund_before
    gained_firm = firm.capital - firm_before
    assert gained_fund <= 40.0 * 1.05 + 1e-9
    assert gained_firm > 1.5 * gained_fund  # more than its 60:40 pro-rata share
