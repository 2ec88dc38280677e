"""The provincial government, also the regulator (spec §3.5).

It holds the policy set, pays grants and subsidies (every yuan recorded by instrument in the
ledger) and runs regulatory reviews. Review durations follow S0 §1.3.1 (serial review: 6–8
months longer than in the Yangtze delta) unless review sync makes them parallel (S0 §2.3.1, S3).
"""

from __future__ import annotations

from mesa import Agent

from ecosystem.accounts import Ledger


class Government(Agent):
    """Payer of public money and regulator."""

    def __init__(self, model) -> None:
        super().__init__(model)
        self.ledger = Ledger()
        self.poc_grant_spent_this_year = 0.0

    def new_year(self) -> None:
        """Reset the yearly budget counters."""
        self.poc_grant_spent_this_year = 0.0

    # --- public money --------------------------------------------------------------------
    def grant_budget_left(self, budget: float) -> float:
        """PoC grant money left this year out of a yearly ``budget``."""
        return budget - self.poc_grant_spent_this_year

    def pay_grant(self, amount: float) -> None:
        """Pay a milestone grant tranche: it pays the PoC's suppliers (counted per year)."""
        self.ledger.pay_public("milestone_grants", amount)
        self.model.book.transfer(self.model.book.treasury, self.model.book.outside, amount,
                                 "milestone_grants")
        self.poc_grant_spent_this_year += amount

    def cover_guarantee(self, lender, amount: float) -> None:
        """Pay the guaranteed share of a defaulted pilot loan to its lender."""
        self.ledger.pay_public("loan_guarantees", amount)
        lender.receive(amount, self.model.book.treasury, "loan_guarantees")

    def pay_subsidy(self, instrument: str, amount: float, payee=None) -> None:
        """Pay a subsidy through a public instrument (platforms, a CDMO build, a premium).

        The money goes to ``payee`` (the insurer for a premium), else to the suppliers.
        """
        self.ledger.pay_public(instrument, amount)
        book = self.model.book
        book.transfer(book.treasury, book.outside if payee is None else payee, amount, instrument)

    def run_programme(self, params) -> None:
        """A month of an active policy's running cost (staff, offices, services)."""
        self.pay_subsidy("programme_costs", params.running_cost_mrmb_per_year / 12.0)

    def fund_research(self, institutions, total: float) -> None:
        """The year's research programme money: PoC budgets for the institutions, by PI share."""
        book = self.model.book
        for inst in institutions:
            book.transfer(book.treasury, inst, total * inst.pi_share, "research_programmes")

    def ind_review_months(self) -> float:
        """IND review: 60 working days, 30 where the fast track applies (S3)."""
        ind = self.model.params.industrialisation
        return (
            ind.ind_fast_track_months if self.model.rules.fast_track_ind else ind.ind_review_months
        )

    def registration_months(self, regional_lag: float) -> float:
        """Registration review after Phase III.

        Serial review adds the regional lag (S0 §1.3.1); parallel review starts 6 months early
        with a regional NMPA branch (S0 §2.3.1).
        """
        ind = self.model.params.industrialisation
        rules = self.model.rules
        if rules.parallel_review:
            return max(1.0, ind.registration_review_months - rules.pre_review_months)
        return ind.registration_review_months + regional_lag
