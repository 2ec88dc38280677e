"""Where funders' money comes from over long horizons (ODD §7.14).

Lead firms' budgets are topped up from their existing business; venture funds raise their next
vintage from their own multiple and the sector's steady allocation. Both come from outside the
region through the book, so the ledger stays balanced.
"""

from __future__ import annotations

import pytest

from ecosystem.model import ScienceCityModel


@pytest.fixture
def model() -> ScienceCityModel:
    return ScienceCityModel(seed=7, months=24, warmup_months=0)


def test_a_lead_firm_gets_back_at_most_its_refill_share_and_never_above_its_start(model) -> None:
    firm = model.lead_firms[0]
    start = firm.starting_budget
    outside = model.book.outside.capital
    firm.capital = 0.2 * start
    assert firm.refill_from_business(0.05) == pytest.approx(0.05 * start)
    assert firm.capital == pytest.approx(0.25 * start)
    firm.capital = start - 1.0
    assert firm.refill_from_business(0.05) == pytest.approx(1.0)
    assert firm.capital == pytest.approx(start)
    assert firm.refill_from_business(0.05) == 0.0  # at its starting budget: nothing
    firm.capital = 2 * start  # richer from sales: keeps it, gets nothing
    assert firm.refill_from_business(0.05) == 0.0
    assert model.book.outside.capital == pytest.approx(outside - 0.05 * start - 1.0)
    assert model.book.flows["business_income"] == pytest.approx(0.05 * start + 1.0)


def test_smes_and_startups_have_no_business_to_refill_from(model) -> None:
    sme = model.smes[0]
    sme.capital = 0.0
    assert sme.refill_from_business(0.2) == 0.0
    assert sme.capital == 0.0


def _ended_fund(model, free: float, first: float, last: float):
    vc = model.vcs[0]
    vc.first_size, vc.vintage_size, vc.capital = first, last, free
    vc.vintage_start = model.month - int(vc.fund_life_months)  # its life ends now
    return vc


@pytest.mark.parametrize(
    ("weight", "free", "expected"),
    [
        (1.0, 300.0, 300.0),  # own record only: a 0.6× vintage raises 0.6× the last size
        (0.5, 300.0, 0.5 * 300.0 + 0.5 * 800.0),  # half own record, half the first size
        (0.0, 300.0, 800.0),  # the sector's allocation only
        (1.0, 2000.0, 1000.0),  # a 4× vintage raises at most twice the last size
    ],
)
def test_next_vintage_blends_the_funds_record_with_the_sectors_allocation(
    model, weight: float, free: float, expected: float
) -> None:
    vc = _ended_fund(model, free=free, first=800.0, last=500.0)
    outside = model.book.outside.capital
    vc.raise_fund(1.0, weight)
    assert vc.vintage_size == pytest.approx(expected)
    assert vc.capital == pytest.approx(expected)
    assert vc.vintage_start == model.month
    assert model.book.outside.capital == pytest.approx(outside + free - expected)


def test_a_fund_still_in_its_life_raises_nothing(model) -> None:
    vc = model.vcs[0]
    vc.vintage_start = model.month
    before = (vc.capital, vc.vintage_size)
    vc.raise_fund(1.0, 0.5)
    assert (vc.capital, vc.vintage_size) == before


def test_the_new_year_refills_lead_firms_through_the_book() -> None:
    m = ScienceCityModel(seed=7, months=12, warmup_months=120)
    m.run()
    share = m.params.economics.business_refill_share
    years = 10  # 132 months: new years at 13, 25, ..., 121 (month 1 refills nothing, budgets full)
    assert 0 < m.book.flows["business_income"] <= years * share * sum(
        f.starting_budget for f in m.lead_firms
    )
