"""What the model reports (spec §6): the monthly columns and the per-run summary.

One place lists the model-level columns (``snapshot``); one function computes a run's summary
from the tidy monthly table and the finished-project records (``summarise``), the same for the
CLI, the sweeps and the visual page.
"""

from __future__ import annotations

import math
from typing import Any

import mesa
import numpy as np
import pandas as pd

from agents import Enterprise, Investor, Scientist
from ecosystem.chain import COUNTERS
from ecosystem.gates import KM_HORIZON_MONTHS, YEARLY_FLOWS, gate_summary
from ecosystem.stationarity import SERIES, stationarity_summary
from ecosystem.vocabulary import (
    EXIT_CAUSES,
    GATES,
    INSURER_CLAIMS,
    MARKET,
    PRIVATE_PAYERS,
    PUBLIC_INSTRUMENTS,
    STAGE_INDUSTRIALISATION,
    STAGE_PILOT,
    STAGE_POC,
    VALLEY_OF_DEATH,
)

#: Cumulative event counters of the chain, one column each (transfers has its own place).
#: Why a funder left a running pilot (``pilot_financing.leave_reason``).
WITHDRAWAL_REASONS: tuple[str, ...] = ("patience", "liquidity", "belief")


COUNTER_COLUMNS: tuple[str, ...] = tuple(c for c in COUNTERS if c != "transfers")
#: Monthly column ← the flow of the conserved book (``model.book.flows``) it reports.
FLOW_COLUMNS: dict[str, str] = {
    "product_sales": "product_sales",
    "royalties": "royalties",
    "fund_raising": "fund_raising",
    "business_income": "business_income",
    "seed_round_money": "seed_rounds",
}
#: Money columns of the conserved book and the net public cost (issue 12).
MONEY_COLUMNS: tuple[str, ...] = (
    "public_recoveries",
    "net_public_cost",
    "net_public_cost_pv",
    "insurer_pool",
    "insurer_shortfall",
    *FLOW_COLUMNS,
)
#: Where a pilot-month is spent: the circle, the rest of the region, out of region, an enclave.
PILOT_LOCATIONS: tuple[str, ...] = ("in_circle", "in_region", "out_of_region", "enclave")
#: Causes of a failed pilot-financing attempt (``Funder.refusal``, ``Funder.limit``).
FINANCING_FAILURES: tuple[str, ...] = ("valuation", "belief", "capital", "risk_budget", "liquidity")

MODEL_COLUMNS: tuple[str, ...] = (
    "month",
    "counted",
    "stage_poc",
    "stage_pilot",
    "stage_industrialisation",
    "transfers",
    *COUNTER_COLUMNS,
    *(f"exit_{c}" for c in EXIT_CAUSES),
    "public_spend",
    "private_spend",
    *(f"public_{k}" for k in PUBLIC_INSTRUMENTS),
    *(f"private_{k}" for k in PRIVATE_PAYERS if k != INSURER_CLAIMS),
    "insurance_premiums",
    "insurance_claims",
    *MONEY_COLUMNS,
    "pilot_share_in_circle",
    "pilot_share_in_region",
    "pilot_share_out_of_region",
    "pilot_share_enclave",
    "firms_piloting",
    "firms_outsourcing_out",
    "circle_minutes",
    "policy_changes",
    "active_policies",
)


#: Per-agent data (spec §6), collected only with ``collect_agents = true``: it costs run time.
AGENT_REPORTERS: dict[type, dict[str, str]] = {
    Scientist: {
        "academic_orientation": "academic_orientation",
        "projects_pushed": "projects_pushed",
        "founded_firm": "founded_firm",
    },
    Enterprise: {
        "kind": "kind",
        "capital": "capital",
        "projects_held": "projects_held",
        "ran_pilot_or_production": "ran_pilot_or_production",
        "outsourced_out_of_region": "outsourced_out_of_region",
    },
    Investor: {"kind": "kind", "capital": "capital"},
}


