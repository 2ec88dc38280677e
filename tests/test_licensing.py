"""Unit tests of licensing and startups (ODD §7.3)."""

from __future__ import annotations

from ecosystem import ScienceCityModel
from ecosystem.chain import licensing
from ecosystem.project import STAGE_PILOT, draw_project
from tests._projects import make_project, start


def test_a_licensee_takes_the_project_with_a_handoff():
    m = ScienceCityModel(seed=7)
    for firm in m.licensees:
        firm.absorptive_capacity = 1.0
        firm.cell = m.scientists[0].cell  # next door: collaboration is certain
    p = start(m, make_project(m), "licensing")
    p.stage = STAGE_PILOT
    licensing.advance(m.chain, p)
    assert p.holder in m.licensees and p.holder.projects_held == 1
    assert p.phase == "financing" and len(p.handoffs) == 1


def test_without_a_licensee_the_scientist_may_found_a_firm():
    m = ScienceCityModel(seed=7, policy_scenario="professor_ceo", warmup_months=0)
    m.lead_firms.clear()
    m.smes.clear()  # nobody to license to
    p = start(m, make_project(m), "licensing")
    p.stage = STAGE_PILOT
    for _ in range(m.params.poc.licence_search_months):
        licensing.advance(m.chain, p)
        if p.holder is not None or p in m.chain._to_remove:
            break
    founded = m.chain.counts["startups_founded"]
    assert founded == len(m.smes) <= 1
    if founded:
        assert p.holder is m.smes[0] and p.holder.founder is p.scientist
        assert m.chain.counts["professor_founders"] == 1
    else:
        assert sum(m.chain.exits.values()) == 1  # shelved or sold


def test_founding_is_likelier_under_the_professor_ceo_scheme():
    founded = {}
    for scenario in ("status_quo", "professor_ceo"):
        m = ScienceCityModel(seed=7, policy_scenario=scenario, warmup_months=0)
        m.lead_firms.clear()
        for i in range(60):
            m.smes.clear()  # nobody to license to
            luck = m.streams.keyed("test", i)
            p = draw_project(i, 0, m.scientists[0], False, luck, m.params, 0.0)
            p.stage, p.phase = STAGE_PILOT, "licensing"
            for _ in range(m.params.poc.licence_search_months):
                licensing.advance(m.chain, p)
                if p.holder is not None or p in m.chain._to_remove:
                    break
        founded[scenario] = m.chain.counts["startups_founded"]
    assert founded["professor_ceo"] > founded["status_quo"]
