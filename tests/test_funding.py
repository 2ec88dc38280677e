"""Unit tests of the funders' decision and the syndicate (ecosystem.funding) and the insurer."""

from __future__ import annotations

import pytest

from ecosystem import ScienceCityModel
from ecosystem.funding import PilotTerms, assemble_syndicate, pilot_terms
from tests._projects import make_project


def test_insurance_lowers_the_downside_and_raises_expected_return():
    bare = PilotTerms(cost=100, loan=0, loan_repayment=0, value=400, belief=0.3, premium=0, claim=0)
    insured = PilotTerms(100, 0, 0, 400, 0.3, premium=18.8, claim=36)
    assert insured.loss_per_unit < bare.loss_per_unit
    assert insured.expected_return > bare.expected_return


def test_loan_shifts_downside_to_the_bank():
    bare = PilotTerms(100, 0, 0, 300, 0.3, 0, 0)
    loan = PilotTerms(100, 40, 40 * 1.3, 300, 0.3, 0, 0)
    assert loan.equity == 60
    assert loan.expected_return > bare.expected_return


def test_capped_guidance_fund_cedes_upside_to_private_investors():
    pro_rata = PilotTerms(100, 0, 0, 320, 0.3, 0, 0, fund_stake=40, fund_cap=None)
    capped = PilotTerms(100, 0, 0, 320, 0.3, 0, 0, fund_stake=40, fund_cap=0.05)
    assert pro_rata.expected_return < 0 < capped.expected_return


def test_funders_refuse_negative_expected_return(model):
    model.guidance_fund.capital = 0.0
    p = make_project(model, holder=model.lead_firms[1])
    p.asset_value = 1.0  # worthless asset
    terms = pilot_terms(model, p, 100.0, 0.9, 0.0)
    assert terms.expected_return < 0
    assert assemble_syndicate(model, p, terms, 100.0) is None
    assert model.lead_firms[1].capital == model.params.region.lead_firms[1].capital_mrmb


def test_syndicate_commits_capital_only_when_complete(model):
    firm = model.lead_firms[1]
    p = make_project(model, holder=firm)
    p.asset_value = 1000.0
    terms = pilot_terms(model, p, 50.0, 0.9, 0.0)
    before = firm.capital + sum(v.capital for v in model.vcs) + model.guidance_fund.capital
    stakes = assemble_syndicate(model, p, terms, 50.0)
    assert stakes is not None
    assert sum(s.amount for s in stakes) == pytest.approx(50.0)
    after = firm.capital + sum(v.capital for v in model.vcs) + model.guidance_fund.capital
    assert before - after == pytest.approx(50.0)
    for s in stakes:  # nobody exceeds their risk budget
        if s.funder.kind != "guidance_fund":
            assert (
                s.amount
                <= s.funder.risk_tolerance * (s.funder.capital + s.amount) / (terms.loss_per_unit)
                + 1e-9
            )


def test_insurer_prices_from_its_own_losses():
    from ecosystem.policies import Insurer

    ins = Insurer(prior_failure=0.7, prior_weight=20)
    model_params = ScienceCityModel(seed=1).params
    params, pilot = model_params.policies.pilot_insurance, model_params.pilot
    rate0 = ins.premium_rate(params, pilot)
    expected = (0.7 * 0.6 * 0.6 + 0.05 * min(0.1, 0.6 * 0.3) + 0.01 * min(0.02, 0.6 * 0.1)) * 1.2
    assert rate0 == pytest.approx(expected)
    for _ in range(50):
        ins.record(failed=False)
    assert ins.premium_rate(params, pilot) < rate0


def test_changed_terms_equal_dataclasses_replace_and_recompute_cached_figures():
    """``PilotTerms.but`` is a fast ``dataclasses.replace``: same fields, fresh cached figures."""
    from dataclasses import replace

    terms = PilotTerms(100, 30, 36, 320, 0.3, 5, 20, fund_stake=10, fund_cap=0.05, modality="x")
    _ = (terms.equity, terms.private_equity, terms.loss_per_unit)  # fill the caches
    for changes in ({"fund_stake": 40.0}, {"belief": 0.6, "value": 250.0}, {"loan": 0.0}):
        fast, slow = terms.but(**changes), replace(terms, **changes)
        assert fast == slow
        assert (fast.equity, fast.private_equity, fast.loss_per_unit) == (
            slow.equity, slow.private_equity, slow.loss_per_unit)
        assert fast.expected_return == slow.expected_return
    with pytest.raises(TypeError, match="no fields"):
        terms.but(bellief=0.5)
