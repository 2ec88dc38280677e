"""Investors: angel/VC, the provincial guidance fund, banks (spec §3.3).

An investor screens projects it can reach, invests when the expected return is positive and
the loss on failure fits its risk budget, withdraws when a project overruns its patience
(S0 §1.1.2), and recycles exit proceeds. The guidance fund invests public money; its yearly
budget for innovative projects follows its allocation (70% traditional in the status quo,
S0 §1.3.2). Banks lend to pilots only under the pilot-loan scheme with a public guarantee.
"""

from __future__ import annotations

import math

from mesa.discrete_space import CellAgent

from agents.funder import Funder, Terms

#: Ledger account of each kind of investor.
_PAYER_KINDS = {"vc": "vc", "bank": "bank", "guidance_fund": "guidance_fund"}


class Investor(Funder, CellAgent):
    """A funder with capital, a risk budget per deal and a patience in months."""

    def __init__(
        self,
        model,
        kind: str,
        cell,
        capital: float,
        risk_tolerance: float,
        patience: float,
    ) -> None:
        super().__init__(model)
        self.kind = kind  # "vc", "guidance_fund" or "bank"
        self.cell = cell
        self.capital = capital  # uncommitted M RMB
        self.risk_tolerance = risk_tolerance
        self.patience = patience
        self.invested_this_year = 0.0  # the guidance fund's yearly budget in use
        self.vintage_size = capital  # money the current fund raised (M RMB)
        self.first_size = capital  # the manager's first fund: the asset class's allocation
        self.vintage_start = 0  # month the current fund was raised (set by the model)
        self.fund_life_months = math.inf  # a venture fund returns its money after its life
        self.vintages = 1

    def new_year(self) -> None:
        """A new budget year."""
        self.invested_this_year = 0.0

    def months_left(self) -> float:
        """Months until the current fund must return its money to its partners."""
        return self.fund_life_months - (self.model.month - self.vintage_start)

    def loses_patience(self, overrun_months: float) -> bool:
        """A fund near the end of its life cannot wait: liquidity cuts its patience."""
        return overrun_months > min(self.patience, max(0.0, self.months_left()))

    def refusal(self, terms, need: float) -> str | None:
        """A venture fund in its harvest years makes no new investments (liquidity)."""
        harvest = self.model.params.economics.vc_harvest_years * 12.0
        if self.kind == "vc" and self.months_left() < harvest:
            return "liquidity"
        return super().refusal(terms, need)

    def raise_fund(self, reinvest: float, track_record_weight: float = 1.0) -> None:
        """At the end of a venture fund's life, pay its partners back and raise the next one.

        The partners (outside the region) take the fund's free money. The next vintage's size
        blends the fund's own record (``reinvest`` × multiple × last size, at most twice the
        last size) with the asset class's steady allocation (the size the manager started
        with), weighted by ``track_record_weight``: returns grow or shrink a fund, but a
        manager with a poor vintage still raises from partners who allocate to the sector,
        so venture money in the region neither vanishes nor grows without bound.
        """
        if self.kind != "vc" or self.months_left() > 0:
            return
        book = self.model.book
        multiple = self.capital / max(self.vintage_size, 1e-9)
        book.transfer(self, book.outside, max(0.0, self.capital), "fund_distributions")
        own = self.vintage_size * min(2.0, reinvest * multiple)
        size = track_record_weight * own + (1.0 - track_record_weight) * self.first_size
        book.transfer(book.outside, self, size, "fund_raising")
        self.vintage_size = size
        self.vintage_start = self.model.month
        self.vintages += 1

    @property
    def payer_kind(self) -> str:
        """Ledger account for this funder's money."""
        return _PAYER_KINDS[self.kind]

    @property
    def public(self) -> bool:
        """The guidance fund invests public money."""
        return self.kind == "guidance_fund"

    def offer(self, need: float, terms: Terms) -> float:
        """The guidance fund offers within its yearly budget and its largest stake per pilot."""
        if self.kind != "guidance_fund":
            return super().offer(need, terms)
        rules = self.model.rules
        budget = rules.fund_budget_per_year - self.invested_this_year
        cap = rules.fund_max_stake * terms.cost
        return max(0.0, min(need, cap, budget, self.capital))

    def commit(self, amount: float) -> None:
        """Set money aside; the guidance fund counts it against its yearly budget."""
        super().commit(amount)
        if self.kind == "guidance_fund":
            self.invested_this_year += amount
