"""Paired effects of every design point against a reference point, and the interaction test.

Replication r has the same seed at every point (common random numbers, spec §5b), so each
point's effect against the reference is the mean of paired differences, with the interval of
those differences — far narrower than that of two independent means.

The reference point (``experiment.compare_to``):

* scenario sweeps — a scenario name; by default ``status_quo`` if swept, else the first;
* grid sweeps — a point label such as ``premium_subsidy=0.4`` or ``baseline``; by default the
  point whose values equal the config's own (the design's baseline values), else the first;
* LHS, Sobol and Morris sweeps — ``baseline``: the config's own values, which no design point
  holds, so the report runs them once per replication with the same seeds into
  ``DIR/reference/`` (resumable). Without ``compare_to`` these designs get sensitivity measures
  and no effect table.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ecosystem.errors import ConfigError
from ecosystem.policies import POLICY_NAMES
from experiments.config import ExperimentConfig, parse_config
from experiments.frames import read_frame
from experiments.loading import SCENARIO_COLUMN, Results
from experiments.statistics import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    SPLIT_ALPHA,
    family_share,
    fieller_ratio,
    mean_interval,
    minimal_detectable_effect,
    paired_difference,
    split_flag_counts,
    split_halves,
)
from experiments.tables import (
    fmt,
    fmt_ci,
    markdown_table,
    plain_table,
    point_labels,
    provenance,
    unit,
)

#: Outcomes of the paired effect table; the ratio of two paired differences comes after.
EFFECT_OUTCOMES: tuple[str, ...] = (
    "transfers_per_year",
    "transfers",
    "median_months_to_market",
    "public_spend",
    "net_public_cost",
    "valley_of_death_deaths",
    "pilot_failure_rate",
    "pilot_funding_share",
    "gate_pilot_per_year",
    "gate_clinical_per_year",
)
RATIO_OUTCOME = "public_money_per_additional_transfer"
#: Outcomes whose seed-halves tests are counted once: ``transfers`` is transfers_per_year times
#: the counted years, the same test, so the count leaves it out.
SPLIT_FAMILY: tuple[str, ...] = tuple(o for o in EFFECT_OUTCOMES if o != "transfers")
#: Outcomes of the full-chain interaction test (additive quantities only).
INTERACTION_OUTCOMES: tuple[str, ...] = (
    "transfers_per_year",
    "gate_clinical_per_year",
    "median_months_to_market",
    "public_spend",
)
FULL_CHAIN = "full_chain"
BASELINE = "baseline"
REFERENCE_POINT = -1  # point id of the baseline runs made for a sampled design


# --- the reference point ----------------------------------------------------------------------
def reference_scenario(runs: pd.DataFrame, config: ExperimentConfig | None) -> str:
    """``experiment.compare_to``, else ``status_quo`` if swept, else the first scenario."""
    scenarios = list(dict.fromkeys(runs.sort_values("point_id")[SCENARIO_COLUMN]))
    wanted = config.experiment.compare_to if config is not None else None
    if wanted:
        if wanted not in scenarios:
            raise ConfigError(
                f"experiment.compare_to = {wanted!r} is not among the swept scenarios "
                f"({', '.join(scenarios)})"
            )
        return wanted
    return "status_quo" if "status_quo" in scenarios else scenarios[0]


def _baseline_point(runs: pd.DataFrame, config: ExperimentConfig | None) -> int | None:
    """The grid point whose swept values equal the config's own values, if the grid has it."""
    if config is None:
        return None
    base = config.params_for().model_dump()
    want: dict[str, Any] = {}
    for col in (c for c in runs.columns if c.startswith("param:")):
        node: Any = base
        for part in col.removeprefix("param:").split("."):
            node = node[part]
        want[col] = node
    firsts = runs.groupby("point_id", sort=True).first()
    for point_id, row in firsts.iterrows():
        if all(_same(row[c], v) for c, v in want.items()):
            return int(point_id)
    return None


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(np.isclose(float(a), float(b), rtol=1e-9, atol=1e-12))
    except (TypeError, ValueError):
        return str(a) == str(b)


