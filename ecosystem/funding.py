"""Who pays for a pilot: the funders' decision and the syndicate (spec §3.3, §4.3).

Equity funders of a pilot costing ``C`` (of which a bank may lend ``L``) expect
``belief × (V − loan repayment) + (1 − belief) × claim − (C − L) − premium`` where ``V`` is
the de-risked asset's value and ``claim`` the insurer's process-failure payment. They invest
when that is positive, each at most what keeps its loss on failure within its risk budget.
With a ~70% failure rate (S0 §1.2.3) no single firm or VC carries a 50–250 M RMB pilot alone.
Insurance, loans, cheaper shared facilities and the guidance fund act by changing these
terms — cost, downside, who bears it — never the outcome.

Every money movement of the chain happens here, between the actors' own ``commit``/``receive``
/``pay`` and the government's ledger: stakes committed and released, the month's pilot costs,
the holder's charges, loan defaults and the payout at the market.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ecosystem.demand import project_outlook
from ecosystem.project import Z_DILIGENCE, Project, Stake
from ecosystem.valuation import Schedule, planned_months_after_pilot, schedule


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
    modality: str = ""
    stage: str = "pilot"
    diligence: float | None = None  # a validation team's view of the chance of success
    schedule: Schedule | None = None  # the path to market (for discounting); None: as planned
    evidence: float = 1.0  # likelihood ratio of the pilot's interim readout (1: none yet)

    @cached_property
    def equity(self) -> float:
        """Money equity funders must put in."""
        return max(1e-9, self.cost - self.loan)

    @cached_property
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
        return self.return_at(self.belief, self.value)

    def return_at(self, b: float, value: float) -> float:
        """Expected net return per unit of private equity at belief ``b`` and ``value``."""
        upside = value - self.loan_repayment
        if self.fund_cap is None:
            net = b * upside + (1 - b) * self.claim - self.equity - self.premium
            return net / self.equity
        private_upside = upside - self.fund_stake * (1.0 + self.fund_cap)
        share = self.private_equity / self.equity
        net = b * private_upside + (1 - b) * self.claim * share
        return (net - self.private_equity - self.premium * share) / self.private_equity

    @cached_property
    def loss_per_unit(self) -> float:
        """Equity lost per unit invested if the pilot fails."""
        return max(1e-6, (self.equity + self.premium - self.claim) / self.equity)

    def but(self, **changes: object) -> PilotTerms:
        """The same deal with some fields changed: ``dataclasses.replace`` without its cost.

        Funders' views and the guidance fund's stake copy terms several times per syndicate;
        copying the fields directly is ~10× cheaper. Cached figures are not carried over.
        """
        fields = {k: v for k, v in self.__dict__.items() if k not in _CACHED}
        unknown = changes.keys() - fields.keys()
        if unknown:
            raise TypeError(f"PilotTerms has no fields {sorted(unknown)}")
        fields.update(changes)
        new = object.__new__(PilotTerms)
        new.__dict__.update(fields)
        return new


#: Figures ``PilotTerms`` computes once per instance (``functools.cached_property``).
_CACHED = frozenset({"equity", "private_equity", "loss_per_unit"})


def pilot_terms(
    model, project: Project, cost: float, expertise: float, loan: float,
    insured: bool | None = None,
) -> PilotTerms:
    """The terms funders see: the base rate, a validation team's view, the path to market.

    Each funder then reads them with its own belief and discount rate (``Funder.view``).
    """
    params = model.params
    rules = model.rules
    belief = params.pilot.prior_success_belief
    diligence = None
    if rules.team_due_diligence and project.team:
        seen = min(1.0, max(0.0, project.scalability + 0.1 * project.z[Z_DILIGENCE]))
        diligence = seen * expertise
        belief = 0.5 * belief + 0.5 * diligence
    premium = claim = 0.0
    if insured is None:  # a running pilot: insured if it bought cover
        insured = project.insured_sum > 0
    if insured and model.insurer is not None:
        premium, claim = model.insurer.quote(cost)
    years = (project.pilot_months + planned_months_after_pilot(params)) / 12.0
    repayment = loan * (1.0 + rules.loan_interest * years)
    value = project.asset_value * project_outlook(model, project)  # funders anticipate demand
    return PilotTerms(
        cost, loan, repayment, value, belief, premium, claim,
        modality=project.modality, diligence=diligence, schedule=schedule(model, project),
        evidence=project.readout_evidence,
    )


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
    VCs then each decide on their own view of what is left for them (belief, discount rate,
    liquidity, capital, risk budget). If the equity is not covered, the reason is left in
    ``project.refusal``: the partners' binding limit, else the candidates' commonest refusal.
    """
    stakes: list[Stake] = []
    fund = model.guidance_fund
    if fund is not None and fund not in exclude:
        amount = fund.offer(need, terms)
        if amount > 0:
            stakes.append(Stake(fund, amount))
            need -= amount
            terms = terms.but(fund_stake=amount, fund_cap=model.rules.fund_return_cap)
    refusals: list[str] = []
    limits: list[str] = []
    for funder in _candidates(model, project, exclude):
        if need <= 1e-9:
            break
        reason = funder.refusal(terms, need)
        if reason is not None:
            refusals.append(reason)
            continue
        stake = funder.offer(need, terms)  # its limits depend on the downside, not its view
        if stake < need - 1e-9:
            limits.append(funder.limit(terms, need))
        if stake > 0:
            stakes.append(Stake(funder, stake))
            need -= stake
    if need > 1e-6:
        reasons = limits or refusals or ["valuation"]
        project.refusal = max(dict.fromkeys(reasons), key=reasons.count)
        return None
    commit(model, project, stakes)
    return stakes


