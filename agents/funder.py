"""What every funder does — firms, venture capitalists, the guidance fund and banks (spec §3.3).

A funder offers money on the terms it is shown, at most what keeps its loss on failure within
its risk budget; commits what it offered; receives repayments, payouts and unspent money; and
withdraws once a project overruns its patience (S0 §1.1.2). Only the funder changes its capital.
"""

from __future__ import annotations

from typing import Protocol


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

    def max_stake(self, loss_per_unit: float) -> float:
        """Largest stake whose loss on failure stays within the risk budget."""
        return min(self.capital, self.risk_tolerance * self.capital / max(loss_per_unit, 1e-9))

    def offer(self, need: float, terms: Terms) -> float:
        """How much it puts into a deal on these terms (0 if nothing)."""
        return max(0.0, min(need, self.max_stake(terms.loss_per_unit)))

    def commit(self, amount: float) -> None:
        """Set money aside for a deal."""
        self.capital -= amount

    def receive(self, amount: float) -> None:
        """Money back: unspent commitments, repayments, payouts, claims."""
        self.capital += amount

    def loses_patience(self, overrun_months: float) -> bool:
        """Whether a project this far over its planned time makes it withdraw."""
        return overrun_months > self.patience
