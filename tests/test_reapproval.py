"""Unit tests of the GLP→GMP re-approval (ODD §7.8)."""

from __future__ import annotations

import pytest

from ecosystem import ScienceCityModel
from ecosystem.chain import reapproval
from ecosystem.project import STAGE_PILOT, U_COMPLIANCE, U_REAPPROVAL
from tests._projects import make_project, start


def test_major_change_forces_reapproval_of_six_to_twelve_months(model):
    p = make_project(model, holder=model.lead_firms[1], readiness=0.3)
    p.u = p.u.copy()
    p.u[U_COMPLIANCE] = 0.9
    assert reapproval.major_change(model.chain, p)
    assert p.phase == "reapproval"
    assert 6.0 <= p.reapproval_left <= 12.0
    p2 = make_project(model, readiness=0.95)
    p2.u = p2.u.copy()
    p2.u[U_COMPLIANCE] = 0.9
    assert not reapproval.major_change(model.chain, p2)


def test_review_sync_makes_reapprovals_rarer_and_shorter():
    sync = ScienceCityModel(seed=7, policy_scenario="review_sync", warmup_months=0)
    p = make_project(sync, readiness=0.3)
    p.u = p.u.copy()
    p.u[U_COMPLIANCE] = 0.6  # below 0.3 + 0.7 * 0.5 = 0.65: no major change
    assert not reapproval.major_change(sync.chain, p)
    p.u[U_COMPLIANCE] = 0.9
    assert reapproval.major_change(sync.chain, p)
    assert p.reapproval_left == pytest.approx(max(1.0, p.reapproval_months_base - 6.0))


def test_failed_reapproval_abandons_the_project(model):
    p = start(model, make_project(model, holder=model.lead_firms[1]), "reapproval")
    p.stage, p.reapproval_left, p.pilot_months = STAGE_PILOT, 1.0, 40.0
    p.facility_kind = "own_line"
    p.u = p.u.copy()
    p.u[U_REAPPROVAL] = 0.99
    reapproval.advance(model.chain, p)
    assert model.chain.exits["compliance_abandoned"] == 1
