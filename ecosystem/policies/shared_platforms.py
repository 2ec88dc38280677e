"""Three-tier shared pilot platforms (S0 §2.2; S1: sharing cuts upfront cost 30–50%).

The university GMP training centre (tier 1) and the lead firms' pilot platforms (tier 2) take
outside projects; booking a shared line cuts the pilot's upfront investment (its capex share,
``economics.pilot_capex_share``), not its running costs. The province pays an
operating subsidy to keep them open.
"""

from ecosystem.policies.base import Policy


class SharedPlatforms(Policy):
    """Tier 1 and 2 facilities become bookable at a lower upfront cost."""

    name = "shared_platforms"
    label = "Shared platforms"
    source = "S0 §2.2, S1"

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.platforms_shared = True
        rules.upfront_cost_cut = self.params.upfront_cost_cut

    def monthly(self, model) -> None:  # noqa: D102
        model.government.pay_subsidy(
            "platform_subsidy", self.params.operating_subsidy_mrmb_per_year / 12.0
        )
