"""What every funder does — firms, venture capitalists, the guidance fund and banks (spec §3.3).

A funder offers money on the terms it is shown, at most what keeps its loss on failure within
its risk budget; commits what it offered; receives repayments, payouts and unspent money; and
withdraws once a project overruns its patience (S0 §1.1.2). Its capital changes only through
the model's money book (``ecosystem.money``), so every yuan has a payer and a payee.
"""

from __future__ import annotations

from typing import Protocol

from agents.beliefs import Beliefs


class Terms(Protocol):
    """What a funder needs to know about a deal (``ecosystem.funding.PilotTerms``)."""

    cost: float

    @property
    def loss_per_unit(self) -> float: ...  # noqa: D102


class Funder:
    """Capital (uncommitted M RMB), a risk budget per deal, a patience in months."""

    capital: float
    risk_tolerance: float
    patience: float

    @property
    def payer_kind(self) -> str:
        """Ledger account for this funder's money."""
        raise NotImplementedError

    @property
    def public(self) -> bool:
        """Whether this funder spends public money."""
        return False

    # --- its own view of a deal ------------------------------------------------------------
    @property
    def beliefs(self) -> Beliefs:
        """Its beliefs about success, from its kind's prior (created on first use)."""
        book = self.__dict__.get("_beliefs")
        if book is None:
            eco = self.model.params.economics
            base = self.model.params.pilot.prior_success_belief
            prior = min(0.95, max(0.05, base + eco.belief_shift[self.payer_kind]))
            book = self.__dict__["_beliefs"] = Beliefs(prior, eco.belief_weight)
        return book

    @property
    def discount_rate(self) -> float:
        """Its yearly discount rate (by kind)."""
        return self.model.params.economics.discount_rate[self.payer_kind]

    def value_factor(self, schedule) -> float:
        """Value today ÷ value on the planned schedule, at its own discount rate."""
        if schedule is None:
            return 1.0
        eco = self.model.params.economics
        return schedule.factor(self.discount_rate, eco.competition_hazard, self.model.patent)

    def own_belief(self, terms, belief: float | None = None) -> float:
        """Its chance of success for the deal: its belief, blended with a team's diligence."""
        own = self.beliefs.mean(terms.modality, terms.stage) if belief is None else belief
        if terms.diligence is not None:
            own = 0.5 * own + 0.5 * terms.diligence
        if terms.evidence != 1.0:  # Bayes on the odds: what the pilot's readout showed
            odds = terms.evidence * own / max(1e-9, 1.0 - own)
            own = odds / (1.0 + odds)
        return own

    def view(self, terms, belief: float | None = None):
        """The deal's terms as this funder sees them: its belief, its discounted value."""
        value = terms.value * self.value_factor(terms.schedule)
        return terms.but(belief=self.own_belief(terms, belief), value=value)

    def refusal(self, terms, need: float) -> str | None:
        """Why it puts nothing into this deal (``None`` if it would invest).

        ``valuation``: negative on the base rate too; ``belief``: negative only on its own
        (updated) belief; ``capital``: no free capital left.
        """
        if self.capital <= 1e-6:
            return "capital"
        value = terms.value * self.value_factor(terms.schedule)
        if terms.return_at(self.own_belief(terms), value) > 0:
            return None
        base = self.own_belief(terms, self.model.params.pilot.prior_success_belief)
        return "belief" if terms.return_at(base, value) > 0 else "valuation"

    def limit(self, terms, need: float) -> str:
        """What caps its stake below ``need``: its capital or its risk budget."""
        by_risk = self.risk_tolerance * self.capital / max(terms.loss_per_unit, 1e-9)
        return "risk_budget" if by_risk < self.capital else "capital"

    def observe(self, modality: str, stage: str, success: bool) -> None:
        """Learn from an outcome it saw."""
        self.beliefs.observe(modality, stage, success)

    def max_stake(self, loss_per_unit: float) -> float:
        """Largest stake whose loss on failure stays within the risk budget."""
        return min(self.capital, self.risk_tolerance * self.capital / max(loss_per_unit, 1e-9))

    def offer(self, need: float, terms: Terms) -> float:
        """How much it puts into a deal on these terms (0 if nothing)."""
        return max(0.0, min(need, self.max_stake(terms.loss_per_unit)))

    def commit(self, amount: float) -> None:
        """Set money aside for a deal: it moves from free capital to the projects' escrow."""
        book = self.model.book
        book.transfer(self, book.escrow, amount, "commitments")

    def receive(self, amount: float, payer, purpose: str) -> None:
        """Money from ``payer``: unspent commitments, repayments, payouts, claims."""
        self.model.book.transfer(payer, self, amount, purpose)

    def loses_patience(self, overrun_months: float) -> bool:
        """Whether a project this far over its planned time makes it withdraw."""
        return overrun_months > self.patience
