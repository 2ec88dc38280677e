"""Other clients of the model: Mesa's batch_run returns the run summary; the EMA Workbench
example of docs/ema.md runs (LHS over uncertainties, replications, PRIM)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import mesa
import pandas as pd

from ecosystem.model import ScienceCityModel
from ecosystem.presets import resolve_params
from experiments.clients import SUMMARY_COLUMNS, SummaryModel

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_batch_run_returns_the_run_summary():
    rows = mesa.batch_run(
        SummaryModel,
        parameters={"months": 24, "warmup_months": 6,
                    "policies.pilot_insurance.enabled": [False, True]},
        rng=[1, 2],
        max_steps=100,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    df = pd.DataFrame(rows)
    assert len(df) == 4
    assert {"transfers_per_year", "median_months_to_market", "public_spend_per_transfer",
            "transfers_counted", "transfers", "month"} <= set(df.columns)
    # the same numbers as the model's own summary for the same seed and parameters
    row = df[(df["seed"] == 1) & (~df["policies.pilot_insurance.enabled"])].iloc[0]
    params = resolve_params("shenyang_hunnan", dotted={"months": 24, "warmup_months": 6})
    own = ScienceCityModel(seed=1, params=params).run().summary()
    for field, column in SUMMARY_COLUMNS.items():
        a, b = row[column], own[field]
        assert (math.isnan(a) and math.isnan(b)) or a == b, field
    assert row["month"] == 30 and row["transfers"] >= row["transfers_counted"]


def test_summary_columns_are_in_the_last_row_only():
    model = SummaryModel(seed=3, months=3, warmup_months=0).run()
    ts = model.timeseries()
    assert ts["transfers_per_year"].iloc[:-1].isna().all()
    assert not math.isnan(ts["entered_poc_counted"].iloc[-1])


def _doc_example(name: str) -> str:
    text = (DOCS / name).read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, f"{name} has no python example"
    return blocks[0]


def test_ema_example_of_the_docs_runs():
    namespace: dict = {}
    exec(compile(_doc_example("ema.md"), "docs/ema.md", "exec"), namespace)
    experiments, means, box = namespace["experiments"], namespace["means"], namespace["box"]
    assert len(experiments) == 8
    assert means["pilots_started"].shape == (8,)
    assert len(box.peeling_trajectory) >= 1


def test_ema_model_declares_array_outcomes_and_paired_seeds():
    from ema_workbench import ArrayOutcome, IntegerParameter

    from experiments.ema import ema_model
    from experiments.seeds import run_seed

    model = ema_model({"scientists.count": (100, 200)}, replications=3,
                      config={"experiment": {"base_seed": 7}})
    assert all(isinstance(o, ArrayOutcome) for o in model.outcomes)
    assert isinstance(model.uncertainties["scientists__count"], IntegerParameter)
    assert [r["seed"] for r in model.replications] == [run_seed(7, r) for r in range(3)]


def test_ema_model_rejects_unknown_names():
    import pytest

    from ecosystem.errors import ConfigError
    from experiments.ema import ema_model

    with pytest.raises(ConfigError, match="not a model parameter"):
        ema_model({"poc.no_such_thing": (0.0, 1.0)})
    with pytest.raises(ConfigError, match="not run-summary fields"):
        ema_model({"poc.cost_mrmb": (0.5, 2.0)}, outcomes=["nonsense"])
