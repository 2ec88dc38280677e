"""Unit tests of the chain core: hand-offs, waiting, dispatch."""

from __future__ import annotations

import pytest

from tests._projects import make_project, start


def test_handoff_delays_the_project_and_is_recorded(model):
    sme = model.smes[0]
    p = make_project(model, holder=sme)
    model.chain.handoff(p, model.scientists[0].cell, None)
    assert p.wait >= model.params.space.out_of_region_delay_months
    assert p.handoffs[-1].out_of_region
    assert model.chain.counts["handoffs_out_of_region"] == 1


def test_waiting_project_does_not_progress(model):
    firm = model.lead_firms[1]
    p = start(model, make_project(model, holder=firm, poc_months=12), "poc")
    p.poc_payer, p.poc_funder = "firm", firm  # a paid PoC: only the hand-off wait holds it
    p.wait = 2.5
    model.chain.step()
    model.chain.step()
    assert p.phase_elapsed == 0 and p.wait == pytest.approx(0.5)
    model.chain.step()
    assert p.phase_elapsed == 1
