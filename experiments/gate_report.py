"""The report's gate table: per arm, the flow through every gate and the cohorts' conversion.

One row per point and gate, built by ``ecosystem.calibration.gate_frame`` (the table
``sciencecity validate`` prints) with the report's bootstrap intervals: projects passing the gate
per counted year, and of the projects discovered in the counted months the Kaplan–Meier share
reaching the gate within ``ecosystem.gates.KM_HORIZON_MONTHS`` months (censored at the end of the
run). The flows show where a policy acts first; the shares whether it converts more of a cohort
or only moves projects sooner.
"""

from __future__ import annotations

import pandas as pd

from ecosystem import outputs
from ecosystem.calibration import gate_frame
from ecosystem.gates import KM_HORIZON_MONTHS
from experiments.over_time import GATES
from experiments.statistics import mean_interval
from experiments.tables import MAX_TEXT_POINTS, fmt, fmt_ci, markdown_table


def _interval(values):
    """Bootstrap interval of a mean flow, inside a count's domain (never below 0)."""
    return mean_interval(values, outputs.domain("gate_poc_per_year"))


def gate_report(runs: pd.DataFrame, labels: dict[int, str]) -> pd.DataFrame:
    """Per point and gate: flow per year with its 95% bootstrap interval, and the KM share.

    Designs of more than ``MAX_TEXT_POINTS`` points (Sobol, Morris, LHS) get one pooled row.
    """
    frames = []
    if runs["point_id"].nunique() > MAX_TEXT_POINTS:  # a sampled design: one pooled row
        pooled = f"all {runs['point_id'].nunique()} points (pooled)"
        frames.append(gate_frame(runs, interval=_interval).assign(point_id=-1, point=pooled))
    else:
        for point_id, group in runs.groupby("point_id", sort=True):
            frame = gate_frame(group, interval=_interval)
            frames.append(frame.assign(point_id=int(point_id), point=labels[int(point_id)]))
    if not frames:
        return pd.DataFrame()
    cols = ["point_id", "point", "gate", "label", "per_year", "ci_low", "ci_high", "n",
            "km_share", "km_n"]
    table = pd.concat(frames, ignore_index=True)[cols]
    order = {g: i for i, g in enumerate(GATES)}  # chain order, start-ups beside licences
    return table.sort_values(["point_id", "gate"], key=lambda c: c.map(order) if c.name ==
                             "gate" else c, kind="stable").reset_index(drop=True)


def gate_markdown(table: pd.DataFrame) -> str:
    """Two Markdown tables, points as rows and gates as columns: flows, then cohort shares."""
    if table.empty:
        return ""
    gates = list(dict.fromkeys(table["label"]))
    flows, shares = [], []
    for (_, point), g in table.groupby(["point_id", "point"], sort=False):
        by = g.set_index("label")
        flows.append([str(point), *(
            fmt_ci(by.loc[x, "per_year"], by.loc[x, "ci_low"], by.loc[x, "ci_high"],
                   int(by.loc[x, "n"])) for x in gates
        )])
        shares.append([str(point), *(fmt(by.loc[x, "km_share"]) for x in gates
                                     if x != "Start-ups founded")])
    share_gates = [x for x in gates if x != "Start-ups founded"]
    return "\n\n".join([
        "## Throughput at every gate",
        "Projects passing each gate per counted year (start-ups: firms founded per year), mean "
        "over replications with its 95% percentile-bootstrap interval; the same table as "
        "`sciencecity validate` prints, per arm. Gate columns of runs.parquet: "
        "`gate_*_per_year`; per-arm rows: gates.csv.",
        markdown_table(["point", *gates], flows),
        f"### Cohort conversion: share of the counted months' discoveries reaching each gate "
        f"within {KM_HORIZON_MONTHS} months",
        f"Kaplan–Meier (lifelines) per run, projects still on their way censored at the end of "
        f"the run, averaged over replications (`km_*_share_{KM_HORIZON_MONTHS}m` of "
        f"runs.parquet); `–` where no run followed its discoveries {KM_HORIZON_MONTHS} months "
        f"(a counted window shorter than that).",
        markdown_table(["point", *share_gates], shares),
    ]) + "\n"
