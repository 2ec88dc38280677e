"""Pilot special loans: industry fund + convertible bonds (S0 §2.3.2).

Banks lend part of a pilot's cost against the project, with a provincial guarantee on defaults;
the loan is repaid from the product. Equity funders then need to put in less.
"""

from ecosystem.policies.base import Policy


class PilotLoans(Policy):
    """Guaranteed bank loans for pilots."""

    name = "pilot_loans"
    label = "Pilot loans"
    source = "S0 §2.3.2"

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.loan_share = self.params.loan_share
        rules.loan_guarantee = self.params.guarantee_share
        rules.loan_interest = self.params.interest_rate
        rules.loan_min_guarantee = self.params.min_guarantee
