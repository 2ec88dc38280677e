"""A university or research institute: home of principal investigators (spec §3.1)."""

from __future__ import annotations

from mesa.discrete_space import FixedAgent


class Institution(FixedAgent):
    """A fixed place where scientists work; it may fund some PoCs from its own budget."""

    def __init__(self, model, name: str, cell) -> None:
        super().__init__(model)
        self.name = name
        self.cell = cell
