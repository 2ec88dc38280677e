"""The institutional rules in force this month.

The status quo's rules come from the parameters; each active policy then changes some of them
(``ecosystem/policies``). Agents and the chain read rules — what they may do, what things cost,
who pays, how long reviews take — and never which policy is on.
"""

from __future__ import annotations

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
    poc_review_noise: float = 0.25
    poc_review_threshold: float = 0.45
    poc_grant_budget: float = 0.0
    # pilot money (S0 §2.3.2, §1.3.2)
    insurance_offered: bool = False
    loan_share: float = 0.0
    loan_guarantee: float = 0.0
    loan_interest: float = 0.0
    loan_min_guarantee: float = 0.5
    fund_innovative_share: float = 0.3
    fund_size: float = 5000.0
    fund_deployment_years: float = 10.0
    fund_max_stake: float = 0.3
    fund_return_cap: float | None = None  # None: the fund shares returns pro rata
    # facilities (S0 §2.2, S1, §1.3.3)
    platforms_shared: bool = False
    upfront_cost_cut: float = 0.0
    # demand pull and feedback (S0 §2.1)
    collect_needs: bool = False
    commission_radius_minutes: float = 90.0
    screen_scalability_min: float | None = None
    assessment_noise: float = 0.1
    feedback_platform: bool = False
    learning_per_failure: float = 0.0
    max_learning_gain: float = 0.0
    # regulation (S0 §1.2.2, §1.3.1, §2.3.1, S3)
    readiness_gain: float = 0.0
    reapproval_months_cut: float = 0.0
    parallel_review: bool = False
    pre_review_months: float = 0.0
    fast_track_ind: bool = False

    @classmethod
    def status_quo(cls, params: ModelParams) -> Rules:
        """Rules with every policy off."""
        sci = params.scientists
        gf = params.policies.guidance_fund
        return cls(
            push_base=sci.push_base,
            career_penalty=sci.career_penalty,
            screen_noise=sci.signal_noise,
            startup_founding_prob=sci.startup_founding_prob,
            fund_innovative_share=gf.status_quo_innovative_share,
            fund_size=gf.fund_size_mrmb,
            fund_deployment_years=gf.deployment_years,
            fund_max_stake=gf.status_quo_max_stake,
        )

    @property
    def fund_budget_per_year(self) -> float:
        """Guidance-fund money for innovative projects per year."""
        return self.fund_size * self.fund_innovative_share / self.fund_deployment_years
