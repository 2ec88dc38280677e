"""The demand-pull experiment's gate table: paired effects at every gate, net public money."""

from __future__ import annotations

from ecosystem.policies import PACKAGES, scenario_overrides
from ecosystem.vocabulary import GATES
from experiments.config import parse_config
from experiments.gate_table import gate_markdown
from experiments.sweep import run_sweep

TINY = {
    "experiment": {"name": "gates", "replications": 3, "base_seed": 5,
                   "compare_to": "status_quo"},
    "model": {"months": 36, "warmup_months": 12},
    "sweep": {"method": "scenarios", "scenarios": ["status_quo", "supply_side", "demand_side"]},
}


def test_packages_switch_on_their_policies():
    for name, members in PACKAGES.items():
        assert set(scenario_overrides(name)) == {f"policies.{p}.enabled" for p in members}


def test_gate_table_has_every_gate_and_net_public_money(tmp_path):
    cfg = parse_config(TINY)
    run_sweep(cfg, tmp_path / "gates", workers=1, progress=False)
    text = gate_markdown(tmp_path / "gates")
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    header, rows = lines[0], lines[1:]
    assert header.count("|") - 1 == 1 + len(GATES) + 2
    assert [r.split("|")[1].strip() for r in rows] == ["supply_side", "demand_side"]
    assert "net public cost" in header
