"""Run seeds derived from the base seed and the replication number.

Replication ``r`` gets the same seed at every parameter point, so points are compared on paired
runs that meet the same luck (common random numbers, spec §5b). The derivation is pure: it does
not depend on the number of workers, the engine or the order in which runs finish.
"""

from __future__ import annotations

import numpy as np


def run_seed(base_seed: int, replication: int) -> int:
    """The seed of replication ``replication`` under ``base_seed``."""
    seq = np.random.SeedSequence(base_seed, spawn_key=(replication,))
    return int(seq.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
