"""Enterprises: lead firms and SMEs/startups (spec §3.2); CDMOs are tier-3 facilities.

Firms license PoC results, fund and run pilots (alone or in syndicates), industrialise, and
outsource pilot or production work to a CDMO: local if one with the modality and free capacity
is reachable, else out of region (S0 §1.3.3). Lead firms acquire startups (M&A) and, under
reverse commissioning, collect clinicians' needs (S0 §2.1).
"""

from __future__ import annotations

from mesa.discrete_space import CellAgent

from agents.funder import Funder


class Enterprise(Funder, CellAgent):
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
        self.starting_budget = capital  # a lead firm's yearly refill restores it (at most)
        self.pilot_modalities = pilot_modalities
        self.risk_tolerance = risk_tolerance
        self.patience = patience
        self.absorptive_capacity = absorptive_capacity
        self.founder = None  # the scientist who founded it, for startups
        self.shareholders: dict = {}  # seed investors and their equity share in the firm
        self.ran_pilot_or_production = False
        self.outsourced_out_of_region = False
        self.projects_held = 0

    @property
    def payer_kind(self) -> str:
        """Ledger account for this funder's money."""
        return "firm"

    # --- deals: a licence, an acquisition --------------------------------------------------
    def accepts_licence(self, source, draw: float, match_gain: float = 0.0) -> bool:
        """Whether it licenses a PoC result offered from ``source`` (a cell coordinate).

        It must find the lab (distance-decayed; an intermediary closes ``match_gain`` of the
        gap to certain contact, S4 §4) and be able to absorb the technology.
        """
        reach = self.model.region.collaboration_prob(source, self.cell.coordinate)
        accept = (reach + match_gain * (1.0 - reach)) * self.absorptive_capacity
        return draw < accept

    def accepts_acquisition(self, seller, prob: float, draw: float) -> bool:
        """Whether this lead firm buys ``seller`` (a firm holding a de-risked project)."""
        reach = self.model.region.collaboration_prob(seller.cell.coordinate, self.cell.coordinate)
        return draw < prob * reach

    def take_on(self) -> None:
        """It now holds one more project."""
        self.projects_held += 1

    def let_go(self) -> None:
        """It holds one project fewer (sold, ended or acquired with the project)."""
        self.projects_held -= 1

    # --- its budget for the region's projects ----------------------------------------------
    def refill_from_business(self, share: float) -> float:
        """A lead firm's existing business tops its budget for the region's projects back up.

        A lead firm funds projects from the sales of products it already has (outside the
        region's pipeline): each year at most ``share`` of its starting budget comes back
        from outside, never lifting the budget above where it started. A firm that spends
        little keeps its budget; one that spends much is limited by the refill. Startups
        and SMEs have no such business. Returns the amount received.
        """
        if self.kind != "lead_firm":
            return 0.0
        top_up = min(share * self.starting_budget, max(0.0, self.starting_budget - self.capital))
        book = self.model.book
        return book.transfer(book.outside, self, top_up, "business_income")

    # --- paying its own bills --------------------------------------------------------------
    def can_pay(self, amount: float) -> bool:
        """Whether its free capital covers ``amount``."""
        return self.capital >= amount

    def pay(self, amount: float, purpose: str = "industrial_costs") -> float:
        """Pay suppliers what it can of ``amount``; returns what it paid."""
        paid = min(amount, max(0.0, self.capital))
        if paid > 0:
            self.model.book.transfer(self, self.model.book.outside, paid, purpose)
        return paid

    def runs_production(self, out_of_region: bool) -> None:
        """It ran a pilot or production, maybe outsourced out of region (outsourcing share)."""
        self.ran_pilot_or_production = True
        if out_of_region:
            self.outsourced_out_of_region = True
