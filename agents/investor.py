"""Investors: angel/VC, the provincial guidance fund, banks (spec §3.3).

An investor screens projects it can reach, invests when the expected return is positive and
the loss on failure fits its risk budget, withdraws when a project overruns its patience
(S0 §1.1.2), and recycles exit proceeds. The guidance fund invests public money; its yearly
budget for innovative projects follows its allocation (70% traditional in the status quo,
S0 §1.3.2). Banks lend to pilots only under the pilot-loan scheme with a public guarantee.
"""

from __future__ import annotations

from mesa.discrete_space import CellAgent

from agents.funder import Funder, Terms


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

    def new_year(self) -> None:
        """A new budget year."""
        self.invested_this_year = 0.0

    @property
    def payer_kind(self) -> str:
        """Ledger account for this funder's money."""
        return {"vc": "vc", "bank": "bank", "guidance_fund": "guidance_fund"}[self.kind]

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
