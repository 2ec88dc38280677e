"""Common random numbers: one independent stream per kind of random event.

Each stream is seeded from the run's seed and a stable hash of the event's name (spec §5b,
after Starsim), so a policy run and a status-quo run with the same seed meet the same luck
wherever the policy does not act. Project-level luck is keyed by the discovery (who, when),
not by the order in which projects happen to be created.
"""

from __future__ import annotations

import functools
import hashlib

import numpy as np


@functools.lru_cache(maxsize=256)
def name_key(name: str) -> int:
    """A stable 32-bit integer for ``name`` (Python's ``hash`` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=4).digest(), "little")


class Streams:
    """Factory of named, reproducible numpy generators derived from one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._cache: dict[str, np.random.Generator] = {}

    def stream(self, name: str) -> np.random.Generator:
        """The generator for event kind ``name`` (created once, then reused)."""
        gen = self._cache.get(name)
        if gen is None:
            gen = self.keyed(name)
            self._cache[name] = gen
        return gen

    def keyed(self, name: str, *keys: int) -> np.random.Generator:
        """A fresh generator for one occurrence of ``name`` identified by integer ``keys``."""
        seq = np.random.SeedSequence(self.seed, spawn_key=(name_key(name), *keys))
        return np.random.Generator(np.random.PCG64(seq))
