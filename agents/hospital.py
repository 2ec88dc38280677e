"""Tertiary hospitals (spec §3.4): trial sites and the market for new products.

Hospitals emit unmet clinical needs (demand signals lead firms can collect, S0 §2.1) and run
clinical trials with a limited number of concurrent slots; fewer than half can run a phase I
(S4 §1(三)), and only some can assess biotherapies (S0 §1.3.4). After approval a product
sells only through the hospitals that list it (S3, the "last mile"); listing is each
hospital's own decision: whether it can assess the modality, whether the product's clinical
benefit is worth what the hospital bears per patient under DRG/DIP payment, and whether its
yearly room for new products' cost is not yet used up.
"""

from __future__ import annotations

import math

from mesa.discrete_space import FixedAgent

#: Modalities only hospitals with a biotherapy assessment system can run and adopt.
BIOTHERAPIES: frozenset[str] = frozenset({"cell_therapy", "gene_therapy"})


class Hospital(FixedAgent):
    """A hospital with trial slots, maybe phase I and biotherapy capability, and a formulary."""

    def __init__(
        self,
        model,
        cell,
        trial_slots: int,
        assesses_biotherapy: bool,
        runs_phase1: bool = True,
        budget_mrmb_per_year: float = math.inf,
        value_threshold: float = 0.0,
    ) -> None:
        super().__init__(model)
        self.cell = cell
        self.trial_slots = trial_slots
        self.trials_running = 0
        self.assesses_biotherapy = assesses_biotherapy
        self.runs_phase1 = runs_phase1
        self.open_needs = 0
        self.budget_mrmb_per_year = budget_mrmb_per_year
        self.value_threshold = value_threshold
        self.listed: list = []  # products on its formulary (``market.Product``)

    def has_slot(self, modality: str, phase1: bool = False) -> bool:
        """Whether it can start a trial of this modality (a phase I if ``phase1``) now."""
        if not self.can_assess(modality) or (phase1 and not self.runs_phase1):
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

    # --- the market ------------------------------------------------------------------------
    def budget_left(self, price_index: float, yearly_cost) -> float:
        """DRG/DIP room left this year after the products it already lists.

        ``yearly_cost(product)`` is a listed product's yearly cost at one hospital at the
        negotiated price; ``price_index`` what the hospital bears of it per patient.
        """
        used = sum(yearly_cost(prod) for prod in self.listed) * price_index
        return self.budget_mrmb_per_year - used

    def would_list(
        self, modality: str, benefit: float, cost: float, price_index: float, room: float
    ) -> bool:
        """Its listing decision: it can assess it, it is worth its price, and it fits the budget.

        ``benefit`` is the product's clinical benefit (latent quality), ``cost`` its yearly
        cost at this hospital at the negotiated price, ``room`` the budget left.
        """
        if not self.can_assess(modality):
            return False
        if benefit < self.value_threshold * price_index:
            return False
        return cost * price_index <= room

    def delist(self, product) -> None:
        """Take a product off the formulary (its patent ended)."""
        if product in self.listed:
            self.listed.remove(product)

    # --- clinical needs --------------------------------------------------------------------
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
