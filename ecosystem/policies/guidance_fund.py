"""Provincial guidance fund size and allocation (S0 §1.3.2, S4 §4).

In the status quo 70% of a fund under 5 bn RMB goes to traditional pharma and the fund
co-invests pro rata in small stakes. The policy sets the fund's size and the share that
reaches innovative projects, lets it take larger stakes, and caps its return: on success it
takes back its stake plus a small return and cedes the rest of its upside to private
co-investors (profit concession), so private money joins pilots it would otherwise refuse.
"""

from ecosystem.policies.base import Policy


class GuidanceFund(Policy):
    """More public venture money for innovative pilots."""

    name = "guidance_fund"
    label = "Guidance fund"
    source = "S0 §1.3.2, S4 §4"

    def status_quo(self, rules) -> None:
        """Today's fund: its size, 30% to innovative projects, small pro-rata stakes."""
        rules.fund_size = self.params.fund_size_mrmb
        rules.fund_innovative_share = self.params.status_quo_innovative_share
        rules.fund_deployment_years = self.params.deployment_years
        rules.fund_max_stake = self.params.status_quo_max_stake

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.fund_size = self.params.fund_size_mrmb
        rules.fund_innovative_share = self.params.innovative_share
        rules.fund_deployment_years = self.params.deployment_years
        rules.fund_max_stake = self.params.max_stake
        rules.fund_return_cap = self.params.return_cap
