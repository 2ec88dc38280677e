"""Bounded and clean input: strict types, no NaN or inf, bounded work, one clear line (exit 2).

Replays the input cases of issue 14; each must end with exit 2, one line naming the key or the
path, no traceback and no files written.
"""

from __future__ import annotations

import copy
import errno
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ecosystem import ConfigError, ScienceCityModel
from ecosystem.params import ModelParams
from experiments import parts, sweep
from experiments.cli import main
from experiments.config import config_for_scenario, load_config, parse_config
from experiments.sweep import check_bounds, run_sweep
from tests._helpers import ROOT
from tests.test_trust import assert_one_clear_line, cli_main, write_config


def float_paths(tree, path=()):
    """Every float leaf of a parameter tree, as (key path, index in a tuple or None)."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from float_paths(value, (*path, str(key)))
    elif isinstance(tree, list | tuple):
        if tree and isinstance(tree[0], dict):  # lists of sites: check the first one
            yield from float_paths(tree[0], (*path, "0"))
        else:
            for i, value in enumerate(tree):
                if isinstance(value, float):
                    yield (*path, str(i))
    elif isinstance(tree, float):
        yield path


def _set(tree, path, value):
    node = tree
    for part in path[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = path[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


DEFAULTS = config_for_scenario("status_quo").params_for()
DEFAULT_TREE = DEFAULTS.model_dump(mode="json")
FLOAT_PATHS = sorted(set(float_paths(DEFAULT_TREE)))


def test_every_float_field_is_found():
    assert len(FLOAT_PATHS) > 100
    tops = {p[0] for p in FLOAT_PATHS}
    assert {"scale", "poc", "pilot", "industrialisation", "region", "policies"} <= tops
    assert ("region", "institutions", "0", "pi_share") in FLOAT_PATHS


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_nan_and_inf_are_refused_in_every_float_field(bad):
    """Through a config (TOML can write nan and inf) and through the Python API."""
    accepted = []
    for path in FLOAT_PATHS:
        tree = copy.deepcopy(DEFAULT_TREE)
        _set(tree, path, bad)
        policies = tree.pop("policies")
        try:
            parse_config({"model": tree, "policies": policies})
            accepted.append(".".join(path))
        except ConfigError as exc:
            assert ".".join(path) in str(exc), (path, str(exc))
        tree["policies"] = policies
        try:
            ModelParams.model_validate(tree)
            accepted.append("api:" + ".".join(path))
        except ValueError:
            pass
    assert not accepted


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[model]\nmonths = true\n", "months"),
        ("[model]\nmonths = 12.0\n", "months"),
        ("[model]\nscale = '0.5'\n", "scale"),
        ("[experiment]\nreplications = '3'\n", "replications"),
        ("[experiment]\nreplications = true\n", "replications"),
        ("[experiment]\nbase_seed = 1.5\n", "base_seed"),
        ("[policies.pilot_insurance]\nenabled = 'yes'\n", "enabled"),
        ("[policies.pilot_insurance]\nenabled = 1\n", "enabled"),
        ("[model.region]\nhospital_count = '12'\n", "hospital_count"),
        ("[sweep]\nmethod='lhs'\nsamples='8'\n[sweep.parameters]\n'scale'=[0.2,0.4]\n", "samples"),
        ("[sweep]\nmethod='lhs'\n[sweep.parameters]\n'scale'=[true, 2]\n", "scale"),
        ("[sweep]\nmethod='grid'\n[sweep.parameters]\n'months'=[12, '24']\n", "months"),
        ("[sweep]\nmethod='sobol'\n[sweep.parameters]\n'scale'=[nan, 0.5]\n", "sweep"),
        ("[experiment]\nname = '/tmp/x'\n", "experiment.name"),
        ("[experiment]\nname = '../../x'\n", "experiment.name"),
        ("[experiment]\nname = '.hidden'\n", "experiment.name"),
    ],
)
def test_coercions_and_unsafe_names_exit_2_before_anything_is_written(tmp_path, capsys, text, key):
    config = tmp_path / "c.toml"
    config.write_text(text)
    out = tmp_path / "out"
    code, _, err = cli_main(capsys, "run", str(config), "--out", str(out), "--quiet")
    assert code == 2
    assert_one_clear_line(err, key)
    assert not out.exists()


def test_results_stay_under_runs_when_out_is_omitted(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = write_config(tmp_path)
    config.write_text(config.read_text().replace('name = "tiny"', 'name = "in.runs-1"'))
    assert cli_main(capsys, "run", str(config), "--quiet")[0] == 0
    assert (tmp_path / "runs" / "in.runs-1" / "manifest.json").is_file()


def test_preset_without_institutions_is_refused_before_anything_is_written(tmp_path, capsys):
    preset = tmp_path / "empty_region.toml"
    preset.write_text('[region]\nname = "nowhere"\ninstitutions = []\n')
    config = write_config(tmp_path)
    config.write_text(
        config.read_text().replace("[model]", '[model]\npreset = "empty_region.toml"')
    )
    code, _, err = cli_main(capsys, "run", str(config), "--out", str(tmp_path / "out"))
    assert code == 2
    assert_one_clear_line(err, "region.institutions")
    assert not (tmp_path / "out").exists()


def test_preset_is_validated_as_strictly_as_a_config(tmp_path, capsys):
    preset = tmp_path / "p.toml"
    for text, key in (
        ("[region]\nhospital_count = '12'\n", "region.hospital_count"),
        ("months = nan\n", "months"),
        ("[region]\ncolour = 'red'\n", "colour"),
        ("[[region.institutions]]\nname='U'\nx_km=0\ny_km=0\npi_share=0.0\n", "pi_share"),
    ):
        preset.write_text(text)
        config = write_config(tmp_path)
        config.write_text(config.read_text().replace("[model]", '[model]\npreset = "p.toml"'))
        code, _, err = cli_main(capsys, "run", str(config), "--out", str(tmp_path / "out"))
        assert code == 2, text
        assert_one_clear_line(err, key)
        assert "p.toml" in err


def test_non_utf8_config_and_preset_exit_2(tmp_path, capsys):
    config = tmp_path / "c.toml"
    config.write_bytes(b"[model]\nmonths = 12 # \xff\xfe\n")
    code, _, err = cli_main(capsys, "run", str(config), "--out", str(tmp_path / "o"))
    assert code == 2
    assert_one_clear_line(err, "not UTF-8")
    (tmp_path / "p.toml").write_bytes(b"# r\xe9gion\n")
    config.write_text('[model]\npreset = "p.toml"\n')
    code, _, err = cli_main(capsys, "run", str(config), "--out", str(tmp_path / "o"))
    assert code == 2
    assert_one_clear_line(err, "p.toml is not UTF-8")


def test_unreadable_config_exits_2(tmp_path, capsys, monkeypatch):
    config = write_config(tmp_path)

    def denied(self):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)  # root reads any file: simulate the mode
    code, _, err = cli_main(capsys, "run", str(config), "--out", str(tmp_path / "o"))
    assert code == 2
    assert_one_clear_line(err, "cannot be read: Permission denied")


def test_out_that_is_a_file_or_cannot_be_created_exits_2(tmp_path, capsys):
    config = str(write_config(tmp_path))
    (tmp_path / "a_file").write_text("x")
    for out, needle in (
        (tmp_path / "a_file", "is a file"),
        (Path("/sys/kernel/sciencecity-out"), "cannot write to results folder"),
    ):
        code, _, err = cli_main(capsys, "run", config, "--out", str(out), "--quiet")
        assert code == 2
        assert_one_clear_line(err, needle)
    assert (tmp_path / "a_file").read_text() == "x"


def test_disk_full_exits_2_keeps_finished_parts_and_leaves_no_temporary(
    tmp_path, capsys, monkeypatch
):
    config = write_config(tmp_path, reps=40)
    cfg = load_config(config)
    out = tmp_path / "out"
    real_write = parts.pq.write_table
    writes = []

    def fills_the_disk(table, where, **kwargs):
        writes.append(where)
        if len(writes) > 2:  # the first task's two parts fit, then the disk is full
            Path(where).write_bytes(b"PAR1 partial")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(table, where, **kwargs)

    monkeypatch.setattr(parts.pq, "write_table", fills_the_disk)
    code, _, err = cli_main(
        capsys, "sweep", str(config), "--out", str(out), "--workers", "1", "--quiet"
    )
    assert code == 2
    assert_one_clear_line(err, "No space left on device")
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]
    assert not (out / "runs.parquet").exists()
    monkeypatch.setattr(parts.pq, "write_table", real_write)
    again = run_sweep(cfg, out, progress=False)
    assert again.tasks_reused == 1 and again.tasks_run == len(sweep.plan_tasks(cfg)) - 1


def test_design_size_and_workers_are_bounded_with_an_estimate(tmp_path, capsys):
    values = "[" + ", ".join(str(v / 10) for v in range(10)) + "]"
    keys = [
        "poc.institutional_funding_prob",
        "poc.success_if_viable",
        "poc.nonviable_fail_at_prototype",
        "poc.sale_out_prob_per_month",
        "pilot.prior_success_belief",
        "pilot.sale_out_prob_on_death",
        "pilot.reapproval_success",
        "scientists.push_base",
        "scientists.career_penalty",
        "scientists.startup_founding_prob",
    ]
    grid = "[sweep]\nmethod = 'grid'\n[sweep.parameters]\n" + "".join(
        f"'{k}' = {values}\n" for k in keys
    )
    sobol = "[sweep]\nmethod = 'sobol'\nsamples = 1000000\n[sweep.parameters]\n'scale' = [0.2, 1]\n"
    for text, needle in (
        (grid, "10,000,000,000 points × 1 replications"),
        (sobol, "3,000,000 points"),
    ):
        config = tmp_path / "big.toml"
        config.write_text(text)
        code, _, err = cli_main(capsys, "sweep", str(config), "--out", str(tmp_path / "o"))
        assert code == 2
        assert_one_clear_line(err, needle)
        assert "CPU-hours" in err and "--max-runs" in err
    code, _, err = cli_main(
        capsys,
        "sweep",
        str(write_config(tmp_path)),
        "--out",
        str(tmp_path / "o"),
        "--workers",
        "1000",
    )
    assert code == 2
    assert_one_clear_line(err, "--workers 1000 is more than this machine's")
    assert not (tmp_path / "o").exists()
    cfg = load_config(write_config(tmp_path, reps=5))
    assert check_bounds(cfg, 1000, None, oversubscribe=True) == 5
    assert check_bounds(cfg, 1000, "tcp://cluster:8786") == 5
    with pytest.raises(ConfigError, match="over the limit of 4 runs"):
        check_bounds(cfg, 1, None, max_runs=4)


def test_python_api_refuses_nan_and_coercion_free_model():
    with pytest.raises(ConfigError, match="finite"):
        ScienceCityModel(seed=1, scale=math.nan)
    with pytest.raises(ConfigError, match="finite"):
        ScienceCityModel(seed=1, **{"policies.one_hour_circle.circle_minutes": math.inf})


@pytest.mark.slow
def test_unreachable_scheduler_exits_2_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    args = ("sweep", str(write_config(tmp_path)), "--out", str(out), "--scheduler")
    code, _, err = cli_main(capsys, *args, "tcp://127.0.0.1:9")
    assert code == 2
    assert_one_clear_line(err, "cannot reach a Dask scheduler")
    assert not out.exists()


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _pool_workers(pid: int) -> list[int]:
    """The pool's workers: children of the sweep's fork server."""
    workers = []
    for child in _children(pid):
        try:
            if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
                workers += _children(child)
        except OSError:
            continue
    return workers


def test_a_killed_pool_worker_exits_2_and_resume_finishes(tmp_path):
    if not Path("/proc/self/task").is_dir():
        pytest.skip("needs /proc")
    config = write_config(tmp_path, reps=200)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "experiments.cli", "sweep", str(config), "--out", str(out)]
    proc = subprocess.Popen(
        [*cmd, "--workers", "2", "--quiet"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 120
    workers: list[int] = []
    while time.time() < deadline and not workers and proc.poll() is None:
        workers = _pool_workers(proc.pid)
        time.sleep(0.02)
    assert workers, "no pool worker started"
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    if proc.returncode == 0:
        pytest.skip("the sweep finished before the kill landed")
    assert proc.returncode == 2
    assert_one_clear_line(err, "a worker process died")
    result = run_sweep(load_config(config), out, workers=2, progress=False)
    assert result.runs == 200


def test_main_catches_os_errors_as_one_line(capsys, monkeypatch):
    from experiments import commands

    def boom(args):
        raise OSError(errno.EIO, "Input/output error", "/data/x.parquet")

    monkeypatch.setattr(commands, "cmd_report", boom)
    assert main(["report", "x"]) == 2
    assert_one_clear_line(capsys.readouterr().err, "'/data/x.parquet' Input/output error")
