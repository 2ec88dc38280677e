"""Policy builds are public money booked exactly once (issue 12, honest public cost; issue 17).

The local CDMO, the enclave base and the research wards are built once. Their cost is booked in
monthly parts over the amortisation period from the month the policy comes into force, stops
when the parts add up to the cost, and is booked in full (the rest at once) if the policy is
switched off earlier; switching on again reuses what was built. Checked through the money
book (``model.book.flows``) and the public ledger, on runs longer than the amortisation period.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecosystem import ScienceCityModel
from ecosystem.policies.amortisation import Amortisation

#: policy -> (public instrument of its build, its build cost from the parameters)
BUILDS = {
    "local_cdmo": ("cdmo_build", lambda p: p.build_cost_mrmb),
    "enclave_parks": ("enclave_build", lambda p: p.build_cost_mrmb),
    "research_hospitals": (
        "hospital_build", lambda p: p.build_cost_mrmb_per_hospital * p.hospitals
    ),
}
START = 10  # the month before the policy is switched on


def _model(months: int) -> ScienceCityModel:
    m = ScienceCityModel(seed=3, months=months, warmup_months=0)
    for _ in range(START):
        m.step()
    return m


def _booked(m: ScienceCityModel, instrument: str) -> float:
    """The build money through the book, checked against the public ledger."""
    assert m.government.ledger.public[instrument] == pytest.approx(m.book.flows[instrument])
    return m.book.flows[instrument]


@pytest.mark.parametrize("name", list(BUILDS))
def test_a_run_longer_than_the_amortisation_books_the_build_cost_once(name):
    instrument, cost_of = BUILDS[name]
    m = _model(months=START + 200)
    m.set_policy(name, True)
    pars = getattr(m.params.policies, name)
    months = round(pars.amortisation_years * 12)
    cost = cost_of(pars)
    assert months == 180 and cost > 0 and _booked(m, instrument) == 0.0
    programme = m.book.flows["programme_costs"]
    m.step()  # switched on mid-run: the booking starts in its first month
    assert _booked(m, instrument) == pytest.approx(cost / months)
    for _ in range(months - 1):
        m.step()
    assert _booked(m, instrument) == pytest.approx(cost, rel=1e-12)
    while m.running:
        m.step()
    assert m.month == START + 200  # 20 months past the amortisation period
    assert _booked(m, instrument) == pytest.approx(cost, rel=1e-12)  # nothing more
    running = m.book.flows["programme_costs"] - programme
    assert running == pytest.approx(pars.running_cost_mrmb_per_year / 12.0 * 200)  # never stops


@pytest.mark.parametrize("name", list(BUILDS))
def test_switching_off_early_books_the_rest_and_switching_on_again_books_no_second_build(name):
    instrument, cost_of = BUILDS[name]
    m = _model(months=START + 60)
    m.set_policy(name, True)
    pars = getattr(m.params.policies, name)
    cost = cost_of(pars)
    for _ in range(24):
        m.step()
    assert _booked(m, instrument) == pytest.approx(cost * 24 / 180)
    m.set_policy(name, False)
    m.step()  # closed before paid off: the rest is booked as it closes
    assert _booked(m, instrument) == pytest.approx(cost, rel=1e-12)
    m.set_policy(name, True)
    programme = m.book.flows["programme_costs"]
    for _ in range(12):
        m.step()
    assert _booked(m, instrument) == pytest.approx(cost, rel=1e-12)  # reopened, not rebuilt
    running = m.book.flows["programme_costs"] - programme
    assert running == pytest.approx(pars.running_cost_mrmb_per_year)  # running costs resume


def test_research_hospitals_book_only_wards_not_built_before():
    m = _model(months=START + 40)
    m.set_policy("research_hospitals", True, hospitals=2)
    m.step()
    m.set_policy("research_hospitals", False)
    m.step()
    per_hospital = m.params.policies.research_hospitals.build_cost_mrmb_per_hospital
    assert _booked(m, "hospital_build") == pytest.approx(2 * per_hospital)
    m.set_policy("research_hospitals", True, hospitals=3)  # one more hospital this time
    m.step()
    months = m.params.policies.research_hospitals.amortisation_years * 12
    assert _booked(m, "hospital_build") == pytest.approx(2 * per_hospital + per_hospital / months)


class _Treasury:
    """Stands in for the government: records what is booked."""

    def __init__(self) -> None:
        self.paid: list[float] = []

    def pay_subsidy(self, instrument: str, amount: float) -> None:
        self.paid.append(amount)


@settings(max_examples=60, deadline=None)
@given(
    cost=st.floats(0.0, 1e4),
    months=st.floats(0.5, 300.0),
    closed_after=st.one_of(st.none(), st.integers(0, 400)),
)
def test_whatever_the_period_and_the_closing_month_the_parts_add_up_to_the_cost(
    cost, months, closed_after
):
    build, gov = Amortisation("cdmo_build", cost, months), _Treasury()
    for month in range(400):
        if month == closed_after:
            build.write_off(gov)
        build.book_month(gov)
    build.write_off(gov)  # after it is paid off: nothing
    assert sum(gov.paid) == pytest.approx(cost, rel=1e-9, abs=1e-9)
    if closed_after is None or closed_after >= months:  # paid off before it closed
        assert len(gov.paid) == math.ceil(months)
    assert build.paid_off


def test_a_fractional_period_ends_with_a_fractional_part():
    build, gov = Amortisation("enclave_build", 100.0, 2.5), _Treasury()
    for _ in range(5):
        build.book_month(gov)
    assert gov.paid == pytest.approx([40.0, 40.0, 20.0])
