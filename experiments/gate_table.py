"""Paired effects at every gate of the chain, with net public money (issue 17, demand pull).

Does pulling at the market end move more projects through the pilot stage than pushing at
the lab end, per unit of net public money? For each swept scenario against the reference,
the mean paired difference in projects passing each gate per year (PoC, licence, pilot,
clinical entry, approval, market), the paired difference in net public cost (discounted,
over the counted months), and pilot passes per 100 M RMB of net public money (Fieller's
interval). Written as ``gates.md`` beside a sweep's report; ``sciencecity reproduce
demand_pull`` prints it.
"""

from __future__ import annotations

from pathlib import Path

from ecosystem.vocabulary import GATE_LABELS, GATES
from experiments.loading import SCENARIO_COLUMN, load_results
from experiments.statistics import fieller_ratio, paired_difference
from experiments.tables import fmt, fmt_ci, markdown_table

#: Shipped experiments that add the gate table to their report.
GATE_REPORTS: frozenset[str] = frozenset({"demand_pull"})


def gate_markdown(folder: str | Path, reference: str = "status_quo") -> str:
    """The gate table of a finished scenario sweep, as markdown."""
    results = load_results(folder)
    runs = results.runs
    wide = {
        name: group.set_index("replication").sort_index()
        for name, group in runs.groupby(SCENARIO_COLUMN, sort=False)
    }
    ref = wide[reference]
    years = results.config.params_for(scenario=reference).months / 12.0
    header = [
        "scenario",
        *(f"Δ {GATE_LABELS[g].lower()} /yr" for g in GATES),
        "Δ net public cost (M RMB)",
        "pilot passes per 100 M RMB",
    ]
    rows = []
    for name, arm in wide.items():
        if name == reference:
            continue
        cells = [name]
        for g in GATES:
            col = f"gate_{g}_per_year"
            _, _, eff, lo, hi, n = paired_difference(arm[col].to_numpy(), ref[col].to_numpy())
            cells.append(fmt_ci(eff, lo, hi, n))
        net = arm["net_public_cost"].to_numpy() - ref["net_public_cost"].to_numpy()
        _, _, eff, lo, hi, n = paired_difference(arm["net_public_cost"].to_numpy(),
                                                 ref["net_public_cost"].to_numpy())
        cells.append(fmt_ci(eff, lo, hi, n))
        passes = (arm["gate_pilot_per_year"].to_numpy() - ref["gate_pilot_per_year"].to_numpy())
        ratio, rlo, rhi, _, note = fieller_ratio(100.0 * passes * years, net)
        cells.append(f"{fmt(ratio)} [{fmt(rlo)}, {fmt(rhi)}]" + (f" — {note}" if note else ""))
        rows.append(cells)
    means = ", ".join(f"{GATE_LABELS[g].lower()} {fmt(float(ref[f'gate_{g}_per_year'].mean()))}"
                      for g in GATES)
    return "\n\n".join([
        f"# Paired effects at every gate against `{reference}`: {results.name}",
        f"`{reference}` passes per year: {means}. Each cell: mean paired difference "
        "(same seed in both arms) with its 95% t-interval over n replications. Net public cost: "
        "public money spent minus recovered, discounted, over the counted months. Pilot passes "
        "per 100 M RMB: Δ pilot passes per run ÷ Δ net public cost × 100, Fieller's interval.",
        markdown_table(header, rows),
    ]) + "\n"


def write_gate_table(folder: str | Path) -> str:
    """Write ``gates.md`` into a sweep folder; returns its text."""
    text = gate_markdown(folder)
    (Path(folder) / "gates.md").write_text(text)
    return text
