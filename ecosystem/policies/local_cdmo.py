"""Local CDMO capacity for the missing modalities (S0 §1.3.3, §2.3.1).

The baseline lacks local cell- and gene-therapy CDMOs, so most firms outsource out of the
province at +30% cost. The policy builds a CDMO in the biomedicine park with lines for the
missing modalities; the province's build subsidy is booked in equal monthly parts over its
amortisation period while the policy is on, so its cost counts whenever the policy starts.
"""

from ecosystem.policies.base import Policy


class LocalCdmo(Policy):
    """A new CDMO in the park."""

    name = "local_cdmo"
    label = "Local CDMO"
    source = "S0 §1.3.3, §2.3.1"

    months_booked = 0  # months of the build subsidy booked so far

    def on_enable(self, model) -> None:  # noqa: D102
        facility = model.policy_facility(self.name)
        if facility is None:
            facility = model.build_facility(
                name="Hunnan cell & gene CDMO (policy)",
                tier=3,
                modalities=frozenset(self.params.modalities),
                capacity=self.params.capacity,
                key=self.name,
            )
        facility.open = True

    def monthly(self, model) -> None:  # noqa: D102
        months = self.params.amortisation_years * 12.0
        if self.months_booked < months:
            per_month = self.params.build_cost_mrmb / months
            model.government.pay_subsidy("cdmo_build", per_month)
            self.months_booked += 1

    def on_disable(self, model) -> None:  # noqa: D102
        facility = model.policy_facility(self.name)
        if facility is not None:
            facility.open = False
