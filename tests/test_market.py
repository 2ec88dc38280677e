"""Unit tests of market entry and the payout (ODD §7.12)."""

from __future__ import annotations

from ecosystem import ScienceCityModel
from ecosystem.chain import market
from ecosystem.project import STAGE_INDUSTRIALISATION, Stake
from tests._projects import make_project, start


def _launch(m, holder, stakes, value=1000.0):
    p = start(m, make_project(m, holder=holder), "launch")
    p.stage, p.asset_value, p.fund_cap = STAGE_INDUSTRIALISATION, value, 0.05
    p.stakes = stakes
    p.quality = 1.0  # every hospital would list it: the market outlook is 1 at full listing
    m.params.market.reference_listing_share = 1.0
    for h in m.hospitals:
        h.assesses_biotherapy = True
    market.launch(m.chain, p)
    return p


def test_capped_fund_payout_cedes_upside_at_launch():
    m = ScienceCityModel(seed=7, policy_scenario="guidance_fund", warmup_months=0)
    sme, vc, fund = m.smes[0], m.vcs[0], m.guidance_fund
    for f in m.lead_firms:
        f.capital = 0.0  # no buyer: the firm lists
    fund_before, vc_before = fund.capital, vc.capital
    _launch(m, sme, [Stake(fund, 40.0, spent=40.0), Stake(vc, 60.0, spent=60.0)])
    assert m.chain.counts["ipos"] == 1
    gained_fund = fund.capital - fund_before
    gained_vc = vc.capital - vc_before
    assert gained_fund <= 40.0 * 1.05 + 1e-9
    assert gained_vc > 1.5 * gained_fund  # more than its 60:40 pro-rata share


def test_a_lead_firm_buys_out_its_co_investors_and_sells_the_product():
    m = ScienceCityModel(seed=7, warmup_months=0)
    firm, vc = m.lead_firms[1], m.vcs[0]
    firm_before, vc_before, outside = firm.capital, vc.capital, m.book.outside.capital
    _launch(m, firm, [Stake(firm, 60.0, spent=60.0), Stake(vc, 40.0, spent=40.0)])
    assert m.chain.counts["lead_firm_launches"] == 1
    paid_vc = vc.capital - vc_before
    assert paid_vc > 0
    assert firm.capital == firm_before - paid_vc  # the buy-out, nothing from nowhere
    assert m.book.outside.capital == outside
    [product] = m.chain.products
    assert product.holder is firm
    m.step()
    assert firm.capital > firm_before - paid_vc  # sales flow back, minus royalties
    assert product.institution.capital > 0 or m.book.flows["royalties"] > 0
    assert m.scientists[0].capital > 0  # the inventor's share of the royalty


def test_a_small_product_is_licensed_out_and_leaves_the_region():
    m = ScienceCityModel(seed=7, warmup_months=0)
    for f in m.lead_firms:
        f.capital = 0.0
    _launch(m, m.smes[0], [Stake(m.vcs[0], 40.0, spent=40.0)], value=100.0)
    assert m.chain.counts["licensed_out"] == 1
    assert m.chain.products == []


def test_sales_ramp_up_then_erode_with_competition():
    peak = 10.0
    ramp = [market.monthly_sales(t, peak, 3.0, 0.05) for t in (0, 12, 36, 120)]
    assert ramp[0] == 0.0
    assert ramp[1] < ramp[2]
    assert ramp[3] < ramp[2] < peak


def _on_market(m, quality=1.0):
    for f in m.lead_firms:
        f.capital = 1e6  # the lead firm keeps and sells it
    p = start(m, make_project(m, holder=m.lead_firms[0]), "launch")
    p.stage, p.asset_value, p.quality = STAGE_INDUSTRIALISATION, 400.0, quality
    p.stakes = [Stake(m.lead_firms[0], 40.0, spent=40.0)]
    market.launch(m.chain, p)
    m.chain.active.remove(p)  # launched here, not again by the next month's chain
    [prod] = m.chain.products
    return prod


def test_hospitals_list_a_product_over_the_months_after_launch_and_sales_follow():
    m = ScienceCityModel(seed=3, warmup_months=0)
    prod = _on_market(m)
    assert prod.listed_by == 0  # nobody lists at launch: drug committees meet later
    listed, sales = [], []
    for _ in range(18):
        before = m.book.flows["product_sales"]
        m.step()
        listed.append(prod.listed_by)
        sales.append(m.book.flows["product_sales"] - before)
    assert listed == sorted(listed) and 0 < listed[-1] <= len(m.hospitals)
    assert listed[0] < listed[-1]  # listing spreads over time, not all at launch
    assert m.chain.counts["hospital_adoptions"] == listed[-1]
    assert sales[-1] > sales[2] > 0


def test_no_room_in_the_drg_budget_means_no_listing_and_no_sales():
    m = ScienceCityModel(seed=3, warmup_months=0)
    for h in m.hospitals:
        h.budget_mrmb_per_year = 0.0
    prod = _on_market(m)
    for _ in range(12):
        m.step()
    assert prod.listed_by == 0
    assert m.book.flows["product_sales"] == 0.0


def test_funders_value_a_project_by_the_market_its_product_will_find():
    from ecosystem.demand import project_outlook

    m = ScienceCityModel(seed=3, warmup_months=0)
    p = make_project(m, holder=m.lead_firms[0])
    open_market = project_outlook(m, p)
    for h in m.hospitals[: len(m.hospitals) // 2]:
        h.budget_mrmb_per_year = 0.0
    half = project_outlook(m, p)
    assert 0 < half < open_market


def test_the_compensated_patent_counts_from_the_approval_not_the_launch():
    """Approved 216 months after filing and launched 9 months later: 24 + 60 months of term
    are left at the approval (Patent Law 2020 Art. 42(3)), so sales end 84 months after it."""
    m = ScienceCityModel(seed=7, warmup_months=0)
    p = make_project(m, holder=m.lead_firms[1])
    m.month = 300
    p.discovered, p.approved = 300 - 225, 300 - 9
    prod = market.product(m.chain, p)
    assert prod.launched == 300
    assert prod.expires == p.approved + 84
