"""The data dictionary: every output column declared once, with meaning, unit and computation.

Four tables leave a run or a sweep: ``runs.parquet`` (one row per run: its place in the design
and the run summary of ``metrics.summarise``), ``timeseries.parquet`` (one row per run and
month: ``metrics.snapshot``), and the report's CSV files (``summary.csv``, ``effects.csv``,
``interaction.csv``, ``sensitivity.csv``) and the scenario-discovery files (``boxes.csv``,
``peeling.csv``). A test fails when a run produces a column this module does not declare, or
declares one no run produces; ``docs/outputs.md`` is generated from it (``outputs_markdown``)
and checked by a doc test; ``annotate_schema`` writes it into the Parquet schema, so a results
file carries its own units (``pyarrow.parquet.read_schema(path).field(name).metadata``).

``domain`` is the range a column's values can take (``None`` = unbounded on that side); the
report's intervals respect it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from ecosystem.accounts import PRIVATE_PAYERS, PUBLIC_INSTRUMENTS
from ecosystem.gates import KM_HORIZON_MONTHS, YEARLY_FLOWS
from ecosystem.metrics import COUNTER_COLUMNS, PILOT_LOCATIONS
from ecosystem.project import EXIT_CAUSES
from ecosystem.stationarity import SERIES
from ecosystem.vocabulary import GATE_LABELS

COUNT = (0.0, None)
SHARE = (0.0, 1.0)
ANY = (None, None)
PARAM_PREFIX = "param:"


@dataclass(frozen=True)
class Column:
    """One output column."""

    name: str
    unit: str
    meaning: str
    computed: str
    domain: tuple[float | None, float | None] = ANY

    def contains(self, low: float, high: float) -> tuple[float, float]:
        """``[low, high]`` clipped to the column's domain (for intervals of its mean)."""
        lo, hi = self.domain
        return (max(low, lo) if lo is not None else low, min(high, hi) if hi is not None else high)


def _c(name: str, unit: str, meaning: str, computed: str, domain=ANY) -> Column:
    return Column(name, unit, meaning, computed, domain)


# --- runs.parquet ---------------------------------------------------------------------------
_GATE_ROWS = [
    (name, GATE_LABELS.get(name, "start-ups founded"), counter)
    for name, counter in YEARLY_FLOWS.items()
]
_FLOW = "last month − end of warm-up, of the timeseries column `{}`"
RUN_POSITION: tuple[Column, ...] = (
    _c("run_id", "id", "run number in the sweep (point-major, then replication)",
       "experiments.sweep.plan_runs", COUNT),
    _c("point_id", "id", "parameter point of the design", "experiments.design.design_points",
       COUNT),
    _c("replication", "id", "replication number; replication r has the same seed at every "
       "point (common random numbers)", "experiments.sweep.plan_runs", COUNT),
    _c("seed", "seed", "the run's seed", "experiments.seeds.run_seed(base_seed, replication)",
       COUNT),
    _c("active_policies", "text", "comma-separated policies switched on at the end of the run "
       "(`none` if none)", "model.active_policy_names()"),
    _c("spun_up", "flag", "the run paid its own spin-up (false: it forked the spin-up its seed's "
       "earlier arm in the task paid; same results either way)",
       "experiments.runner.SharedSpinUp"),
)
PARAM_COLUMN = _c(
    "param:<dotted path>", "the parameter's unit (docs/parameters.md)",
    "value of a swept parameter at this run's point (`param:scenario` for scenario sweeps)",
    "experiments.design.design_points",
)

