"""Local CDMO capacity for the missing modalities (S0 §1.3.3, §2.3.1).

The baseline lacks local cell- and gene-therapy CDMOs, so most firms outsource out of the
province at +30% cost. The policy builds a CDMO in the biomedicine park with lines for the
missing modalities; the province's build subsidy is booked once
(``ecosystem.policies.amortisation``): in equal monthly parts over its amortisation period from
the month the CDMO opens, the rest at once if the policy closes it earlier.
"""

from ecosystem.policies.amortisation import Amortisation
from ecosystem.policies.base import Policy


class LocalCdmo(Policy):
    """A new CDMO in the park."""

    name = "local_cdmo"
    label = "Local CDMO"
    source = "S0 §1.3.3, §2.3.1"

    def __init__(self, params) -> None:
        super().__init__(params)
        self.build: Amortisation | None = None  # the build subsidy, once the CDMO is built

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
            self.build = Amortisation(
                "cdmo_build", self.params.build_cost_mrmb, self.params.amortisation_years * 12.0
            )
        facility.open = True

    def monthly(self, model) -> None:  # noqa: D102
        self.build.book_month(model.government)

    def on_disable(self, model) -> None:  # noqa: D102
        facility = model.policy_facility(self.name)
        if facility is not None:
            facility.open = False
        self.build.write_off(model.government)
