"""A results folder belongs to one experiment: ownership, lock, checksums, provenance, rerun.

Each test replays a case in which results used to be wrong with exit status 0 (issue 14) and
checks that it now ends with correct results or with exit 2 and one clear line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ecosystem import ConfigError
from experiments import provenance, runner
from experiments.cli import main
from experiments.config import load_config
from experiments.folder import OutputError, folder_lock
from experiments.parts import merge_parts
from experiments.sweep import plan_tasks, run_sweep
from tests._helpers import ROOT, assert_same_results, read_results

TINY = """
[model]
months = 6
warmup_months = 0
scale = 0.2
[experiment]
name = "tiny"
replications = {reps}
base_seed = {seed}
"""


def write_config(folder, name="tiny.toml", reps=2, seed=3, extra=""):
    path = folder / name
    path.write_text(TINY.format(reps=reps, seed=seed) + extra)
    return path


def cli_main(capsys, *args: str) -> tuple[int, str, str]:
    """The command line in this process (monkeypatches apply); (status, stdout, stderr)."""
    code = main([*args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_clear_line(err: str, needle: str) -> None:
    """One error line; pre-flight warnings of a sweep that had started may precede it."""
    assert "Traceback" not in err
    lines = [
        line
        for line in err.splitlines()
        if line.strip() and not line.startswith("sciencecity: WARNING:")
    ]
    assert len(lines) == 1 and lines[0].startswith("sciencecity: error:"), err
    assert needle in lines[0], err


# --- a folder belongs to one experiment --------------------------------------------------------
def test_folder_without_manifest_is_refused_and_left_untouched(tmp_path, capsys):
    run_sweep(load_config(write_config(tmp_path)), tmp_path / "out", progress=False)
    (tmp_path / "out" / "manifest.json").unlink()
    before = sorted(p.name for p in (tmp_path / "out").rglob("*"))
    other = write_config(tmp_path, "other.toml", seed=4)
    code, _, err = cli_main(capsys, "run", str(other), "--out", str(tmp_path / "out"), "--quiet")
    assert code == 2
    assert_one_clear_line(err, "has no manifest.json")
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == before


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe garbage", b'{"experiment": "x"}', b"[1, 2]"],
    ids=["garbage", "not-utf8", "no-config-hash", "not-a-table"],
)
def test_unreadable_manifest_is_refused_by_run_report_and_rerun(tmp_path, capsys, content):
    cfg = write_config(tmp_path)
    run_sweep(load_config(cfg), tmp_path / "out", progress=False)
    (tmp_path / "out" / "manifest.json").write_bytes(content)
    for args in (
        ("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet"),
        ("report", str(tmp_path / "out")),
        ("rerun", str(tmp_path / "out"), "--workers", "1", "--quiet"),
    ):
        code, _, err = cli_main(capsys, *args)
        assert code == 2, args
        assert_one_clear_line(err, "manifest.json")


def test_non_empty_foreign_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    code, _, err = cli_main(capsys, "run", str(write_config(tmp_path)), "--out", str(out))
    assert code == 2
    assert_one_clear_line(err, "thesis.tex")
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]


def test_another_configs_folder_is_refused(tmp_path):
    run_sweep(load_config(write_config(tmp_path)), tmp_path / "out", progress=False)
    other = load_config(write_config(tmp_path, "other.toml", seed=4))
    with pytest.raises(ConfigError, match="another config"):
        run_sweep(other, tmp_path / "out", progress=False)


def test_second_writer_is_refused_naming_the_holder(tmp_path):
    cfg = load_config(write_config(tmp_path))
    holder = f"in use by pid {os.getpid()} on .* since "
    with folder_lock(tmp_path / "out"), pytest.raises(OutputError, match=holder):
        run_sweep(cfg, tmp_path / "out", progress=False)
    run_sweep(cfg, tmp_path / "out", progress=False)  # the lock goes with its holder


def test_two_sweeps_started_together_never_mix(tmp_path):
    configs = [write_config(tmp_path, f"c{i}.toml", reps=40, seed=i) for i in (1, 2)]
    refs = []
    for i, path in enumerate(configs):
        run_sweep(load_config(path), tmp_path / f"ref{i}", progress=False)
        refs.append(tmp_path / f"ref{i}")
    out = tmp_path / "shared"
    cmd = [sys.executable, "-m", "experiments.cli", "sweep"]
    procs = [
        subprocess.Popen(
            [*cmd, str(p), "--out", str(out), "--workers", "1", "--quiet"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in configs
    ]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    winner = next(i for i, (code, _) in enumerate(results) if code == 0)
    loser_err = next(err for code, err in results if code == 2)
    assert "Traceback" not in loser_err
    assert "in use by pid" in loser_err or "another config" in loser_err, loser_err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] and manifest["config_hash"] == load_config(configs[winner]).digest()
    assert_same_results(refs[winner], out)


# --- damage is found ---------------------------------------------------------------------------
def test_flipped_bytes_in_a_part_are_found_and_the_part_redone(tmp_path):
    cfg = load_config(write_config(tmp_path, reps=40))
    assert len(plan_tasks(cfg)) >= 2
    run_sweep(cfg, tmp_path / "ref", progress=False)
    run_sweep(cfg, tmp_path / "out", progress=False)
    part = sorted((tmp_path / "out" / "parts").glob("ts-*.parquet"))[0]
    data = bytearray(part.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    part.write_bytes(bytes(data))
    again = run_sweep(cfg, tmp_path / "out", progress=False)
    assert again.tasks_run == 1 and again.tasks_reused == len(plan_tasks(cfg)) - 1
    assert_same_results(tmp_path / "ref", tmp_path / "out")


def test_a_part_damaged_after_its_check_is_never_merged(tmp_path):
    cfg = load_config(write_config(tmp_path))
    run_sweep(cfg, tmp_path / "out", progress=False)
    part = sorted((tmp_path / "out" / "parts").glob("runs-*.parquet"))[0]
    part.write_bytes(part.read_bytes()[:-9] + b"123456789")
    with pytest.raises(OutputError, match="changed after it was checked"):
        merge_parts(tmp_path / "out", plan_tasks(cfg))
    assert not part.exists()


def test_final_files_carry_their_hashes_and_report_checks_them(tmp_path, capsys):
    out = tmp_path / "out"
    run_sweep(load_config(write_config(tmp_path)), out, progress=False)
    manifest = json.loads((out / "manifest.json").read_text())
    for name in ("runs.parquet", "timeseries.parquet"):
        assert manifest["files"][name] == provenance.sha256_file(out / name)
    runs = pd.read_parquet(out / "runs.parquet")
    runs.loc[0, "transfers"] += 1
    runs.to_parquet(out / "runs.parquet", index=False)
    code, _, err = cli_main(capsys, "report", str(out))
    assert code == 2
    assert_one_clear_line(err, "runs.parquet: changed since the sweep wrote it")


def test_stale_temporary_files_are_cleaned(tmp_path):
    cfg = load_config(write_config(tmp_path))
    out = tmp_path / "out"
    run_sweep(cfg, out, progress=False)
    leftovers = [out / "runs.parquet.tmp", out / "parts" / "runs-000000.tmp-12345"]
    for path in leftovers:
        path.write_bytes(b"x" * 1000)
    run_sweep(cfg, out, progress=False)
    assert not any(p.exists() for p in leftovers)


# --- provenance --------------------------------------------------------------------------------
def test_code_change_between_runs_is_refused_or_recomputed(tmp_path, monkeypatch):
    cfg = load_config(write_config(tmp_path, reps=40))
    out = tmp_path / "out"
    first = run_sweep(cfg, out, progress=False)
    monkeypatch.setattr(provenance, "code_version", lambda: "0123456789abcdef")
    with pytest.raises(OutputError, match="code version .* \\(now 0123456789abcdef\\)"):
        run_sweep(cfg, out, progress=False)
    assert json.loads((out / "manifest.json").read_text())["code_version"] != "0123456789abcdef"
    redone = run_sweep(cfg, out, progress=False, redo_stale=True)
    assert redone.tasks_run == first.tasks_run and redone.tasks_reused == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["code_version"] == "0123456789abcdef" and manifest["complete"]


def test_code_version_follows_every_source_byte(tmp_path, monkeypatch):
    source = tmp_path / "ecosystem" / "x.py"
    source.parent.mkdir()
    source.write_text("RATE = 0.5\n")
    monkeypatch.setattr(provenance, "ROOT", tmp_path)
    monkeypatch.setattr(provenance, "source_files", lambda: [source])
    before = provenance.code_version.__wrapped__()
    source.write_text("RATE = 0.6\n")
    assert provenance.code_version.__wrapped__() != before


def test_preset_by_path_is_resolved_stored_and_checked(tmp_path, capsys):
    shipped = ROOT / "ecosystem" / "presets" / "shenyang_hunnan.toml"
    (tmp_path / "cfg" / "regions").mkdir(parents=True)
    preset = tmp_path / "cfg" / "regions" / "mine.toml"
    preset.write_text(shipped.read_text())
    config = write_config(tmp_path / "cfg", extra="", reps=2)
    config.write_text(
        config.read_text().replace("[model]", '[model]\npreset = "regions/mine.toml"')
    )
    out = tmp_path / "out"
    assert cli_main(capsys, "run", str(config), "--out", str(out), "--quiet")[0] == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["preset"]["source"] == str(preset)
    assert manifest["preset"]["contents"]["region"]["name"] == "shenyang_hunnan"
    # an edited preset is another experiment's input: refused, or recomputed on request
    preset.write_text(shipped.read_text().replace("hospital_count = 12", "hospital_count = 11"))
    code, _, err = cli_main(capsys, "run", str(config), "--out", str(out), "--quiet")
    assert code == 2
    assert_one_clear_line(err, "preset hash")
    code, _, _ = cli_main(capsys, "run", str(config), "--out", str(out), "--quiet", "--redo-stale")
    assert code == 0
    # rerun elsewhere needs no preset file: the manifest carries its contents
    preset.unlink()
    code, stdout, _ = cli_main(capsys, "rerun", str(out), "--workers", "1", "--quiet")
    assert code == 0 and "rerun identical" in stdout


# --- rerun -------------------------------------------------------------------------------------
def test_rerun_recomputes_and_reports_a_changed_model(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    run_sweep(load_config(write_config(tmp_path)), out, progress=False)
    code, stdout, _ = cli_main(capsys, "rerun", str(out), "--workers", "1", "--quiet")
    assert code == 0 and "identical" in stdout
    original = runner.run_single

    def changed_model(params, seed, spec=None):
        result = original(params, seed, spec)
        result.summary["transfers"] = result.summary["transfers"] + 1
        return result

    monkeypatch.setattr(runner, "run_single", changed_model)
    for _ in range(2):  # the second rerun must not reuse the first one's results
        code, stdout, _ = cli_main(capsys, "rerun", str(out), "--workers", "1", "--quiet")
        assert code == 1 and "results DIFFER" in stdout and "runs.parquet" in stdout


def test_rerun_reports_edited_stored_results(tmp_path, capsys):
    out = tmp_path / "out"
    run_sweep(load_config(write_config(tmp_path)), out, progress=False)
    ts = pq.read_table(out / "timeseries.parquet").to_pandas()
    column = next(c for c in ts.columns if ts[c].dtype == "float64")
    ts.loc[3, column] = -47.48
    pq.write_table(pa.Table.from_pandas(ts, preserve_index=False), out / "timeseries.parquet")
    code, stdout, _ = cli_main(capsys, "rerun", str(out), "--workers", "1", "--quiet")
    assert code == 1
    assert "timeseries.parquet: changed since the sweep wrote it" in stdout
    assert read_results(out)[1].loc[3, column] == -47.48  # rerun never writes into DIR


def test_rerun_refuses_an_unfinished_sweep_and_a_used_out(tmp_path, capsys):
    out = tmp_path / "out"
    run_sweep(load_config(write_config(tmp_path)), out, progress=False)
    code, _, err = cli_main(capsys, "rerun", str(out), "--out", str(out), "--quiet")
    assert code == 2
    assert_one_clear_line(err, "must be a new or empty folder")
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["complete"] = False
    (out / "manifest.json").write_text(json.dumps(manifest))
    code, _, err = cli_main(capsys, "rerun", str(out), "--quiet")
    assert code == 2
    assert_one_clear_line(err, "not complete")