class MonthlyCollector(mesa.DataCollector):
    """Mesa's DataCollector, storing the month's snapshot without deep copies.

    Every model-level value is an immutable scalar computed once per month by ``snapshot``,
    so Mesa's per-reporter deep copy is pure overhead; agent-level data (on request) is
    collected by Mesa as usual.
    """

    def collect(self, model) -> None:
        """Append this month's snapshot, then any per-agent records."""
        if hasattr(self, "_collection_steps"):
            self._collection_steps.append(model.time)
        snap = model._snapshot
        for var in self.model_reporters:
            self.model_vars[var].append(snap[var])
        if self.agenttype_reporters:
            self._agenttype_records[model.time] = {
                agent_type: list(self._record_agenttype(model, agent_type))
                for agent_type in self.agenttype_reporters
            }


def snapshot(model) -> dict[str, Any]:
    """The model-level values of this month, keyed by ``MODEL_COLUMNS``."""
    chain = model.chain
    c = chain.counts
    ledger = model.government.ledger
    stages = chain.stage_counts()
    row: dict[str, Any] = {
        "month": model.month,
        "counted": model.month > model.params.warmup_months,
        "stage_poc": stages[STAGE_POC],
        "stage_pilot": stages[STAGE_PILOT],
        "stage_industrialisation": stages[STAGE_INDUSTRIALISATION],
        "transfers": c["transfers"],
    }
    for k in COUNTER_COLUMNS:
        row[k] = float(c[k]) if k in ("reapproval_months", "handoff_months") else int(c[k])
    for cause in EXIT_CAUSES:
        row[f"exit_{cause}"] = int(chain.exits[cause])
    row["public_spend"] = ledger.public_total
    row["private_spend"] = ledger.private_total
    for k in PUBLIC_INSTRUMENTS:
        row[f"public_{k}"] = float(ledger.public[k])
    for k in PRIVATE_PAYERS:
        if k != INSURER_CLAIMS:
            row[f"private_{k}"] = float(ledger.private[k])
    row["insurance_premiums"] = ledger.premiums
    row["insurance_claims"] = ledger.claims
    ledger.close_month(model.month, model.params.economics.public_discount_rate)
    row["public_recoveries"] = ledger.recoveries
    row["net_public_cost"] = ledger.net_public
    row["net_public_cost_pv"] = ledger.net_public_pv
    insurer = model.insurer
    row["insurer_pool"] = float(insurer.capital) if insurer is not None else 0.0
    row["insurer_shortfall"] = float(insurer.shortfall) if insurer is not None else 0.0
    flows = model.book.flows
    for column, flow in FLOW_COLUMNS.items():
        row[column] = float(flows[flow])
    months = c["pilot_months_in_circle"] + c["pilot_months_in_region"]
    months += c["pilot_months_out_of_region"] + c["pilot_months_enclave"]
    for where in PILOT_LOCATIONS:
        row[f"pilot_share_{where}"] = c[f"pilot_months_{where}"] / months if months else 0.0
    piloting = [f for f in model.firms if f.ran_pilot_or_production]
    row["firms_piloting"] = len(piloting)
    row["firms_outsourcing_out"] = sum(f.outsourced_out_of_region for f in piloting)
    row["circle_minutes"] = model.region.circle.minutes
    row["policy_changes"] = len(model.policy_events)
    row["active_policies"] = ",".join(model.active_policy_names()) or "none"
    return row


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den else math.nan


#: The outcomes every table leads with (CLI summary, reports).
HEADLINE_FIELDS: tuple[str, ...] = (
    "transfers_per_year",
    "median_months_to_market",
    "public_spend_per_transfer",
    "pilot_failure_rate",
    "pilot_funding_share",
    "outsourcing_share",
    "valley_of_death_deaths",
)

