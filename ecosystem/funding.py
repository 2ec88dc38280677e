"""Who pays for a pilot: the funders' decision and the syndicate (spec §3.3, §4.3).

Each funder looks at a pilot per unit of money put in: it expects ``belief × value − 1`` back,
less its share of any insurance premium, plus the insurer's process-failure claim if the pilot
fails; its loss on failure is ``1 + premium share − claim``. It invests when the expected
return is positive, and at most what keeps that loss within its risk budget. With a ~70%
failure rate (S0 §1.2.3) no single firm or VC can carry a 50–250 M RMB pilot alone; insurance,
loans and the guidance fund act by changing these terms, not the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecosystem.project import Z_DILIGENCE, Project, Stake


@dataclass(frozen=True)
class PilotTerms:
    """What a pilot looks like to its funders, per unit of money."""

    belief: float  # funders' chance of technical success
    value_multiple: float  # value of a de-risked asset ÷ cost
    premium_unit: float  # the funders' (unsubsidised) premium share per unit of cost
    claim_unit: float  # process-failure claim per unit of cost

    @property
    def expected_return(self) -> float:
        """Expected net return per unit invested."""
        b = self.belief
        return b * self.value_multiple - 1.0 - self.premium_unit + (1.0 - b) * self.claim_unit

    @property
    def loss_per_unit(self) -> float:
        """Money lost per unit invested if the pilot fails."""
        return max(1e-6, 1.0 + self.premium_unit - self.claim_unit)


def pilot_terms(model, project: Project, expertise: float) -> PilotTerms:
    """The terms funders see: base rate, or a due-diligence view with a validation team."""
    params = model.params
    rules = model.rules
    belief = params.pilot.prior_success_belief
    if rules.team_due_diligence and project.team:
        seen = min(1.0, max(0.0, project.scalability + 0.1 * project.z[Z_DILIGENCE]))
        belief = 0.5 * belief + 0.5 * seen * expertise
    premium_unit = claim_unit = 0.0
    if rules.insurance_offered and model.insurer is not None:
        ins = params.policies.pilot_insurance
        rate = model.insurer.premium_rate(
            ins, params.pilot.equipment_damage_prob, params.pilot.injury_prob
        )
        premium_unit = rate * (1.0 - ins.premium_subsidy)
        claim_unit = ins.insured_share * ins.cover_split[0]
    return PilotTerms(belief, project.value_multiple, premium_unit, claim_unit)


def assemble_syndicate(
    model, project: Project, amount: float, terms: PilotTerms, exclude: tuple = ()
) -> list[Stake] | None:
    """Find funders for ``amount``; commit their capital only if the whole amount is covered."""
    rules = model.rules
    holder = project.holder
    stakes: list[Stake] = []
    need = amount
    if rules.loan_share > 0 and rules.loan_guarantee >= 0.5 and model.banks and not exclude:
        bank = model.banks[int(project.luck.integers(len(model.banks)))]
        loan = min(need, rules.loan_share * amount, bank.capital)
        if loan > 0:
            stakes.append(Stake(bank, loan, loan=True))
            need -= loan
    if terms.expected_return > 0:
        for funder in _candidates(model, project, exclude):
            if need <= 1e-9:
                break
            stake = _offer(model, funder, project, need, amount, terms)
            if stake > 0:
                stakes.append(Stake(funder, stake))
                need -= stake
    if need > 1e-6:
        return None
    for s in stakes:
        s.funder.capital -= s.amount
        if getattr(s.funder, "kind", "") == "guidance_fund":
            model.government.fund_invested_this_year += s.amount
        model.chain.link(holder.cell, s.funder.cell)
    return stakes


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
            if vc in exclude:
                continue
            if project.luck.random() < model.region.collaboration_prob(
                _coord(holder), _coord(vc)
            ):
                out.append(vc)
    if model.guidance_fund is not None and model.guidance_fund not in exclude:
        out.append(model.guidance_fund)
    return out


def _offer(model, funder, project: Project, need: float, total: float, terms: PilotTerms):
    """How much this funder puts in (0 if nothing)."""
    if funder.kind == "guidance_fund":
        budget = model.rules.fund_budget_per_year - model.government.fund_invested_this_year
        return max(0.0, min(need, model.rules.fund_max_stake * total, budget, funder.capital))
    return max(0.0, min(need, funder.max_stake(terms.loss_per_unit)))


def _coord(agent):
    cell = agent.cell
    return None if cell is None else cell.coordinate
