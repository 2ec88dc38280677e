"""A university or research institute: home of principal investigators (spec §3.1)."""

from __future__ import annotations

from mesa.discrete_space import FixedAgent


class Institution(FixedAgent):
    """A fixed place where scientists work; it funds some PoCs from its own budget.

    Its ``capital`` is the PoC budget: government research programmes pay into it each year
    (by PI share) and licence royalties add to it; PoCs it funds are paid out of it. A lab
    starts a PoC only if the budget not yet promised to its running PoCs covers the whole PoC
    (``reserved``), so every PoC month it takes on is paid (ODD §7.1).
    """

    reserved: float = 0.0  # of the budget, promised to the rest of its running PoCs (M RMB)

    def __init__(self, model, name: str, cell, pi_share: float = 0.0) -> None:
        super().__init__(model)
        self.name = name
        self.cell = cell
        self.pi_share = pi_share
        self.capital = 0.0  # PoC budget left (M RMB)

    def free_budget(self) -> float:
        """What is left of the budget after the running PoCs' remaining months."""
        return self.capital - self.reserved

    def reserve(self, amount: float) -> None:
        """Promise ``amount`` of the budget to a PoC it takes on."""
        self.reserved += amount

    def release(self, amount: float) -> None:
        """A promise paid out or no longer needed (the PoC ended)."""
        self.reserved = max(0.0, self.reserved - amount)