RUN_SUMMARY: tuple[Column, ...] = (
    _c("transfers", "market entries per run", "projects that reached the market in the counted "
       "months", _FLOW.format("transfers"), COUNT),
    _c("transfers_per_year", "market entries per year", "transfer throughput",
       "transfers ÷ (months ÷ 12)", COUNT),
    _c("pilot_failure_rate", "share (0–1)", "failed ÷ finished pilots",
       "flow of pilots_failed ÷ (pilots_failed + pilots_passed)", SHARE),
    _c("median_months_to_market", "months", "median months from discovery to market of the "
       "run's transfers (NaN without any)", "finished-project records", COUNT),
    _c("iqr_months_to_market", "months", "interquartile range of those months",
       "finished-project records", COUNT),
    _c("public_spend", "M RMB per run", "public money spent in the counted months",
       _FLOW.format("public_spend"), COUNT),
    _c("private_spend", "M RMB per run", "private money spent in the counted months",
       _FLOW.format("private_spend"), COUNT),
    _c("public_spend_per_transfer", "M RMB per transfer", "public money per market entry "
       "(NaN without transfers)", "public_spend ÷ transfers", COUNT),
    _c("outsourcing_share", "share (0–1)", "piloting firms that outsourced out of region",
       "firms_outsourcing_out ÷ firms_piloting, last month", SHARE),
    _c("nonviable_candidate_share", "share (0–1)", "PoC candidates that were not viable",
       "flow of poc_candidates_nonviable ÷ poc_candidates", SHARE),
    _c("biologic_reapproval_share", "share (0–1)", "biologic pilots needing GMP re-approval",
       "flow of gmp_reapprovals ÷ biologic_pilots_checked", SHARE),
    _c("pilot_funding_share", "share (0–1)", "successful PoCs whose pilot got funded",
       "flow of pocs_pilot_funded ÷ successful_pocs", SHARE),
    _c("poc_success_rate", "share (0–1)", "PoCs that succeeded",
       "flow of successful_pocs ÷ entered_poc", SHARE),
    _c("poc_to_pilot_rate", "share (0–1)", "pilot-stage projects whose pilot started",
       "flow of pilots_started ÷ entered_pilot", SHARE),
    _c("pilot_to_industrialisation_rate", "share (0–1)", "started pilots that reached "
       "industrialisation", "flow of entered_industrialisation ÷ pilots_started", SHARE),
    _c("industrialisation_to_market_rate", "share (0–1)", "industrialisation entries that "
       "reached market", "transfers ÷ flow of entered_industrialisation", SHARE),
    _c("valley_of_death_deaths", "projects per run", "projects dead for lack of money or "
       "investor withdrawal", "flow of exit_no_funding + exit_investor_withdrawal", COUNT),
    _c("entered_poc", "projects per run", "projects that entered proof of concept",
       _FLOW.format("entered_poc"), COUNT),
    _c("pilots_started", "pilots per run", "pilots started (funded)",
       _FLOW.format("pilots_started"), COUNT),
    _c("startups_founded", "firms per run", "start-ups founded", _FLOW.format("startups_founded"),
       COUNT),
    _c("gmp_reapprovals", "projects per run", "GMP re-approvals after a GLP pilot",
       _FLOW.format("gmp_reapprovals"), COUNT),
    _c("reapproval_months_mean", "months", "mean months of a GMP re-approval",
       "flow of reapproval_months ÷ gmp_reapprovals", COUNT),
    _c("pilot_share_out_of_region", "share (0–1)", "pilot-months run out of region "
       "(cumulative)", "timeseries pilot_share_out_of_region, last month", SHARE),
    _c("handoff_months_mean", "months", "mean delay of a hand-off between actors",
       "flow of handoff_months ÷ handoffs", COUNT),
    _c("trial_wait_months_mean", "months", "mean months a trial phase searched for a site",
       "flow of trial_wait_months ÷ trial_sites_sought", COUNT),
    _c("licences_per_poc", "ratio", "licences (or start-ups) per successful PoC",
       "flow of licences ÷ successful_pocs", COUNT),
    _c("collaboration_links", "links per run", "collaboration links formed",
       "flow of links_in_circle + links_outside_circle", COUNT),
    _c("public_guidance_fund", "M RMB per run", "guidance-fund investments",
       _FLOW.format("public_guidance_fund"), COUNT),
    *(
        _c(f"gate_{g}_per_year", "projects per year", f"projects through the gate: {label} "
           "(counted months)", f"flow of `{counter}` ÷ (months ÷ 12); ecosystem.gates", COUNT)
        for g, label, counter in _GATE_ROWS
    ),
    *(
        _c(f"km_{g}_share_{KM_HORIZON_MONTHS}m", "share (0–1)", f"of the projects discovered in "
           f"the counted months, the share passing the gate ({label}) within "
           f"{KM_HORIZON_MONTHS} months of discovery; censored at the run's end",
           "Kaplan–Meier (lifelines); ecosystem.gates.km_share_reaching", SHARE)
        for g, label in GATE_LABELS.items()
    ),
    _c("stationarity_p", "p-value", "smallest Holm-adjusted Mann–Kendall p over the yearly "
       "stocks per stage and flows per gate of the counted months",
       "ecosystem.stationarity.trend_table", SHARE),
    _c("stationary", "flag (0/1)", "1 if no stock or flow trends (all Holm-adjusted p ≥ 0.05)",
       "ecosystem.stationarity.stationarity_summary", SHARE),
    *(
        _c(f"trend_{name}", "share of the mean per year", f"least-squares slope ÷ mean of the "
           f"yearly series {name} over the counted months", "ecosystem.stationarity.trend_table")
        for name in SERIES
    ),
    *(
        _c(f"exit_{c}", "projects per run", f"projects that left the chain: {c.replace('_', ' ')}",
           _FLOW.format(f"exit_{c}"), COUNT)
        for c in EXIT_CAUSES
    ),
    _c("net_public_cost", "M RMB per run", "public money spent minus recovered in the counted "
       "months (grants, subsidies, guarantees, fund investments less fund returns, programme "
       "running costs), discounted to the counted months' start",
       "flow of net_public_cost_pv × (1 + public rate)^(warm-up years)"),
    _c("net_public_cost_per_transfer", "M RMB per transfer", "net public cost per market entry "
       "(NaN without transfers)", "net_public_cost ÷ transfers"),
    _c("withdrawals", "events per run", "funders that left a running pilot",
       _FLOW.format("withdrawals"), COUNT),
    *(
        _c(f"withdrawals_{r}", "events per run", f"funders that left a running pilot, reason: {r}"
           " (pilot_financing.leave_reason)", _FLOW.format(f"withdrawals_{r}"), COUNT)
        for r in ("patience", "liquidity", "belief")
    ),
    _c("poc_withdrawals", "events per run", "venture investors that stopped paying a PoC "
       "(harvest years or no money; the lab may take over)", _FLOW.format("poc_withdrawals"),
       COUNT),
    _c("readouts_troubled_share", "share (0–1)", "interim pilot readouts that said 'troubled'",
       "flow of readouts_troubled ÷ flow of interim_readouts", SHARE),
    _c("pilots_insured", "pilots per run", "pilots whose holder bought insurance",
       _FLOW.format("pilots_insured"), COUNT),
    *(
        _c(f"financing_fail_{c}", "attempts per run", f"failed monthly pilot-financing attempts "
           f"whose cause was {c.replace('_', ' ')}", _FLOW.format(f"financing_fail_{c}"), COUNT)
        for c in ("valuation", "belief", "capital", "risk_budget", "liquidity")
    ),
    _c("financing_fail_main_cause_share", "share (0–1)", "share of failed financing attempts "
       "due to the commonest cause (1 = one cause explains all)",
       "max of financing_fail_* ÷ their sum", SHARE),
)

