"""Provincial PoC fund paid by milestones (S0 §2.3.2).

An expert panel reviews PoC proposals that found no other money; a funded PoC receives
0.3 M RMB after the feasibility review, 0.5 M after the prototype and 0.2 M after a licence.
A failed milestone stops the money. The fund has a yearly budget.
"""

from ecosystem.policies.base import Policy


class MilestoneGrants(Policy):
    """Government funds PoCs in tranches."""

    name = "milestone_grants"
    label = "Milestone grants"
    source = "S0 §2.3.2"

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.poc_tranches = tuple(self.params.tranches_mrmb)
        rules.poc_review_noise = self.params.review_noise
        rules.poc_review_threshold = self.params.review_threshold
        rules.poc_grant_budget = self.params.annual_budget_mrmb
