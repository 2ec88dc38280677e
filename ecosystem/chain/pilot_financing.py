"""Pilot financing: facility, loan, syndicate; patience and withdrawal (ODD §7.4–7.6).

Each month a holder without pilot money looks for a facility and asks the funders; the pilot
starts when a syndicate covers the equity. Funders whose patience an overrunning pilot exceeds
withdraw, and the project dies unless others replace them.
"""

from __future__ import annotations

from ecosystem.funding import arrange_loan, assemble_syndicate, commit, pilot_terms, spend, withdraw
from ecosystem.project import U_SALE, Z_ASSESS, Project


def advance(chain, p: Project) -> None:
    """A month of looking for pilot money (after a feasibility screen of pulled projects)."""
    model = chain.model
    rules = model.rules
    if p.phase_elapsed == 0 and rules.screen_scalability_min is not None and p.demand_pulled:
        seen = p.scalability + rules.assessment_noise * p.z[Z_ASSESS]
        if seen < rules.screen_scalability_min:
            chain.exit(p, "screened_out")
            return
    p.phase_elapsed += 1
    facility, kind, cost_factor = model.facilities.choose(p)
    cost = p.pilot_cost_base * cost_factor
    loan = arrange_loan(model, p, cost)
    amount = loan.amount if loan else 0.0
    expertise = chain.params.pilot.expertise[kind]
    for terms in cover_choices(model, p, cost, expertise, amount):
        stakes = assemble_syndicate(model, p, terms, terms.equity + terms.premium)
        if stakes is not None:
            if loan is not None:
                commit(model, p, [loan])
                stakes.insert(0, loan)
            start_pilot(chain, p, facility, kind, cost, stakes, insured=terms.premium > 0)
            return
    chain.counts[f"financing_fail_{p.refusal}"] += 1
    if p.phase_elapsed >= p.financing_patience:
        sold = p.u[U_SALE] < chain.params.pilot.sale_out_prob_on_death
        chain.exit(p, "transferred_out" if sold else "no_funding")


def cover_choices(model, p: Project, cost: float, expertise: float, loan: float) -> list:
    """The deal without insurance and, where offered, with it: the holder's choice first.

    Insurance is voluntary (S0 §2.3.2): the holder buys it when, on its own view, the insured
    deal is worth at least the uninsured one; otherwise it tries without and buys cover only
    if that is what it takes to close the syndicate.
    """
    plain = pilot_terms(model, p, cost, expertise, loan, insured=False)
    if not (model.rules.insurance_offered and model.insurer is not None):
        return [plain]
    insured = pilot_terms(model, p, cost, expertise, loan, insured=True)
    holder = p.holder
    if holder.view(insured).expected_return >= holder.view(plain).expected_return:
        return [insured, plain]
    return [plain, insured]


def start_pilot(
    chain, p: Project, facility, kind: str, cost: float, stakes, insured: bool = False
) -> None:
    """The syndicate is complete: book the facility, insure, hand over, start."""
    model = chain.model
    chain.counts["pilots_started"] += 1
    chain.counts["pocs_pilot_funded"] += 1
    p.stakes = stakes
    p.pilot_cost = cost
    p.pilot_started = model.month
    if any(s.funder.kind == "guidance_fund" for s in stakes):
        p.fund_cap = model.rules.fund_return_cap
    p.facility = facility
    p.facility_kind = kind
    p.out_of_region = kind == "out_of_region"
    if facility is not None:
        facility.book()
    holder = p.holder
    holder.runs_production(p.out_of_region)
    if insured and model.insurer is not None:
        chain.counts["pilots_insured"] += 1
        premium = model.insurer.sell(p, cost, model.government)
        spend(model, p, premium, equity_only=True, payee=model.insurer, purpose="premiums")
    target = holder.cell if kind == "own_line" else (facility.cell if facility else None)
    if target is not holder.cell:
        chain.handoff(p, holder.cell, target)
        chain.link(holder.cell, target)
    p.phase = "pilot"
    p.progress = 0.0
    p.pilot_elapsed = 0.0


def leave_reason(model, p: Project, stake, overrun: float, seen: dict | None = None) -> str | None:
    """Why a funder quits a running pilot, or ``None`` if it stays.

    ``patience``: the pilot overran its patience; ``liquidity``: its fund must return money
    before the pilot can pay off; ``belief``: its updated belief (after an overrun or the
    interim readout) no longer makes the rest of its commitment worth paying. A funder that
    replaced a leaver joined a pilot already late by ``stake.joined_overrun`` months: its
    patience counts the overrun since it joined. ``seen`` keeps the pilot's terms (the same for
    every stake this month) so that they are computed once, not once per stake.
    """
    funder = stake.funder
    late = overrun - stake.joined_overrun  # late-comers count from joining
    if late > funder.patience:
        return "patience"
    if funder.loses_patience(late):
        return "liquidity"
    if funder.public:
        return None
    seen = {} if seen is None else seen
    if "terms" not in seen:
        seen["terms"] = running_terms(model, p)
    own = funder.view(seen["terms"])
    equity = sum(s.amount for s in p.stakes if not s.loan) or 1.0
    share = stake.amount / equity
    upside = own.belief * (own.value - own.loan_repayment) * share
    return "belief" if upside < stake.amount - stake.spent else None


def running_terms(model, p: Project):
    """The terms of a running pilot, as its funders see them before their own view."""
    loan = sum(s.amount for s in p.stakes if s.loan)
    expertise = model.params.pilot.expertise[p.facility_kind]
    return pilot_terms(model, p, p.pilot_cost, expertise, loan)


def check_patience(chain, p: Project, reassess: bool = False) -> bool:
    """Funders whose patience is exceeded, or whose updated belief says stop, withdraw (S0 §1.1.2).

    Funders reconsider every month a pilot overruns, and once at its interim readout
    (``reassess``). The project dies if no one replaces them. Returns True if it died.
    """
    overrun = max(0.0, p.pilot_elapsed - p.pilot_months)
    if overrun <= 0 and not reassess:
        return False
    seen: dict = {}
    model = chain.model
    reasons = {id(s): leave_reason(model, p, s, overrun, seen) for s in p.stakes if not s.loan}
    leaving = [s for s in p.stakes if reasons.get(id(s))]
    if not leaving:
        return False
    chain.counts["withdrawals"] += len(leaving)
    for s in leaving:
        chain.counts[f"withdrawals_{reasons[id(s)]}"] += 1
    gap = withdraw(p, leaving)
    if gap <= 1e-9:
        return False
    loan = sum(s.amount for s in p.stakes if s.loan)
    expertise = chain.params.pilot.expertise[p.facility_kind]
    terms = pilot_terms(chain.model, p, p.pilot_cost, expertise, loan)
    exclude = tuple(s.funder for s in leaving) + tuple(s.funder for s in p.stakes)
    more = assemble_syndicate(chain.model, p, terms, gap, exclude=exclude)
    if more is None:
        chain.exit(p, "investor_withdrawal")
        return True
    if any(s.funder.kind == "guidance_fund" for s in more):
        p.fund_cap = chain.model.rules.fund_return_cap
    for s in more:  # they join a late pilot knowingly: their patience runs from now
        s.joined_overrun = overrun
    p.stakes.extend(more)
    return False
