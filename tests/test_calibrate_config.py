"""Calibration configs: every bad prior, parameter or key is refused with exit 2, naming it."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecosystem.errors import ConfigError
from experiments.calibrate_commands import CONFIG_DIR, shipped_calibrations
from experiments.calibrate_config import load_calibration, parse_calibration
from experiments.calibrate_targets import available_statistics, scaled_distance
from experiments.cli import main
from experiments.commands import shipped_configs

GOOD = """
[calibration]
name = "t"
population = 4

[model]
months = 24
warmup_months = 12

[parameters."pilot.prior_success_belief"]
prior = "uniform"
low = 0.1
high = 0.5

[targets.outsourcing_share]
low = 0.7
high = 0.9
scale = 0.1
source = "S0 §1.3.3"
"""


def _data(text: str = GOOD) -> dict:
    return tomllib.loads(text)


def _refused(tmp_path, capsys, text: str) -> str:
    path = tmp_path / "c.toml"
    path.write_text(text)
    assert main(["calibrate", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("sciencecity: error:") and "\n" not in err
    assert not (tmp_path / "out").exists(), "no work may start before the config is valid"
    return err


def test_good_config_parses():
    cfg = parse_calibration(_data())
    assert list(cfg.parameters) == ["pilot.prior_success_belief"]
    assert cfg.targets["outsourcing_share"].low == 0.7


def test_unknown_parameter_is_refused_naming_it(tmp_path, capsys):
    text = GOOD.replace("pilot.prior_success_belief", "pilot.prior_sucess_belief")
    err = _refused(tmp_path, capsys, text)
    assert "pilot.prior_sucess_belief" in err and "prior_success_belief" in err


def test_non_numeric_parameter_is_refused(tmp_path, capsys):
    text = GOOD.replace('"pilot.prior_success_belief"', '"region.name"')
    err = _refused(tmp_path, capsys, text)
    assert "parameters.region.name" in err and "single numbers" in err


@pytest.mark.parametrize(
    ("prior", "key"),
    [
        ('prior = "uniform"\nlow = 0.5\nhigh = 0.1', "low"),
        ('prior = "beta"\na = -1.0\nb = 2.0', "parameters.pilot.prior_success_belief.beta.a"),
        ('prior = "normal"\nmean = 0.3\nsd = 0.0', "sd"),
        ('prior = "lognormal"\nmedian = 0.3\nsigma = 1.0', "refuses"),
        ('prior = "gamma"\nk = 2.0', "prior"),
        ('prior = "uniform"\nlow = 0.1\nhigh = 0.5\nmode = 0.2', "mode"),
    ],
)
def test_bad_priors_are_refused_naming_the_key(tmp_path, capsys, prior, key):
    text = GOOD.replace('prior = "uniform"\nlow = 0.1\nhigh = 0.5', prior)
    err = _refused(tmp_path, capsys, text)
    assert "pilot.prior_success_belief" in err and key in err


def test_prior_reaching_forbidden_values_is_refused(tmp_path, capsys):
    # an unbounded normal prior on a probability reaches values below 0
    text = GOOD.replace(
        'prior = "uniform"\nlow = 0.1\nhigh = 0.5', 'prior = "normal"\nmean = 0.3\nsd = 0.1'
    )
    err = _refused(tmp_path, capsys, text)
    assert "'parameters.pilot.prior_success_belief'" in err and "refuses" in err


def test_bounded_normal_prior_is_accepted():
    text = GOOD.replace(
        'prior = "uniform"\nlow = 0.1\nhigh = 0.5',
        'prior = "normal"\nmean = 0.3\nsd = 0.1\nlow = 0.0\nhigh = 1.0',
    )
    parse_calibration(_data(text))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (GOOD.replace("population = 4", "populaton = 4"), "calibration.populaton"),
        (GOOD.replace("population = 4", "population = 1"), "calibration.population"),
        (
            GOOD.replace("[targets.outsourcing_share]", "[targets.not_a_statistic]"),
            "targets.not_a_statistic",
        ),
        (GOOD.replace('source = "S0 §1.3.3"', ""), "targets.outsourcing_share.source"),
        (GOOD.replace("low = 0.7\nhigh = 0.9", "low = 0.7"), "targets.outsourcing_share"),
        (GOOD.replace("scale = 0.1", "scale = 0"), "targets.outsourcing_share.scale"),
        (GOOD + '\nvalidation = ["no_such_check"]\n', "validation"),
        (GOOD.replace("months = 24", "months = -1"), "months"),
    ],
)
def test_bad_keys_are_refused_naming_them(tmp_path, capsys, text, key):
    assert key in _refused(tmp_path, capsys, text)


def test_missing_file_and_experiment_config_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_calibration(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match=r"no \[calibration\] table"):
        load_calibration(CONFIG_DIR / "single_policies.toml")


def test_shipped_calibration_parses_and_says_how_to_run_it():
    assert set(shipped_calibrations()) == {"calibration"}
    assert "calibration" not in shipped_configs(), "experiment configs stay apart"
    path = shipped_calibrations()["calibration"]
    first = path.read_text().splitlines()[0]
    assert first.startswith("# ") and "?" in first
    assert "sciencecity reproduce calibration" in first
    cfg = load_calibration(path)
    assert cfg.calibration.name == "calibration"
    # every target cites a source; the facts of spec §7 are not fitted twice as identities
    assert all(t.source for t in cfg.targets.values())
    assert not {"nonviable_candidate_share", "biologic_reapproval_share"} & set(cfg.targets)


def test_the_small_demonstration_calibrates_what_the_shipped_one_does():
    shipped = load_calibration(shipped_calibrations()["calibration"])
    small = load_calibration(CONFIG_DIR / "posterior" / "calibration_small.toml")
    assert small.parameters == shipped.parameters
    assert small.targets == shipped.targets
    assert small.model == shipped.model
    assert small.calibration.population < shipped.calibration.population


def test_integer_parameters_are_rounded():
    text = GOOD.replace(
        '"pilot.prior_success_belief"]\nprior = "uniform"\nlow = 0.1\nhigh = 0.5',
        '"investors.vc_count"]\nprior = "uniform"\nlow = 5\nhigh = 40',
    )
    cfg = parse_calibration(_data(text))
    assert cfg.params_for({"investors.vc_count": 12.6}).investors.vc_count == 13


def test_every_statistic_is_named_once():
    names = available_statistics()
    assert len(names) == len(set(names))


finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(finite, finite, st.floats(1e-3, 1e3), finite)
def test_distance_is_zero_inside_and_grows_outside(a, b, scale, x):
    low, high = min(a, b), max(a, b)
    d = scaled_distance({"s": x}, {"s": (low, high, scale)}, nan_penalty=3.0)
    if low <= x <= high:
        assert d == 0
    else:
        gap = low - x if x < low else x - high
        assert d == pytest.approx(gap / scale)
    assert scaled_distance({"s": float("nan")}, {"s": (low, high, scale)}, 3.0) == 3.0


def test_reproduce_lists_the_calibration_and_refuses_replications(capsys):
    assert main(["reproduce"]) == 0
    assert "calibration" in capsys.readouterr().out
    assert main(["reproduce", "calibration", "--replications", "2"]) == 2
    assert "--replications" in capsys.readouterr().err
