"""The transfer chain, month by month: PoC → pilot → industrialisation → market (spec §4).

``core`` keeps the phase dispatch, hand-offs, exits and counters; each submodel of ODD §7 is
one module beside it.
"""

from ecosystem.chain.core import COUNTERS, Chain

#: The chain's submodels (ODD §7), one module each, in the order a project meets them.
SUBMODELS: tuple[str, ...] = (
    "poc",
    "licensing",
    "pilot_financing",
    "pilot_running",
    "reapproval",
    "industrialisation",
    "market",
)

__all__ = ["COUNTERS", "SUBMODELS", "Chain"]