def commit(model, project: Project, stakes: list[Stake]) -> None:
    """Take the committed money out of the funders' free capital."""
    for s in stakes:
        s.funder.commit(s.amount)
        model.chain.link(project.holder.cell, s.funder.cell)


def _candidates(model, project: Project, exclude: tuple) -> list:
    """The holder first, then investors the project can reach this month."""
    holder = project.holder
    out = [holder] if holder not in exclude else []
    k = model.params.pilot.funder_candidates
    vcs = model.vcs
    if vcs:
        luck = project.luck
        picks = [vcs[i] for i in luck.choice(len(vcs), size=min(k, len(vcs)), replace=False)]
        asked = [vc for vc in picks if vc not in exclude]
        # one uniform per investor asked, in order: the same numbers as one call per investor
        draws = luck.random(len(asked)).tolist() if asked else []
        region, here = model.region, _coord(holder)
        for vc, u in zip(asked, draws, strict=True):
            if u < region.collaboration_prob(here, _coord(vc)):
                out.append(vc)
    return out


def _coord(agent):
    cell = agent.cell
    return None if cell is None else cell.coordinate


# --- money movements of a running project ----------------------------------------------------
def _book(project: Project):
    """The money book of the model the project's funders belong to."""
    return project.stakes[0].funder.model.book


def release_unspent(project: Project) -> None:
    """Unspent commitments go back from escrow to their funders; no stakes are left."""
    for s in project.stakes:
        s.funder.receive(s.amount - s.spent, s.funder.model.book.escrow, "released")
    project.stakes = []


def withdraw(project: Project, leaving: list[Stake]) -> float:
    """Funders leave a project with their unspent money; returns the gap they leave."""
    gap = 0.0
    for s in leaving:
        s.funder.receive(s.amount - s.spent, s.funder.model.book.escrow, "withdrawn")
        gap += s.amount - s.spent
        project.stakes.remove(s)
    return gap


