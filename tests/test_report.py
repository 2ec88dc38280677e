"""The report: files written, numbers equal to a direct computation, paired effects on
matched replications, sensitivity indices on the right design rows, robustness to NaN."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ecosystem.errors import ConfigError
from experiments.config import parse_config
from experiments.design import design_points
from experiments.effects import interaction_effects, paired_effects, reference_scenario
from experiments.report import write_report
from experiments.sensitivity import sensitivity_indices
from experiments.statistics import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, fieller_ratio
from experiments.sweep import run_sweep
from experiments.tables import OUTCOMES, fmt, point_labels, summary_frame

TINY_MODEL = {"months": 24, "warmup_months": 0}
FIGURES = ("throughput", "funnel", "exits", "time_to_market", "stages_over_time")


def _sweep(tmp: Path, data: dict) -> Path:
    cfg = parse_config(data)
    run_sweep(cfg, tmp, workers=1, progress=False)
    return tmp


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory) -> Path:
    """2 scenarios × 2 replications of a 24-month model, with its report."""
    out = _sweep(
        tmp_path_factory.mktemp("scen"),
        {
            "model": TINY_MODEL,
            "experiment": {
                "name": "tiny",
                "replications": 2,
                "base_seed": 5,
                "compare_to": "status_quo",
            },
            "sweep": {"method": "scenarios", "scenarios": ["status_quo", "milestone_grants"]},
        },
    )
    write_report(out)
    return out


@pytest.fixture(scope="module")
def grid_dir(tmp_path_factory) -> Path:
    """A 2-point grid × 2 replications."""
    out = _sweep(
        tmp_path_factory.mktemp("grid"),
        {
            "model": TINY_MODEL,
            "policies": {"pilot_insurance": {"enabled": True}},
            "experiment": {"name": "tiny_grid", "replications": 2, "base_seed": 5},
            "sweep": {
                "method": "grid",
                "parameters": {"policies.pilot_insurance.premium_subsidy": [0.2, 0.6]},
            },
        },
    )
    return out


# --- files ------------------------------------------------------------------------------------
def test_scenario_report_writes_every_file(scenario_dir):
    report = scenario_dir / "report"
    for name in ("summary.csv", "summary.md", "effects.csv", "effects.md"):
        assert (report / name).stat().st_size > 0, name
    for fig in (*FIGURES, "effects"):
        assert (report / f"{fig}.png").stat().st_size > 1000, fig
        assert (report / f"{fig}.svg").read_text().lstrip().startswith("<?xml"), fig
    assert not (report / "sensitivity.csv").exists()
    md = (report / "summary.md").read_text()
    assert "figure problem" not in md
    assert "| status_quo |" in md and "| milestone_grants |" in md


def test_write_report_returns_a_summary(grid_dir):
    text = write_report(grid_dir)
    assert "summary.csv" in text and "summary.md" in text
    assert "premium_subsidy=0.2" in text and "premium_subsidy=0.6" in text
    assert "figure problem" not in text
    report = grid_dir / "report"
    for fig in FIGURES:
        assert (report / f"{fig}.png").exists() and (report / f"{fig}.svg").exists(), fig
    # a grid gets paired effects against its first point (the config's own 0.4 is not swept)
    effects = pd.read_csv(report / "effects.csv")
    assert set(effects["reference"]) == {"premium_subsidy=0.2"}
    assert set(effects["label"]) == {"premium_subsidy=0.6"}
    assert (report / "response.png").exists() and (report / "response.svg").exists()
    assert "Paired effects against premium_subsidy=0.2" in text


def test_report_of_a_single_run_folder(tmp_path):
    out = _sweep(tmp_path, {"model": TINY_MODEL, "experiment": {"replications": 2}})
    text = write_report(out)
    summary = pd.read_csv(out / "report" / "summary.csv")
    assert set(summary["label"]) == {"baseline"}
    assert "baseline" in text


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="no runs.parquet"):
        write_report(tmp_path)


# --- numbers ----------------------------------------------------------------------------------
def _t_interval(x: np.ndarray) -> tuple[float, float, float, int]:
    """Direct computation: mean and 95% t-interval of the finite values."""
    x = x[np.isfinite(x)]
    if x.size == 0:
        return math.nan, math.nan, math.nan, 0
    m = x.mean()
    if x.size == 1:
        return m, m, m, 1
    half = stats.t.ppf(0.975, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size)
    return m, m - half, m + half, x.size


@pytest.mark.parametrize("which", ["scenario_dir", "grid_dir"])
def test_summary_csv_matches_runs(which, request):
    out = request.getfixturevalue(which)
    write_report(out)
    runs = pd.read_parquet(out / "runs.parquet")
    summary = pd.read_csv(out / "report" / "summary.csv")
    assert set(summary["outcome"]) == set(OUTCOMES)
    assert len(summary) == runs["point_id"].nunique() * len(OUTCOMES)
    for row in summary.itertuples():
        x = runs.loc[runs["point_id"] == row.point_id, row.outcome].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        assert row.n == x.size and row.runs == 2
        if x.size == 0:
            assert math.isnan(row.mean)
            continue
        assert row.mean == pytest.approx(x.mean())
        if x.size > 1 and np.ptp(x) > 0:
            boot = stats.bootstrap((x,), np.mean, n_resamples=BOOTSTRAP_RESAMPLES,
                                   method="percentile", rng=np.random.default_rng(BOOTSTRAP_SEED))
            ci = boot.confidence_interval
            assert (row.ci_low, row.ci_high) == pytest.approx((ci.low, ci.high))
        if x.size > 1:  # a percentile interval of a mean stays inside the data's range
            assert x.min() - 1e-12 <= row.ci_low <= row.mean <= row.ci_high <= x.max() + 1e-12


def test_paired_effects_use_matched_replications(scenario_dir):
    runs = pd.read_parquet(scenario_dir / "runs.parquet")
    effects = pd.read_csv(scenario_dir / "report" / "effects.csv")
    ref = runs[runs["param:scenario"] == "status_quo"].set_index("replication")
    trt = runs[runs["param:scenario"] == "milestone_grants"].set_index("replication")
    assert (ref["seed"] == trt.loc[ref.index, "seed"]).all()  # common random numbers
    for outcome in ("transfers_per_year", "public_spend", "valley_of_death_deaths"):
        d = (trt.loc[ref.index, outcome] - ref[outcome]).to_numpy(dtype=float)
        m, lo, hi, n = _t_interval(d)
        row = effects[
            (effects["label"] == "milestone_grants") & (effects["outcome"] == outcome)
        ].iloc[0]
        assert row["reference"] == "status_quo" and row["n_pairs"] == n
        np.testing.assert_allclose(
            [row["effect"], row["ci_low"], row["ci_high"]],
            [m, lo, hi],
            rtol=1e-9,
            atol=1e-12,
            equal_nan=True,
        )


def _synthetic(values: dict[str, list[float]], shuffle: bool = True) -> pd.DataFrame:
    """A runs table: one row per (scenario, replication) with transfers_per_year etc."""
    rows = []
    for pid, (scenario, ys) in enumerate(values.items()):
        for rep, y in enumerate(ys):
            rows.append(
                {
                    "run_id": len(rows),
                    "point_id": pid,
                    "replication": rep,
                    "seed": 100 + rep,
                    "active_policies": scenario,
                    "param:scenario": scenario,
                    "transfers_per_year": y,
                    "transfers": 15 * y,
                    "public_spend": 10 * y + rep,
                    "net_public_cost": 8 * y + rep,
                    "median_months_to_market": 150.0 - y,
                    "valley_of_death_deaths": y,
                    "pilot_failure_rate": 0.7,
                }
            )
    df = pd.DataFrame(rows)
    return df.sample(frac=1.0, random_state=3) if shuffle else df


def _pid(runs: pd.DataFrame, scenario: str) -> int:
    return int(runs.loc[runs["param:scenario"] == scenario, "point_id"].iloc[0])


def test_pairing_is_by_replication_not_row_order():
    runs = _synthetic({"status_quo": [1.0, 2.0, 3.0, 4.0], "pilot_loans": [2.0, 3.0, 5.0, 4.5]})
    effects = paired_effects(runs, _pid(runs, "status_quo"))
    row = effects.query("outcome == 'transfers_per_year'").iloc[0]
    m, lo, hi, n = _t_interval(np.array([1.0, 1.0, 2.0, 0.5]))
    assert n == row["n_pairs"] == 4
    np.testing.assert_allclose([row["effect"], row["ci_low"], row["ci_high"]], [m, lo, hi])
    # the paired interval is narrower than the one of two independent samples
    welch = stats.ttest_ind([2.0, 3.0, 5.0, 4.5], [1.0, 2.0, 3.0, 4.0]).confidence_interval()
    assert row["ci_high"] - row["ci_low"] < welch.high - welch.low


def test_unpaired_seeds_are_refused():
    runs = _synthetic({"status_quo": [1.0, 2.0], "pilot_loans": [2.0, 3.0]}, shuffle=False)
    runs.loc[runs["param:scenario"] == "pilot_loans", "seed"] += 1
    with pytest.raises(ValueError, match="not paired"):
        paired_effects(runs, _pid(runs, "status_quo"))


def test_paired_effect_skips_pairs_without_a_value():
    runs = _synthetic({"status_quo": [1.0, 2.0, 3.0], "review_sync": [2.0, 4.0, 3.5]})
    runs.loc[
        (runs["param:scenario"] == "review_sync") & (runs["replication"] == 1),
        "median_months_to_market",
    ] = math.nan
    effects = paired_effects(runs, _pid(runs, "status_quo"))
    row = effects.query("outcome == 'median_months_to_market'")
    # pairs 0 and 2: months = 150 − y, so Δ = −(Δy) = −1, −0.5
    assert row["n_pairs"].iloc[0] == 2
    assert row["effect"].iloc[0] == pytest.approx(-0.75)


def test_reference_scenario_rules():
    runs = _synthetic({"pilot_loans": [1.0], "status_quo": [1.0]})
    assert reference_scenario(runs, None) == "status_quo"
    runs = _synthetic({"pilot_loans": [1.0], "review_sync": [1.0]})
    assert reference_scenario(runs, None) == "pilot_loans"
    cfg = parse_config({"experiment": {"compare_to": "review_sync"}})
    assert reference_scenario(runs, cfg) == "review_sync"
    cfg = parse_config({"experiment": {"compare_to": "full_chain"}})
    with pytest.raises(ConfigError, match="compare_to"):
        reference_scenario(runs, cfg)


def test_public_money_per_additional_transfer_fieller():
    rng = np.random.default_rng(1)
    d_transfers = rng.normal(5.0, 1.0, 30)
    d_spend = 40.0 * d_transfers + rng.normal(0.0, 10.0, 30)
    ratio, lo, hi, n, note = fieller_ratio(d_spend, d_transfers)
    assert n == 30 and note == ""
    assert ratio == pytest.approx(d_spend.mean() / d_transfers.mean())
    assert lo < ratio < hi and lo > 35 and hi < 45
    # the bounds are where the t statistic of (Δspend − R·Δtransfers) is exactly t(0.975)
    t = stats.t.ppf(0.975, n - 1)
    for bound in (lo, hi):
        z = d_spend - bound * d_transfers
        assert abs(z.mean() / (z.std(ddof=1) / math.sqrt(n))) == pytest.approx(t)
    # no significant change in transfers: the interval is unbounded, and says so
    ratio, lo, hi, _, note = fieller_ratio(rng.normal(10, 5, 10), rng.normal(0.1, 3, 10))
    assert (lo, hi) == (-math.inf, math.inf) and "unbounded" in note


def test_interaction_full_chain_vs_sum_of_singles():
    runs = _synthetic(
        {
            "status_quo": [1.0, 1.0, 2.0],
            "pilot_loans": [2.0, 1.5, 2.5],
            "review_sync": [1.5, 1.5, 2.0],
            "full_chain": [4.0, 3.5, 4.5],
        }
    )
    inter = interaction_effects(runs, "status_quo").set_index("outcome")
    r = inter.loc["transfers_per_year"]
    # per replication: (full − ref) − Σ(single − ref) = 3 − 1.5, 2.5 − 1, 2.5 − 0.5
    m, lo, hi, n = _t_interval(np.array([1.5, 1.5, 2.0]))
    assert r["n_pairs"] == n == 3
    np.testing.assert_allclose([r["interaction"], r["ci_low"], r["ci_high"]], [m, lo, hi])
    assert r["full_chain_effect"] == pytest.approx(8 / 3)
    assert r["sum_of_single_effects"] == pytest.approx(1.0)
    assert r["verdict"] == "more than the sum of the single effects"
    assert "professor_ceo" in r["singles_missing"] and r["singles"] == "pilot_loans,review_sync"
    assert interaction_effects(runs[runs["param:scenario"] != "full_chain"], "status_quo").empty


def test_interaction_verdict_in_effects_md(tmp_path):
    runs = _synthetic(
        {
            "status_quo": [1.0, 1.0, 2.0],
            "pilot_loans": [2.0, 1.5, 2.5],
            "full_chain": [2.0, 1.4, 3.1],
        },
        shuffle=False,
    )
    runs.to_parquet(tmp_path / "runs.parquet")
    text = write_report(tmp_path)  # no manifest, no timeseries: still a report
    md = (tmp_path / "report" / "effects.md").read_text()
    assert "more than the sum of its parts" in md
    assert "not distinguishable from the sum" in text
    assert (tmp_path / "report" / "interaction.csv").exists()


# --- NaN robustness ---------------------------------------------------------------------------
def test_summary_with_missing_values():
    runs = _synthetic({"status_quo": [0.0, 0.0], "pilot_loans": [1.0, 2.0]}, shuffle=False)
    runs["public_spend_per_transfer"] = [math.nan, math.nan, 5.0, math.nan]
    summary = summary_frame(runs, ("public_spend_per_transfer",)).set_index("label")
    assert summary.loc["status_quo", "n"] == 0 and math.isnan(summary.loc["status_quo", "mean"])
    assert summary.loc["pilot_loans", "n"] == 1
    assert summary.loc["pilot_loans", "mean"] == 5.0
    assert point_labels(runs) == {0: "status_quo", 1: "pilot_loans"}


# --- sensitivity ------------------------------------------------------------------------------
def _sobol_cfg(names: list[str]) -> dict:
    ranges = {
        "pilot.value_multiple": [2.0, 8.0],
        "pilot.prior_success_belief": [0.15, 0.45],
        "poc.institutional_funding_prob": [0.2, 0.8],
    }
    return {
        "model": TINY_MODEL,
        "experiment": {"name": "sob", "replications": 2, "base_seed": 9},
        "sweep": {"method": "sobol", "samples": 64, "parameters": {n: ranges[n] for n in names}},
    }


def test_sobol_indices_find_the_parameter_that_matters():
    """Synthetic outputs (no model): y = 10·x1 + x2 with replication noise; manifest order."""
    names = ["pilot.value_multiple", "poc.institutional_funding_prob", "pilot.prior_success_belief"]
    cfg = parse_config(_sobol_cfg(names))
    rng = np.random.default_rng(0)
    rows = []
    for pid, point in enumerate(design_points(cfg)):
        for rep in range(2):
            y = 10 * point["pilot.value_multiple"] + point["poc.institutional_funding_prob"]
            rows.append(
                {
                    "run_id": len(rows),
                    "point_id": pid,
                    "replication": rep,
                    **{f"param:{n}": point[n] for n in names},
                    "transfers_per_year": y + rng.normal(0, 0.01),
                    "median_months_to_market": math.nan,
                }
            )
    runs = pd.DataFrame(rows)
    # a config read back from manifest.json has its keys sorted; the runs keep the order
    manifest_cfg = parse_config(json.loads(json.dumps(cfg.model_dump(mode="json"), sort_keys=True)))
    sens = sensitivity_indices(
        runs, manifest_cfg, outputs=("transfers_per_year", "median_months_to_market")
    )
    st = sens.query("outcome == 'transfers_per_year' and index == 'ST'").set_index("parameter")
    assert st.loc["pilot.value_multiple", "value"] > 0.9
    assert st.loc["pilot.prior_success_belief", "value"] < 0.05
    skipped = sens.query("outcome == 'median_months_to_market'")
    assert skipped["value"].isna().all() and skipped["note"].str.contains("skipped").all()


def test_sensitivity_refuses_runs_of_another_design():
    cfg = parse_config(_sobol_cfg(["pilot.value_multiple", "pilot.prior_success_belief"]))
    points = design_points(cfg)
    runs = pd.DataFrame(
        [
            {
                "run_id": i,
                "point_id": i,
                "replication": 0,
                "transfers_per_year": 1.0,
                "param:pilot.value_multiple": p["pilot.value_multiple"] + 0.5,
                "param:pilot.prior_success_belief": p["pilot.prior_success_belief"],
            }
            for i, p in enumerate(points)
        ]
    )
    with pytest.raises(ValueError, match="differ from the rebuilt design"):
        sensitivity_indices(runs, cfg)


@pytest.mark.parametrize("method", ["morris", "sobol"])
def test_sensitivity_report_of_a_real_sweep(tmp_path, method):
    # parameters deliberately not in alphabetical order (the manifest sorts its keys)
    data = {
        "model": {"months": 12, "warmup_months": 0},
        "experiment": {"name": method, "replications": 1, "base_seed": 3},
        "sweep": {
            "method": method,
            "samples": 2,
            "parameters": {
                "pilot.value_multiple": [2.0, 8.0],
                "pilot.prior_success_belief": [0.15, 0.45],
            },
        },
    }
    out = _sweep(tmp_path, data)
    text = write_report(out)
    report = out / "report"
    sens = pd.read_csv(report / "sensitivity.csv")
    assert set(sens["method"]) == {method}
    assert set(sens["parameter"]) == {"pilot.value_multiple", "pilot.prior_success_belief"}
    assert (report / "sensitivity.md").read_text().startswith(f"# Sensitivity ({method})")
    assert (report / "sensitivity.png").exists() and (report / "sensitivity.svg").exists()
    assert "Most influential parameters" in text and "figure problem" not in text


def test_cli_report_prints_the_summary(scenario_dir):
    from tests._helpers import cli

    done = cli("report", str(scenario_dir))
    assert done.returncode == 0, done.stderr
    assert "summary.csv" in done.stdout and "Paired effects against status_quo" in done.stdout


# --- LHS designs: PRCC and PAWN; effects against the baseline ----------------------------------
def test_lhs_prcc_finds_the_monotone_parameter():
    cfg = parse_config({
        "experiment": {"base_seed": 2},
        "sweep": {"method": "lhs", "samples": 40, "parameters": {
            "pilot.value_multiple": [2.0, 8.0], "pilot.prior_success_belief": [0.15, 0.45]}},
    })
    points = design_points(cfg)
    rng = np.random.default_rng(0)
    runs = pd.DataFrame([
        {"point_id": i, "replication": 0,
         "param:pilot.value_multiple": p["pilot.value_multiple"],
         "param:pilot.prior_success_belief": p["pilot.prior_success_belief"],
         "transfers_per_year": np.log(p["pilot.value_multiple"]) + rng.normal(0, 0.05)}
        for i, p in enumerate(points)
    ])
    sens = sensitivity_indices(runs, cfg, outputs=("transfers_per_year",))
    prcc = sens[sens["index"] == "prcc"].set_index("parameter")
    assert prcc.loc["pilot.value_multiple", "value"] > 0.9
    free = prcc.loc["pilot.prior_success_belief"]
    assert abs(free["value"]) < free["conf"]  # its interval covers 0
    pawn = sens[sens["index"] == "pawn"].set_index("parameter")["value"]
    assert pawn["pilot.value_multiple"] > pawn["pilot.prior_success_belief"]


def test_lhs_report_with_effects_against_the_baseline(tmp_path):
    out = _sweep(tmp_path, {
        "model": TINY_MODEL,
        "experiment": {"name": "lhs", "replications": 2, "base_seed": 3,
                       "compare_to": "baseline"},
        "sweep": {"method": "lhs", "samples": 8, "parameters": {
            "poc.institutional_funding_prob": [0.2, 0.8], "pilot.value_multiple": [2.0, 8.0]}},
    })
    text = write_report(out)
    report = out / "report"
    assert set(pd.read_csv(report / "sensitivity.csv")["method"]) == {"lhs"}
    assert "ranked by |PRCC|" in text
    effects = pd.read_csv(report / "effects.csv")
    assert set(effects["reference"]) == {"baseline"} and effects["point_id"].nunique() == 8
    # the baseline runs use the sweep's seeds, so every effect is paired
    ref = pd.read_parquet(out / "reference" / "runs.parquet")
    runs = pd.read_parquet(out / "runs.parquet")
    assert sorted(ref["seed"]) == sorted(runs.loc[runs["point_id"] == 0, "seed"])
    row = effects.query("point_id == 3 and outcome == 'transfers'")
    assert int(row["n_pairs"].iloc[0]) == 2
    from ecosystem.outputs import REPORT_FILES

    declared = [c.name for c in REPORT_FILES["sensitivity.csv"]]
    assert list(pd.read_csv(report / "sensitivity.csv").columns) == declared


def test_report_csv_columns_are_in_the_data_dictionary(scenario_dir):
    from ecosystem.outputs import REPORT_FILES

    report = scenario_dir / "report"
    for name in ("summary.csv", "effects.csv", "gates.csv", "response_over_time.csv",
                 "onset.csv", "power.csv"):
        declared = [c.name for c in REPORT_FILES[name]]
        for column in pd.read_csv(report / name).columns:
            assert column in declared or (
                column.startswith("param:") and "param:<dotted path>" in declared
            ), f"{name}: column {column!r} is not in ecosystem/outputs.py"


def test_few_replications_are_flagged_in_the_report(scenario_dir):
    md = (scenario_dir / "report" / "summary.md").read_text()
    assert "only 2 replication(s) per point" in md


def test_scenario_report_resolves_its_effects(scenario_dir):
    """MDE beside every effect, the seed halves, the onset table, the power and gate tables."""
    report = scenario_dir / "report"
    md = (report / "effects.md").read_text()
    for section in ("When does the effect show?", "Do two disjoint seed sets agree?",
                    "How many replications?", "minimal detectable effect"):
        assert section in md, section
    effects = pd.read_csv(report / "effects.csv")
    tested = effects.dropna(subset=["mde"])
    assert len(tested) and all(f"MDE {fmt(m)}" in md for m in tested.query(
        "outcome == 'gate_clinical_per_year'")["mde"])
    onset = pd.read_csv(report / "onset.csv")
    assert set(onset["gate"]) == {"poc", "licence", "startups", "pilot", "clinical", "approval",
                                  "market"}
    assert (report / "response_over_time.png").stat().st_size > 1000
    summary = (report / "summary.md").read_text()
    assert "## Throughput at every gate" in summary and "| milestone_grants |" in summary
