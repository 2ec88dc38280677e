"""Reverse commissioning by lead firms (S0 §2.1).

Lead firms collect clinicians' unmet needs from hospitals they can reach and commission a
scientist nearby: the project is demand-pulled (better viability and market value), the firm
holds and funds it from the start, and a mandatory feasibility pre-assessment with cost
ceilings stops infeasible pilots before money is spent.
"""

from ecosystem.policies.base import Policy


class ReverseCommissioning(Policy):
    """Demand-pulled projects with a feasibility pre-assessment."""

    name = "reverse_commissioning"
    label = "Reverse commissioning"
    source = "S0 §2.1"

    def status_quo(self, rules) -> None:
        """Clinicians report needs in every run (nobody collects them without the policy)."""
        rules.needs_per_hospital = self.params.needs_per_hospital_per_month

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.collect_needs = True
        rules.commission_radius_minutes = self.params.commission_radius_minutes
        rules.screen_scalability_min = self.params.screen_scalability_min
        rules.assessment_noise = self.params.assessment_noise
