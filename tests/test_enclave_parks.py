"""Enclave parks (S4 §4): a third location class, chosen after local lines, before out of region.

Unit tests of the facility choice order, the enclave's place, cost factor and hand-off delay,
the location counters and the public money booked; then the policy's direction through its
mechanism on paired seeds: projects that pilot out of region in the status quo pilot in the
enclave instead, at a lower cost factor and a shorter hand-off, and whole runs spend fewer
pilot-months out of region. Nothing is multiplied: the enclave is a facility the choice finds.
"""

from __future__ import annotations

import numpy as np
import pytest

from ecosystem import ScienceCityModel
from ecosystem.chain import industrialisation, pilot_financing
from ecosystem.project import STAGE_PILOT, Stake
from tests._projects import make_project, start

SEEDS = (21, 22, 23, 24, 25)


def _model(scenario: str = "enclave_parks", seed: int = 7, **kw) -> ScienceCityModel:
    m = ScienceCityModel(seed=seed, policy_scenario=scenario, warmup_months=0, **kw)
    m.step()  # the policy comes into force in the first month
    return m


def _enclave(m: ScienceCityModel):
    return m.policy_facility("enclave_parks")


def test_the_enclave_lies_beyond_the_circle_and_short_of_out_of_region():
    m = _model()
    site = _enclave(m).cell.coordinate
    region = m.region
    assert not region.in_measured_circle(site)
    assert region.params.circle_measure_minutes < region.minutes_from_center(site)
    assert region.minutes_from_center(site) < region.params.out_of_region_travel_minutes
    holder = m.smes[0].cell.coordinate
    assert region.handoff_months(holder, region.center) < region.handoff_months(holder, site)
    assert region.handoff_months(holder, site) < region.handoff_months(holder, None)


def test_choice_order_own_line_then_local_then_enclave_then_out_of_region():
    m = _model()
    threesbio = next(f for f in m.lead_firms if f.name == "3SBio")
    assert m.facilities.choose(make_project(m, holder=threesbio))[1] == "own_line"
    vaccine = make_project(m, modality="mrna_vaccine", holder=m.smes[0])
    kinds = [m.facilities.choose(vaccine)[1] for _ in range(60)]
    assert {"cdmo", "enclave"} == set(kinds)  # the local CDMO when reached, else the enclave
    gene = make_project(m, modality="gene_therapy", holder=m.smes[0])
    facility, kind, factor = m.facilities.choose(gene)
    markup = m.params.space.out_of_region_cost_markup
    share = m.params.policies.enclave_parks.markup_share
    assert facility is _enclave(m) and kind == "enclave"
    assert factor == pytest.approx(1.0 + share * markup)
    assert 1.0 < factor < 1.0 + markup
    enclave = _enclave(m)
    enclave.in_use = enclave.capacity  # a full base sends the next pilot out of region
    assert m.facilities.choose(gene)[1:] == ("out_of_region", pytest.approx(1.0 + markup))


def test_shared_platforms_come_before_the_enclave():
    m = ScienceCityModel(
        seed=7, warmup_months=0,
        policies={"shared_platforms": {"enabled": True}, "enclave_parks": {"enabled": True}},
    )
    m.step()
    small = make_project(m, modality="small_molecule", holder=m.smes[0])
    kinds = {m.facilities.choose(small)[1] for _ in range(80)}
    assert "university" in kinds and "enclave" in kinds and "out_of_region" not in kinds


def test_without_the_policy_nothing_is_an_enclave():
    m = _model("status_quo")
    assert _enclave(m) is None
    gene = make_project(m, modality="gene_therapy", holder=m.smes[0])
    assert m.facilities.choose(gene)[1] == "out_of_region"


def _start_pilot(m: ScienceCityModel, modality: str, i: int):
    """A project of an SME starting its pilot wherever the choice sends it."""
    p = make_project(m, modality=modality, holder=m.smes[i % len(m.smes)])
    p.luck = m.streams.keyed("enclave_test", i)
    p.stage = STAGE_PILOT
    facility, kind, factor = m.facilities.choose(p)
    cost = p.pilot_cost_base * factor
    pilot_financing.start_pilot(m.chain, p, facility, kind, cost, [Stake(p.holder, cost)])
    return p, kind, factor


def test_a_pilot_in_the_enclave_counts_as_neither_local_nor_out_of_region():
    m = _model()
    p, kind, _ = _start_pilot(m, "cell_therapy", 0)
    assert kind == "enclave" and not p.out_of_region and not p.holder.outsourced_out_of_region
    before = dict(m.chain.counts)
    m.chain.count_pilot_location(p)
    after = m.chain.counts
    assert after["pilot_months_enclave"] == before["pilot_months_enclave"] + 1
    for where in ("in_circle", "in_region", "out_of_region"):
        assert after[f"pilot_months_{where}"] == before[f"pilot_months_{where}"]
    assert p.handoffs[-1].target == _enclave(m).cell.coordinate  # a hand-off by distance


