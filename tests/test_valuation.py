"""Time value: a funder's view of a deal falls with delay (issue 12, ODD §7.15)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecosystem.chain import pilot_financing
from ecosystem.demand import project_outlook
from ecosystem.funding import pilot_terms
from ecosystem.patents import PatentTerm
from ecosystem.project import STAGE_PILOT
from ecosystem.valuation import Schedule, planned_months_after_pilot, sales_life, time_factor
from tests._projects import make_project, start

PLAN = Schedule(7.0, 7.0, 1.5, 1.5)
TERM = PatentTerm()  # 20 years, compensated for the marketing review (Patent Law 2020)
UNCOMPENSATED = PatentTerm(compensation_max_years=0.0)


def test_on_the_planned_schedule_the_value_is_the_planned_value():
    assert time_factor(PLAN, 0.25, 0.05, TERM) == pytest.approx(1.0)


@given(
    delay=st.floats(0.01, 5.0),
    rate=st.floats(0.01, 0.5),
    hazard=st.floats(0.0, 0.2),
)
def test_any_delay_lowers_the_value_more_for_an_impatient_funder(delay, rate, hazard):
    late = Schedule(7.0 + delay, 7.0, 1.5, 1.5)
    slow = time_factor(late, rate, hazard, TERM)
    assert slow < 1.0
    assert time_factor(late, rate + 0.1, hazard, TERM) < slow


def test_an_uncompensated_patent_term_erodes_value_even_without_discounting():
    old = Schedule(7.0, 7.0, 4.5, 1.5)  # three more years since discovery
    expected = (20 - 11.5) / (20 - 8.5)
    assert time_factor(old, 0.0, 0.0, UNCOMPENSATED) == pytest.approx(expected)


def test_compensation_spares_a_moderate_delay_but_not_a_long_one():
    """Approved 11 years after filing (2.5 years late), the compensated term still gives 14
    years of sales, as on the plan; approved 19 years after filing, 1 + 5 years."""
    moderate = Schedule(7.0, 7.0, 4.0, 1.5)
    assert time_factor(moderate, 0.0, 0.0, TERM) == pytest.approx(1.0)
    long = Schedule(7.0, 7.0, 12.0, 1.5)
    assert time_factor(long, 0.0, 0.0, TERM) == pytest.approx(6.0 / 14.0)


@pytest.mark.parametrize(
    ("years_to_approval", "sales_years"),
    [
        (3.0, 17.0),  # early: the whole term, beyond 14 years after approval
        (8.0, 14.0),  # 12 left + 3 compensated, capped at 14
        (17.7, 7.3),  # this model's median: 2.3 left + 5 compensated
        (19.0, 6.0),  # 1 left + 5 compensated
        (24.0, 0.0),  # expired before the approval: nothing to compensate
        (30.0, 0.0),
    ],
)
def test_patent_term_compensation_follows_the_patent_law(years_to_approval, sales_years):
    assert TERM.sales_years(years_to_approval) == pytest.approx(sales_years)


@given(st.floats(0.0, 40.0), st.floats(0.0, 10.0))
def test_compensation_never_shortens_a_term_and_later_approval_never_sells_longer(t, dt):
    assert TERM.sales_years(t) >= UNCOMPENSATED.sales_years(t)
    assert TERM.sales_years(t + dt) <= TERM.sales_years(t) + 1e-9


def test_funders_plan_the_published_path_from_pilot_to_launch(model):
    """IND review 3 + phases 27.6 + 43.2 + 39.6 (BIO 2021) + registration 15.6 + regional lag
    7 (S0 §1.3.1) + set-up 9 months."""
    assert planned_months_after_pilot(model.params) == pytest.approx(145.0)


def test_the_set_up_after_approval_uses_up_the_compensated_term():
    approved = 17.7
    assert sales_life(TERM, approved + 0.75, 0.75) == pytest.approx(7.3 - 0.75)
    assert sales_life(TERM, 30.0, 0.75) == 0.0


def _deal(model, wait: float):
    firm = model.lead_firms[1]
    p = start(model, make_project(model, holder=firm, pilot_months=24.0), "financing")
    p.stage, p.wait = STAGE_PILOT, wait
    p.asset_value = 1.2 * p.pilot_cost_base / model.params.pilot.prior_success_belief
    p.asset_value /= project_outlook(model, p)  # worth 1.2 × cost ÷ belief with its market
    return p, pilot_terms(model, p, p.pilot_cost_base, 0.8, 0.0)


def test_a_delay_lowers_a_funders_offer(model):
    """Pending hand-off months push the market back: the same deal, later, is refused."""
    vc = model.vcs[0]
    vc.fund_life_months = float("inf")
    vc.capital = 1e5
    p, on_time = _deal(model, wait=0.0)
    _, late = _deal(model, wait=24.0)
    assert vc.view(late).value < vc.view(on_time).value
    offer_on_time = 0.0 if vc.refusal(on_time, 50.0) else vc.offer(50.0, vc.view(on_time))
    offer_late = 0.0 if vc.refusal(late, 50.0) else vc.offer(50.0, vc.view(late))
    assert offer_on_time > 0
    assert offer_late < offer_on_time
    assert vc.refusal(late, 50.0) == "valuation"


def test_parallel_review_raises_the_value_serial_review_lowers_it():
    from ecosystem import ScienceCityModel

    serial = ScienceCityModel(seed=2, warmup_months=0)
    synced = ScienceCityModel(seed=2, policy_scenario="review_sync", warmup_months=0)
    synced.step()
    serial.step()
    values = []
    for m in (serial, synced):
        _, terms = _deal(m, 0.0)
        values.append(m.vcs[0].view(terms).value)
    assert values[1] > values[0]


def test_financing_failures_are_recorded_by_cause(model):
    p, _ = _deal(model, 0.0)
    p.asset_value = 0.0
    pilot_financing.advance(model.chain, p)
    assert model.chain.counts["financing_fail_valuation"] == 1
