"""Pilot comprehensive insurance (S0 §2.3.2).

An insurer prices premiums from expected losses — its failure-rate estimate starts at the 70%
base rate (S0 §1.2.3) and learns from its own book — over three covers: process failure (60%
of the sum insured), equipment damage (30%) and injury (10%). The province pays 40% of the
premium, the firm 60%. Funders deciding on a pilot see the reduced downside.
"""

from __future__ import annotations

from ecosystem.policies.base import Policy


class Insurer:
    """The insurer's book: premiums priced from expected losses, claims paid on events."""

    def __init__(self, prior_failure: float, prior_weight: float) -> None:
        self.prior_failure = prior_failure
        self.prior_weight = prior_weight
        self.policies_closed = 0
        self.failures = 0

    def failure_estimate(self) -> float:
        """Expected process-failure rate: base rate updated by the insurer's own experience."""
        return (self.prior_failure * self.prior_weight + self.failures) / (
            self.prior_weight + self.policies_closed
        )

    def premium_rate(self, params, pilot) -> float:
        """Premium per unit of pilot cost: expected claims × (1 + loading).

        A process failure pays its whole cover; equipment damage and injury pay their loss up
        to their cover.
        """
        process, equipment, injury = (params.insured_share * s for s in params.cover_split)
        expected = (
            self.failure_estimate() * process
            + pilot.equipment_damage_prob * min(pilot.equipment_damage_share, equipment)
            + pilot.injury_prob * min(pilot.injury_cost_share, injury)
        )
        return expected * (1.0 + params.loading)

    def record(self, failed: bool) -> None:
        """Learn from a closed policy."""
        self.policies_closed += 1
        self.failures += int(failed)


class PilotInsurance(Policy):
    """Subsidised pilot insurance with an insurer that learns its prices."""

    name = "pilot_insurance"
    label = "Pilot insurance"
    source = "S0 §2.3.2"

    def on_enable(self, model) -> None:  # noqa: D102
        if model.insurer is None:
            model.insurer = Insurer(
                prior_failure=1.0 - model.params.pilot.prior_success_belief,
                prior_weight=self.params.prior_weight,
            )

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.insurance_offered = True
