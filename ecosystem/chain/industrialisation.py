"""Industrialisation: costs, acquisitions, trials, reviews and production (ODD §7.7, §7.9–7.11).

The holder pays each month's work or stalls (and may be bought by a lead firm); clinical
trials need a hospital slot, else run out of region; reviews take the government's time;
production runs on the holder's line, at a local CDMO, on an enclave line or out of region.
"""

from __future__ import annotations

import math

from ecosystem.demand import project_outlook
from ecosystem.funding import charge_holder, pay_out
from ecosystem.project import U_CLINICAL, U_REGISTRATION, Project
from ecosystem.valuation import schedule

#: Phases after the trials (their outcome, so the product's benefit, is known).
_TRIALS_DONE = ("registration", "production", "launch")


def chance_to_market(ind, p: Project) -> float:
    """Published chance that a project in its current phase reaches the market (BIO 2021)."""
    if p.phase in _TRIALS_DONE[1:]:
        return 1.0
    chance = ind.registration_success
    if p.phase != "registration":
        chance *= math.prod(ind.phase_success[p.trial_index:])
    return chance


def acquisition_price(chain, p: Project, buyer) -> float:
    """What the project is worth to ``buyer`` today.

    The anticipated market value at launch, times the chance of getting there from this
    phase, at the buyer's own discounting.
    """
    proven = p.phase in _TRIALS_DONE  # after its trials the buyer knows the product's benefit
    value = p.asset_value * project_outlook(chain.model, p, proven=proven)
    timing = buyer.value_factor(schedule(chain.model, p))
    return value * chance_to_market(chain.params.industrialisation, p) * timing


def countdown_then(next_phase: str):
    """A handler that pays the month and counts down, then moves to ``next_phase``."""

    def handler(chain, p: Project) -> None:
        if not industrial_cost(chain, p):
            return
        p.countdown -= 1
        if p.countdown <= 0:
            p.phase = next_phase
            p.phase_elapsed = 0.0
            if next_phase == "trial":  # the IND is granted: the project enters the clinic
                chain.counts["clinical_entries"] += 1
                chain.passes(p, "clinical")
            if next_phase == "production":
                choose_production(chain, p)

    return handler


def registration(chain, p: Project) -> None:
    """The NDA/BLA review: paid month by month; at its end approved, or refused (BIO 2021)."""
    if not industrial_cost(chain, p):
        return
    p.countdown -= 1
    if p.countdown > 0:
        return
    if p.u[U_REGISTRATION] >= chain.params.industrialisation.registration_success:
        chain.record_failure()
        chain.exit(p, "technical_clinical")  # the evidence did not convince the reviewers
        return
    chain.counts["approvals"] += 1
    chain.passes(p, "approval")
    p.approved = chain.model.month
    p.phase = "production"
    p.phase_elapsed = 0.0
    choose_production(chain, p)


def industrial_cost(chain, p: Project, factor: float = 1.0) -> bool:
    """The holder pays this month's trials, reviews and production set-up.

    A holder that cannot pay looks for a lead firm to buy the project; after
    ``stall_months`` in a row without money the project is sold out of region. Returns
    whether the month's work was paid (and so progresses).
    """
    ind = chain.params.industrialisation
    amount = ind.cost_mrmb_per_month * factor
    if p.holder.can_pay(amount):
        charge_holder(chain.model, p, amount)
        p.stalled = 0.0
        return True
    p.stalled += 1
    maybe_acquire(chain, p)
    if p.holder.can_pay(amount):
        charge_holder(chain.model, p, amount)
        p.stalled = 0.0
        return True
    if p.stalled >= ind.stall_months:
        chain.exit(p, "transferred_out")
    return False


