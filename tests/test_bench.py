"""Smoke test of ``sciencecity bench --quick``: it runs and writes every field of bench.json.

Speed itself is never asserted here (the benchmark measures it); only that each number exists,
has the right type and a sane value.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from benchmarks.bench import ALL_SIZES, TARGETS, _targets, fit_exponent, format_report
from experiments.cli import main
from experiments.commands import CONFIG_DIR
from experiments.config import load_config

POSITIVE_NUMBERS = (
    "baseline_run_s",
    "baseline_init_s",
    "baseline_step_s",
    "baseline_cpu_s",
    "mean_agents",
    "agent_steps",
    "agent_steps_per_s",
    "mesa_floor_agent_steps_per_s",
    "floor_ratio",
    "agent_steps_per_cpu_s",
    "mesa_floor_agent_steps_per_cpu_s",
    "floor_ratio_cpu",
    "run_s_1x",
    "run_s_2x",
    "sweep_speedup_2w",
    "sweep_steady_speedup_2w",
    "peak_rss_mb",
    "import_rss_mb",
    "import_peak_rss_mb",
    "bench_seconds",
)
FINITE_NUMBERS = (
    "scaling_exponent",
    "scaling_exponent_step",
    "scaling_exponent_init",
    "scaling_exponent_cpu",
    "run_rss_growth_mb",
)


def _positive(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) and x > 0


@pytest.fixture(scope="module")
def quick_bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    assert main(["bench", "--quick", "--out", str(out)]) == 0
    return json.loads(out.read_text()), str(out)


def test_quick_bench_writes_every_field(quick_bench: tuple[dict[str, Any], str]) -> None:
    r, _ = quick_bench
    assert r["mode"] == "quick"
    assert r["months"] == 480  # spin-up + counted months
    for key in POSITIVE_NUMBERS:
        assert _positive(r[key]), (key, r.get(key))
    for key in FINITE_NUMBERS:
        assert isinstance(r[key], float) and math.isfinite(r[key]), (key, r.get(key))
    assert r["baseline_repeats"] >= 2
    assert len(r["baseline_samples_s"]) == r["baseline_repeats"]
    assert r["mesa_floor_agents"] == round(r["mean_agents"])
    assert r["agent_steps"] == pytest.approx(r["mean_agents"] * r["months"], rel=1e-3)


def test_quick_bench_scaling_fields(quick_bench: tuple[dict[str, Any], str]) -> None:
    r, _ = quick_bench
    assert r["scaling_sizes"] == [1, 2]
    assert r["run_s_4x"] is None and r["run_s_8x"] is None
    assert r["not_measured"] == ["run_s_4x", "run_s_8x"]
    for size in ALL_SIZES:
        assert f"run_s_{size}x" in r
    for size in ("1", "2"):
        entry = r["scaling"][size]
        for key in (
            "run_s",
            "init_s",
            "step_s",
            "cpu_s",
            "step_cpu_s",
            "mean_agents",
            "grid_cells",
        ):
            assert _positive(entry[key]), (size, key, entry.get(key))
    # the region doubles: twice the agents (± rounding) on twice the area (± rounding)
    ratio = r["scaling"]["2"]["mean_agents"] / r["scaling"]["1"]["mean_agents"]
    assert 1.8 < ratio < 2.2
    assert 1.8 < r["scaling"]["2"]["grid_cells"] / r["scaling"]["1"]["grid_cells"] < 2.2


def test_quick_bench_sweep_and_memory_fields(quick_bench: tuple[dict[str, Any], str]) -> None:
    r, _ = quick_bench
    assert r["sweep_runs"] == 4
    for key in ("sweep_runs_per_s", "sweep_steady_runs_per_s"):
        assert set(r[key]) == {"1", "2"}
        assert all(_positive(v) for v in r[key].values()), (key, r[key])
    assert r["sweep_workers_warmed"]["1"] == 1
    assert 1 <= r["sweep_workers_warmed"]["2"] <= 2
    assert r["peak_rss_mb"] >= r["import_peak_rss_mb"] > 0
    assert r["peak_rss_mb"] >= r["import_rss_mb"]
    assert set(r["peak_rss_mb_by_scale"]) == {"1"}
    arms = r["single_policies_arms"]
    scenarios = len(load_config(CONFIG_DIR / "single_policies.toml").sweep.scenarios)
    assert (arms["seeds"], arms["runs"], arms["spin_ups"]) == (1, scenarios, 1)  # one per seed


def test_quick_bench_machine_and_targets(quick_bench: tuple[dict[str, Any], str]) -> None:
    r, _ = quick_bench
    m = r["machine"]
    assert _positive(m["cpu_count"]) and _positive(m["usable_cpus"])
    assert m["python"].count(".") == 2
    assert m["mesa"].startswith("3.")
    assert set(r["targets"]) == set(TARGETS)
    for name, t in r["targets"].items():
        assert t["value"] == r[name]
        assert isinstance(t["met"], bool)
        assert t["noisy"] is True  # 3 repeats, 2 sizes, 4 sweep runs: too few for a verdict
    text = format_report(r)
    assert "NOT met" not in text and "noisy, re-run" in text


def test_enough_samples_give_a_verdict(quick_bench: tuple[dict[str, Any], str]) -> None:
    r, _ = quick_bench
    full = dict(r, baseline_repeats=7, mesa_floor_samples_s=[1.0] * 7, sweep_runs=64,
                scaling_sizes=[1, 2, 4, 8],
                scaling={k: {"repeats": 3} for k in ("1", "2", "4", "8")})
    targets = _targets(full)
    assert not any(t["noisy"] for t in targets.values())
    text = format_report(dict(r, targets=targets))
    assert "noisy" not in text and ("met" in text)


def test_report_table_has_units(quick_bench: tuple[dict[str, Any], str]) -> None:
    r, _ = quick_bench
    text = format_report(r)
    for unit in ("agent-steps/s", "runs/s", "MB", " s "):
        assert unit in text
    assert "n/a (quick)" in text
    assert f"Mesa {r['machine']['mesa']}" in text


def test_fit_exponent_recovers_a_power_law() -> None:
    sizes = [1.0, 2.0, 4.0, 8.0]
    assert fit_exponent(sizes, [0.5 * s**1.25 for s in sizes]) == pytest.approx(1.25)
    with pytest.raises(ValueError):
        fit_exponent([1.0], [1.0])


def test_written_path(quick_bench: tuple[dict[str, Any], str]) -> None:
    _, path = quick_bench
    assert Path(path).name == "bench.json"