SUMMARY_FIELDS: tuple[str, ...] = (
    "transfers",
    "transfers_per_year",
    "pilot_failure_rate",
    "median_months_to_market",
    "iqr_months_to_market",
    "public_spend",
    "private_spend",
    "public_spend_per_transfer",
    "outsourcing_share",
    "nonviable_candidate_share",
    "biologic_reapproval_share",
    "pilot_funding_share",
    "poc_success_rate",
    "poc_to_pilot_rate",
    "pilot_to_industrialisation_rate",
    "industrialisation_to_market_rate",
    "valley_of_death_deaths",
    "entered_poc",
    "pilots_started",
    "startups_founded",
    "gmp_reapprovals",
    "reapproval_months_mean",
    "pilot_share_out_of_region",
    "handoff_months_mean",
    "collaboration_links",
    "public_guidance_fund",
    *(f"gate_{g}_per_year" for g in YEARLY_FLOWS),
    *(f"km_{g}_share_{KM_HORIZON_MONTHS}m" for g in GATES),
    "stationarity_p",
    "stationary",
    *(f"trend_{name}" for name in SERIES),
    *(f"exit_{c}" for c in EXIT_CAUSES),
    "net_public_cost",
    "net_public_cost_per_transfer",
    "withdrawals",
    *(f"withdrawals_{r}" for r in WITHDRAWAL_REASONS),
    "poc_withdrawals",
    "readouts_troubled_share",
    "pilots_insured",
    *(f"financing_fail_{c}" for c in FINANCING_FAILURES),
    "financing_fail_main_cause_share",
)


def months_to_market(finished: list[tuple], after: int = 0) -> np.ndarray:
    """Months from discovery to market of the projects that reached it after month ``after``.

    ``finished`` holds the chain's records (id, modality, demand, discovered, ended, outcome).
    """
    ended = [r[4] - r[3] for r in finished if r[5] == MARKET and r[4] > after]
    return np.array(ended, dtype=float)


def _median(values: np.ndarray) -> float:
    return float(np.median(values)) if values.size else math.nan


def _valley_of_death(flow) -> float:
    total = 0.0
    for cause in VALLEY_OF_DEATH:
        total += flow(f"exit_{cause}")
    return total


#: The page's headline figures, over all months run so far (keys of ``headline``).
HEADLINE_FIGURES: tuple[str, ...] = (
    "transfers",
    "transfers_per_year",
    "median_months_to_market",
    "public_spend_per_transfer",
)


def headline(finished: list[tuple], transfers: int, public_spend: float, months: int) -> dict:
    """Headline figures of a run so far, with the summary's definitions (no warm-up cut)."""
    return {
        "transfers": transfers,
        "transfers_per_year": transfers / max(1, months) * 12.0,
        "median_months_to_market": _median(months_to_market(finished)),
        "public_spend_per_transfer": _ratio(public_spend, transfers),
    }


