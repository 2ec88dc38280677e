"""A university or research institute: home of principal investigators (spec §3.1)."""

from __future__ import annotations

from mesa.discrete_space import FixedAgent


class Institution(FixedAgent):
    """A fixed place where scientists work; it funds some PoCs from its own budget.

    Its ``capital`` is the PoC budget: government research programmes pay into it each year
    (by PI share) and licence royalties add to it; PoCs it funds are paid out of it.
    """

    def __init__(self, model, name: str, cell, pi_share: float = 0.0) -> None:
        super().__init__(model)
        self.name = name
        self.cell = cell
        self.pi_share = pi_share
        self.capital = 0.0  # PoC budget left (M RMB)
