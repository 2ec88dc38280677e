"""Enclave parks: pilot and volume production in partner parks beyond the city's land (S4 §4).

S4 §4: as the cluster reaches industrialisation, industrial policy should turn to back-end
support and, through the enclave mode (飞地模式), build parks jointly with other cities "as bases
for the pilot and volume production of innovation results, breaking through the limits of land".
Switching the policy on builds, once, a base of ``lines`` enclave lines in a partner park
``distance_km`` from the science city (on the grid, beyond the one-hour circle, short of the
out-of-region trip). Facility choice and production (``ecosystem.facilities``,
``ecosystem.chain.industrialisation``) try its lines after the local ones and before out of
region; a line there costs ``markup_share`` of the out-of-region markup, and the hand-offs to
and from it take the travel time of its distance (``Region.handoff_months``); the lines' cost
factor is worked out from these parameters when a line is priced (``cost_factor``). The city's
share of building the base is booked once (``ecosystem.policies.amortisation``): in equal
monthly parts over its amortisation period from the month the base opens, the rest at once if
the policy closes it earlier. Switching off closes the base (projects there finish); switching
on again reopens it at no further build cost.
"""

from __future__ import annotations

import math

from ecosystem.policies.amortisation import Amortisation
from ecosystem.policies.base import Policy


class EnclaveParks(Policy):
    """A pilot and production base in a partner park."""

    name = "enclave_parks"
    label = "Enclave parks"
    source = "S4 §4"

    def __init__(self, params) -> None:
        super().__init__(params)
        self.build: Amortisation | None = None  # the city's build share, once the base is built

    def on_enable(self, model) -> None:  # noqa: D102
        facility = model.policy_facility(self.name)
        if facility is None:
            angle = math.radians(self.params.bearing_degrees)
            facility = model.build_facility(
                name="Partner-park pilot and production base (enclave)",
                tier=3,
                modalities=frozenset(self.params.modalities),
                capacity=self.params.lines,
                key=self.name,
                site_km=(
                    self.params.distance_km * math.sin(angle),
                    self.params.distance_km * math.cos(angle),
                ),
                enclave=True,
            )
            facility.priced_by = self
            self.build = Amortisation(
                "enclave_build", self.params.build_cost_mrmb, self.params.amortisation_years * 12.0
            )
        facility.open = True

    def monthly(self, model) -> None:  # noqa: D102
        self.build.book_month(model.government)

    def cost_factor(self, model) -> float:
        """An enclave line's cost: 1 + ``markup_share`` × the out-of-region markup.

        Worked out from the parameters whenever a line is priced (``PilotPlatform.cost_factor``)
        rather than kept on the facility, so a share set mid-run holds from the month it is set.
        """
        return 1.0 + self.params.markup_share * model.params.space.out_of_region_cost_markup

    def on_disable(self, model) -> None:  # noqa: D102
        facility = model.policy_facility(self.name)
        if facility is not None:
            facility.open = False
        self.build.write_off(model.government)