# --- timeseries.parquet ---------------------------------------------------------------------
_CUM = "cumulative count since month 0 (chain counter `{}`)"
_COUNTER_MEANING = {
    "reapproval_months": ("months", "months of GMP re-approval, summed"),
    "handoff_months": ("months", "months of hand-off delay, summed"),
    "pilot_months_in_circle": ("pilot-months", "pilot-months in the one-hour circle"),
    "pilot_months_in_region": ("pilot-months", "pilot-months in region, outside the circle"),
    "pilot_months_out_of_region": ("pilot-months", "pilot-months out of region"),
    "pilot_months_enclave": ("pilot-months", "pilot-months in an enclave park (enclave_parks)"),
    "links_in_circle": ("links", "collaboration links inside the circle"),
    "links_outside_circle": ("links", "collaboration links outside the circle"),
    "startups_founded": ("firms", "start-ups founded"),
    "professor_founders": ("firms", "start-ups founded by a professor"),
    "acquisitions": ("projects", "projects acquired by a lead firm"),
    "handoffs": ("hand-offs", "hand-offs between actors"),
    "handoffs_out_of_region": ("hand-offs", "hand-offs out of region"),
    "needs_collected": ("needs", "clinical needs collected from hospitals"),
    "hospital_adoptions": ("adoptions", "products adopted by regional hospitals"),
    "ipos": ("products", "small firms that listed at their product's launch (exit decision)"),
    "lead_firm_launches": ("products", "lead-firm holders that launched and bought out "
                           "co-investors"),
    "sme_acquired": ("products", "small firms bought by a lead firm at launch"),
    "licensed_out": ("products", "products licensed out of region at launch"),
    "pilots_insured": ("pilots", "pilots whose holder bought the voluntary insurance"),
    "seed_rounds": ("firms", "start-ups capitalised by a venture investor's seed round"),
    **{
        f"financing_fail_{c}": ("attempts", f"failed monthly pilot-financing attempts, cause: {c}")
        for c in ("valuation", "belief", "capital", "risk_budget", "liquidity")
    },
    "withdrawals": ("events", "investor withdrawals"),
    **{
        f"withdrawals_{r}": ("events", f"investor withdrawals from a running pilot, reason: {r}")
        for r in ("patience", "liquidity", "belief")
    },
    "poc_withdrawals": ("events", "venture investors that stopped paying a PoC"),
    "interim_readouts": ("pilots", "pilots that reached their interim (half-way) readout"),
    "readouts_troubled": ("pilots", "interim readouts that said 'troubled'"),
    "licences": ("projects", "PoC results licensed to a firm or a start-up (gate: licence)"),
    "clinical_entries": ("projects", "projects entering clinical trials, IND granted "
                         "(gate: clinical)"),
    "approvals": ("projects", "market approvals, registration granted (gate: approval)"),
}
TIMESERIES: tuple[Column, ...] = (
    _c("run_id", "id", "run of runs.parquet (join on it for the point and parameters)",
       "experiments.runner.timeseries_table", COUNT),
    _c("month", "month", "month of the run (1 = first; warm-up months come first)",
       "model.month", COUNT),
    _c("counted", "bool", "whether the month is after the warm-up (counted in the summary)",
       "month > warmup_months"),
    *(
        _c(f"stage_{s}", "projects", f"projects in {s.replace('_', ' ')} this month",
           "chain.stage_counts()", COUNT)
        for s in ("poc", "pilot", "industrialisation")
    ),
    _c("transfers", "market entries", "cumulative market entries", _CUM.format("transfers"),
       COUNT),
    *(
        _c(k, _COUNTER_MEANING.get(k, ("projects", ""))[0],
           _COUNTER_MEANING.get(k, ("", k.replace("_", " ")))[1] or k.replace("_", " "),
           _CUM.format(k), COUNT)
        for k in COUNTER_COLUMNS
    ),
    *(
        _c(f"exit_{c}", "projects", f"cumulative exits: {c.replace('_', ' ')}",
           "chain.exits", COUNT)
        for c in EXIT_CAUSES
    ),
    _c("public_spend", "M RMB", "cumulative public money", "ledger.public_total", COUNT),
    _c("private_spend", "M RMB", "cumulative private money", "ledger.private_total", COUNT),
    *(
        _c(f"public_{k}", "M RMB", f"cumulative public money: {k.replace('_', ' ')}",
           f"ledger.public['{k}']", COUNT)
        for k in PUBLIC_INSTRUMENTS
    ),
    *(
        _c(f"private_{k}", "M RMB", f"cumulative private money paid by {k} payers",
           f"ledger.private['{k}']", COUNT)
        for k in PRIVATE_PAYERS
        if k != "insurer_claims"
    ),
    _c("insurance_premiums", "M RMB", "cumulative pilot-insurance premiums (firm + subsidy)",
       "ledger.premiums", COUNT),
    _c("insurance_claims", "M RMB", "cumulative pilot-insurance claims paid", "ledger.claims",
       COUNT),
    _c("public_recoveries", "M RMB", "cumulative public money recovered (guidance-fund exit "
       "proceeds)", "ledger.recoveries", COUNT),
    _c("net_public_cost", "M RMB", "cumulative public money spent minus recovered",
       "ledger.public_total − ledger.recoveries"),
    _c("net_public_cost_pv", "M RMB", "the same, each month discounted to month 0 at "
       "economics.public_discount_rate", "ledger.close_month"),
    _c("insurer_pool", "M RMB", "the insurer's pool: reserve + premiums − claims",
       "insurer.capital", COUNT),
    _c("insurer_shortfall", "M RMB", "cumulative claims the insurer's pool could not pay",
       "insurer.shortfall", COUNT),
    _c("product_sales", "M RMB", "cumulative sales of products held in the region",
       "book.flows['product_sales']", COUNT),
    _c("royalties", "M RMB", "cumulative royalties paid to institutions",
       "book.flows['royalties']", COUNT),
    _c("fund_raising", "M RMB", "cumulative new venture money raised from limited partners",
       "book.flows['fund_raising']", COUNT),
    _c("business_income", "M RMB", "cumulative money lead firms' existing business (outside the "
       "region's pipeline) put back into their budgets", "book.flows['business_income']", COUNT),
    _c("seed_round_money", "M RMB", "cumulative venture money put into start-ups' seed rounds",
       "book.flows['seed_rounds']", COUNT),
    *(
        _c(f"pilot_share_{w}", "share (0–1)", f"pilot-months {w.replace('_', ' ')} ÷ all "
           "pilot-months (cumulative)", f"pilot_months_{w} ÷ sum of pilot_months_*", SHARE)
        for w in PILOT_LOCATIONS
    ),
    _c("firms_piloting", "firms", "firms that ran a pilot or production (cumulative)",
       "firms with ran_pilot_or_production", COUNT),
    _c("firms_outsourcing_out", "firms", "of those, firms that outsourced out of region",
       "firms with outsourced_out_of_region", COUNT),
    _c("circle_minutes", "minutes", "travel-time radius of the one-hour circle this month",
       "region.circle.minutes", COUNT),
    _c("policy_changes", "events", "policy switches so far (cumulative)",
       "len(model.policy_events)", COUNT),
    _c("active_policies", "text", "policies switched on this month", "active_policy_names()"),
)