def spend(
    model,
    project: Project,
    amount: float,
    equity_only: bool = False,
    payee=None,
    purpose: str = "pilot_costs",
) -> float:
    """Funders pay a cost in proportion to their remaining commitments (public or private).

    The money leaves escrow for ``payee`` (the suppliers outside the accounts unless given,
    e.g. the insurer for a premium). Returns what was paid.
    """
    ledger = model.government.ledger
    book = model.book
    payee = book.outside if payee is None else payee
    stakes = [s for s in project.stakes if not s.loan] if equity_only else project.stakes
    left = [s for s in stakes if s.amount - s.spent > 1e-12]
    total_left = sum(s.amount - s.spent for s in left)
    if total_left <= 0:
        return 0.0
    amount = min(amount, total_left)
    for s in left:
        pay = amount * (s.amount - s.spent) / total_left
        s.spent += pay
        book.transfer(book.escrow, payee, pay, purpose)
        if s.funder.public:
            ledger.pay_public("guidance_fund", pay)
            project.spent_public += pay
        else:
            ledger.pay_private(s.funder.payer_kind, pay)
            project.spent_private += pay
    return amount


def pay_poc_month(model, project: Project, amount: float) -> float:
    """The PoC's payer (lab budget, team investor or angel, firm) pays the month's cost."""
    payer = project.poc_funder
    paid = min(amount, max(0.0, payer.capital)) if payer is not None else 0.0
    if paid <= 0:
        return 0.0
    model.book.transfer(payer, model.book.outside, paid, "poc_costs")
    if project.poc_reserved > 0:  # a lab pays out of what it promised the PoC
        kept = min(paid, project.poc_reserved)
        payer.release(kept)
        project.poc_reserved -= kept
    kind = {"firm": "firm", "vc": "vc"}.get(project.poc_payer, "institution")
    model.government.ledger.pay_private(kind, paid)
    project.spent_private += paid
    return paid


def charge_holder(model, project: Project, amount: float) -> float:
    """The holder pays what it can of ``amount`` to its suppliers; returns what was paid."""
    paid = project.holder.pay(amount)
    if paid > 0:
        model.government.ledger.pay_private("firm", paid)
        project.spent_private += paid
    return paid


def settle_stakes(project: Project) -> None:
    """After the pilot, stakes become equity (or a loan) awaiting the exit."""
    for s in project.stakes:
        s.funder.receive(s.amount - s.spent, s.funder.model.book.escrow, "released")
        s.amount = s.spent


def default_loans(government, project: Project, guarantee: float) -> None:
    """A failed pilot defaults on its loan; the province covers the guaranteed share."""
    for s in project.stakes:
        if s.loan:
            covered = s.spent * guarantee
            if covered > 0:
                government.cover_guarantee(s.funder, covered)


def pay_out(
    project: Project, pool: float, years: float, payer, purpose: str = "exit_proceeds"
) -> dict:
    """Share the price ``payer`` pays for the project: the bank first, then equity.

    Equity shares pro rata — except a return-capped guidance fund, which takes its stake plus
    the cap and cedes the rest to the private funders. Returns what each funder received.
    """
    paid: dict = {}

    def _pay(funder, amount: float, purpose: str) -> None:
        funder.receive(amount, payer, purpose)
        if funder.public:
            funder.model.government.ledger.recover(amount)
        paid[funder] = paid.get(funder, 0.0) + amount

    for s in project.stakes:
        if s.loan:
            repay = min(pool, s.spent * (1 + s.interest * years))
            _pay(s.funder, repay, "loan_repayments")
            pool -= repay
    equity = [s for s in project.stakes if not s.loan]
    total = sum(s.spent for s in equity) or 1.0
    fund = [s for s in equity if s.funder.kind == "guidance_fund"]
    private = [s for s in equity if s.funder.kind != "guidance_fund"]
    if fund and private and project.fund_cap is not None:
        fund_spent = sum(s.spent for s in fund)
        capped = min(pool * fund_spent / total, fund_spent * (1 + project.fund_cap))
        _pay(fund[0].funder, capped, purpose)
        pool -= capped
        equity = private
        total = sum(s.spent for s in equity) or 1.0
    for s in equity:
        _pay(s.funder, pool * s.spent / total, purpose)
    for s in project.stakes:
        s.amount = s.spent  # nothing left to release
    project.stakes = []
    return paid
