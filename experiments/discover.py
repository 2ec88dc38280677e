"""Scenario discovery on a finished sweep: which lever ranges reach a target (PRIM, CART).

``sciencecity discover DIR --target "transfers_per_year >= 0.15" --and
"public_spend_per_transfer <= 800"`` asks the EMA Workbench question: over the design's points
(each the mean over its replications), which box of swept-parameter ranges holds the points that
meet every condition? PRIM (``ema_workbench.analysis.prim``) peels the design down to a box,
trading coverage (share of the successful points inside the box) against density (share of the
box's points that succeed); CART (``ema_workbench.analysis.cart``) gives the tree's boxes for
comparison. Writes ``DIR/discover/``: ``boxes.csv`` (the chosen PRIM box and its limits),
``peeling.csv`` (the whole trajectory), ``cart.csv``, ``tradeoff.png/.svg`` and ``summary.md``
(a plain-language reading of the box).
"""

from __future__ import annotations

import logging
import math
import operator
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ecosystem.errors import ConfigError
from ecosystem.outputs import RUN_SUMMARY, unit
from experiments.loading import load_results
from experiments.tables import fmt, markdown_table, provenance

OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
CONDITION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|>|<)\s*([-+0-9.eE]+)\s*$")
#: The chosen box: the most coverage among boxes at least this dense.
DENSITY_THRESHOLD = 0.8


@dataclass(frozen=True)
class Condition:
    """One condition on a run-summary outcome, e.g. ``transfers_per_year >= 0.15``."""

    outcome: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.outcome} {self.op} {fmt(self.value)}"

    def holds(self, x: pd.Series) -> np.ndarray:
        """Whether each value meets the condition (NaN never does)."""
        return OPS[self.op](x.to_numpy(dtype=float), self.value) & np.isfinite(x.to_numpy(float))


def parse_condition(text: str) -> Condition:
    """``"outcome OP number"`` with OP one of >=, <=, >, <; a clear error otherwise."""
    m = CONDITION.match(text)
    outcomes = [c.name for c in RUN_SUMMARY]
    if not m:
        raise ConfigError(
            f"target {text!r} is not 'OUTCOME OP NUMBER' (OP one of >=, <=, >, <), e.g. "
            "'transfers_per_year >= 0.15'"
        )
    name, op, number = m.groups()
    if name not in outcomes:
        raise ConfigError(f"target {text!r}: unknown outcome {name!r}; allowed: "
                          f"{', '.join(outcomes)}")
    try:
        value = float(number)
    except ValueError:
        raise ConfigError(f"target {text!r}: {number!r} is not a number") from None
    return Condition(name, op, value)


def cases(runs: pd.DataFrame, conditions: list[Condition]) -> tuple[pd.DataFrame, np.ndarray,
                                                                    pd.DataFrame]:
    """Design points as cases: swept values ``x``, success ``y``, and the outcome means."""
    params = [c for c in runs.columns if c.startswith("param:") and c != "param:scenario"
              and pd.api.types.is_numeric_dtype(runs[c])]
    if not params:
        raise ConfigError("discover needs a sweep of numeric parameters (grid, LHS, Sobol or "
                          "Morris); this folder has none")
    outcomes = list(dict.fromkeys(c.outcome for c in conditions))
    means = runs.groupby("point_id", sort=True)[outcomes].mean()
    x = runs.groupby("point_id", sort=True)[params].first().astype(float)
    x.columns = [c.removeprefix("param:") for c in params]
    y = np.ones(len(means), dtype=bool)
    for cond in conditions:
        y &= cond.holds(means[cond.outcome])
    return x, y, means


@dataclass
class Discovery:
    """What PRIM and CART found."""

    conditions: list[Condition]
    x: pd.DataFrame
    y: np.ndarray
    peeling: pd.DataFrame
    chosen: int
    limits: pd.DataFrame  # parameter, low, high, qp_value (restricted parameters only)
    cart: pd.DataFrame


def _quiet_import():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import cart, prim
    logging.getLogger("EMA").setLevel(logging.WARNING)
    return prim, cart


def discover(runs: pd.DataFrame, conditions: list[Condition],
             threshold: float = DENSITY_THRESHOLD) -> Discovery:
    """Run PRIM (and CART) over the design's points."""
    x, y, means = cases(runs, conditions)
    hits = int(y.sum())
    if hits == 0 or hits == len(y):
        target = " and ".join(str(c) for c in conditions)
        ranges = "; ".join(f"{o} {fmt(means[o].min())} to {fmt(means[o].max())}"
                           for o in means.columns)
        raise ConfigError(
            f"{'no' if hits == 0 else 'every'} design point meets {target} "
            f"(point means range: {ranges}); choose a target that splits the design"
        )
    prim, cart = _quiet_import()
    mass_min = max(0.05, 1.0 / len(y) + 1e-9)  # a box or leaf holds at least one point
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        box = prim.Prim(x, y, mass_min=mass_min).find_box()
        try:
            tree = cart.CART(x, y, mass_min=mass_min)
            tree.build_tree()
            cart_stats = tree.stats_to_dataframe()
        except IndexError:  # ema_workbench 3.0's CART fails on a single parameter
            cart_stats = pd.DataFrame(columns=["coverage", "density", "res dim", "mass"])
    peeling = box.peeling_trajectory.rename(columns={"id": "box"})
    dense = peeling[peeling["density"] >= threshold]
    chosen = int(dense.sort_values(["coverage", "box"], ascending=[False, True])["box"].iloc[0]
                 if len(dense) else peeling.sort_values("density")["box"].iloc[-1])
    full, lims = box.box_lims[0], box.box_lims[chosen]
    _, qp = box.inspect(chosen, style="data")[0]
    rows = []
    for name in x.columns:
        lo, hi = float(lims[name].iloc[0]), float(lims[name].iloc[1])
        if lo > float(full[name].iloc[0]) or hi < float(full[name].iloc[1]):
            cols = [c for c in qp.columns if c[-1] == "qp value"]  # lower and upper limit
            q = qp.loc[name, cols].to_numpy(dtype=float) if name in qp.index else []
            q = [v for v in q if np.isfinite(v)]
            rows.append({"parameter": name, "low": lo, "high": hi,
                         "qp_value": max(q) if q else math.nan})
    limits = pd.DataFrame(rows, columns=["parameter", "low", "high", "qp_value"])
    cart_stats = cart_stats.reset_index(names="box").rename(columns={"res dim": "res_dim"})
    return Discovery(conditions, x, y, peeling, chosen, limits, cart_stats)


