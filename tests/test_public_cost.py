"""Honest public cost and the insurer's book (issue 12, ODD §7.16)."""

from __future__ import annotations

import pytest

from ecosystem import ScienceCityModel
from ecosystem.chain import pilot_financing
from ecosystem.policies import policy_names
from ecosystem.project import STAGE_INDUSTRIALISATION, STAGE_PILOT, Stake
from tests._projects import make_project, start


@pytest.mark.parametrize("name", policy_names())
def test_every_policy_books_its_running_cost(name):
    m = ScienceCityModel(seed=1, policy_scenario=name, months=12, warmup_months=0)
    for _ in range(12):
        m.step()
    yearly = getattr(m.params.policies, name).running_cost_mrmb_per_year
    assert yearly > 0
    assert m.government.ledger.public["programme_costs"] == pytest.approx(yearly)


def test_fund_returns_are_recovered_and_net_cost_is_discounted():
    m = ScienceCityModel(seed=7, policy_scenario="guidance_fund")
    m.step()
    fund, sme = m.guidance_fund, m.smes[0]
    p = start(m, make_project(m, holder=sme), "launch")
    p.stage, p.asset_value = STAGE_INDUSTRIALISATION, 1000.0
    p.quality = 1.0  # hospitals list it: the product has a market
    for h in m.hospitals:
        h.assesses_biotherapy = True
    p.stakes = [Stake(fund, 40.0, spent=40.0)]
    ledger = m.government.ledger
    spent = ledger.public_total
    from ecosystem.chain import market

    market.launch(m.chain, p)
    assert ledger.recoveries > 0
    assert ledger.net_public == pytest.approx(spent - ledger.recoveries)
    ledger.close_month(120, 0.08)
    assert ledger.net_public_pv < ledger.net_public or ledger.net_public < 0


def test_summary_reports_net_public_cost_per_transfer():
    s = ScienceCityModel(  # introduced into the spun-up region; sure trials, so it has transfers
        seed=2,
        policy_scenario="full_chain",
        months=180,
        **{"industrialisation.phase_success": (1.0, 1.0, 1.0)},
    ).run().summary()
    assert s["transfers"] > 0
    assert s["net_public_cost"] > 0
    assert s["net_public_cost_per_transfer"] == pytest.approx(
        s["net_public_cost"] / s["transfers"]
    )
    causes = [s[f"financing_fail_{c}"] for c in
              ("valuation", "belief", "capital", "risk_budget", "liquidity")]
    assert sum(causes) > 0
    assert s["financing_fail_main_cause_share"] == pytest.approx(max(causes) / sum(causes))


def test_insurance_is_voluntary_and_the_pool_pays_claims():
    m = ScienceCityModel(seed=5, policy_scenario="pilot_insurance", warmup_months=0)
    m.step()
    insurer = m.insurer
    reserve = m.params.policies.pilot_insurance.reserve_mrmb
    assert insurer.capital == pytest.approx(reserve)
    firm = m.lead_firms[1]
    p = start(m, make_project(m, holder=firm), "financing")
    p.stage = STAGE_PILOT
    choices = pilot_financing.cover_choices(m, p, 100.0, 0.8, 0.0)
    assert {c.premium > 0 for c in choices} == {True, False}  # a choice, not compulsory
    insurer.capital = 1.0  # a nearly empty pool cannot pay a large claim in full
    p.insured_sum, p.stakes = 60.0, [Stake(firm, 50.0, spent=50.0)]
    insurer.settle(p, 0.0, 0.0, True, m.government.ledger)
    assert insurer.capital == pytest.approx(0.0)
    assert insurer.shortfall == pytest.approx(60.0 * 0.6 - 1.0)
    assert not insurer.solvent
