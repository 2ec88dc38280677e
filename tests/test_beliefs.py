"""Funders' own beliefs: priors by kind, learned from outcomes they see (issue 12)."""

from __future__ import annotations

import pytest

from agents.beliefs import Beliefs
from ecosystem import ScienceCityModel
from ecosystem.chain.pilot_running import end_pilot
from ecosystem.project import STAGE_PILOT, Stake
from tests._projects import make_project, start


def test_beta_belief_learns_from_outcomes_per_modality_and_stage():
    b = Beliefs(0.3, 20.0)
    assert b.mean("antibody", "pilot") == pytest.approx(0.3)
    for _ in range(20):
        b.observe("antibody", "pilot", True)
    assert b.mean("antibody", "pilot") == pytest.approx((6 + 20) / 40)
    assert b.mean("cell_therapy", "pilot") == pytest.approx(0.3)
    assert b.observed("antibody", "pilot") == 20


def test_priors_differ_by_kind(model):
    means = {
        f.payer_kind: f.beliefs.mean("antibody", STAGE_PILOT)
        for f in (model.vcs[0], model.lead_firms[0], model.guidance_fund)
    }
    assert means["vc"] <= means["firm"] < means["guidance_fund"]


def _end(m, success: bool):
    firm, vc = m.lead_firms[1], m.vcs[0]
    p = start(m, make_project(m, holder=firm), "pilot")
    p.stage, p.facility_kind, p.pilot_cost = STAGE_PILOT, "own_line", 50.0
    p.scalability = 1.0 if success else 0.0
    p.stakes = [Stake(vc, 10.0, spent=10.0)]
    end_pilot(m.chain, p)
    return vc, m.vcs[1]


@pytest.mark.parametrize("scenario", ["status_quo", "data_platform"])
def test_funders_learn_what_they_see_the_data_platform_shows_everyone(scenario):
    m = ScienceCityModel(seed=4, policy_scenario=scenario, warmup_months=0)  # policy from month 1
    m.step()
    prior = m.vcs[0].beliefs.mean("antibody", STAGE_PILOT)
    funder, bystander = _end(m, success=False)
    assert funder.beliefs.mean("antibody", STAGE_PILOT) < prior
    learned = bystander.beliefs.mean("antibody", STAGE_PILOT) < prior
    assert learned == (scenario == "data_platform")