# --- report and discovery files ---------------------------------------------------------------
_POINT = (
    _c("point_id", "id", "parameter point", "runs.point_id", COUNT),
    _c("label", "text", "readable point label (scenario, name=value pairs or `point N`)",
       "experiments.tables.point_labels"),
)
_RESOLUTION = (
    _c("sd_diff", "the outcome's unit", "sd of the paired differences", "numpy std, ddof 1"),
    _c("mde", "the outcome's unit", "minimal detectable effect: true paired effect found with "
       "80% power by a two-sided 5% paired t-test at n_pairs (NaN when the pairs never differ)",
       "statsmodels TTestPower × sd_diff"),
    _c("effect_even", "the outcome's unit", "the effect on the even replications only",
       "experiments.statistics.split_halves"),
    _c("effect_odd", "the outcome's unit", "the effect on the odd replications only (a "
       "disjoint seed set)", "experiments.statistics.split_halves"),
    _c("halves_p", "p-value", "Welch's two-sample t-test of effect_even against effect_odd",
       "scipy.stats.ttest_ind(equal_var=False)"),
    _c("halves_agree", "bool", "p ≥ 0.05 (empty with fewer than two pairs per half); a false "
       "flag has 5% probability per effect, and effects.md compares the table's count of flags "
       "(without `transfers`, the same test as `transfers_per_year`) with its counts on 1,000 "
       "random re-splits of the same seeds",
       "experiments.statistics.SPLIT_ALPHA, split_flag_counts"),
)
REPORT_FILES: dict[str, tuple[Column, ...]] = {
    "summary.csv": (
        *_POINT,
        _c("param:<dotted path>", "the parameter's unit", "swept value at the point",
           "runs.param:*"),
        _c("runs", "runs", "runs at the point", "count", COUNT),
        _c("active_policies", "text", "policies on at the end of the point's first run",
           "runs.active_policies"),
        _c("outcome", "text", "run-summary column (see runs.parquet)", "—"),
        _c("unit", "text", "the outcome's unit", "this dictionary"),
        _c("mean", "the outcome's unit", "mean over the runs with a value", "numpy mean"),
        _c("ci_low", "the outcome's unit", "lower end of the 95% interval of the mean",
           "percentile bootstrap (scipy.stats.bootstrap), inside the outcome's domain"),
        _c("ci_high", "the outcome's unit", "upper end of the 95% interval of the mean",
           "percentile bootstrap (scipy.stats.bootstrap), inside the outcome's domain"),
        _c("n", "runs", "runs with a finite value", "count", COUNT),
    ),
    "effects.csv": (
        *_POINT,
        _c("reference", "text", "label of the reference point", "experiments.effects"),
        _c("outcome", "text", "run-summary column, or public_money_per_additional_transfer",
           "—"),
        _c("unit", "text", "the outcome's unit", "this dictionary"),
        _c("reference_mean", "the outcome's unit", "reference mean over the pairs used",
           "numpy mean"),
        _c("point_mean", "the outcome's unit", "the point's mean over the pairs used",
           "numpy mean"),
        _c("effect", "the outcome's unit", "mean paired difference point − reference (a ratio "
           "for public money per additional transfer)", "paired on replications (same seed)"),
        _c("ci_low", "the outcome's unit", "lower end of the 95% interval of the effect",
           "paired t-interval (Fieller's interval for the ratio)"),
        _c("ci_high", "the outcome's unit", "upper end of the 95% interval of the effect",
           "paired t-interval (Fieller's interval for the ratio)"),
        _c("relative_effect", "share", "effect ÷ reference mean", "—"),
        _c("n_pairs", "pairs", "replications where both runs have a value", "count", COUNT),
        _c("note", "text", "why an interval is missing or unbounded", "—"),
        *_RESOLUTION,
    ),
    "interaction.csv": (
        _c("outcome", "text", "run-summary column", "—"),
        _c("reference", "text", "reference scenario", "—"),
        _c("full_chain_effect", "the outcome's unit", "full_chain − reference, mean of pairs",
           "paired"),
        _c("sum_of_single_effects", "the outcome's unit", "Σ (single policy − reference)",
           "paired"),
        _c("interaction", "the outcome's unit", "full_chain effect − sum of single effects",
           "mean over replications"),
        _c("ci_low", "the outcome's unit", "lower end of its 95% t-interval", "paired t"),
        _c("ci_high", "the outcome's unit", "upper end of its 95% t-interval", "paired t"),
        _c("n_pairs", "replications", "replications with a value in every scenario", "count"),
        _c("singles", "text", "single-policy scenarios in the sweep", "—"),
        _c("singles_missing", "text", "single policies not swept", "—"),
        _c("mde", "the outcome's unit", "minimal detectable interaction (80% power, two-sided "
           "5%)", "statsmodels TTestPower, paired sd and n"),
        _c("verdict", "text", "more / less / not distinguishable from the sum", "CI vs 0"),
        _c("multiplicative_interaction", "ratio", "(full_chain mean ÷ reference mean) ÷ Π "
           "(single mean ÷ reference mean); 1 under the log-additive null",
           "means over the replications used"),
        _c("mult_ci_low", "ratio", "lower end of its 95% interval",
           "percentile bootstrap over replications (scipy.stats.bootstrap)"),
        _c("mult_ci_high", "ratio", "upper end of its 95% interval",
           "percentile bootstrap over replications (scipy.stats.bootstrap)"),
        _c("multiplicative_verdict", "text", "more / less / not distinguishable from the "
           "product", "CI vs 1"),
    ),
    "gates.csv": (
        *_POINT[:1],
        _c("point", "text", "readable point label", "experiments.tables.point_labels"),
        _c("gate", "text", "gate (poc, licence, pilot, clinical, approval, market) or startups",
           "ecosystem.gates.YEARLY_FLOWS"),
        _c("label", "text", "the gate's label", "ecosystem.vocabulary.GATE_LABELS"),
        _c("per_year", "projects per year", "mean over runs of gate_<gate>_per_year",
           "ecosystem.calibration.gate_frame"),
        _c("ci_low", "projects per year", "lower end of the 95% interval of the mean",
           "percentile bootstrap (scipy.stats.bootstrap)"),
        _c("ci_high", "projects per year", "upper end of the 95% interval of the mean",
           "percentile bootstrap (scipy.stats.bootstrap)"),
        _c("n", "runs", "runs with a value", "count", COUNT),
        _c("km_share", "share (0–1)", "mean over runs of the Kaplan–Meier share of the counted "
           "months' discoveries reaching the gate within 120 months (NaN for startups)",
           "km_<gate>_share_120m"),
        _c("km_n", "runs", "runs with a Kaplan–Meier share", "count", COUNT),
    ),
    "response_over_time.csv": (
        *_POINT,
        _c("reference", "text", "label of the reference point", "experiments.over_time"),
        _c("gate", "text", "gate or startups", "ecosystem.gates.YEARLY_FLOWS"),
        _c("year", "years", "year since the policy's introduction (first counted month = "
           "start of year 1)", "ecosystem.gates.yearly_flows", COUNT),
        _c("reference_mean", "projects per year", "reference's flow through the gate that "
           "year, mean over the pairs", "numpy mean"),
        _c("effect", "projects per year", "mean paired difference arm − reference in that "
           "year's flow", "paired on replications (same seed, same spun-up state)"),
        _c("ci_low", "projects per year", "lower end of its 95% t-interval", "paired t"),
        _c("ci_high", "projects per year", "upper end of its 95% t-interval", "paired t"),
        _c("mde", "projects per year", "minimal detectable effect that year (80% power, "
           "two-sided 5%)", "statsmodels TTestPower"),
        _c("cumulative_effect", "projects", "mean paired difference in the projects passing "
           "the gate from the introduction to the end of that year", "paired"),
        _c("cumulative_ci_low", "projects", "lower end of its 95% t-interval", "paired t"),
        _c("cumulative_ci_high", "projects", "upper end of its 95% t-interval", "paired t"),
        _c("n_pairs", "pairs", "replications with both runs", "count", COUNT),
    ),
    "onset.csv": (
        *_POINT,
        _c("gate", "text", "gate or startups", "ecosystem.gates.YEARLY_FLOWS"),
        _c("months", "months", "12 × the first year since introduction whose cumulative paired "
           "effect has a 95% CI excluding 0 (NaN: not within the window)",
           "experiments.over_time.onset", COUNT),
        _c("sign", "text", "+ or −: the direction it showed in", "—"),
        _c("window_years", "years", "whole counted years searched", "count", COUNT),
        _c("shows", "text", "months and sign, or `not within the window`", "—"),
    ),
    "power.csv": (
        *_POINT,
        _c("outcome", "text", "transfers_per_year or gate_clinical_per_year",
           "experiments.power.POWER_OUTCOMES"),
        _c("reference_mean", "the outcome's unit", "reference (status-quo) level", "numpy mean"),
        _c("sd_diff", "the outcome's unit", "sd of the paired differences in this run",
           "numpy std, ddof 1"),
        _c("n_pairs", "pairs", "replications used", "count", COUNT),
        _c("half_width", "the outcome's unit", "95% t half-width of the effect now",
           "t(0.975, n−1)·sd/√n"),
        _c("target_half_width", "the outcome's unit", "25% of the reference level",
           "experiments.power.TARGET_SHARE"),
        _c("replications_needed", "replications", "fewest n with t(0.975, n−1)·sd/√n ≤ target "
           "(NaN when the pairs never differed)",
           "experiments.statistics.replications_for_half_width", COUNT),
        _c("note", "text", "why a row is not sized", "—"),
    ),
    "sensitivity.csv": (
        _c("method", "text", "sobol, morris, or delta (LHS designs)", "SALib"),
        _c("outcome", "text", "run-summary column", "—"),
        _c("parameter", "text", "swept parameter (dotted path)", "—"),
        _c("index", "text", "S1, ST (Sobol); mu_star, mu, sigma (Morris); delta, S1 (delta)",
           "SALib.analyze"),
        _c("value", "index's unit (share; Morris: outcome unit per parameter range)",
           "the index", "SALib.analyze on point means"),
        _c("conf", "as value", "half-width of SALib's 95% bootstrap interval", "SALib"),
        _c("points_used", "points", "design points analysed", "count", COUNT),
        _c("note", "text", "why an index is missing", "—"),
    ),
    "boxes.csv": (
        _c("box", "id", "box number along PRIM's peeling trajectory", "ema_workbench prim",
           COUNT),
        _c("coverage", "share (0–1)", "cases of interest inside the box ÷ all cases of "
           "interest", "ema_workbench prim", SHARE),
        _c("density", "share (0–1)", "cases of interest inside the box ÷ cases in the box",
           "ema_workbench prim", SHARE),
        _c("mass", "share (0–1)", "cases in the box ÷ all cases", "ema_workbench prim", SHARE),
        _c("restricted", "count", "parameters the box restricts", "ema_workbench prim", COUNT),
        _c("parameter", "text", "a restricted parameter (dotted path)", "—"),
        _c("low", "the parameter's unit", "lower limit of the box on it", "ema_workbench prim"),
        _c("high", "the parameter's unit", "upper limit of the box on it", "ema_workbench prim"),
        _c("qp_value", "p-value", "quasi-p-value of the restriction", "ema_workbench prim"),
        _c("chosen", "bool", "the box the summary describes", "experiments.discover"),
    ),
    "peeling.csv": (
        _c("box", "id", "box number along the trajectory", "ema_workbench prim", COUNT),
        _c("coverage", "share (0–1)", "as in boxes.csv", "ema_workbench prim", SHARE),
        _c("density", "share (0–1)", "as in boxes.csv", "ema_workbench prim", SHARE),
        _c("mass", "share (0–1)", "as in boxes.csv", "ema_workbench prim", SHARE),
        _c("res_dim", "count", "restricted parameters", "ema_workbench prim", COUNT),
    ),
}

