"""Unit tests of running the pilot and its scale-up test (ODD §7.6–7.7)."""

from __future__ import annotations

from ecosystem import ScienceCityModel
from ecosystem.chain import pilot_running
from ecosystem.project import STAGE_INDUSTRIALISATION, STAGE_PILOT, U_PILOT
from tests._projects import make_project, start


def test_pilot_succeeds_iff_scale_up_draw_below_retention_times_expertise(model):
    firm = model.lead_firms[1]
    for u, passed in ((0.1, True), (0.9, False)):
        m = ScienceCityModel(seed=7)
        firm = m.lead_firms[1]
        p = start(m, make_project(m, holder=firm, pilot_months=2.0), "pilot")
        p.stage, p.facility_kind, p.pilot_cost = STAGE_PILOT, "own_line", 10.0
        p.scalability = 0.5
        p.u = p.u.copy()
        p.u[U_PILOT] = u
        p.checkpoint_done = True
        pilot_running.advance(m.chain, p)
        pilot_running.advance(m.chain, p)
        assert (p.stage == STAGE_INDUSTRIALISATION) is passed
        assert m.chain.counts["pilots_passed" if passed else "pilots_failed"] == 1
