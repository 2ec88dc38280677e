"""Unit tests of market entry and the payout (ODD §7.12)."""

from __future__ import annotations

from ecosystem import ScienceCityModel
from ecosystem.chain import market
from ecosystem.project import STAGE_INDUSTRIALISATION, Stake
from tests._projects import make_project, start


def test_capped_fund_payout_cedes_upside_at_launch():
    m = ScienceCityModel(seed=7, policy_scenario="guidance_fund", warmup_months=0)
    firm, fund = m.lead_firms[1], m.guidance_fund
    p = start(m, make_project(m, holder=firm), "launch")
    p.stage, p.asset_value, p.fund_cap = STAGE_INDUSTRIALISATION, 1000.0, 0.05
    p.stakes = [Stake(fund, 40.0, spent=40.0), Stake(firm, 60.0, spent=60.0)]
    for h in m.hospitals:
        h.assesses_biotherapy = True
    fund_before, firm_before = fund.capital, firm.capital
    market.launch(m.chain, p)
    gained_fund = fund.capital - fund_before
    gained_firm = firm.capital - firm_before
    assert gained_fund <= 40.0 * 1.05 + 1e-9
    assert gained_firm > 1.5 * gained_fund  # more than its 60:40 pro-rata share