RUNS: tuple[Column, ...] = (*RUN_POSITION, *RUN_SUMMARY)
_BY_NAME: dict[str, Column] = {c.name: c for c in (*TIMESERIES, *RUNS)}  # runs win on overlap


def column(name: str) -> Column | None:
    """The run-summary (or else timeseries) column of that name; ``None`` if undeclared."""
    if name.startswith(PARAM_PREFIX):
        return PARAM_COLUMN
    return _BY_NAME.get(name)


def unit(name: str) -> str:
    """The unit of a run-summary or timeseries column (``""`` if undeclared)."""
    c = column(name)
    return c.unit if c is not None else ""


def domain(name: str) -> tuple[float, float]:
    """The domain of a column as floats (``-inf``/``inf`` where unbounded)."""
    c = column(name)
    lo, hi = c.domain if c is not None else ANY
    return (-math.inf if lo is None else lo, math.inf if hi is None else hi)


def undeclared(columns: list[str], table: str) -> tuple[list[str], list[str]]:
    """(Produced columns the dictionary lacks, declared columns the table lacks)."""
    declared = [c.name for c in (RUNS if table == "runs" else TIMESERIES)]
    produced = [c for c in columns if not c.startswith(PARAM_PREFIX)]
    return ([c for c in produced if c not in declared], [c for c in declared if c not in produced])


