"""The region's money book: every payment has a payer whose account falls and a payee whose rises.

Agents keep their balance in ``capital`` (M RMB); three accounts stand for what is not an agent:
``escrow`` holds money committed to projects and not yet spent, ``outside`` is everyone beyond
the region's accounts (suppliers paid for work, buyers and patients paying for products,
limited partners of the venture funds), and ``treasury`` is the public purse, whose negative
balance is the public money put into the region. Only ``Book.transfer`` moves money, so the sum
of all accounts never changes: ``sum(agents) + escrow + outside = constant + public inflows``.
"""

from __future__ import annotations

from collections import Counter


class Account:
    """A balance that is not an agent's own (escrow, outside, treasury)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.capital = 0.0

    def __repr__(self) -> str:
        return f"Account({self.name!r}, {self.capital:.3f})"


class Book:
    """Double-entry transfers between accounts, with totals by purpose."""

    def __init__(self) -> None:
        self.escrow = Account("escrow")
        self.outside = Account("outside")
        self.treasury = Account("treasury")
        self.flows: Counter[str] = Counter()

    def transfer(self, payer, payee, amount: float, purpose: str) -> float:
        """Move ``amount`` from ``payer`` to ``payee`` (anything with ``capital``); returns it."""
        if amount < -1e-9:
            raise ValueError(f"transfer of {amount} for {purpose!r}: amounts must be >= 0")
        if amount <= 0:  # nothing, or rounding noise of a fully spent commitment
            return 0.0
        payer.capital -= amount
        payee.capital += amount
        self.flows[purpose] += amount
        return amount

    @property
    def public_inflow(self) -> float:
        """Public money put into the region so far (grants, subsidies, budgets, guarantees)."""
        return -self.treasury.capital

    def special_total(self) -> float:
        """Escrow plus outside plus treasury."""
        return self.escrow.capital + self.outside.capital + self.treasury.capital
