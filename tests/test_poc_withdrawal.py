"""PoC-stage investor withdrawal (S0 §1.1.2): a venture fund that can no longer carry a PoC."""

from __future__ import annotations

import pytest

from ecosystem import ScienceCityModel
from ecosystem.chain import poc
from ecosystem.project import STAGE_POC
from tests._projects import make_project, start


def _vc_funded_poc(m, months_left: float):
    vc = m.vcs[0]
    vc.fund_life_months, vc.vintage_start = months_left, m.month  # months_left() == months_left
    p = start(m, make_project(m, poc_months=12.0), "poc")
    p.poc_payer, p.poc_funder = "vc", vc
    return p, vc


def test_a_fund_with_years_left_keeps_paying_its_poc():
    m = ScienceCityModel(seed=3)
    p, vc = _vc_funded_poc(m, months_left=120.0)
    capital = vc.capital
    poc.advance(m.chain, p)
    assert p.stage == STAGE_POC and p.poc_funder is vc
    assert vc.capital < capital  # it paid the month
    assert m.chain.counts["poc_withdrawals"] == 0


@pytest.mark.parametrize("lab_budget, survives", [(1e3, True), (0.0, False)])
def test_a_fund_in_its_harvest_years_stops_paying_and_the_lab_takes_over_if_it_can(
    lab_budget, survives
):
    m = ScienceCityModel(seed=3)
    harvest = m.params.economics.vc_harvest_years * 12.0
    p, vc = _vc_funded_poc(m, months_left=harvest - 1.0)
    lab = p.scientist.institution
    lab.capital = lab_budget
    capital = vc.capital
    poc.advance(m.chain, p)
    assert m.chain.counts["poc_withdrawals"] == 1
    assert vc.capital == capital  # it pays nothing more
    if survives:
        assert p.poc_funder is lab and p.poc_payer == "institution"
        assert lab.capital < lab_budget  # the lab paid the month
    else:
        assert p.stage == "investor_withdrawal"
        assert m.chain.exits["investor_withdrawal"] == 1
