"""The response over time since a policy's introduction, gate by gate (spec §9.1, §9.2).

A policy is switched on at the first counted month in a spun-up ecosystem, and its arm shares
the seed (and the spun-up state) with the reference arm. Per year since introduction and per
gate, the paired effect is the mean over replications of (flow of the arm − flow of the
reference) that year, with its 95% t-interval; the cumulative effect is the same on the flows
summed from the introduction to the end of that year. "Months until the effect shows" is 12 × the
first year whose cumulative effect's interval excludes 0: earlier gates answer first (a project
needs years to go from a PoC to the clinic), so a policy shows at PoC or licence long before it
can show at market.

Flows per year come from the monthly timeseries through ``ecosystem.gates.yearly_flows``, the
same function the run summary's gate fields rest on.
"""

from __future__ import annotations

import math

import pandas as pd

from ecosystem.gates import YEARLY_FLOWS, yearly_flows
from ecosystem.vocabulary import GATE_LABELS
from experiments.statistics import minimal_detectable_effect, paired_difference
from experiments.tables import ROUNDING_NOISE, markdown_table

#: The gates in chain order with the start-ups founded beside the licences.
GATES: tuple[str, ...] = ("poc", "licence", "startups", "pilot", "clinical", "approval", "market")
LABELS: dict[str, str] = {**GATE_LABELS, "startups": "Start-ups founded"}
NOT_WITHIN = "not within the window"
assert set(GATES) == set(YEARLY_FLOWS)


