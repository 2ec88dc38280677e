"""Enterprises: lead firms and SMEs/startups (spec §3.2); CDMOs are tier-3 facilities.

Firms license PoC results, fund and run pilots (alone or in syndicates), industrialise, and
outsource pilot or production work to a CDMO: local if one with the modality and free capacity
is reachable, else out of region (S0 §1.3.3). Lead firms acquire startups (M&A) and, under
reverse commissioning, collect clinicians' needs (S0 §2.1).
"""

from __future__ import annotations

from mesa.discrete_space import CellAgent


class Enterprise(CellAgent):
    """A firm with capital, modalities it can pilot itself, and a risk budget per deal."""

    def __init__(
        self,
        model,
        kind: str,
        name: str,
        cell,
        capital: float,
        pilot_modalities: frozenset[str] = frozenset(),
        risk_tolerance: float = 0.1,
        patience: float = 12.0,
        absorptive_capacity: float = 0.5,
    ) -> None:
        super().__init__(model)
        self.kind = kind  # "lead_firm" or "sme" (CDMOs are tier-3 PilotPlatform facilities)
        self.name = name
        self.cell = cell
        self.capital = capital  # uncommitted M RMB
        self.pilot_modalities = pilot_modalities
        self.risk_tolerance = risk_tolerance
        self.patience = patience
        self.absorptive_capacity = absorptive_capacity
        self.founder = None  # the scientist who founded it, for startups
        self.ran_pilot_or_production = False
        self.outsourced_out_of_region = False
        self.projects_held = 0

    @property
    def payer_kind(self) -> str:
        """Ledger account for this funder's money."""
        return "firm"

    @property
    def public(self) -> bool:
        """Firms spend private money."""
        return False

    def max_stake(self, loss_per_unit: float) -> float:
        """Largest stake whose loss on failure stays within the firm's risk budget."""
        return min(self.capital, self.risk_tolerance * self.capital / max(loss_per_unit, 1e-9))
