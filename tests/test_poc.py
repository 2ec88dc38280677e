"""Unit tests of the PoC submodel: the push decision, PoC money and milestones (ODD §7.1–7.2)."""

from __future__ import annotations

import numpy as np
import pytest

from ecosystem import ScienceCityModel
from ecosystem.chain import poc
from tests._projects import make_project, start


def test_professor_ceo_raises_push_propensity():
    base = ScienceCityModel(seed=1)
    prof = ScienceCityModel(seed=1, policy_scenario="professor_ceo", warmup_months=0)
    a = np.array([s.push_propensity() for s in base.scientists])
    b = np.array([s.push_propensity() for s in prof.scientists])
    assert (b >= a).all() and b.mean() > a.mean()


def test_milestone_grants_pay_tranches_and_stop_at_failed_milestone():
    m = ScienceCityModel(seed=3, policy_scenario="milestone_grants", warmup_months=0)
    p = start(m, make_project(m, poc_months=4.0), "poc")
    p.grant, p.viable = True, False
    p.u = p.u.copy()
    p.u[1] = 0.0  # fails at the prototype milestone
    poc.pay_grant(m.chain, p, 0)
    for _ in range(3):
        if p in m.chain._to_remove:
            break
        poc.advance(m.chain, p)
    assert m.government.ledger.public["milestone_grants"] == pytest.approx(0.3)
    assert m.chain.exits["technical_poc"] == 1