def summarise(
    timeseries: pd.DataFrame,
    finished: list[tuple],
    warmup_months: int,
    months: int,
    histories: list[tuple[int, dict[str, int]]] | None = None,
    public_discount_rate: float = 0.0,
) -> dict[str, float]:
    """A run's summary over the counted months (after warm-up).

    Flows are differences between the last month and the end of warm-up. Stylised-fact shares
    (spec §7) are ratios of those flows: the pilot failure rate is failed ÷ finished pilots;
    the non-viable share is over PoC candidates; the re-approval share is over biologic pilots
    that reached their GMP checkpoint; the outsourcing share is over firms that ran a pilot or
    production (cumulative). Months to market count from discovery, for projects that reached
    the market in the counted months. The net public cost (public money spent minus recovered,
    programme running costs included) is discounted to the start of the counted months.
    """
    last = timeseries.iloc[-1]
    base = timeseries[timeseries["month"] == warmup_months]
    start = base.iloc[0] if len(base) else pd.Series(0.0, index=timeseries.columns)

    def flow(col: str) -> float:
        return float(last[col] - start[col])

    years = months / 12.0
    transfers = flow("transfers")
    ttm = months_to_market(finished, after=warmup_months)
    out: dict[str, float] = {
        "transfers": transfers,
        "transfers_per_year": transfers / years,
        "pilot_failure_rate": _ratio(
            flow("pilots_failed"), flow("pilots_failed") + flow("pilots_passed")
        ),
        "median_months_to_market": _median(ttm),
        "iqr_months_to_market": float(np.subtract(*np.percentile(ttm, [75, 25])))
        if ttm.size
        else math.nan,
        "public_spend": flow("public_spend"),
        "private_spend": flow("private_spend"),
        "public_spend_per_transfer": _ratio(flow("public_spend"), transfers),
        "outsourcing_share": _ratio(last["firms_outsourcing_out"], last["firms_piloting"]),
        "nonviable_candidate_share": _ratio(
            flow("poc_candidates_nonviable"), flow("poc_candidates")
        ),
        "biologic_reapproval_share": _ratio(
            flow("gmp_reapprovals"), flow("biologic_pilots_checked")
        ),
        "pilot_funding_share": _ratio(flow("pocs_pilot_funded"), flow("successful_pocs")),
        "poc_success_rate": _ratio(flow("successful_pocs"), flow("entered_poc")),
        "poc_to_pilot_rate": _ratio(flow("pilots_started"), flow("entered_pilot")),
        "pilot_to_industrialisation_rate": _ratio(
            flow("entered_industrialisation"), flow("pilots_started")
        ),
        "industrialisation_to_market_rate": _ratio(transfers, flow("entered_industrialisation")),
        "valley_of_death_deaths": _valley_of_death(flow),
        "entered_poc": flow("entered_poc"),
        "pilots_started": flow("pilots_started"),
        "startups_founded": flow("startups_founded"),
        "gmp_reapprovals": flow("gmp_reapprovals"),
        "reapproval_months_mean": _ratio(flow("reapproval_months"), flow("gmp_reapprovals")),
        "pilot_share_out_of_region": float(last["pilot_share_out_of_region"]),
        "handoff_months_mean": _ratio(flow("handoff_months"), flow("handoffs")),
        "trial_wait_months_mean": _ratio(flow("trial_wait_months"), flow("trial_sites_sought")),
        "licences_per_poc": _ratio(flow("licences"), flow("successful_pocs")),
        "collaboration_links": flow("links_in_circle") + flow("links_outside_circle"),
        "public_guidance_fund": flow("public_guidance_fund"),
    }
    end = int(last["month"])
    out.update(gate_summary(histories or [], timeseries, warmup_months, end))
    out.update(stationarity_summary(timeseries, warmup_months))
    for cause in EXIT_CAUSES:
        out[f"exit_{cause}"] = flow(f"exit_{cause}")
    rate = public_discount_rate
    net = flow("net_public_cost_pv") * (1.0 + rate) ** (warmup_months / 12.0)
    out["net_public_cost"] = net
    out["net_public_cost_per_transfer"] = _ratio(net, transfers)
    out["withdrawals"] = flow("withdrawals")
    for reason in WITHDRAWAL_REASONS:
        out[f"withdrawals_{reason}"] = flow(f"withdrawals_{reason}")
    out["poc_withdrawals"] = flow("poc_withdrawals")
    out["readouts_troubled_share"] = _ratio(flow("readouts_troubled"), flow("interim_readouts"))
    out["pilots_insured"] = flow("pilots_insured")
    fails = [flow(f"financing_fail_{c}") for c in FINANCING_FAILURES]
    for c, n in zip(FINANCING_FAILURES, fails, strict=True):
        out[f"financing_fail_{c}"] = n
    out["financing_fail_main_cause_share"] = _ratio(max(fails), sum(fails))
    return out

