"""The actors decide, each with its own state: unit tests of the agents' choices."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ecosystem import ScienceCityModel


@dataclass
class Terms:
    cost: float
    loss_per_unit: float


def test_funder_offers_within_its_risk_budget_and_owns_its_capital(model):
    vc = model.vcs[0]
    capital = vc.capital
    offer = vc.offer(1e9, Terms(cost=100.0, loss_per_unit=1.0))
    assert offer == pytest.approx(vc.risk_tolerance * capital)
    assert vc.offer(1.0, Terms(cost=100.0, loss_per_unit=1.0)) == 1.0  # no more than needed
    vc.commit(offer)
    assert model.book.escrow.capital == pytest.approx(offer)
    vc.receive(offer / 2, model.book.escrow, "released")
    assert vc.capital == pytest.approx(capital - offer / 2)
    assert model.book.escrow.capital == pytest.approx(offer / 2)


def test_guidance_fund_offers_within_its_yearly_budget_and_largest_stake():
    m = ScienceCityModel(seed=7, policy_scenario="guidance_fund", warmup_months=0)
    m.step()
    fund, rules = m.guidance_fund, m.rules
    assert fund.offer(1e9, Terms(cost=100.0, loss_per_unit=1.0)) == rules.fund_max_stake * 100.0
    fund.commit(rules.fund_budget_per_year - 1.0)
    assert fund.offer(1e9, Terms(cost=100.0, loss_per_unit=1.0)) == pytest.approx(1.0)
    fund.new_year()
    assert fund.invested_this_year == 0.0


def test_patience_decides_withdrawal(model):
    firm = model.lead_firms[0]
    assert not firm.loses_patience(firm.patience)
    assert firm.loses_patience(firm.patience + 1)


def test_firm_pays_only_what_it_has(model):
    sme = model.smes[0]
    sme.capital = 3.0
    assert not sme.can_pay(5.0)
    assert sme.pay(5.0) == 3.0 and sme.capital == 0.0
    assert sme.pay(1.0) == 0.0


def test_licence_and_acquisition_fall_with_distance(model):
    firm = model.lead_firms[0]
    near = firm.cell.coordinate
    assert firm.accepts_licence(near, 0.0)
    assert not firm.accepts_licence(near, firm.absorptive_capacity)  # at its capacity: no
    assert not firm.accepts_licence(None, 0.05)  # out of region: hardly ever
    assert not firm.accepts_acquisition(model.smes[0], prob=0.0, draw=0.0)


def test_hospital_slots_and_biotherapy_assessment(model):
    h = next(h for h in model.hospitals if not h.assesses_biotherapy)
    assert not h.has_slot("cell_therapy")
    assert not h.would_list("gene_therapy", 1.0, 0.0, 1.0, 100.0)
    h.trials_running = h.trial_slots - 1
    assert h.has_slot("antibody")
    h.start_trial()
    assert not h.has_slot("antibody")
    h.end_trial()
    assert h.has_slot("antibody")


def test_hospital_hands_over_only_open_needs(model):
    h = model.hospitals[0]
    h.open_needs = 1
    assert h.hand_over_need() and not h.hand_over_need()
    assert h.open_needs == 0


def test_facility_is_booked_and_released(model):
    f = next(f for f in model.facilities.all if f.open and f.in_use == 0)
    modality = next(iter(f.modalities))
    for _ in range(f.capacity):
        assert f.can_take(modality)
        f.book()
    assert not f.can_take(modality)
    f.release()
    assert f.can_take(modality)


def test_government_pays_grants_and_guarantees(model):
    gov, bank = model.government, model.banks[0]
    gov.pay_grant(0.3)
    assert gov.grant_budget_left(1.0) == pytest.approx(0.7)
    before = bank.capital
    gov.cover_guarantee(bank, 2.0)
    assert bank.capital == before + 2.0
    assert gov.ledger.public["loan_guarantees"] == 2.0
    assert model.book.public_inflow == pytest.approx(2.3)  # both paid from the treasury
    gov.new_year()
    assert gov.grant_budget_left(1.0) == 1.0


def test_scientist_founds_a_firm_with_the_monthly_hazard(model):
    sci = model.scientists[0]
    hazard = 1.0 - (1.0 - model.rules.startup_founding_prob) ** (1.0 / 12)
    assert sci.considers_founding(12, hazard + 1e-9) is None
    firm = sci.considers_founding(12, hazard - 1e-9)
    assert firm is not None and firm.founder is sci and sci.founded_firm
    assert firm in model.smes


def test_a_hospital_lists_what_it_can_assess_is_worth_its_price_and_fits_its_budget(model):
    h = next(h for h in model.hospitals if not h.assesses_biotherapy)
    h.value_threshold = 0.6
    assert h.would_list("antibody", 0.7, 10.0, 1.0, 20.0)
    assert not h.would_list("antibody", 0.5, 10.0, 1.0, 20.0)  # not worth its price
    assert h.would_list("antibody", 0.5, 10.0, 0.7, 20.0)  # insurance bears part of it
    assert not h.would_list("antibody", 0.7, 30.0, 1.0, 20.0)  # no room in the DRG budget
    assert h.would_list("antibody", 0.7, 30.0, 0.5, 20.0)


def test_phase_one_needs_a_capable_hospital(model):
    h = model.hospitals[0]
    h.runs_phase1 = False
    assert h.has_slot("antibody") and not h.has_slot("antibody", phase1=True)
    share = model.params.industrialisation.phase1_capable_share
    capable = sum(x.runs_phase1 for x in model.hospitals[1:]) + 1
    assert capable == round(share * len(model.hospitals)) or capable - 1 < len(model.hospitals)
