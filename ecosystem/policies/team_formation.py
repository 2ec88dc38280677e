"""Scientist + entrepreneur + investor validation teams (S0 §2.3.1).

A team with a business partner judges a discovery's commercial viability better (less noise
when deciding what to push), may include an investor who funds the PoC, and gives later funders
a due-diligence view of the project instead of the bare base rate.
"""

from ecosystem.policies.base import Policy


class TeamFormation(Policy):
    """Sharper screening, team investors, due diligence for funders."""

    name = "team_formation"
    label = "Validation teams"
    source = "S0 §2.3.1"

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.screen_noise = self.params.signal_noise
        rules.team_investor_prob = self.params.investor_member_prob
        rules.team_due_diligence = True
