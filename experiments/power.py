"""How many replications resolve each policy's effect: a precision calculation from a pilot run.

For every point and outcome of ``POWER_OUTCOMES`` the pilot run's paired differences give an
sd; the replications needed are the fewest n whose 95% t half-width t(0.975, n−1)·sd/√n is at
most ``TARGET_SHARE`` of the reference (status-quo) level
(``experiments.statistics.replications_for_half_width``). The experiment needs the largest n
over its points. An arm whose pilot pairs never differ has sd 0: the pilot shows no effect at
all on that outcome, and the calculation has nothing to size (said in ``note``).

Run it on any scenario sweep's folder (``sciencecity report DIR`` writes ``power.md``); the
shipped experiments' replications come from it (comments in ``experiments/configs``).
"""

from __future__ import annotations

import math

import pandas as pd

from experiments.statistics import half_width, replications_for_half_width
from experiments.tables import fmt, markdown_table

#: The outcomes the replications are sized for: market entries and clinical entries a year.
POWER_OUTCOMES: dict[str, str] = {
    "transfers_per_year": "market entries/year",
    "gate_clinical_per_year": "clinical entries (IND)/year",
}
TARGET_SHARE = 0.25  # wanted 95% half-width as a share of the reference level
NO_SPREAD = "no paired variation in the pilot (the arms never differed)"


def power_table(effects: pd.DataFrame) -> pd.DataFrame:
    """Per point and outcome: paired sd, half-width now, target, replications needed."""
    rows = []
    for r in effects[effects["outcome"].isin(list(POWER_OUTCOMES))].itertuples():
        level = float(r.reference_mean)
        target = TARGET_SHARE * level if math.isfinite(level) else math.nan
        n_needed = replications_for_half_width(float(r.sd_diff), target)
        note = ""
        if r.sd_diff == 0:
            note = NO_SPREAD
        elif n_needed is None:
            note = "not computable (no reference level or no spread)"
        rows.append({
            "point_id": r.point_id, "label": r.label, "outcome": r.outcome,
            "reference_mean": level, "sd_diff": r.sd_diff, "n_pairs": r.n_pairs,
            "half_width": half_width(float(r.sd_diff), int(r.n_pairs)),
            "target_half_width": target,
            "replications_needed": math.nan if n_needed is None else n_needed, "note": note,
        })
    return pd.DataFrame(rows)


def requirement(table: pd.DataFrame) -> pd.DataFrame:
    """Per outcome: the replications the whole experiment needs and the point that drives it."""
    rows = []
    for outcome, g in table.groupby("outcome", sort=False):
        sized = g.dropna(subset=["replications_needed"])
        level = g["reference_mean"].iloc[0]
        if sized.empty:
            rows.append({"outcome": outcome, "replications_needed": math.nan, "driven_by": "",
                         "reference_mean": level})
            continue
        top = sized.loc[sized["replications_needed"].idxmax()]
        rows.append({"outcome": outcome, "replications_needed": int(top["replications_needed"]),
                     "driven_by": top["label"], "reference_mean": level})
    return pd.DataFrame(rows)


def power_text(table: pd.DataFrame) -> str:
    """One line per outcome for the terminal."""
    need = requirement(table)
    lines = [f"Replications for a 95% half-width ≤ {TARGET_SHARE:.0%} of the reference level "
             "(from this run's paired sds):"]
    for r in need.itertuples():
        what = POWER_OUTCOMES[r.outcome]
        if not math.isfinite(r.replications_needed):
            lines.append(f"  {what}: not computable")
            continue
        lines.append(f"  {what}: {int(r.replications_needed)} (level {fmt(r.reference_mean)}; "
                     f"widest: {r.driven_by})")
    return "\n".join(lines)


def power_markdown(table: pd.DataFrame, reference: str, replications: int) -> str:
    """The power section: the requirement per outcome and the per-point calculation."""
    if table.empty:
        return ""
    need = requirement(table)
    head = [
        [POWER_OUTCOMES[r.outcome], fmt(r.reference_mean),
         fmt(TARGET_SHARE * r.reference_mean),
         "–" if not math.isfinite(r.replications_needed) else str(int(r.replications_needed)),
         r.driven_by]
        for r in need.itertuples()
    ]
    rows = [
        [r.label, POWER_OUTCOMES[r.outcome], fmt(r.sd_diff), fmt(r.half_width),
         fmt(r.target_half_width),
         "–" if not math.isfinite(r.replications_needed) else str(int(r.replications_needed)),
         r.note]
        for r in table.itertuples()
    ]
    return "\n\n".join([
        "## How many replications? (precision from this run as a pilot)",
        f"For each arm, n = the fewest replications whose 95% t half-width t(0.975, n−1)·sd/√n "
        f"of the paired effect is at most {TARGET_SHARE:.0%} of the `{reference}` level, sd "
        f"being the sd of this run's paired differences over {replications} replications. The "
        f"experiment needs the largest n over its arms.",
        markdown_table(["outcome", f"{reference} level", "target half-width",
                        "replications needed", "widest arm"], head),
        markdown_table(["point", "outcome", "paired sd", "half-width now", "target",
                        "replications needed", "note"], rows),
    ]) + "\n"
