"""Proof of concept: discoveries and commissions become projects, and who pays (ODD §7.1–7.2).

A discovery its scientist pushes, or a lead firm's commission, is a PoC candidate; it starts if
the lab, a team investor, an angel, the commissioning firm or the milestone fund pays. The PoC
then runs its months, meets its prototype milestone half-way and ends in success or failure.
"""

from __future__ import annotations

from ecosystem.funding import pay_poc_month
from ecosystem.project import STAGE_PILOT, U_POC, U_PROTOTYPE, Z_PANEL, Project, draw_project


def consider_discovery(chain, scientist, quality: float) -> None:
    """A discovery its scientist pushes: a PoC candidate, started if money is found."""
    model = chain.model
    luck = model.streams.keyed("project", scientist.index, model.month, 0)
    project = draw_project(
        chain._next_id,
        model.month,
        scientist,
        False,
        luck,
        chain.params,
        chain.learning_gain(),
        quality=quality,
    )
    project.team = model.rules.team_due_diligence
    _count_candidate(chain, project)
    found = _poc_money(chain, project, luck)
    if found is None:
        return
    _start(chain, project, *found)


def commission(chain, firm, scientist) -> None:
    """A lead firm commissions a scientist to answer a clinical need (S0 §2.1)."""
    model = chain.model
    chain._commissions[scientist.index] += 1
    key = chain._commissions[scientist.index]  # 0 is the scientist's own discovery
    if firm.capital < chain.params.poc.cost_mrmb:
        return  # a firm commissions only a PoC it can pay (the key stays aligned)
    luck = model.streams.keyed("project", scientist.index, model.month, key)
    project = draw_project(
        chain._next_id, model.month, scientist, True, luck, chain.params, chain.learning_gain()
    )
    project.holder = firm
    firm.take_on()
    project.team = model.rules.team_due_diligence
    chain.counts["demand_pulled_projects"] += 1
    _count_candidate(chain, project)
    chain.link(firm.cell, scientist.cell)
    _start(chain, project, "firm", firm)


def _count_candidate(chain, project: Project) -> None:
    chain.counts["poc_candidates"] += 1
    if not project.viable:
        chain.counts["poc_candidates_nonviable"] += 1


def _poc_money(chain, project: Project, luck) -> tuple[str, object] | None:
    """Who pays for a PoC, and from which account: the lab, an investor, or the milestone fund.

    The lab pays only from what is left of its budget after its running PoCs' promises; a team
    investor or angel only from its free capital (which one is the discovery's own draw, so
    scenarios meet the same one).
    """
    model = chain.model
    rules = model.rules
    cost = chain.params.poc.cost_mrmb
    u_inst, u_team, u_angel = luck.random(3)
    lab = project.scientist.institution
    if u_inst < chain.params.poc.institutional_funding_prob and lab.free_budget() >= cost:
        return "institution", lab
    investor = _poc_investor(model, project, cost)
    if investor is not None and project.team and u_team < rules.team_investor_prob:
        return "vc", investor
    if investor is not None and u_angel < chain.params.investors.vc_poc_share:
        return "vc", investor
    if rules.poc_tranches is not None:
        view = project.quality + rules.poc_review_noise * project.z[Z_PANEL]
        budget_left = model.government.grant_budget_left(rules.poc_grant_budget)
        if view >= rules.poc_review_threshold and budget_left >= sum(rules.poc_tranches):
            project.grant = True
            return "grant", None
    return None


def _poc_investor(model, project: Project, cost: float):
    """The venture investor the discovery would meet, if it can pay the PoC."""
    vcs = model.vcs
    if not vcs:
        return None
    pick = model.streams.keyed("poc_investor", project.scientist.index, project.discovered)
    vc = vcs[int(pick.integers(len(vcs)))]
    return vc if vc.capital >= cost else None


