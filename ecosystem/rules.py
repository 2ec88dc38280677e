"""The institutional rules in force this month.

The status quo's rules come from the parameters, and from each policy's statement of how things
stand without it (``Policy.status_quo``); each active policy then changes some of them
(``Policy.apply``). Agents, the chain and the region read rules — what they may do, what things
cost, who pays, how long reviews take, what the circle offers — and never which policy is on.
Fields a policy sets have neutral defaults here (off, zero, none), never a copy of the policy's
own defaults: a policy's numbers live only in its config block.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecosystem.params import ModelParams


@dataclass
class Rules:
    """Rules of the game for one month."""

    # scientists (S0 §1.1.1, §2.3.1)
    push_base: float
    career_penalty: float
    screen_noise: float
    startup_founding_prob: float
    founders_keep_post: bool = False
    # PoC teams and money (S0 §2.3.1, §2.3.2)
    team_investor_prob: float = 0.0
    team_due_diligence: bool = False
    poc_tranches: tuple[float, float, float] | None = None
    poc_review_noise: float = 0.0
    poc_review_threshold: float = 0.0
    poc_grant_budget: float = 0.0
    # pilot money (S0 §2.3.2, §1.3.2)
    insurance_offered: bool = False
    loan_share: float = 0.0
    loan_guarantee: float = 0.0
    loan_interest: float = 0.0
    loan_min_guarantee: float = 0.0
    fund_innovative_share: float = 0.0  # the guidance fund's terms: ``GuidanceFund.status_quo``
    fund_size: float = 0.0
    fund_deployment_years: float = math.inf
    fund_max_stake: float = 0.0
    fund_return_cap: float | None = None  # None: the fund shares returns pro rata
    # facilities (S0 §2.2, S1, §1.3.3)
    platforms_shared: bool = False
    upfront_cost_cut: float = 0.0
    # demand pull and feedback (S0 §2.1)
    needs_per_hospital: float = 0.0  # clinicians' unmet needs per hospital-month
    collect_needs: bool = False
    commission_radius_minutes: float = 0.0
    screen_scalability_min: float | None = None
    assessment_noise: float = 0.0
    feedback_platform: bool = False
    learning_per_failure: float = 0.0
    max_learning_gain: float = 0.0
    # regulation (S0 §1.2.2, §1.3.1, §2.3.1, S3)
    readiness_gain: float = 0.0
    reapproval_months_cut: float = 0.0
    parallel_review: bool = False
    pre_review_months: float = 0.0
    fast_track_ind: bool = False
    # hospitals as the market (S3 支持药械入院应用, ODD §7.12)
    formulary_review_prob: float = 0.0  # chance a hospital considers an unlisted product a month
    drg_carve_out: float = 0.0  # share of a listed product's price insurance pays outside DRG/DIP
    price_uplift: float = 0.0  # price the reimbursement list allows above the negotiated one
    # matching services (S4 §3–§4)
    extra_licensee_candidates: int = 0
    match_acceptance_gain: float = 0.0
    # the circle around the science city (S0 §2.3.3); None: no circle services
    circle_minutes: float | None = None
    circle_transit_speed_kmh: float | None = None
    circle_tau_minutes: float | None = None
    circle_handoff_base_months: float | None = None

    @classmethod
    def status_quo(cls, params: ModelParams) -> Rules:
        """The rules the model's own parameters set (policies then add theirs)."""
        sci = params.scientists
        return cls(
            push_base=sci.push_base,
            career_penalty=sci.career_penalty,
            screen_noise=sci.signal_noise,
            startup_founding_prob=sci.startup_founding_prob,
            formulary_review_prob=params.market.formulary_reviews_per_year / 12.0,
        )

    @property
    def fund_budget_per_year(self) -> float:
        """Guidance-fund money for innovative projects per year."""
        return self.fund_size * self.fund_innovative_share / self.fund_deployment_years

    @property
    def price_index(self) -> float:
        """What a listing hospital bears per patient, relative to the negotiated price."""
        return (1.0 + self.price_uplift) * (1.0 - self.drg_carve_out)
