"""Every kind of figure, drawn for 1–4 swept parameters and for scenarios, has no text cut off
by the figure's edge and no title, label or legend over another (matplotlib's tight boxes)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ecosystem.project import EXIT_CAUSES
from experiments import figures
from experiments.effects import paired_effects
from experiments.figures import _figure, layout_problems, write_figures
from experiments.plausible import plausible_bounds
from experiments.tables import point_labels

PARAMS = (
    "policies.pilot_insurance.premium_subsidy",
    "poc.institutional_funding_prob",
    "space.collaboration_tau_minutes",
    "pilot.value_multiple",
)
REPS = 2
MONTHS = 24


def _runs_and_ts(points: list[dict], rng: np.random.Generator):
    rows, ts = [], []
    for pid, point in enumerate(points):
        for rep in range(REPS):
            run_id = len(rows)
            y = rng.uniform(0.05, 0.3)
            row = {"run_id": run_id, "point_id": pid, "replication": rep, "seed": 100 + rep,
                   "active_policies": "pilot_insurance",
                   **{f"param:{k}": v for k, v in point.items()},
                   "transfers_per_year": y, "transfers": 15 * y, "public_spend": 500 * y,
                   "median_months_to_market": rng.uniform(120, 170),
                   "valley_of_death_deaths": rng.integers(0, 20),
                   "pilot_failure_rate": rng.uniform(0, 1), "pilot_funding_share": 0.3,
                   "public_spend_per_transfer": 300.0, "outsourcing_share": 0.2,
                   "entered_poc": 100.0, "pilots_started": 20.0}
            row.update({f"exit_{c}": float(rng.integers(0, 10)) for c in EXIT_CAUSES})
            rows.append(row)
            for month in range(1, MONTHS + 1):
                ts.append({"run_id": run_id, "month": month, "counted": month > 12,
                           "stage_poc": rng.integers(0, 40),
                           "stage_pilot": rng.integers(0, 20),
                           "stage_industrialisation": rng.integers(0, 10),
                           "entered_poc": 3 * month, "entered_pilot": month,
                           "pilots_started": month // 2,
                           "entered_industrialisation": month // 4, "transfers": month // 12})
    return pd.DataFrame(rows), pd.DataFrame(ts)


def _grid(n_params: int) -> list[dict]:
    levels = [[0.0, 0.4, 0.8], [0.3, 0.6], [20.0, 90.0], [2.0, 8.0]]
    names = PARAMS[:n_params]
    return [dict(zip(names, combo, strict=True))
            for combo in itertools.product(*levels[:n_params])]


@pytest.mark.parametrize("n_params", [1, 2, pytest.param(3, marks=pytest.mark.slow),
                                      pytest.param(4, marks=pytest.mark.slow)])
def test_grid_figures_have_no_clipped_or_overlapping_text(tmp_path, n_params):
    runs, ts = _runs_and_ts(_grid(n_params), np.random.default_rng(n_params))
    labels = point_labels(runs)
    effects = paired_effects(runs, 0, labels)
    written, problems = write_figures(tmp_path, runs, ts, labels, method="grid", effects=effects)
    assert problems == []
    names = {p.stem for p in written}
    expected = {"throughput", "funnel", "exits", "time_to_market", "stages_over_time",
                "response"}
    if runs["point_id"].nunique() - 1 <= figures.MAX_GROUPS:
        expected.add("effects")
    assert names == expected
    assert {p.suffix for p in written} == {".png", ".svg"}


def test_scenario_figures_have_no_clipped_or_overlapping_text(tmp_path):
    scenarios = ["status_quo", "pilot_insurance", "milestone_grants", "one_hour_circle",
                 "full_chain"]
    runs, ts = _runs_and_ts([{"scenario": s} for s in scenarios], np.random.default_rng(0))
    labels = point_labels(runs)
    effects = paired_effects(runs, 0, labels)
    written, problems = write_figures(tmp_path, runs, ts, labels, method="scenarios",
                                      effects=effects)
    assert problems == []
    assert "effects" in {p.stem for p in written} and "response" not in {p.stem for p in written}


@pytest.mark.parametrize(("method", "keys"), [("sobol", ("S1", "ST")),
                                              ("morris", ("mu_star", "mu", "sigma")),
                                              ("lhs", ("prcc", "pawn"))])
@pytest.mark.parametrize("n_params", [1, 4])
def test_sensitivity_figure_layout(tmp_path, method, keys, n_params):
    rng = np.random.default_rng(1)
    outcomes = ("transfers_per_year", "median_months_to_market", "public_spend_per_transfer",
                "pilot_failure_rate")
    sens = pd.DataFrame([
        {"method": method, "outcome": o, "parameter": p, "index": k,
         "value": rng.uniform(-0.5, 1), "conf": 0.1, "points_used": 40, "note": ""}
        for o in outcomes for p in PARAMS[:n_params] for k in keys
    ])
    fig_paths = figures.sensitivity_figure(sens, tmp_path)
    assert [p.suffix for p in fig_paths] == [".png", ".svg"]
    runs, _ = _runs_and_ts(_grid(1), rng)
    _, problems = write_figures(tmp_path, runs, None, point_labels(runs), method=method,
                                sensitivity=sens)
    assert [p for p in problems if "layout" in p] == []


def test_layout_check_finds_clipped_and_overlapping_text():
    fig = _figure(3, 2)
    ax = fig.subplots()
    ax.set_title("a title far too long for a figure three inches wide, so it runs off the edge")
    fig.canvas.draw()
    assert any("cut off" in p for p in layout_problems(fig))
    fig = Figure(figsize=(8, 3))  # no layout engine: the titles are not moved apart
    FigureCanvasAgg(fig)
    a, b = fig.subplots(1, 2)
    a.set_title("a long title of the left panel that runs into the right one")
    b.set_title("and a long title of the right panel as well")
    fig.canvas.draw()
    assert any("overlaps" in p for p in layout_problems(fig))


def test_layout_check_finds_tick_labels_running_into_each_other():
    fig = _figure(2, 2)
    ax = fig.subplots()
    ax.set_xticks([0.0, 0.001, 0.002], ["-0.0025000", "0.0000000", "0.0025000"])
    fig.canvas.draw()
    assert any("tick labels run into each other" in p for p in layout_problems(fig))


def _drawn(monkeypatch) -> list[Figure]:
    """The figures ``figures._save`` is handed, drawn (their text is paths in the SVG)."""
    drawn: list[Figure] = []
    save = figures._save

    def keep(fig, out, name):
        fig.canvas.draw()
        drawn.append(fig)
        return save(fig, out, name)

    monkeypatch.setattr(figures, "_save", keep)
    return drawn


def _tick_texts(fig: Figure) -> set[str]:
    return {t.get_text() for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels()}


def test_effects_of_every_arm_are_readable(tmp_path, monkeypatch):
    """Every single policy and the full chain against the status quo (the shipped
    single_policies), with effects on throughput of the size its seeds give (thousandths, one
    arm at +0.010 [0.005, 0.015]): no numbers run together, arms by their plain-language names."""
    from ecosystem.policies import POLICY_LABELS, SCENARIOS

    arms = [s for s in SCENARIOS if s != "status_quo"]
    runs, _ = _runs_and_ts([{"scenario": s} for s in SCENARIOS], np.random.default_rng(7))
    effects = pd.DataFrame([
        {"point_id": i, "label": arm, "reference": "status_quo", "outcome": outcome,
         "effect": m, "ci_low": m - half, "ci_high": m + half}
        for i, arm in enumerate(arms, start=1)
        for outcome, m, half in (("transfers_per_year", 0.01 if i == 9 else 0.0007 * (i % 3),
                                  0.005 if i == 9 else 0.0019),
                                 ("median_months_to_market", -12.0 if i == 9 else -0.3, 0.8),
                                 ("public_spend", 120.0 * i, 30.0))
    ])
    drawn = _drawn(monkeypatch)
    _, problems = write_figures(tmp_path, runs, None, point_labels(runs), method="scenarios",
                                effects=effects)
    assert [p for p in problems if p.startswith("layout")] == []
    ticks = _tick_texts(drawn[-1])
    assert set(POLICY_LABELS.values()) <= ticks
    assert "All policies (full chain)" in ticks and "one_hour_circle" not in ticks


def test_effect_sensitivity_names_each_parameter_once_with_its_policy(tmp_path, monkeypatch):
    params = ["policies.pilot_insurance.running_cost_mrmb_per_year",
              "policies.milestone_grants.running_cost_mrmb_per_year",
              "policies.pilot_insurance.loading", "economics.royalty_rate"]
    names = figures._parameter_names(params)
    assert len(set(names.values())) == len(params)
    assert names["policies.pilot_insurance.running_cost_mrmb_per_year"] == (
        "Pilot insurance: running_cost_mrmb_per_year")
    assert names["economics.royalty_rate"] == "royalty_rate"
    assert figures._parameter_names(["a.x", "b.x"]) == {"a.x": "a.x", "b.x": "b.x"}
    params = [*plausible_bounds(["status_quo", "pilot_insurance", "milestone_grants"]),
              "economics.royalty_rate"]  # the shipped policy_effect_drivers, and one more
    rng = np.random.default_rng(2)
    table = pd.DataFrame([
        {"policy": pol, "outcome": o, "parameter": p, "index": k, "value": rng.uniform(0, 1),
         "conf": 0.1, "note": ""}
        for pol in ("pilot_insurance", "milestone_grants")
        for o in ("transfers_per_year", "public_spend") for p in params for k in ("S1", "ST")
    ])
    drawn = _drawn(monkeypatch)
    figures.effect_sensitivity_figure(table, tmp_path)
    ax = drawn[0].axes[0]
    ticks = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert len(set(ticks)) == len(params)
    assert "Milestone grants: running_cost_mrmb_per_year" in ticks
    runs, _ = _runs_and_ts(_grid(1), rng)
    _, problems = write_figures(tmp_path, runs, None, point_labels(runs),
                                effect_sensitivity=table)
    assert [p for p in problems if p.startswith("layout")] == []


def test_funnel_percentages_have_no_scientific_notation():
    assert figures._pct(100.0) == "100%"
    assert figures._pct(37.4) == "37%"
    assert figures._pct(4.25) == "4.2%"


@pytest.mark.parametrize("n_points", [2, 13])
def test_response_over_time_figure_layout(tmp_path, n_points):
    """One panel per gate, a line per policy (13 arms: the shipped single_policies)."""
    from ecosystem.policies import POLICY_NAMES
    from experiments.over_time import GATES

    rng = np.random.default_rng(4)
    rows = []
    for pid, name in enumerate(POLICY_NAMES[: n_points - 1], start=1):
        for gate in GATES:
            for year in range(1, 16):
                m = rng.normal(0.2, 0.3)
                rows.append({"point_id": pid, "label": name, "reference": "status_quo",
                             "gate": gate, "year": year, "effect": m, "ci_low": m - 0.2,
                             "ci_high": m + 0.2})
    runs, ts = _runs_and_ts([{"scenario": "status_quo"}], rng)
    written, problems = write_figures(tmp_path, runs, ts, point_labels(runs),
                                      over_time=pd.DataFrame(rows))
    assert problems == []
    assert "response_over_time" in {p.stem for p in written}
