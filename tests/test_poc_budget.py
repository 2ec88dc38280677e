"""A lab's PoC budget (ODD §7.1): it starts only PoCs it can pay to the end, and pays each month."""

from __future__ import annotations

import numpy as np
import pytest

import ecosystem.chain.poc as poc_module
from ecosystem import ScienceCityModel
from ecosystem.chain import poc
from ecosystem.project import STAGE_PILOT
from tests._projects import make_project, start


class _Luck:
    """Stands in for a discovery's stream: the lab's draw passes, the investors' draws fail."""

    def random(self, n: int) -> np.ndarray:
        return np.array([0.0, 1.0, 1.0][:n])


@pytest.fixture()
def model() -> ScienceCityModel:
    return ScienceCityModel(seed=3)


def _lab_poc(m: ScienceCityModel, **attrs):
    """A PoC the first scientist's lab has taken on (its whole cost promised)."""
    p = make_project(m, **attrs)
    lab = p.scientist.institution
    lab.capital, lab.reserved = 10.0, 0.0
    p.poc_payer, p.poc_funder = "institution", lab
    poc.reserve_poc(p, lab, m.params.poc.cost_mrmb)
    return start(m, p, "poc"), lab


def test_a_lab_funds_a_poc_only_from_budget_not_promised_to_its_running_pocs(model):
    cost = model.params.poc.cost_mrmb
    p = make_project(model)
    lab = p.scientist.institution
    lab.capital, lab.reserved = 1.5 * cost, 0.0
    assert poc._poc_money(model.chain, p, _Luck()) == ("institution", lab)
    lab.reserve(cost)  # one PoC running: half a PoC's money is free
    assert poc._poc_money(model.chain, p, _Luck()) is None


def test_the_promise_shrinks_as_the_lab_pays_and_is_freed_when_the_poc_fails(model):
    p, lab = _lab_poc(model, poc_months=12.0, viable=False)
    cost = model.params.poc.cost_mrmb
    poc.advance(model.chain, p)
    assert lab.capital == pytest.approx(10.0 - cost / 12)
    assert lab.reserved == pytest.approx(cost - cost / 12) == pytest.approx(p.poc_reserved)
    model.chain.exit(p, "technical_poc")
    assert lab.reserved == 0.0 and p.poc_reserved == 0.0
    assert lab.capital == pytest.approx(10.0 - cost / 12)  # paid months stay paid


def test_a_successful_poc_has_paid_its_whole_cost_and_leaves_no_promise(model):
    p, lab = _lab_poc(model, poc_months=7.0, viable=True)  # 7 payments leave a float remainder
    p.u[poc_module.U_POC] = 0.0  # succeeds
    p.u[poc_module.U_PROTOTYPE] = 1.0
    for _ in range(7):
        poc.advance(model.chain, p)
    assert p.stage == STAGE_PILOT
    assert p.spent_private == pytest.approx(model.params.poc.cost_mrmb)
    assert lab.reserved == 0.0 and p.poc_reserved == 0.0


def test_a_firm_poc_whose_month_goes_unpaid_waits_and_dies_when_the_team_gives_up(model):
    firm = model.lead_firms[0]
    p = start(model, make_project(model, holder=firm, poc_months=12.0), "poc")
    p.poc_payer, p.poc_funder = "firm", firm
    p.financing_patience = 3.0
    firm.capital = 0.0
    for month in range(1, 3):
        poc.advance(model.chain, p)
        assert p.phase_elapsed == 0.0 and p.unpaid_months == month  # no progress without money
    firm.capital = 100.0
    poc.advance(model.chain, p)
    assert p.phase_elapsed == 1.0  # paid: the work goes on
    firm.capital = 0.0
    poc.advance(model.chain, p)
    assert p.stage == "no_funding" and model.chain.exits["no_funding"] == 1


def test_a_firm_without_the_money_commissions_nothing(model):
    firm = model.lead_firms[0]
    firm.capital = 0.5 * model.params.poc.cost_mrmb
    before = model.chain.counts["demand_pulled_projects"], len(model.chain.active)
    model.chain.commission(firm, model.scientists[0])
    assert (model.chain.counts["demand_pulled_projects"], len(model.chain.active)) == before
    firm.capital = 100.0
    model.chain.commission(firm, model.scientists[0])
    assert model.chain.counts["demand_pulled_projects"] == before[0] + 1


def test_every_lab_month_of_a_status_quo_run_is_paid_and_every_promise_is_accounted_for(
    monkeypatch,
):
    m = ScienceCityModel(seed=5, scale=0.5, months=120, warmup_months=120)
    short: list[float] = []
    pay = poc_module.pay_poc_month

    def paying(model, project, amount):
        paid = pay(model, project, amount)
        if project.poc_payer == "institution" and paid < amount - 1e-9:
            short.append(amount - paid)
        return paid

    monkeypatch.setattr(poc_module, "pay_poc_month", paying)
    months = 0
    while m.running:
        m.step()
        months += 1
        for lab in m.institutions:
            promised = sum(p.poc_reserved for p in m.chain.active if p.poc_funder is lab)
            assert lab.reserved == pytest.approx(promised, abs=1e-9)  # no promise leaks
            assert lab.capital >= lab.reserved - 1e-9 >= -1e-9
    assert months == 240 and not short, f"{len(short)} lab months unpaid"