def gate_flows_by_year(timeseries: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Per run, year since introduction and gate: the projects passing the gate that year.

    The introduction is the first counted month (``counted`` in the timeseries); a last,
    partial year is left out. Columns: point_id, replication, year, gate, flow.
    """
    frames = []
    for run_id, ts in timeseries.groupby("run_id", sort=True):
        ts = ts.sort_values("month")
        counted = ts.loc[ts["counted"].astype(bool), "month"]
        warmup = int(counted.min()) - 1 if len(counted) else int(ts["month"].max())
        flows = yearly_flows(ts, warmup)
        long = flows.reset_index().melt(id_vars="year", var_name="gate", value_name="flow")
        frames.append(long.assign(run_id=run_id))
    if not frames:
        return pd.DataFrame(columns=["point_id", "replication", "year", "gate", "flow"])
    out = pd.concat(frames, ignore_index=True)
    keys = runs[["run_id", "point_id", "replication"]]
    return out.merge(keys, on="run_id")[["point_id", "replication", "year", "gate", "flow"]]


def response_over_time(
    flows: pd.DataFrame, reference: int, labels: dict[int, str]
) -> pd.DataFrame:
    """Paired effect per point, gate and year since introduction, yearly and cumulative."""
    rows = []
    for gate in GATES:
        part = flows[flows["gate"] == gate]
        if part.empty:
            continue
        wide = part.pivot_table(
            index=["replication", "year"], columns="point_id", values="flow", aggfunc="first"
        )
        if reference not in wide.columns:
            continue
        cumulative = wide.groupby(level="replication").cumsum()
        for point_id in (p for p in wide.columns if p != reference):
            for year in sorted(wide.index.get_level_values("year").unique()):
                w = wide.xs(year, level="year")
                c = cumulative.xs(year, level="year")
                ref_mean, _, eff, lo, hi, n = paired_difference(w[point_id], w[reference])
                diff = (w[point_id] - w[reference]).dropna()
                sd = float(diff.std(ddof=1)) if len(diff) > 1 else math.nan
                _, _, c_eff, c_lo, c_hi, _ = paired_difference(c[point_id], c[reference])
                rows.append({
                    "point_id": int(point_id), "label": labels[int(point_id)],
                    "reference": labels[reference], "gate": gate, "year": int(year),
                    "reference_mean": ref_mean, "effect": eff, "ci_low": lo, "ci_high": hi,
                    "mde": minimal_detectable_effect(sd, n), "cumulative_effect": c_eff,
                    "cumulative_ci_low": c_lo, "cumulative_ci_high": c_hi, "n_pairs": n,
                })
    return pd.DataFrame(rows)


def onset(response: pd.DataFrame) -> pd.DataFrame:
    """Per point and gate: months until the cumulative effect's 95% interval excludes 0.

    ``months`` is 12 × that year (NaN if no year qualifies, ``shows`` then says
    :data:`NOT_WITHIN`); ``sign`` is ``+`` or ``−``, the direction it showed in.
    """
    rows = []
    for (point_id, label, gate), g in response.groupby(
        ["point_id", "label", "gate"], sort=False
    ):
        g = g.sort_values("year")
        hit = g[(g["cumulative_ci_low"] > 0) | (g["cumulative_ci_high"] < 0)]
        years = int(g["year"].max())
        if hit.empty:
            rows.append({"point_id": point_id, "label": label, "gate": gate, "months": math.nan,
                         "sign": "", "window_years": years, "shows": NOT_WITHIN})
            continue
        first = hit.iloc[0]
        sign = "+" if first["cumulative_ci_low"] > 0 else "−"
        months = 12 * int(first["year"])
        rows.append({"point_id": point_id, "label": label, "gate": gate, "months": months,
                     "sign": sign, "window_years": years, "shows": f"{months} ({sign})"})
    return pd.DataFrame(rows)


def onset_markdown(table: pd.DataFrame, reference: str) -> str:
    """The months-until-the-effect-shows table: points as rows, gates as columns."""
    if table.empty:
        return ""
    gates = [g for g in GATES if g in set(table["gate"])]
    years = int(table["window_years"].max())
    rows = []
    for label, g in table.groupby("label", sort=False):
        by = g.set_index("gate")["shows"]
        rows.append([str(label), *(
            "–" if by.get(gate, NOT_WITHIN) == NOT_WITHIN else by[gate] for gate in gates
        )])
    return "\n\n".join([
        "## When does the effect show? Months since introduction, per gate",
        f"The policy is switched on at the first counted month into the ecosystem the reference "
        f"`{reference}` shares (same seed, same spun-up state). A cell gives 12 × the first year "
        f"since the introduction at which the cumulative paired effect on the gate's flow (the "
        f"projects passing it from the introduction to the end of that year, arm − reference) "
        f"has a 95% t-interval excluding 0, with its sign; `–`: not within the window (no year of "
        f"the {years} counted whole years qualifies). Yearly and cumulative effects with intervals "
        f"and minimal detectable effects: response_over_time.csv; figure: "
        f"response_over_time.png.",
        markdown_table(["point", *(LABELS[g] for g in gates)], rows),
    ]) + "\n"


def onset_text(table: pd.DataFrame, max_rows: int = 15) -> str:
    """One line per point: the gates where the effect showed, earliest first."""
    lines = []
    for label, g in list(table.groupby("label", sort=False))[:max_rows]:
        shown = g.dropna(subset=["months"]).sort_values("months")
        parts = [f"{row.gate} {int(row.months)} ({row.sign})" for row in shown.itertuples()]
        lines.append(f"  {label}: " + (", ".join(parts) if parts else NOT_WITHIN))
    return "\n".join(lines)



#: Whole years at the end of the window over which the steady-state effect is taken.
LATE_YEARS = 10


def late_window_effect(
    flows: pd.DataFrame, reference: int, labels: dict[int, str], years: int = LATE_YEARS
) -> pd.DataFrame:
    """Per point and gate: the paired effect on the mean yearly flow of the window's last years.

    A policy introduced into a running ecosystem reaches the late gates only after its
    projects have travelled the chain (a decade from PoC to market); the effect over the whole
    window mixes that transient with the new steady state. The mean flow over the last
    ``years`` whole years, arm − reference per replication, estimates the steady-state effect;
    ``years_from`` says where that window starts (years since introduction). Empty when the
    window is not longer than ``years``.
    """
    if flows.empty:
        return pd.DataFrame()
    last = int(flows["year"].max())
    first = last - years + 1
    if first <= 1:
        return pd.DataFrame()
    late = flows[flows["year"] >= first]
    rows = []
    for gate in GATES:
        part = late[late["gate"] == gate]
        wide = part.pivot_table(index="replication", columns="point_id", values="flow",
                                aggfunc="mean")
        if reference not in wide.columns:
            continue
        for point_id in (p for p in wide.columns if p != reference):
            ref_mean, _, eff, lo, hi, n = paired_difference(wide[point_id], wide[reference])
            rows.append({
                "point_id": int(point_id), "label": labels[int(point_id)],
                "reference": labels[reference], "gate": gate, "years_from": first,
                "years_to": last, "reference_mean": ref_mean, "effect": eff, "ci_low": lo,
                "ci_high": hi, "relative": eff / ref_mean if ref_mean else math.nan,
                "n_pairs": n,
            })
    return pd.DataFrame(rows)


def late_window_markdown(table: pd.DataFrame, reference: str) -> str:
    """The steady-state table: points as rows, gates as columns, effect [95% CI] a year."""
    if table.empty:
        return ""
    gates = [g for g in GATES if g in set(table["gate"])]
    first, last = int(table["years_from"].min()), int(table["years_to"].max())
    ref = table.drop_duplicates("gate").set_index("gate")["reference_mean"]
    rows = [[f"{reference} (level a year)", *(f"{ref[g]:.3g}" for g in gates)]]
    for label, g in table.groupby("label", sort=False):
        by = g.set_index("gate")
        rows.append([str(label), *(
            f"{_signed(by.at[gate, 'effect'])} [{_signed(by.at[gate, 'ci_low'])}, "
            f"{_signed(by.at[gate, 'ci_high'])}]" for gate in gates
        )])
    return "\n\n".join([
        f"## Late-window effect: years {first}–{last} since introduction",
        f"Paired effect on the mean yearly flow through each gate over the last {last - first + 1}"
        f" whole years of the window (arm − `{reference}`, per replication, 95% t-interval): the "
        f"policy has been in place long enough for its projects to reach the late gates, so "
        f"this is the effect once the response has settled, beside the whole-window effect in "
        f"the table above (late_window.csv). It is a steady-state effect only where the "
        f"reference itself does not trend: see the stationarity diagnostic in manifest.json.",
        markdown_table(["point", *(LABELS[g] for g in gates)], rows),
    ]) + "\n"


def _signed(x: float) -> str:
    """``+0.12`` / ``-0.12`` with three significant digits; float noise around 0 as ``+0``."""
    return "+0" if abs(x) < ROUNDING_NOISE else f"{x:+.3g}"
