"""Unit tests of facility choice and outsourcing (ODD §7.4)."""

from __future__ import annotations

import pytest

from ecosystem import ScienceCityModel
from tests._projects import make_project


def test_own_line_then_local_cdmo_then_out_of_region(model):
    threesbio = next(f for f in model.lead_firms if f.name == "3SBio")
    assert model.facilities.choose(make_project(model, holder=threesbio))[1] == "own_line"
    sme = model.smes[0]
    gene = make_project(model, modality="gene_therapy", holder=sme)
    facility, kind, factor = model.facilities.choose(gene)
    assert kind == "out_of_region" and factor == pytest.approx(1.3)
    vaccine = make_project(model, modality="mrna_vaccine", holder=sme)
    kinds = {model.facilities.choose(vaccine)[1] for _ in range(50)}
    assert "cdmo" in kinds  # Hunnan vaccine CDMO is reachable some of the time


def test_local_cdmo_policy_builds_capacity_for_missing_modalities():
    m = ScienceCityModel(seed=7, policy_scenario="local_cdmo", warmup_months=0)
    gene = make_project(m, modality="gene_therapy", holder=m.smes[0])
    kinds = {m.facilities.choose(gene)[1] for _ in range(30)}
    assert "cdmo" in kinds
    assert m.government.ledger.public["cdmo_build"] == 0.0
    m.step()
    assert m.government.ledger.public["cdmo_build"] == pytest.approx(300.0 / (15 * 12))


def test_shared_platforms_cut_upfront_cost():
    m = ScienceCityModel(seed=7, policy_scenario="shared_platforms", warmup_months=0)
    p = make_project(m, modality="small_molecule", holder=m.smes[0])
    choices = [m.facilities.choose(p) for _ in range(50)]
    shared = [c for c in choices if c[1] == "university"]
    cut = m.params.policies.shared_platforms.upfront_cost_cut  # S1: of the upfront investment
    capex = m.params.economics.pilot_capex_share  # not of the running costs
    assert shared and shared[0][2] == pytest.approx(1.0 - cut * capex)
