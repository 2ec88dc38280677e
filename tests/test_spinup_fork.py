"""Policies introduced into a spun-up ecosystem, and arms forked from one spin-up (spec §9.1)."""

from __future__ import annotations

import pandas as pd
import pytest

from ecosystem import POLICY_NAMES, ScienceCityModel
from ecosystem.presets import resolve_params
from ecosystem.spinup import fork, introduce, spin_up_for, status_quo_params
from experiments.runner import RunSpec, SharedSpinUp, run_single

SMALL = {"scale": 0.5, "months": 36, "warmup_months": 48}


def _params(*on: str, **dotted):
    flags = {f"policies.{name}.enabled": True for name in on}
    return resolve_params("shenyang_hunnan", dotted={**SMALL, **flags, **dotted})


def test_policies_come_into_force_at_the_first_counted_month() -> None:
    model = ScienceCityModel(seed=3, params=_params(*POLICY_NAMES))
    for _ in range(48):
        model.step()
    assert not model.active, "the spin-up is the status quo"
    model.step()
    assert model.active_policy_names() == list(POLICY_NAMES)
    assert {event[0] for event in model.policy_events} == {49}


def test_without_a_spin_up_policies_are_on_from_the_start() -> None:
    model = ScienceCityModel(seed=3, params=_params("pilot_insurance", warmup_months=0))
    assert model.active == {"pilot_insurance"}
    assert model.policy_events == []


def test_spin_up_is_the_status_quo_of_the_arm() -> None:
    arm = _params("pilot_insurance", "data_platform")
    quo = status_quo_params(arm)
    assert not any(getattr(quo.policies, n).enabled for n in POLICY_NAMES)
    assert status_quo_params(_params("professor_ceo")) == quo, "arms share one status quo"
    assert arm.policies.pilot_insurance.enabled, "the arm's own parameters are left alone"


@pytest.mark.parametrize("arm", [(), ("pilot_insurance",), ("reverse_commissioning", "local_cdmo")])
def test_a_forked_arm_equals_the_arm_run_from_scratch(arm) -> None:
    params = _params(*arm)
    spun = spin_up_for(params, seed=11)
    forked = introduce(spun, params).run()
    scratch = ScienceCityModel(seed=11, params=params).run()
    pd.testing.assert_frame_equal(forked.timeseries(), scratch.timeseries())
    assert forked.summary() == pytest.approx(scratch.summary(), nan_ok=True)
    assert forked.policy_events == scratch.policy_events
    assert forked.chain.finished == scratch.chain.finished
    assert spun.month == 48, "forking leaves the spun-up model where it was"


def test_one_spin_up_serves_every_arm_of_a_seed() -> None:
    shared = SharedSpinUp()
    arms = [(), ("pilot_insurance",), ("review_sync",)]
    outs = [shared.run(_params(*arm), 7, RunSpec(i, i, 0, 7)) for i, arm in enumerate(arms)]
    assert [o.spun_up for o in outs] == [True, False, False]
    for arm, out in zip(arms, outs, strict=True):
        alone = run_single(_params(*arm), 7)
        pd.testing.assert_frame_equal(out.timeseries, alone.timeseries)
    other_seed = shared.run(_params(), 8, RunSpec(3, 0, 1, 8))
    assert other_seed.spun_up


def test_introduce_refuses_a_spin_up_of_other_parameters() -> None:
    spun = spin_up_for(_params(), seed=1)
    with pytest.raises(ValueError, match="not the status quo"):
        introduce(spun, _params(**{"industrialisation.cost_mrmb_per_month": 3.0}))


def test_fork_copies_the_grid_cell_by_cell() -> None:
    spun = spin_up_for(_params(), seed=2)
    twin = fork(spun)
    old_cells, new_cells = spun.grid._cells, twin.grid._cells
    assert old_cells.keys() == new_cells.keys()
    for coord, cell in new_cells.items():
        assert cell is not old_cells[coord]
        assert all(n is new_cells[n.coordinate] for n in cell.connections.values())
        assert [type(a) for a in cell.agents] == [type(a) for a in old_cells[coord].agents]
        assert all(a.model is twin for a in cell.agents)
    firm = twin.smes[0]
    assert firm in firm.cell.agents and firm.cell is new_cells[firm.cell.coordinate]
