"""Pilot comprehensive insurance (S0 §2.3.2).

An insurer prices premiums from expected losses — its failure-rate estimate starts at the
funders' base rate (1 − ``pilot.prior_success_belief``: S0 §1.2.3's 70%, calibrated to 63%)
and learns from its own book — over three covers: process failure (60%
of the sum insured), equipment damage (30%) and injury (10%). The province pays 40% of the
premium, the firm 60%. Funders deciding on a pilot see the reduced downside.

The insurer is the policy's own institution: it quotes a pilot's premium and claim, sells the
cover (the province pays its share of the premium) and settles claims; nothing else reads the
policy's config block.
"""

from __future__ import annotations

from ecosystem.policies.base import Policy


class Insurer:
    """The insurer's book: premiums priced from expected losses, claims paid on events."""

    def __init__(
        self, prior_failure: float, prior_weight: float, cover=None, pilot=None, book=None
    ) -> None:
        self.capital = 0.0  # the pool: reserve + premiums − claims (M RMB)
        self.book = book
        self.shortfall = 0.0  # claims the pool could not pay (insolvency)
        self.prior_failure = prior_failure
        self.prior_weight = prior_weight
        self.cover = cover  # the policy's config block (subsidy, split, insured share, loading)
        self.pilot = pilot  # pilot parameters: equipment and injury risks
        self.policies_closed = 0
        self.failures = 0

    def failure_estimate(self) -> float:
        """Expected process-failure rate: base rate updated by the insurer's own experience."""
        return (self.prior_failure * self.prior_weight + self.failures) / (
            self.prior_weight + self.policies_closed
        )

    def premium_rate(self, params=None, pilot=None) -> float:
        """Premium per unit of pilot cost: expected claims × (1 + loading).

        A process failure pays its whole cover; equipment damage and injury pay their loss up
        to their cover.
        """
        params = self.cover if params is None else params
        pilot = self.pilot if pilot is None else pilot
        process, equipment, injury = (params.insured_share * s for s in params.cover_split)
        expected = (
            self.failure_estimate() * process
            + pilot.equipment_damage_prob * min(pilot.equipment_damage_share, equipment)
            + pilot.injury_prob * min(pilot.injury_cost_share, injury)
        )
        return expected * (1.0 + params.loading)

    def quote(self, cost: float) -> tuple[float, float]:
        """(premium the funders pay, process-failure claim) for a pilot costing ``cost``."""
        cover = self.cover
        premium = self.premium_rate() * cost * (1.0 - cover.premium_subsidy)
        claim = cover.insured_share * cost * cover.cover_split[0]
        return premium, claim

    def capitalise(self, reserve: float) -> None:
        """The insurer's shareholders (outside the region) put up the pool's starting reserve."""
        if self.book is not None:
            self.book.transfer(self.book.outside, self, reserve, "insurer_reserve")

    def sell(self, project, cost: float, government) -> float:
        """Insure a pilot: the province pays its share of the premium into the pool now.

        Returns the funders' share of the premium, which they pay from their commitments.
        """
        cover = self.cover
        premium = self.premium_rate() * cost
        government.ledger.premiums += premium
        government.pay_subsidy("insurance_subsidy", premium * cover.premium_subsidy, payee=self)
        project.spent_public += premium * cover.premium_subsidy
        project.insured_sum = cover.insured_share * cost
        return premium * (1 - cover.premium_subsidy)

    def settle(self, project, damage: float, injury: float, failed: bool, ledger) -> None:
        """Pay an insured pilot's claims when it ends.

        Damage and injury claims go to the holder, who bore those costs; the process-failure
        cover goes to the equity funders, not the bank.
        """
        split = self.cover.cover_split
        insured = project.insured_sum
        claim = self._pay(project.holder, min(damage, insured * split[1]))
        claim += self._pay(project.holder, min(injury, insured * split[2]))
        if failed:
            process = insured * split[0]
            equity = [s for s in project.stakes if not s.loan]
            committed = sum(s.amount for s in equity) or 1.0
            for s in equity:
                claim += self._pay(s.funder, process * s.amount / committed)
        ledger.claims += claim
        ledger.pay_private("insurer_claims", claim)
        self.record(failed)

    def _pay(self, payee, amount: float) -> float:
        """Pay a claim from the pool; what the pool lacks is a shortfall (insolvency)."""
        paid = min(amount, max(0.0, self.capital))
        self.shortfall += amount - paid
        if paid > 0:
            self.book.transfer(self, payee, paid, "insurance_claims")
        return paid

    @property
    def solvent(self) -> bool:
        """Whether every claim so far has been paid in full."""
        return self.shortfall <= 1e-9

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
                cover=self.params,
                pilot=model.params.pilot,
                book=model.book,
            )
            model.insurer.capitalise(self.params.reserve_mrmb)

    def apply(self, rules, model) -> None:  # noqa: D102
        rules.insurance_offered = True
