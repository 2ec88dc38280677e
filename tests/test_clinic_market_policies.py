"""The clinic and market levers act through their mechanisms, on paired seeds (issue 17).

Each test runs the status quo and the policy with the same seed and compares what the
mechanism changes: listings and sales per product, months waiting for a trial site, licences
found per PoC result. No outcome is multiplied; the policies change rules and hospitals.
"""

from __future__ import annotations

import numpy as np
import pytest

from ecosystem import ScienceCityModel
from ecosystem.chain import licensing, market
from ecosystem.project import STAGE_INDUSTRIALISATION, Stake
from tests._projects import make_project, start

SEEDS = (11, 12, 13, 14, 15)


def _product_year(seed: int, scenario: str) -> tuple[int, float, float]:
    """One product launched at month 1, a year on the market: listings, sales, public money."""
    m = ScienceCityModel(seed=seed, policy_scenario=scenario, warmup_months=0)
    m.step()
    firm = m.lead_firms[0]
    firm.capital = 1e6
    p = start(m, make_project(m, holder=firm), "launch")
    p.stage, p.asset_value, p.quality = STAGE_INDUSTRIALISATION, 400.0, 0.6
    p.stakes = [Stake(firm, 40.0, spent=40.0)]
    market.launch(m.chain, p)
    m.chain.active.remove(p)
    [prod] = m.chain.products
    sales = m.book.flows["product_sales"]
    public = m.government.ledger.public["reimbursement_support"]
    for _ in range(12):
        m.step()
    return (
        prod.listed_by,
        m.book.flows["product_sales"] - sales,
        m.government.ledger.public["reimbursement_support"] - public,
    )


def test_hospital_listing_raises_listings_and_revenue_per_product():
    base = [_product_year(s, "status_quo") for s in SEEDS]
    pol = [_product_year(s, "hospital_listing") for s in SEEDS]
    listed = np.array([b[0] for b in pol]) - np.array([b[0] for b in base])
    revenue = np.array([b[1] + b[2] for b in pol]) - np.array([b[1] for b in base])
    assert (listed >= 0).all() and listed.sum() > 0
    assert (revenue >= 0).all() and revenue.sum() > 0
    assert all(b[2] == 0 for b in base) and all(b[2] > 0 for b in pol if b[0] > 0)


def test_hospital_listing_lowers_what_a_hospital_bears_per_patient():
    m = ScienceCityModel(seed=1, policy_scenario="hospital_listing", warmup_months=0)
    m.step()
    pars = m.params.policies.hospital_listing
    assert m.rules.price_index == pytest.approx((1 + pars.price_uplift) * (1 - pars.drg_carve_out))
    assert m.rules.formulary_review_prob == pytest.approx(pars.reviews_per_year / 12)


def _sites_found(seed: int, scenario: str, modality: str) -> int:
    """Phase I trials of one modality that find a local site in a month, of 20 asking."""
    m = ScienceCityModel(seed=seed, policy_scenario=scenario, warmup_months=0)
    m.step()
    found = 0
    for i in range(20):
        p = make_project(m, modality=modality, holder=m.lead_firms[i % len(m.lead_firms)])
        p.trial_index = 0
        p.luck = m.streams.keyed("trial_test", i)
        h = market_free_site(m, p)
        if h is not None:
            h.start_trial()
            found += 1
    return found


def market_free_site(m, p):
    from ecosystem.chain.industrialisation import find_hospital

    return find_hospital(m.chain, p)


@pytest.mark.parametrize("modality", ["antibody", "cell_therapy"])
def test_research_hospitals_give_more_trials_a_site(modality):
    base = np.array([_sites_found(s, "status_quo", modality) for s in SEEDS])
    pol = np.array([_sites_found(s, "research_hospitals", modality) for s in SEEDS])
    assert (pol >= base).all() and pol.sum() > base.sum()


def test_research_hospitals_book_construction_and_switch_off_cleanly():
    m = ScienceCityModel(seed=3, warmup_months=0)
    before = [(h.trial_slots, h.runs_phase1, h.assesses_biotherapy) for h in m.hospitals]
    m.set_policy("research_hospitals", True)
    m.step()
    upgraded = [h for h in m.hospitals if h.trial_slots > before[0][0]]
    assert len(upgraded) == m.params.policies.research_hospitals.hospitals
    assert all(h.runs_phase1 and h.assesses_biotherapy for h in upgraded)
    assert m.government.ledger.public["hospital_build"] > 0
    m.set_policy("research_hospitals", False)
    m.step()
    after = [(h.trial_slots, h.runs_phase1, h.assesses_biotherapy) for h in m.hospitals]
    assert after == before


def _licences(seed: int, scenario: str) -> int:
    """PoC results (of 200 offered from the first lab) that find a licensee in one month."""
    m = ScienceCityModel(seed=seed, policy_scenario=scenario, warmup_months=0)
    m.step()
    found = 0
    for i in range(200):
        p = make_project(m)
        p.luck = m.streams.keyed("licence_test", i)
        found += licensing.find_licensee(m.chain, p) is not None
    return found


def test_intermediaries_raise_licences_per_poc():
    base = np.array([_licences(s, "status_quo") for s in SEEDS])
    pol = np.array([_licences(s, "intermediaries") for s in SEEDS])
    assert (pol > base).all()