def test_production_without_a_local_cdmo_runs_in_the_enclave_at_its_cost_factor():
    m = _model()
    firm = m.smes[0]
    firm.capital = 1e6
    p = start(m, make_project(m, modality="gene_therapy", holder=firm), "production")
    industrialisation.choose_production(m.chain, p)
    enclave = _enclave(m)
    assert p.facility is enclave and p.facility_kind == "enclave" and not p.out_of_region
    assert enclave.in_use == 1 and not firm.outsourced_out_of_region
    capital = firm.capital
    industrialisation.production(m.chain, p)
    paid = capital - firm.capital
    cost = m.params.industrialisation.cost_mrmb_per_month
    assert paid == pytest.approx(cost * enclave.cost_factor)


def test_construction_and_running_costs_are_booked_each_month_the_policy_is_on():
    m = ScienceCityModel(seed=3, warmup_months=0)
    m.step()
    assert m.government.ledger.public["enclave_build"] == 0.0
    m.set_policy("enclave_parks", True)
    pars = m.params.policies.enclave_parks
    programme = m.government.ledger.public["programme_costs"]
    inflow = m.book.public_inflow
    m.step()
    build = pars.build_cost_mrmb / (pars.amortisation_years * 12)
    assert m.government.ledger.public["enclave_build"] == pytest.approx(build)
    running = m.government.ledger.public["programme_costs"] - programme
    assert running == pytest.approx(pars.running_cost_mrmb_per_year / 12)
    assert m.book.public_inflow - inflow >= build + running - 1e-9  # through the book
    assert _enclave(m).open and _enclave(m).built_by_policy
    m.set_policy("enclave_parks", False)
    m.step()
    booked = m.government.ledger.public["enclave_build"]
    m.step()
    assert m.government.ledger.public["enclave_build"] == booked  # off: nothing more
    assert not _enclave(m).open
    gene = make_project(m, modality="gene_therapy", holder=m.smes[0])
    assert m.facilities.choose(gene)[1] == "out_of_region"


def _choices(seed: int, scenario: str) -> list[tuple[str, float, float]]:
    """Pilots of 12 SME projects lacking local lines: (kind, cost factor, hand-off months)."""
    m = _model(scenario, seed=seed)
    out = []
    for i, modality in enumerate(["gene_therapy", "cell_therapy", "antibody"] * 4):
        p, kind, factor = _start_pilot(m, modality, i)
        out.append((kind, factor, p.wait))
    return out


def test_pilots_that_would_go_out_of_region_run_in_the_enclave_on_paired_seeds():
    for seed in SEEDS:
        base, pol = _choices(seed, "status_quo"), _choices(seed, "enclave_parks")
        moved = [
            (b, q) for b, q in zip(base, pol, strict=True)
            if b[0] == "out_of_region" and q[0] == "enclave"
        ]
        away_base = sum(b[0] == "out_of_region" for b in base)
        away_pol = sum(q[0] == "out_of_region" for q in pol)
        assert away_pol < away_base and moved
        assert all(q[0] in ("enclave", "out_of_region") or q == b for b, q in zip(base, pol,
                                                                                 strict=True))
        assert np.mean([q[1] for _, q in moved]) < np.mean([b[1] for b, _ in moved])
        assert np.mean([q[2] for _, q in moved]) < np.mean([b[2] for b, _ in moved])


def _pilot_months(seed: int, scenario: str) -> dict[str, int]:
    m = ScienceCityModel(seed=seed, policy_scenario=scenario, warmup_months=0, months=96).run()
    last = m.timeseries().iloc[-1]
    return {w: int(last[f"pilot_months_{w}"]) for w in ("out_of_region", "enclave")}


def test_whole_runs_spend_fewer_pilot_months_out_of_region_with_enclave_parks():
    base = [_pilot_months(s, "status_quo") for s in SEEDS[:3]]
    pol = [_pilot_months(s, "enclave_parks") for s in SEEDS[:3]]
    assert all(b["enclave"] == 0 for b in base) and all(q["enclave"] > 0 for q in pol)
    assert all(q["out_of_region"] < b["out_of_region"] for b, q in zip(base, pol, strict=True))


def test_the_map_draws_the_enclave_base_as_its_own_kind():
    from viz.map_view import map_data
    from viz.style import AGENT_KINDS

    m = _model()
    data = map_data(m)
    label = AGENT_KINDS["enclave"].label
    drawn = data.actors[data.actors["kind"] == label]
    assert len(drawn) == 1 and drawn.iloc[0]["name"] == _enclave(m).name
    x, y = drawn.iloc[0][["x", "y"]]
    assert data.half_km >= max(abs(x), abs(y))  # the frame takes the partner park in
    assert label not in set(map_data(_model("status_quo")).actors["kind"])


def test_the_enclave_cost_factor_follows_a_markup_share_set_mid_run():
    m = _model()
    markup = m.params.space.out_of_region_cost_markup
    enclave, share = _enclave(m), m.params.policies.enclave_parks.markup_share
    assert enclave.cost_factor == 1.0 + share * markup
    m.set_policy("enclave_parks", markup_share=share / 2)
    assert enclave.cost_factor == 1.0 + share * markup  # a change takes effect next month
    m.step()
    assert enclave.cost_factor == 1.0 + share / 2 * markup
    assert all(f.cost_factor == 1.0 for f in m.facilities.all if not f.enclave)