def reference_point(results: Results) -> int | None:
    """The point id every effect is measured against.

    ``REFERENCE_POINT`` stands for the baseline runs of a sampled design; ``None`` means the
    design has no reference.
    """
    runs, cfg = results.runs, results.config
    labels = point_labels(runs)
    if SCENARIO_COLUMN in runs.columns:
        name = reference_scenario(runs, cfg)
        return next(p for p, lab in sorted(labels.items()) if lab == name)
    wanted = cfg.experiment.compare_to if cfg is not None else None
    if results.method in ("lhs", "sobol", "morris"):
        if wanted is None:
            return None
        if wanted != BASELINE:
            raise ConfigError(
                f"experiment.compare_to = {wanted!r}: a {results.method} design can only be "
                f"compared to {BASELINE!r} (the config's own values)"
            )
        return REFERENCE_POINT
    if wanted and wanted != BASELINE:
        match = [p for p, lab in labels.items() if lab == wanted]
        if not match:
            raise ConfigError(
                f"experiment.compare_to = {wanted!r} is not a point of the grid; allowed: "
                f"{BASELINE!r} or one of {', '.join(repr(v) for v in labels.values())}"
            )
        return match[0]
    found = _baseline_point(runs, cfg)
    if found is None and wanted == BASELINE:
        raise ConfigError(
            "experiment.compare_to = 'baseline': no grid point has the config's own values; "
            "name a grid point instead"
        )
    return found if found is not None else int(runs["point_id"].min())


def baseline_runs(results: Results) -> pd.DataFrame:
    """Runs of the config's own values with the sweep's seeds, made once into ``reference/``."""
    from experiments.sweep import run_sweep  # only sampled designs with a reference need it

    assert results.config is not None
    data = results.config.model_dump(mode="json")
    data["sweep"] = None
    data["experiment"]["name"] = f"{results.name}_reference"
    cfg = parse_config(data, source="reference of " + results.name)
    out = results.dir / "reference"
    run_sweep(cfg, out, workers=1, progress=False)
    ref = read_frame(out / "runs.parquet")
    return ref.assign(point_id=REFERENCE_POINT)


