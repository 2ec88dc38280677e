"""Who pays for a pilot: the funders' decision and the syndicate (spec §3.3, §4.3).

Equity funders of a pilot costing ``C`` (of which a bank may lend ``L``) expect
``belief × (V − loan repayment) + (1 − belief) × claim − (C − L) − premium`` where ``V`` is
the de-risked asset's value and ``claim`` the insurer's process-failure payment. They invest
when that is positive, each at most what keeps its loss on failure within its risk budget.
With a ~70% failure rate (S0 §1.2.3) no single firm or VC carries a 50–250 M RMB pilot alone.
Insurance, loans, cheaper shared facilities and the guidance fund act by changing these
terms — cost, downside, who bears it — never the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ecosystem.project import Z_DILIGENCE, Project, Stake


@dataclass(frozen=True)
class PilotTerms:
    """What a pilot looks like to its equity funders (M RMB)."""

    cost: float  # total pilot cost
    loan: float  # part lent by a bank (equity does not pay it, repays it on success)
    loan_repayment: float  # loan plus interest, due from the product
    value: float  # value of the de-risked asset
    belief: float  # funders' chance of technical success
    premium: float  # the unsubsidised share of the insurance premium
    claim: float  # process-failure claim
    fund_stake: float = 0.0  # guidance-fund equity in the deal
    fund_cap: float | None = None  # the fund's capped return on success (None: pro rata)

    @property
    def equity(self) -> float:
        """Money equity funders must put in."""
        return max(1e-9, self.cost - self.loan)

    @property
    def private_equity(self) -> float:
        """Equity the firms and VCs must put in beside the guidance fund."""
        return max(1e-9, self.equity - self.fund_stake)

    @property
    def expected_return(self) -> float:
        """Expected net return per unit of private equity.

        Pro rata, every unit of equity earns the same. A return-capped guidance fund takes back
        only its stake plus the cap on success and cedes the rest of its upside to the private
        co-investors (profit concession), so they earn more per unit.
        """
        b = self.belief
        upside = self.value - self.loan_repayment
        if self.fund_cap is None:
            net = b * upside + (1 - b) * self.claim - self.equity - self.premium
            return net / self.equity
        private_upside = upside - self.fund_stake * (1.0 + self.fund_cap)
        share = self.private_equity / self.equity
        net = b * private_upside + (1 - b) * self.claim * share
        return (net - self.private_equity - self.premium * share) / self.private_equity

    @property
    def loss_per_unit(self) -> float:
        """Equity lost per unit invested if the pilot fails."""
        return max(1e-6, (self.equity + self.premium - self.claim) / self.equity)


def pilot_terms(model, project: Project, cost: float, expertise: float, loan: float) -> PilotTerms:
    """The terms funders see: base rate, or a due-diligence view with a validation team."""
    params = model.params
    rules = model.rules
    belief = params.pilot.prior_success_belief
    if rules.team_due_diligence and project.team:
        seen = min(1.0, max(0.0, project.scalability + 0.1 * project.z[Z_DILIGENCE]))
        belief = 0.5 * belief + 0.5 * seen * expertise
    premium = claim = 0.0
    if rules.insurance_offered and model.insurer is not None:
        ins = params.policies.pilot_insurance
        rate = model.insurer.premium_rate(ins, params.pilot)
        premium = rate * cost * (1.0 - ins.premium_subsidy)
        claim = ins.insured_share * cost * ins.cover_split[0]
    years = project.pilot_months / 12.0 + params.industrialisation.years_to_market_after_pilot
    repayment = loan * (1.0 + rules.loan_interest * years)
    return PilotTerms(cost, loan, repayment, project.asset_value, belief, premium, claim)


def arrange_loan(model, project: Project, cost: float) -> Stake | None:
    """A bank lends part of the pilot when a public guarantee covers most of a default."""
    rules = model.rules
    if rules.loan_share <= 0 or rules.loan_guarantee < rules.loan_min_guarantee or not model.banks:
        return None
    bank = model.banks[int(project.luck.integers(len(model.banks)))]
    amount = min(rules.loan_share * cost, bank.capital)
    return Stake(bank, amount, loan=True, interest=rules.loan_interest) if amount > 0 else None


def assemble_syndicate(
    model, project: Project, terms: PilotTerms, need: float, exclude: tuple = ()
) -> list[Stake] | None:
    """Find equity for ``need``; commit capital only if the whole amount is covered.

    The guidance fund (if it has budget) states its stake first, on its own terms; firms and
    VCs then decide on what is left for them.
    """
    stakes: list[Stake] = []
    fund = model.guidance_fund
    if fund is not None and fund not in exclude:
        amount = _offer(model, fund, need, terms)
        if amount > 0:
            stakes.append(Stake(fund, amount))
            need -= amount
            terms = replace(terms, fund_stake=amount, fund_cap=model.rules.fund_return_cap)
    if terms.expected_return <= 0:
        return None
    for funder in _candidates(model, project, exclude):
        if need <= 1e-9:
            break
        stake = _offer(model, funder, need, terms)
        if stake > 0:
            stakes.append(Stake(funder, stake))
            need -= stake
    if need > 1e-6:
        return None
    commit(model, project, stakes)
    return stakes


def commit(model, project: Project, stakes: list[Stake]) -> None:
    """Take the committed money out of the funders' free capital."""
    for s in stakes:
        s.funder.capital -= s.amount
        if s.funder.kind == "guidance_fund":
            model.government.fund_invested_this_year += s.amount
        model.chain.link(project.holder.cell, s.funder.cell)


def _candidates(model, project: Project, exclude: tuple) -> list:
    """The holder first, then investors the project can reach this month."""
    holder = project.holder
    out = [holder] if holder not in exclude else []
    k = model.params.pilot.funder_candidates
    vcs = model.vcs
    if vcs:
        picks = project.luck.choice(len(vcs), size=min(k, len(vcs)), replace=False)
        for i in picks:
            vc = vcs[int(i)]
            reach = model.region.collaboration_prob(_coord(holder), _coord(vc))
            if vc not in exclude and project.luck.random() < reach:
                out.append(vc)
    return out


def _offer(model, funder, need: float, terms: PilotTerms) -> float:
    """How much this funder puts in (0 if nothing)."""
    if funder.kind == "guidance_fund":
        budget = model.rules.fund_budget_per_year - model.government.fund_invested_this_year
        cap = model.rules.fund_max_stake * terms.cost
        return max(0.0, min(need, cap, budget, funder.capital))
    return max(0.0, min(need, funder.max_stake(terms.loss_per_unit)))


def _coord(agent):
    cell = agent.cell
    return None if cell is None else cell.coordinate
