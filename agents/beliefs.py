"""A funder's own beliefs about success, per modality and stage, learned from outcomes.

Each funder holds a Beta belief per (modality, stage): its kind's prior mean (the 70% failure
base rate of S0 §1.2.3, shaded by kind) with a prior weight worth some observed projects. It
updates from the outcomes it observes: projects it funded, and — with the data platform — the
outcomes the platform shares with everyone. Beliefs so differ between funders and drift with
what each has seen, instead of one number for all.
"""

from __future__ import annotations


class Beliefs:
    """Beta(successes, failures) pseudo-counts per (modality, stage)."""

    def __init__(self, prior_mean: float, prior_weight: float) -> None:
        self.prior = (prior_mean * prior_weight, (1.0 - prior_mean) * prior_weight)
        self.counts: dict[tuple[str, str], list[float]] = {}

    def mean(self, modality: str, stage: str) -> float:
        """Expected chance of success."""
        a, b = self.counts.get((modality, stage), self.prior)
        return a / (a + b)

    def observe(self, modality: str, stage: str, success: bool) -> None:
        """Learn from one outcome."""
        key = (modality, stage)
        counts = self.counts.setdefault(key, list(self.prior))
        counts[0 if success else 1] += 1.0

    def observed(self, modality: str, stage: str) -> float:
        """Outcomes seen beyond the prior."""
        a, b = self.counts.get((modality, stage), self.prior)
        return a + b - sum(self.prior)
