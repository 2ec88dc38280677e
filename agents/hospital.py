"""Tertiary hospitals (spec §3.4).

Hospitals emit unmet clinical needs (demand signals lead firms can collect, S0 §2.1) and run
clinical trials with a limited number of concurrent slots (S4 §1: fewer than half of China's
trial institutions can really run trials). Only some can assess biotherapies (S0 §1.3.4).
"""

from __future__ import annotations

from mesa.discrete_space import FixedAgent

#: Modalities only hospitals with a biotherapy assessment system can run and adopt.
BIOTHERAPIES: frozenset[str] = frozenset({"cell_therapy", "gene_therapy"})


class Hospital(FixedAgent):
    """A hospital with trial slots and, maybe, a biotherapy assessment system."""

    def __init__(self, model, cell, trial_slots: int, assesses_biotherapy: bool) -> None:
        super().__init__(model)
        self.cell = cell
        self.trial_slots = trial_slots
        self.trials_running = 0
        self.assesses_biotherapy = assesses_biotherapy
        self.open_needs = 0

    def has_slot(self, modality: str) -> bool:
        """Whether it can start a trial of this modality now."""
        if not self.can_assess(modality):
            return False
        return self.trials_running < self.trial_slots

    def start_trial(self) -> None:
        """A trial takes one of its slots."""
        self.trials_running += 1

    def end_trial(self) -> None:
        """A trial ends and frees its slot."""
        self.trials_running -= 1

    def can_assess(self, modality: str) -> bool:
        """Cell and gene therapies need a biotherapy assessment system (S0 §1.3.4)."""
        return self.assesses_biotherapy or modality not in BIOTHERAPIES

    def adopts(self, modality: str, prob: float, draw: float) -> bool:
        """Whether it adopts a new product on the market (spec §4.5)."""
        return draw < prob and self.can_assess(modality)

    def hand_over_need(self) -> bool:
        """Give one open clinical need to a firm that collects it; False if none is open."""
        if self.open_needs <= 0:
            return False
        self.open_needs -= 1
        return True

    def emit_needs(self, rate: float, backlog: int = 3) -> None:
        """Clinicians report unmet needs (Poisson, rate per month); old ones lapse.

        At most ``backlog`` needs stay open, so switching reverse commissioning on does not
        release years of accumulated demand at once.
        """
        new = int(self.model.streams.stream("needs").poisson(rate)) if rate > 0 else 0
        self.open_needs = min(backlog, self.open_needs + new)
