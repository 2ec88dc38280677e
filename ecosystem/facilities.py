"""Booking pilot and production facilities (spec §3.7, S0 §1.3.3, §2.2, S4 §4).

A holder pilots on its own line if it has one for the modality; otherwise on a shared tier-1
or tier-2 platform (only under the shared-platforms policy: sharing cuts the upfront investment,
the capex share of the pilot's cost, S1 — not its running costs), or at a
local CDMO with the modality, a free slot and a willing partner (distance-decayed); then on an
enclave line in a partner park (only under the enclave-parks policy, S4 §4: dearer than at home,
cheaper than out of region, farther than the circle); failing all of these, out of region at
+30% cost (S0 §1.3.3).
"""

from __future__ import annotations

from agents.platform import PilotPlatform
from ecosystem.project import Project


class Facilities:
    """All pilot facilities of the region, and the rule for choosing one."""

    def __init__(self, model) -> None:
        self.model = model

    @property
    def all(self):
        """Every facility, in the order built (Mesa's agent set of ``PilotPlatform``)."""
        return self.model.agents_by_type.get(PilotPlatform, ())

    def _reachable(self, p: Project, facility: PilotPlatform) -> bool:
        region = self.model.region
        src = p.holder.cell.coordinate
        return p.luck.random() < region.collaboration_prob(src, facility.cell.coordinate)

    def choose(self, p: Project) -> tuple[PilotPlatform | None, str, float]:
        """Pick where a pilot would run: (facility or None, expertise kind, cost factor)."""
        rules = self.model.rules
        if p.modality in p.holder.pilot_modalities:
            return None, "own_line", 1.0
        local = [f for f in self.all if f.local and f.can_take(p.modality)]
        if rules.platforms_shared:
            for f in local:
                if f.tier in (1, 2) and self._reachable(p, f):
                    capex = self.model.params.economics.pilot_capex_share
                    return f, f.kind, 1.0 - rules.upfront_cost_cut * capex
        for f in local:
            if f.tier == 3 and self._reachable(p, f):
                return f, "cdmo", 1.0
        enclave = self.enclave_line(p)
        if enclave is not None:
            return enclave, "enclave", enclave.cost_factor
        far = next(
            (f for f in self.all if f.out_of_region and f.can_take(p.modality)),
            None,
        )
        return far, "out_of_region", 1.0 + self.model.params.space.out_of_region_cost_markup

    def local_cdmo(self, p: Project) -> PilotPlatform | None:
        """A local CDMO with the modality and a free line, willing to take production work."""
        for f in self.all:
            local = f.tier == 3 and f.local
            if local and f.can_take(p.modality) and self._reachable(p, f):
                return f
        return None

    def enclave_line(self, p: Project) -> PilotPlatform | None:
        """A free enclave line for the modality (the city's partnership books it: no search)."""
        return next((f for f in self.all if f.enclave and f.can_take(p.modality)), None)
