"""Warnings before a sweep: a horizon too short for any market entry (or gate), too few
replications; printed by the CLI before the runs start."""

from __future__ import annotations

from experiments.config import parse_config
from experiments.preflight import preflight_warnings, stage_months
from tests._helpers import cli


def _cfg(model: dict, reps: int = 10, sweep: dict | None = None):
    data = {"model": model, "experiment": {"replications": reps}}
    if sweep:
        data["sweep"] = sweep
    return parse_config(data)


def test_default_horizon_and_enough_replications_are_quiet():
    assert preflight_warnings(_cfg({})) == []


def test_counted_months_shorter_than_the_path_from_industrialisation_to_market():
    (warning,) = preflight_warnings(_cfg({"months": 60}))
    assert "months = 60" in warning and "typical" in warning


def test_a_spin_up_shorter_than_the_typical_path_is_warned():
    (warning,) = preflight_warnings(_cfg({"warmup_months": 24}))
    assert "warmup_months = 24" in warning and "spin-up" in warning


def test_horizon_shorter_than_the_fastest_path_to_market():
    warnings = preflight_warnings(_cfg({"months": 60, "warmup_months": 0}))
    assert any("no project can reach it" in w and "market" in w for w in warnings)


def test_gates_are_checked_too():
    warnings = preflight_warnings(_cfg({"months": 24, "warmup_months": 0}))
    assert any("industrialisation gate" in w for w in warnings)
    assert not any("pilot gate" in w for w in warnings)  # a PoC ends after 12 months


def test_a_swept_horizon_is_checked_at_every_point():
    cfg = _cfg({}, sweep={"method": "grid", "parameters": {"months": [60, 180]}})
    assert any("months = 60" in w for w in preflight_warnings(cfg))


def test_fastest_path_follows_the_parameters():
    base = stage_months(_cfg({}).params_for(), typical=False)["market"]
    default = _cfg({}).params_for().industrialisation.registration_review_months
    longer = _cfg({"industrialisation": {"registration_review_months": default + 18.0}})
    assert stage_months(longer.params_for(), typical=False)["market"] == base + 18.0


def test_few_replications_are_warned():
    (warning,) = preflight_warnings(_cfg({}, reps=3))
    assert "replications = 3" in warning


def test_cli_warns_before_running(tmp_path):
    result = cli("run", "status_quo", "--replications", "2", "--out", str(tmp_path / "r"),
                 "--quiet")
    assert result.returncode == 0, result.stderr
    assert "replications = 2" in result.stderr
    assert "market entries per year" in result.stdout  # units in the printed summary