def _start(chain, project: Project, payer: str, funder) -> None:
    chain._next_id += 1
    project.poc_payer = payer
    project.poc_funder = funder
    if payer == "institution":
        reserve_poc(project, funder, chain.params.poc.cost_mrmb)
    project.scientist.start_poc()
    chain.counts["entered_poc"] += 1
    chain.histories.append((project.discovered, project.gates))
    if project.grant:
        pay_grant(chain, project, 0)
    chain.active.append(project)


def reserve_poc(project: Project, lab, amount: float) -> None:
    """The lab promises ``amount`` of its budget to the PoC (paid month by month)."""
    lab.reserve(amount)
    project.poc_reserved = amount


def release_poc(project: Project) -> None:
    """The PoC ended: what its lab still had promised to it is free again."""
    if project.poc_reserved > 0:
        project.poc_funder.release(project.poc_reserved)
        project.poc_reserved = 0.0


def investor_leaves(chain, p: Project, amount: float) -> bool:
    """A venture investor stops paying a PoC it can no longer carry (S0 §1.1.2).

    PoC work needs money month after month for years of uncertain return, and investors may
    withdraw (S0 §1.1.2): a fund in its harvest years makes no further payments, nor does one
    without the month's money. The lab takes the PoC over if its budget covers the rest;
    otherwise the project dies. Returns True if it died.
    """
    vc = p.poc_funder
    harvest = chain.params.economics.vc_harvest_years * 12.0
    if vc.months_left() >= harvest and vc.capital >= amount:
        return False
    chain.counts["poc_withdrawals"] += 1
    lab = p.scientist.institution
    rest = chain.params.poc.cost_mrmb - p.spent_private
    if lab.free_budget() >= rest:
        p.poc_payer, p.poc_funder = "institution", lab
        reserve_poc(p, lab, rest)
        return False
    chain.exit(p, "investor_withdrawal")
    return True


def waits_for_money(chain, p: Project) -> None:
    """A month its payer could not pay in full: the work waits, and the team's patience runs.

    Only a firm can run short (a lab's PoC is promised in full, a venture investor leaves
    instead); the PoC dies as ``no_funding`` after ``financing_patience`` such months.
    """
    p.unpaid_months += 1
    if p.unpaid_months >= p.financing_patience:
        chain.exit(p, "no_funding")


def pay_grant(chain, project: Project, tranche: int) -> None:
    """Pay a milestone tranche of a grant-funded PoC (nothing otherwise)."""
    amount = chain.model.rules.poc_tranches[tranche] if chain.model.rules.poc_tranches else 0.0
    if not project.grant or amount <= 0:
        return
    chain.model.government.pay_grant(amount)
    project.spent_public += amount


def advance(chain, p: Project) -> None:
    """A PoC month: its payer pays, the prototype milestone, then success or failure."""
    poc = chain.params.poc
    if not p.grant:
        amount = min(poc.cost_mrmb / p.poc_months, poc.cost_mrmb - p.spent_private)
        if p.poc_payer == "vc" and investor_leaves(chain, p, amount):
            return
        if pay_poc_month(chain.model, p, amount) < amount - 1e-9:
            waits_for_money(chain, p)
            return
    p.phase_elapsed += 1  # a month of work, paid
    if not p.checkpoint_done and p.phase_elapsed >= p.poc_months / 2:
        p.checkpoint_done = True
        if not p.viable and p.u[U_PROTOTYPE] < poc.nonviable_fail_at_prototype:
            chain.exit(p, "technical_poc")
            return
        pay_grant(chain, p, 1)
    if p.phase_elapsed < p.poc_months:
        return
    if not (p.viable and p.u[U_POC] < poc.success_if_viable):
        chain.exit(p, "technical_poc")
        return
    release_poc(p)
    chain.counts["successful_pocs"] += 1
    chain.passes(p, "poc")
    if p.holder is not None:  # commissioned: the commissioning firm holds it already
        chain.counts["licences"] += 1
        chain.passes(p, "licence")
    chain.counts["entered_pilot"] += 1
    p.stage = STAGE_PILOT
    p.phase_elapsed = 0.0
    p.checkpoint_done = False
    p.phase = "financing" if p.holder is not None else "licensing"
