"""A technology on its way to market (spec §3.6): the unit that flows through the chain.

A project's luck is drawn once, when it is discovered, from a stream keyed by who discovered
it and when (spec §5b): a policy run meets the same luck as the status quo for the same
discovery. Draws that a policy only reinterprets (a noisy view, a failure threshold) are kept
as standard normals or uniforms, so the policy changes the rule, not the dice.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from dataclasses import dataclass, field

import numpy as np

from ecosystem.params import BIOLOGICS, ModelParams
from ecosystem.vocabulary import (  # noqa: F401  (re-exported: the chain's words)
    EXIT_CAUSES,
    MARKET,
    STAGE_INDUSTRIALISATION,
    STAGE_PILOT,
    STAGE_POC,
    STAGES,
)


@dataclass
class Stake:
    """A funder's commitment to a pilot."""

    funder: object
    amount: float
    spent: float = 0.0
    loan: bool = False
    interest: float = 0.0  # a loan's yearly rate, fixed when it is granted
    joined_overrun: float = 0.0  # the pilot's overrun when it joined (replacements; else 0)


@dataclass
class Handoff:
    """One move of a project between two parties."""

    month: int
    source: tuple[int, int] | None
    target: tuple[int, int] | None

    @property
    def out_of_region(self) -> bool:
        """A hand-off with one end outside the grid."""
        return self.source is None or self.target is None


@dataclass(eq=False)
class Project:
    """State of one technology; the chain (``ecosystem.chain``) moves it month by month."""

    id: int
    discovered: int
    scientist: object
    demand_pulled: bool
    modality: str
    quality: float
    viable: bool
    scalability: float
    readiness: float
    asset_value: float  # M RMB, value of the de-risked asset (before the loan)
    poc_months: float
    pilot_cost_base: float
    pilot_months: float
    reapproval_months_base: float
    regional_lag: float
    production_months: float
    financing_patience: float
    z: np.ndarray  # standard normals: panel, due diligence, assessment
    u: np.ndarray  # uniforms, see U_* indices
    luck: np.random.Generator  # the project's own stream for its searches
    stage: str = STAGE_POC
    phase: str = "poc"
    holder: object = None
    team: bool = False
    grant: bool = False
    poc_payer: str = "institution"
    refusal: str = ""  # why the last financing attempt failed (see funding.assemble_syndicate)
    poc_funder: object = None  # the account paying the PoC (institution, investor, firm)
    poc_reserved: float = 0.0  # what a lab payer still has promised to this PoC (M RMB)
    unpaid_months: float = 0.0  # PoC months its payer could not pay, so the work waited
    phase_elapsed: float = 0.0
    progress: float = 0.0
    wait: float = 0.0
    pilot_elapsed: float = 0.0
    checkpoint_done: bool = False
    readout_done: bool = False  # the pilot's interim readout has been seen (ODD §7.6)
    readout_evidence: float = 1.0  # its likelihood ratio for success (1: none or uninformative)
    reapproval_left: float = 0.0
    trial_index: int = 0
    countdown: float = 0.0
    facility: object = None
    facility_kind: str = ""
    out_of_region: bool = False
    pilot_cost: float = 0.0
    insured_sum: float = 0.0
    hospital: object = None
    trial_remote: bool = False  # this trial phase runs out of region
    stalled: float = 0.0  # months the holder could not pay industrialisation
    pilot_started: int = 0  # month the pilot was funded
    approved: int = 0  # month of market approval (the patent's compensation counts from it)
    fund_cap: float | None = None  # guidance fund's return cap in this deal
    stakes: list[Stake] = field(default_factory=list)
    handoffs: list[Handoff] = field(default_factory=list)
    spent_public: float = 0.0
    spent_private: float = 0.0
    gates: dict[str, int] = field(default_factory=dict)  # gate -> month it was passed

    @property
    def is_biologic(self) -> bool:
        """Biologics face the GLP→GMP re-approval (S0 §1.2.2)."""
        return self.modality in BIOLOGICS

    @property
    def location(self):
        """The cell where the project is being worked on now (``None`` if out of region)."""
        if self.phase in ("pilot", "reapproval"):
            if self.out_of_region:
                return None
            if self.facility is not None:
                return self.facility.cell
        if self.hospital is not None:
            return self.hospital.cell
        if self.holder is not None:
            return self.holder.cell
        return self.scientist.cell


# indices into Project.u
U_POC, U_PROTOTYPE, U_PILOT, U_COMPLIANCE, U_REAPPROVAL, U_EQUIPMENT, U_INJURY = range(7)
U_CLINICAL = (7, 8, 9)
U_SALE = 10
U_REGISTRATION = 11  # drawn last, so the earlier draws keep their values
N_UNIFORMS = 12
Z_PANEL, Z_DILIGENCE, Z_ASSESS = range(3)


@functools.lru_cache(maxsize=16)
def _modality_table(mix: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    """Modality names and cumulative probabilities (cached: the mix rarely changes)."""
    names = [name for name, _ in mix]
    return names, list(itertools.accumulate(p for _, p in mix))


def draw_project(
    pid: int,
    month: int,
    scientist,
    demand_pulled: bool,
    luck: np.random.Generator,
    params: ModelParams,
    learning_gain: float,
    quality: float | None = None,
) -> Project:
    """Create a project with all its luck drawn in a fixed order (common random numbers).

    A scientist's own discovery arrives with its latent ``quality`` already drawn (the
    scientist screened it); a commissioned one draws it here from the demand-pulled
    distribution.
    """
    d = params.discovery
    names, cumulative = _modality_table(tuple(d.modality_mix.items()))
    modality = names[bisect.bisect_right(cumulative, luck.random() * cumulative[-1])]
    if quality is None:
        quality = luck.beta(*(d.demand_quality_beta if demand_pulled else d.quality_beta))
    scal = luck.beta(*d.scalability_beta)
    ready = luck.beta(*d.readiness_beta)
    z = luck.standard_normal(3)
    u = luck.random(N_UNIFORMS)
    cost = params.pilot.cost_mrmb[modality]
    ind = params.industrialisation
    mean_cost = (cost.low + cost.high) / 2.0
    value = params.pilot.value_multiple * mean_cost * float(np.exp(luck.normal(-0.08, 0.4)))
    return Project(
        id=pid,
        discovered=month,
        scientist=scientist,
        demand_pulled=demand_pulled,
        modality=modality,
        quality=float(quality),
        viable=bool(quality > d.viability_threshold),
        scalability=float(scal + (1 - scal) * learning_gain),  # data platform feedback
        readiness=float(ready + (1 - ready) * learning_gain),
        asset_value=value * (d.demand_value_multiple if demand_pulled else 1.0),  # S0 §2.1
        poc_months=float(
            luck.uniform(params.poc.duration_months.low, params.poc.duration_months.high)
        ),
        pilot_cost_base=float(luck.uniform(cost.low, cost.high)),
        pilot_months=float(
            luck.uniform(params.pilot.duration_months.low, params.pilot.duration_months.high)
        ),
        reapproval_months_base=float(
            luck.uniform(params.pilot.reapproval_months.low, params.pilot.reapproval_months.high)
        ),
        regional_lag=float(
            luck.uniform(ind.regional_review_lag_months.low, ind.regional_review_lag_months.high)
        ),
        production_months=float(
            luck.uniform(ind.production_setup_months.low, ind.production_setup_months.high)
        ),
        financing_patience=float(
            luck.uniform(
                params.pilot.financing_patience_months.low,
                params.pilot.financing_patience_months.high,
            )
        ),
        z=z,
        u=u,
        luck=luck,
    )