def summary_text(d: Discovery, threshold: float = DENSITY_THRESHOLD) -> str:
    """The chosen box in plain language."""
    row = d.peeling.set_index("box").loc[d.chosen]
    caveat = "" if row["density"] >= threshold else (
        f" No box reaches a density of {threshold:.2g}: this is the densest, so the target is "
        "not well separated by the swept parameters."
    )
    target = " and ".join(str(c) for c in d.conditions)
    hits, n = int(d.y.sum()), len(d.y)
    ranges = "; ".join(
        f"{r.parameter} between {fmt(r.low)} and {fmt(r.high)}" for r in d.limits.itertuples()
    ) or "no restriction (the whole design)"
    return (
        f"{hits} of {n} design points ({100 * hits / n:.0f}%) meet {target} (point means over "
        f"replications). PRIM box {d.chosen}: {ranges}. It holds {100 * row['coverage']:.0f}% "
        f"of the points that meet the target (coverage) and {100 * row['density']:.0f}% of "
        f"its points meet it (density), in {100 * row['mass']:.0f}% of the design (mass). "
        "Parameters not named are free: inside the design's ranges they do not decide success."
        + caveat
    )


def tradeoff_figure(d: Discovery, out: Path) -> list[Path]:
    """PRIM's peeling trajectory: coverage against density, coloured by restricted params."""
    from matplotlib.ticker import MaxNLocator

    from experiments.figures import _figure, _save, _suptitle

    fig = _figure(7.5, 5.2)
    ax = fig.subplots()
    p = d.peeling
    sc = ax.scatter(p["coverage"], p["density"], c=p["res_dim"], cmap="viridis", s=28)
    chosen = p.set_index("box").loc[d.chosen]
    ax.scatter([chosen["coverage"]], [chosen["density"]], s=160, facecolors="none",
               edgecolors="C3", linewidths=2, label=f"chosen box {d.chosen}")
    bar = fig.colorbar(sc, ax=ax, label="restricted parameters (count)")
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    ax.set_xlabel("coverage (share of target points inside the box, 0–1)")
    ax.set_ylabel("density (share of the box's points\nthat meet the target, 0–1)")
    ax.set_xlim(-0.02, 1.05)
    ax.set_ylim(-0.02, 1.05)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=8)
    _suptitle(fig, "PRIM peeling trajectory: " + " and ".join(str(c) for c in d.conditions))
    return _save(fig, out, "tradeoff")


def write_discovery(path: str | Path, targets: list[str],
                    threshold: float = DENSITY_THRESHOLD) -> str:
    """Run scenario discovery on a results folder, write ``discover/``, return the summary."""
    if not 0 < threshold <= 1:
        raise ConfigError(f"--threshold = {threshold}: a density between 0 and 1 is needed")
    conditions = [parse_condition(t) for t in targets]  # before loading anything
    results = load_results(path)
    d = discover(results.runs, conditions, threshold)
    out = Path(path) / "discover"
    out.mkdir(parents=True, exist_ok=True)
    row = d.peeling.set_index("box").loc[d.chosen]
    boxes = d.limits.assign(box=d.chosen, coverage=row["coverage"], density=row["density"],
                            mass=row["mass"], restricted=len(d.limits), chosen=True)
    boxes = boxes[["box", "coverage", "density", "mass", "restricted", "parameter", "low",
                   "high", "qp_value", "chosen"]]
    boxes.to_csv(out / "boxes.csv", index=False)
    d.peeling[["box", "coverage", "density", "mass", "res_dim"]].to_csv(
        out / "peeling.csv", index=False)
    d.cart.to_csv(out / "cart.csv", index=False)
    tradeoff_figure(d, out)
    text = summary_text(d, threshold)
    md = [
        f"# Scenario discovery: {results.name}",
        provenance(results),
        text,
        markdown_table(
            ["parameter", "low", "high", "quasi-p"],
            [[r.parameter, fmt(r.low), fmt(r.high), f"{r.qp_value:.2g}"]
             for r in d.limits.itertuples()],
        ) if len(d.limits) else "",
        "Units of the outcomes: " + "; ".join(f"`{c.outcome}` {unit(c.outcome)}"
                                              for c in d.conditions)
        + ". Parameter units: docs/parameters.md. Columns: docs/outputs.md.",
        "![PRIM peeling trajectory](tradeoff.png)",
    ]
    (out / "summary.md").write_text("\n\n".join(p for p in md if p) + "\n")
    return (f"wrote {out}/: boxes.csv, peeling.csv, cart.csv, summary.md, tradeoff.png/.svg\n"
            + text)
