"""Pilot facilities of the three tiers (spec §3.7, S0 §2.2).

Tier 1: the university GMP training centre; tier 2: pilot platforms at lead firms; tier 3:
industrial CDMOs. Tiers 1 and 2 take outside projects only under the shared-platforms policy;
an off-grid facility (Dalian) counts as out of region. An enclave facility (S4 §4, the
``enclave_parks`` policy) stands on the grid in a partner park beyond the circle: a location
class of its own, neither local nor out of region, with its own cost factor.
"""

from __future__ import annotations

from mesa.discrete_space import CellAgent

TIER_KIND = {1: "university", 2: "enterprise", 3: "cdmo"}


class PilotPlatform(CellAgent):
    """A facility with modalities, capacity (concurrent projects) and a tier."""

    def __init__(
        self,
        model,
        name: str,
        tier: int,
        modalities: frozenset[str],
        capacity: int,
        cell=None,
        built_by_policy: bool = False,
        enclave: bool = False,
    ) -> None:
        super().__init__(model)
        self.name = name
        self.tier = tier
        self.modalities = modalities
        self.capacity = capacity
        self.in_use = 0
        self.cell = cell  # None: out of region
        self.built_by_policy = built_by_policy
        self.enclave = enclave  # in a partner park outside the region's own land (S4 §4)
        self.open = True
        self.priced_by = None  # the policy that prices its lines, if not the region's own cost

    @property
    def kind(self) -> str:
        """Expertise class of the facility (university, enterprise, cdmo)."""
        return TIER_KIND[self.tier]

    @property
    def cost_factor(self) -> float:
        """A line's cost relative to the region's own facilities.

        A facility priced by the policy that built it (an enclave base, S4 §4) asks that policy
        whenever a line is priced, so no stored copy of the price can go stale.
        """
        return 1.0 if self.priced_by is None else self.priced_by.cost_factor(self.model)

    @property
    def out_of_region(self) -> bool:
        """Facilities off the grid are out of region."""
        return self.cell is None

    @property
    def local(self) -> bool:
        """On the region's own land: neither out of region nor in an enclave park."""
        return self.cell is not None and not self.enclave

    def can_take(self, modality: str) -> bool:
        """Open, the right line, and a free slot."""
        return self.open and modality in self.modalities and self.in_use < self.capacity

    def book(self) -> None:
        """A project takes one of its lines."""
        self.in_use += 1

    def release(self) -> None:
        """A project leaves and frees its line."""
        self.in_use -= 1