def annotate_schema(schema: Any, table: str) -> Any:
    """A ``pyarrow.Schema`` with each field's unit/meaning and the dictionary as metadata.

    Called where the sweep writes ``runs.parquet`` / ``timeseries.parquet``; the schema-level
    key ``sciencecity.columns`` holds ``{column: {unit, meaning, computed}}`` as JSON.
    """
    fields = []
    entries: dict[str, dict[str, str]] = {}
    for field in schema:
        c = column(field.name) if table == "runs" else _timeseries_column(field.name)
        if c is None:
            fields.append(field)
            continue
        entry = {"unit": c.unit, "meaning": c.meaning, "computed": c.computed}
        entries[field.name] = entry
        fields.append(field.with_metadata({k.encode(): v.encode() for k, v in entry.items()}))
    meta = dict(schema.metadata or {})
    meta[b"sciencecity.columns"] = json.dumps(entries, ensure_ascii=False).encode()
    meta[b"sciencecity.table"] = table.encode()
    return _schema(fields, meta)


def _schema(fields: list, meta: dict) -> Any:
    import pyarrow as pa

    return pa.schema(fields, metadata=meta)


def _timeseries_column(name: str) -> Column | None:
    return next((c for c in TIMESERIES if c.name == name), None)


def outputs_markdown() -> str:
    """``docs/outputs.md``: every table's columns with unit, meaning and computation."""
    def table(cols: tuple[Column, ...]) -> str:
        rows = ["| column | unit | meaning | computed as |", "|---|---|---|---|"]
        rows += [
            f"| `{c.name}` | {c.unit} | {c.meaning} | {c.computed} |".replace("\n", " ")
            for c in cols
        ]
        return "\n".join(rows)

    parts = [
        "# Outputs: the data dictionary",
        "Generated from `ecosystem/outputs.py` by `python -m ecosystem.outputs > docs/outputs.md`"
        " (a test checks that this file is current). Flows in `runs.parquet` are counted after "
        "the warm-up; money is in M RMB (million yuan). Each Parquet file carries the same "
        "dictionary: `pyarrow.parquet.read_schema(path).field(name).metadata` gives a column's "
        "unit and meaning, the schema key `sciencecity.columns` all of them as JSON.",
        "## runs.parquet (one row per run)",
        table((*RUN_POSITION, PARAM_COLUMN, *RUN_SUMMARY)),
        "## timeseries.parquet (one row per run and month)",
        "Rows carry `run_id` only; the point and the swept parameters come from `runs.parquet`:"
        "\n\n```python\nts = pd.read_parquet(d / 'timeseries.parquet').merge(\n"
        "    pd.read_parquet(d / 'runs.parquet').filter(regex='^(run_id|point_id|replication|"
        "param:)'), on='run_id')\n```",
        table(TIMESERIES),
    ]
    for name, cols in REPORT_FILES.items():
        where = "discover/" if name in ("boxes.csv", "peeling.csv") else "report/"
        parts += [f"## {where}{name}", table(cols)]
    return "\n\n".join(parts) + "\n"


if __name__ == "__main__":
    print(outputs_markdown(), end="")