def trial(chain, p: Project) -> None:
    """Find a trial site, or run the current trial phase; it passes or fails at its end."""
    if not industrial_cost(chain, p):
        return
    ind = chain.params.industrialisation
    if p.hospital is None and not p.trial_remote:
        p.phase_elapsed += 1
        hospital = find_hospital(chain, p)
        if hospital is None:
            chain.counts["trial_wait_months"] += 1
        if hospital is not None:
            hospital.start_trial()
            p.hospital = hospital
            target = hospital.cell
            chain.link(p.holder.cell, target)
        elif p.phase_elapsed > ind.trial_wait_months:
            p.trial_remote = True  # no local slot: a multi-centre trial out of region
            chain.counts["trials_out_of_region"] += 1
            target = None
        else:
            return  # waits for a trial slot
        chain.counts["trial_sites_sought"] += 1
        p.countdown = ind.phase_months[p.trial_index]
        if p.trial_index == 0 or target is None:
            chain.handoff(p, p.holder.cell, target)
        return
    p.countdown -= 1
    if p.countdown > 0:
        return
    i = p.trial_index
    if p.hospital is not None:
        p.hospital.end_trial()
    p.hospital = None
    p.trial_remote = False
    p.phase_elapsed = 0.0
    if p.u[U_CLINICAL[i]] >= ind.phase_success[i]:
        chain.record_failure()
        chain.exit(p, "technical_clinical")
        return
    p.trial_index += 1
    if p.trial_index < len(ind.phase_months):
        return
    p.phase = "registration"
    p.countdown = chain.model.government.registration_months(p.regional_lag)


def find_hospital(chain, p: Project):
    """A hospital with a free slot for the modality (and phase I), willing to run the trial."""
    hospitals = chain.model.hospitals
    region = chain.model.region
    src = p.holder.cell.coordinate
    k = min(chain.params.industrialisation.hospital_candidates, len(hospitals))
    for i in p.luck.choice(len(hospitals), size=k, replace=False):
        h = hospitals[int(i)]
        fits = h.has_slot(p.modality, phase1=p.trial_index == 0)
        if fits and p.luck.random() < region.collaboration_prob(src, h.cell.coordinate):
            return h
    return None


def choose_production(chain, p: Project) -> None:
    """GMP production: own line, a local CDMO, an enclave line (S4 §4), or out of region.

    Out of region costs 30% more (S0 §1.3.3); an enclave line costs its own factor, between.
    """
    holder = p.holder
    p.countdown = p.production_months
    if p.modality in holder.pilot_modalities:
        holder.runs_production(out_of_region=False)
        p.facility_kind = "own_line"
        p.out_of_region = False
        return
    facilities = chain.model.facilities
    cdmo = facilities.local_cdmo(p)
    kind = "cdmo"
    if cdmo is None:
        cdmo, kind = facilities.enclave_line(p), "enclave"
    if cdmo is not None:
        holder.runs_production(out_of_region=False)
        p.facility_kind = kind
        p.out_of_region = False
        p.facility = cdmo
        cdmo.book()
        chain.link(holder.cell, cdmo.cell)
        chain.handoff(p, holder.cell, cdmo.cell)
        return
    p.facility_kind = "out_of_region"
    p.out_of_region = True
    holder.runs_production(out_of_region=True)
    chain.handoff(p, holder.cell, None)


def production(chain, p: Project) -> None:
    """A month of GMP production set-up (out of region or in an enclave costs more); launch."""
    if p.out_of_region:
        factor = 1.0 + chain.params.space.out_of_region_cost_markup
    else:
        factor = p.facility.cost_factor if p.facility is not None else 1.0
    if not industrial_cost(chain, p, factor):
        return
    p.countdown -= 1
    if p.countdown <= 0:
        if p.facility is not None:
            p.facility.release()
            p.facility = None
        p.phase = "launch"


def maybe_acquire(chain, p: Project) -> None:
    """A lead firm may buy the startup or SME that holds a de-risked project (M&A).

    The buyer pays what the project is worth to it today (``acquisition_price``), and the
    money goes through the project's stakes — the bank first, then its equity holders pro rata
    (the small firm itself, its investors) — so the buyer then owns it outright. The price,
    which draws nothing, is worked out only for a buyer who wants the firm.
    """
    model = chain.model
    if p.holder.kind != "sme" or not model.lead_firms:
        return
    firm = model.lead_firms[int(p.luck.integers(len(model.lead_firms)))]
    prob = chain.params.industrialisation.acquisition_prob
    if not firm.accepts_acquisition(p.holder, prob, p.luck.random()):
        return
    price = acquisition_price(chain, p, firm)
    if firm.capital >= price:
        chain.counts["acquisitions"] += 1
        years = max(0.0, (model.month - p.pilot_started) / 12.0)
        pay_out(p, price, years, firm, purpose="acquisitions")
        p.holder.let_go()
        chain.handoff(p, p.holder.cell, firm.cell)
        p.holder = firm
        firm.take_on()