# --- paired effects ---------------------------------------------------------------------------
def _wide(runs: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Replications as rows, points as columns, after checking that the runs are paired.

    Pairing is by replication; the seed of a replication must be the same at every point
    (common random numbers), otherwise the differences would not be paired at all.
    """
    seeds = runs.groupby("replication")["seed"].nunique()
    if (seeds > 1).any():
        bad = [int(r) for r in seeds[seeds > 1].index]
        raise ValueError(f"replications {bad} have different seeds across points: not paired")
    if runs.duplicated(["replication", "point_id"]).any():
        raise ValueError("a point appears twice for the same replication; cannot pair runs")
    if outcome not in runs.columns:
        runs = runs.assign(**{outcome: math.nan})
    return runs.pivot(index="replication", columns="point_id", values=outcome).astype(float)


def paired_effects(
    runs: pd.DataFrame, reference: int, labels: dict[int, str] | None = None
) -> pd.DataFrame:
    """Effect of every point against point ``reference`` on paired replications (tidy)."""
    labels = labels or point_labels(runs)
    wide = {o: _wide(runs, o) for o in (*EFFECT_OUTCOMES, "net_public_cost", "transfers")}
    rows = []
    base = {"reference": labels[reference]}
    for point_id in sorted(int(p) for p in runs["point_id"].unique()):
        if point_id == reference:
            continue
        head = {"point_id": point_id, "label": labels[point_id], **base}
        for outcome in EFFECT_OUTCOMES:
            w = wide[outcome]
            ref_mean, mean, eff, lo, hi, n = paired_difference(w[point_id], w[reference])
            rel = eff / ref_mean if ref_mean and math.isfinite(ref_mean) else math.nan
            rows.append({
                **head, "outcome": outcome, "unit": unit(outcome), "reference_mean": ref_mean,
                "point_mean": mean, "effect": eff, "ci_low": lo, "ci_high": hi,
                "relative_effect": rel, "n_pairs": n, "note": "",
                **resolution(w[point_id] - w[reference]),
            })
        spend, transfers = wide["net_public_cost"], wide["transfers"]  # net, discounted
        ratio, lo, hi, n, note = fieller_ratio(
            spend[point_id] - spend[reference], transfers[point_id] - transfers[reference]
        )
        rows.append({
            **head, "outcome": RATIO_OUTCOME, "unit": unit(RATIO_OUTCOME),
            "reference_mean": math.nan, "point_mean": math.nan, "effect": ratio,
            "ci_low": lo, "ci_high": hi, "relative_effect": math.nan, "n_pairs": n, "note": note,
            **NO_RESOLUTION,
        })
    return pd.DataFrame(rows)


#: The resolution columns of a row that is not a mean paired difference (the cost ratio).
NO_RESOLUTION: dict[str, Any] = {
    "sd_diff": math.nan, "mde": math.nan, "effect_even": math.nan, "effect_odd": math.nan,
    "halves_p": math.nan, "halves_agree": None,
}


def resolution(diffs: pd.Series) -> dict[str, Any]:
    """How finely an effect is resolved: paired sd, minimal detectable effect, the two halves.

    ``diffs`` are the paired differences indexed by replication; the halves are the even and
    the odd replications (disjoint seed sets, ``experiments.statistics.split_halves``).
    """
    d = diffs.dropna()
    sd = float(d.std(ddof=1)) if len(d) > 1 else math.nan
    even, odd, p, agree = split_halves(d.to_numpy(float), d.index.to_numpy())
    return {
        "sd_diff": sd, "mde": minimal_detectable_effect(sd, len(d)), "effect_even": even,
        "effect_odd": odd, "halves_p": p, "halves_agree": agree,
    }


def split_chance_counts(runs: pd.DataFrame, reference: int) -> np.ndarray:
    """The halves' flag counts of the effect table by chance: random re-splits of its seeds.

    One column of paired differences per (point, outcome of ``SPLIT_FAMILY``), one row per
    replication, handed to ``split_flag_counts``: the distribution the even/odd count of
    ``halves_markdown`` is compared with (the effects share the reference runs, so their tests
    are correlated and the count is not binomial).
    """
    columns = []
    for outcome in SPLIT_FAMILY:
        w = _wide(runs, outcome)
        columns += [w[p] - w[reference] for p in w.columns if p != reference]
    if not columns:
        return np.zeros(0, dtype=int)
    return split_flag_counts(pd.concat(columns, axis=1).to_numpy(float))


# --- interaction ------------------------------------------------------------------------------
def interaction_effects(runs: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Is ``full_chain`` more than its parts? Against an additive and a multiplicative null.

    Additive: for replication r, interaction_r = (full_r − ref_r) − Σ_p (single_p,r − ref_r),
    over the single-policy scenarios present in the sweep; a positive mean with a CI above zero
    means the package does more than the sum of its parts on that outcome.

    Multiplicative (log-additive): the package's ratio to the reference against the product of
    the single policies' ratios, log(full/ref) − Σ_p log(single_p/ref), on the means over
    replications (a run often counts 0 market entries, so per-run logs do not exist), with a
    percentile bootstrap over replications (``log_additive_interaction``). In a serial chain a
    package multiplies the gates' pass rates, so it is super-additive by construction; the
    multiplicative null asks whether it is more than that. Replications where any of the
    scenarios has no value are left out (``n_pairs``).
    """
    scenarios = set(runs[SCENARIO_COLUMN])
    singles = [p for p in POLICY_NAMES if p in scenarios]
    if FULL_CHAIN not in scenarios or reference not in scenarios or not singles:
        return pd.DataFrame()
    by_name = runs.groupby(SCENARIO_COLUMN)["point_id"].first()
    rows = []
    for outcome in INTERACTION_OUTCOMES:
        w = _wide(runs, outcome).rename(columns={v: k for k, v in by_name.items()})
        w = w[[reference, FULL_CHAIN, *singles]].dropna()
        full = (w[FULL_CHAIN] - w[reference]).to_numpy()
        summed = sum((w[p] - w[reference]).to_numpy() for p in singles)
        _, _, m, lo, hi, n = (
            paired_difference(full, summed) if len(w) else (math.nan,) * 5 + (0,)
        )
        sd = float(np.std(full - summed, ddof=1)) if n > 1 else math.nan
        ratio, r_lo, r_hi = log_additive_interaction(w.to_numpy(float))
        rows.append({
            "outcome": outcome, "reference": reference,
            "full_chain_effect": float(full.mean()) if len(w) else math.nan,
            "sum_of_single_effects": float(np.mean(summed)) if len(w) else math.nan,
            "interaction": m, "ci_low": lo, "ci_high": hi, "n_pairs": n,
            "mde": minimal_detectable_effect(sd, n),
            "singles": ",".join(singles), "singles_missing": ",".join(
                p for p in POLICY_NAMES if p not in scenarios
            ),
            "verdict": _verdict(lo, hi, n),
            "multiplicative_interaction": ratio, "mult_ci_low": r_lo, "mult_ci_high": r_hi,
            "multiplicative_verdict": _mult_verdict(ratio, r_lo, r_hi, n),
        })
    return pd.DataFrame(rows)


def log_additive_interaction(w: np.ndarray) -> tuple[float, float, float]:
    """(full/ref) ÷ Π_p (single_p/ref) on column means, with a 95% bootstrap interval.

    ``w`` has replications as rows and the columns reference, full_chain, singles... The
    interval resamples replications (rows, so the pairing is kept) with ``scipy.stats.bootstrap``
    (percentile, seeded). NaN when a mean is not positive; the interval is NaN when resamples
    with a zero mean are too many to bound it.
    """
    def log_stat(rows: np.ndarray) -> float:
        means = w[rows.astype(int)].mean(axis=0)
        if (means <= 0).any():
            return math.nan
        logs = np.log(means)
        return float(logs[1] - logs[0] - (logs[2:] - logs[0]).sum())

    rows = np.arange(len(w))
    point = log_stat(rows) if len(w) else math.nan
    if not math.isfinite(point) or len(w) < 2:
        return math.exp(point) if math.isfinite(point) else math.nan, math.nan, math.nan
    res = stats.bootstrap(
        (rows,), log_stat, vectorized=False, n_resamples=BOOTSTRAP_RESAMPLES,
        confidence_level=0.95, method="percentile", rng=np.random.default_rng(BOOTSTRAP_SEED),
    )
    lo, hi = float(res.confidence_interval.low), float(res.confidence_interval.high)
    return math.exp(point), math.exp(lo), math.exp(hi)


def _mult_verdict(ratio: float, lo: float, hi: float, n: int) -> str:
    if not math.isfinite(ratio):
        return "not defined: a scenario's mean is not positive"
    if n < 2 or not (math.isfinite(lo) and math.isfinite(hi)):
        return "no interval: resamples without events"
    if lo > 1:
        return "more than the product of the single effects"
    if hi < 1:
        return "less than the product of the single effects"
    return "not distinguishable from the product of the single effects"


def _verdict(lo: float, hi: float, n: int) -> str:
    if n < 2 or not (math.isfinite(lo) and math.isfinite(hi)):
        return "not enough paired runs to tell"
    if lo > 0:
        return "more than the sum of the single effects"
    if hi < 0:
        return "less than the sum of the single effects"
    return "not distinguishable from the sum of the single effects"


def interaction_sentence(inter: pd.DataFrame) -> str:
    """The answer to spec §5's question, on throughput, in one sentence."""
    if inter.empty:
        return ""
    r = inter.set_index("outcome").loc["transfers_per_year"]
    missing = f" (singles not swept: {r['singles_missing']})" if r["singles_missing"] else ""
    mult = fmt_ci(r["multiplicative_interaction"], r["mult_ci_low"], r["mult_ci_high"],
                  int(r["n_pairs"]))
    return (
        f"full_chain vs {r['reference']}: {fmt(r['full_chain_effect'])} transfers/year; the "
        f"{len(r['singles'].split(','))} single policies sum to "
        f"{fmt(r['sum_of_single_effects'])}{missing}. Interaction (full − sum) = "
        f"{fmt(r['interaction'])} [95% CI {fmt(r['ci_low'])}, {fmt(r['ci_high'])}] over "
        f"{int(r['n_pairs'])} paired replications: full_chain's effect on throughput is "
        f"{r['verdict']}. Against the multiplicative null, (full ÷ reference) ÷ Π (single ÷ "
        f"reference) = {mult}: {r['multiplicative_verdict']}."
    )


# --- tables -----------------------------------------------------------------------------------
MAIN = ("transfers_per_year", "gate_clinical_per_year", "median_months_to_market", "public_spend",
        RATIO_OUTCOME)
HEADER = ["point", "Δ transfers/year", "Δ clinical entries/year", "Δ months to market",
          "Δ public spend (M RMB/run)", "public M RMB per additional transfer"]


def effects_markdown(
    effects: pd.DataFrame, inter: pd.DataFrame, results: Results, ref_runs: pd.DataFrame
) -> str:
    """The main effects (throughput, time to market, public money per additional transfer)."""
    reference = effects["reference"].iloc[0] if len(effects) else ""
    reps = results.replications
    rows = []
    for label, group in effects.groupby("label", sort=False):
        by = group.set_index("outcome")
        cells = [str(label)]
        for o in MAIN:
            r = by.loc[o]
            text = fmt_ci(r["effect"], r["ci_low"], r["ci_high"], int(r["n_pairs"]))
            if o != RATIO_OUTCOME and int(r["n_pairs"]) < reps:
                text += f" (n={int(r['n_pairs'])})"
            text += resolution_mark(r)
            if r["note"]:
                text += f" — {r['note']}"
            cells.append(text)
        rows.append(cells)
    base = ", ".join(
        f"{o} {fmt(mean_interval(ref_runs[o].to_numpy(dtype=float))[0])} {u}"
        for o, u in (("transfers_per_year", "per year"), ("median_months_to_market", "months"),
                     ("public_spend", "M RMB per run"))
        if o in ref_runs.columns
    )
    parts = [
        f"# Paired effects against `{reference}`: {results.name}",
        provenance(results),
        f"Reference `{reference}` means: {base}.",
        "Each cell is the mean paired difference point − reference over replications "
        "(replication r has the same seed at every point: common random numbers) with its "
        "95% t-interval. Δ transfers/year in market entries per year; Δ clinical entries/year "
        "in projects entering clinical trials (IND) per year, the gate where a policy introduced "
        "at the first counted month shows first; Δ months to market in "
        "months (negative = faster; only pairs where both runs had a transfer, `n`); Δ public "
        "spend (gross) in M RMB per run over the counted months; public money per additional "
        "transfer = mean Δ net public cost (net of returns, discounted: docs/ODD.md §7.17) ÷ "
        "mean Δ transfers in M RMB, with Fieller's 95% interval "
        "(unbounded when Δ transfers is not significantly different from zero). `MDE` is the "
        "minimal detectable effect: the true effect a paired t-test at two-sided 5% finds "
        "with 80% power at this number of pairs (an interval that includes 0 rules out effects "
        "much larger than it); † marks an effect whose estimates on the even and the odd "
        "replications (disjoint seed sets) disagree (Welch's t-test, 5%). All outcomes: "
        "effects.csv; columns: docs/outputs.md.",
        markdown_table(HEADER, rows),
    ]
    if not inter.empty:
        irows = [
            [r.outcome, fmt(r.full_chain_effect), fmt(r.sum_of_single_effects),
             fmt_ci(r.interaction, r.ci_low, r.ci_high, int(r.n_pairs))
             + (f" · MDE {fmt(r.mde)}" if math.isfinite(r.mde) else ""),
             r.verdict,
             fmt_ci(r.multiplicative_interaction, r.mult_ci_low, r.mult_ci_high, int(r.n_pairs)),
             r.multiplicative_verdict, str(int(r.n_pairs))]
            for r in inter.itertuples()
        ]
        parts += [
            "## Is the full chain more than the sum of its parts?",
            interaction_sentence(inter),
            "Additive null: per replication, interaction = (full_chain − reference) − Σ (single "
            "policy − reference); the table gives its mean and paired 95% CI (for months to "
            "market, a negative interaction means the package shortens time to market by more "
            "than the single policies together). Multiplicative (log-additive) null: "
            "(full_chain mean ÷ reference mean) ÷ Π (single policy mean ÷ reference mean), 1 "
            "when the package multiplies the single policies' ratios, with a 95% percentile "
            "bootstrap over replications. In a serial chain of gates a package multiplies pass "
            "rates, so it is super-additive by construction; above 1 it does more than that.",
            markdown_table(
                ["outcome", "full_chain effect", "sum of single effects",
                 "additive interaction [95% CI]", "vs the sum", "multiplicative interaction "
                 "[95% CI]", "vs the product", "pairs"],
                irows,
            ),
        ]
    return "\n\n".join(parts) + "\n"


def halves_markdown(effects: pd.DataFrame, chance: np.ndarray | None = None) -> str:
    """The re-estimate on two disjoint seed sets: which effects disagree, and how many would.

    ``chance`` are the counts of flags on random re-splits of the same seeds
    (``split_chance_counts``); the observed count is judged against them, not against a
    binomial 5% of the effects, which ignores that the effects share the reference runs.
    """
    tested = effects[effects["halves_agree"].notna() & effects["outcome"].isin(SPLIT_FAMILY)]
    if tested.empty:
        return ("## Do two disjoint seed sets agree?\n\nNot tested: the even and the odd "
                "replications need at least two pairs each (four replications in all).\n")
    bad = tested[tested["halves_agree"] == False]  # noqa: E712 - object column of bools
    rows = [
        [r.label, r.outcome, fmt(r.effect_even), fmt(r.effect_odd), f"{r.halves_p:.3g}"]
        for r in bad.itertuples()
    ]
    text = [
        "## Do two disjoint seed sets agree?",
        f"Every effect is re-estimated on the even and on the odd replications (disjoint seed "
        f"sets, same pairing) and the two estimates compared by Welch's two-sample t-test, "
        f"two-sided at {SPLIT_ALPHA:.0%}: with no true difference each effect is flagged with "
        f"probability {SPLIT_ALPHA:.0%}. {len(bad)} of {len(tested)} effects disagree "
        f"(transfers per run, the same test as transfers per year, not counted)."
        + chance_sentence(len(bad), chance),
    ]
    if rows:
        text.append(markdown_table(
            ["point", "outcome", "effect (even replications)", "effect (odd replications)",
             "p"], rows))
    return "\n\n".join(text) + "\n"


def chance_sentence(observed: int, chance: np.ndarray | None) -> str:
    """How the observed count of disagreements compares with random re-splits of the seeds."""
    if chance is None or len(chance) == 0:
        return ""
    c = np.asarray(chance)
    share = family_share(observed, c)
    verdict = ("more than chance gives" if share < SPLIT_ALPHA
               else "within what chance gives")
    return (
        f" The effects are not independent tests (every point is paired with the same "
        f"reference runs; outcomes move together), so the number flagged by chance varies more "
        f"than a binomial count: on {c.size:,} random re-splits of the same seeds into two "
        f"halves the same test flags a median of {np.median(c):.0f} (mean {c.mean():.1f}, "
        f"95th percentile {np.percentile(c, 95):.0f}); {share:.1%} of the splits flag "
        f"{observed} or more, {verdict}."
    )


def resolution_mark(row: pd.Series) -> str:
    """`` · MDE x`` after an effect, and `` †`` when its two seed halves disagree."""
    mde = row.get("mde", math.nan)
    text = f" · MDE {fmt(mde)}" if isinstance(mde, float) and math.isfinite(mde) else ""
    return text + (" †" if row.get("halves_agree") is False else "")


def effects_text(effects: pd.DataFrame, max_rows: int = 15) -> str:
    """Plain-text effect table for the terminal (units in the header)."""
    header = ["point", "Δ transfers/year", "Δ clinical entries/year", "Δ months to market",
              "public M RMB/extra transfer"]
    rows = []
    for label, group in effects.groupby("label", sort=False):
        by = group.set_index("outcome")
        rows.append([str(label)] + [
            fmt_ci(by.loc[o, "effect"], by.loc[o, "ci_low"], by.loc[o, "ci_high"],
                   int(by.loc[o, "n_pairs"])) + resolution_mark(by.loc[o])
            for o in ("transfers_per_year", "gate_clinical_per_year", "median_months_to_market",
                      RATIO_OUTCOME)
        ])
    more = len(rows) - max_rows
    text = plain_table(header, rows[:max_rows])
    return text + (f"\n… {more} more points in effects.md" if more > 0 else "")
