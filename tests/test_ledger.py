"""Conservation of money: every payment has a payer and a payee (issue 12, ODD §7.13).

Every month of every scenario, the agents' accounts plus escrow, the insurer's pool and the
money outside the region add up to the starting total plus the public money put in.
"""

from __future__ import annotations

import pytest

from ecosystem.metrics import FLOW_COLUMNS
from ecosystem.model import ScienceCityModel
from ecosystem.money import Account, Book
from ecosystem.policies import policy_names


def accounts_total(model) -> float:
    """Every agent's balance, the insurer's pool, escrow and the outside world."""
    total = sum(a.capital for a in model.firms + model.vcs + model.banks)
    total += model.guidance_fund.capital
    total += sum(i.capital for i in model.institutions)
    total += sum(s.capital for s in model.scientists)
    total += model.insurer.capital if model.insurer is not None else 0.0
    return total + model.book.escrow.capital + model.book.outside.capital


def escrow_in_projects(model) -> float:
    """Money committed to live projects and not yet spent."""
    return sum(s.amount - s.spent for p in model.active_projects for s in p.stakes)


def test_transfer_moves_money_between_two_accounts() -> None:
    book = Book()
    a, b = Account("a"), Account("b")
    book.transfer(a, b, 2.5, "test")
    assert (a.capital, b.capital, book.flows["test"]) == (-2.5, 2.5, 2.5)
    with pytest.raises(ValueError, match="must be >= 0"):
        book.transfer(a, b, -1.0, "test")


@pytest.mark.parametrize("scenario", ["status_quo", "full_chain", *policy_names()])
def test_ledger_balances_every_month(scenario: str) -> None:
    m = ScienceCityModel(seed=3, policy_scenario=scenario, months=96, warmup_months=0)
    start = accounts_total(m)
    assert start > 0
    for _ in range(96):
        m.step()
        assert accounts_total(m) == pytest.approx(start + m.book.public_inflow, rel=1e-9), (
            f"month {m.month}"
        )
        assert m.book.escrow.capital == pytest.approx(escrow_in_projects(m), abs=1e-6)
    assert m.book.public_inflow > 0
    assert m.book.flows["poc_costs"] > 0


def test_a_startup_is_capitalised_by_a_seed_round_not_born_with_money() -> None:
    m = ScienceCityModel(seed=1, months=12, warmup_months=0)
    before = sum(v.capital for v in m.vcs)
    firms = [m.found_startup(sci) for sci in m.scientists[:30]]
    seeded = [f for f in firms if f.shareholders]
    assert seeded and len(seeded) < len(firms)  # some founders find no seed investor
    assert all(f.capital == 0.0 for f in firms if not f.shareholders)
    raised = sum(f.capital for f in seeded)
    low, high = m.params.economics.seed_round_mrmb
    assert all(low <= f.capital <= high for f in seeded)
    assert sum(v.capital for v in m.vcs) == pytest.approx(before - raised)
    assert m.book.flows["seed_rounds"] == pytest.approx(raised)


def test_money_columns_report_the_book_flows_they_name() -> None:
    m = ScienceCityModel(seed=1, months=12, warmup_months=0)
    for sci in m.scientists[:30]:
        m.found_startup(sci)
    m.step()
    assert m.book.flows["seed_rounds"] > 0
    for column, flow in FLOW_COLUMNS.items():
        assert m._snapshot[column] == m.book.flows[flow], column
    assert m._snapshot["seed_round_money"] == m.book.flows["seed_rounds"]


def test_business_income_column_reports_the_lead_firms_refills() -> None:
    m = ScienceCityModel(seed=1, months=13, warmup_months=0)
    for _ in range(12):
        m.step()
    assert m._snapshot["business_income"] == 0.0  # budgets start full: month 1 refills nothing
    firm = m.lead_firms[0]
    firm.capital = 0.5 * firm.starting_budget
    m.step()  # month 13: a new year
    share = m.params.economics.business_refill_share
    assert m.book.flows["business_income"] >= share * firm.starting_budget
    assert m._snapshot["business_income"] == m.book.flows["business_income"]
