"""Running the pilot and its scale-up test (ODD §7.6–7.7).

Funders pay the pilot month by month; biologics meet their GLP→GMP checkpoint half-way
(``reapproval``); at the end the scale-up test decides, equipment damage and injury cost the
holder, an insured pilot's claims are settled, and a passed pilot enters industrialisation.
"""

from __future__ import annotations

from ecosystem.chain import industrialisation, pilot_financing, reapproval
from ecosystem.funding import charge_holder, default_loans, settle_stakes, spend
from ecosystem.project import STAGE_INDUSTRIALISATION, U_EQUIPMENT, U_INJURY, U_PILOT, Project


def advance(chain, p: Project) -> None:
    """A pilot month: funders pay, the GMP checkpoint, patience, the end of the pilot."""
    p.pilot_elapsed += 1
    p.progress += 1
    spend(chain.model, p, p.pilot_cost / p.pilot_months)
    chain.count_pilot_location(p)
    if p.is_biologic and not p.checkpoint_done and p.progress >= p.pilot_months / 2:
        p.checkpoint_done = True
        if reapproval.major_change(chain, p):
            return
    read_out = not p.readout_done and p.progress >= p.pilot_months / 2
    if read_out:
        interim_readout(chain, p)
    if pilot_financing.check_patience(chain, p, reassess=read_out):
        return
    if p.progress >= p.pilot_months:
        end_pilot(chain, p)


def interim_readout(chain, p: Project) -> None:
    """Half-way, the pilot's process data point to its scale-up outcome, imperfectly.

    The readout says "troubled" for a pilot that will fail with probability ``a`` (the
    readout's accuracy) and for one that will pass with probability ``1 − a``. Every funder —
    those in the deal and any asked to replace a leaver — updates its belief by the readout's
    likelihood ratio, so a troubled pilot may lose funders whose remaining commitment is no
    longer worth paying (S0 §1.1.2: investors withdraw from long, costly work).
    """
    p.readout_done = True
    chain.counts["interim_readouts"] += 1
    a = chain.params.pilot.readout_accuracy
    if a <= 0.5:
        return
    will_pass = p.u[U_PILOT] < p.scalability * chain.params.pilot.expertise[p.facility_kind]
    draw = chain.model.streams.keyed("pilot_readout", p.scientist.index, p.discovered).random()
    troubled = draw < (1.0 - a if will_pass else a)
    p.readout_evidence = (1.0 - a) / a if troubled else a / (1.0 - a)
    chain.counts["readouts_troubled"] += int(troubled)


def end_pilot(chain, p: Project) -> None:
    """Scale-up test: lab efficiency retained × the facility team's expertise (S0 §1.2.1)."""
    model = chain.model
    expertise = chain.params.pilot.expertise[p.facility_kind]
    success = p.u[U_PILOT] < p.scalability * expertise
    insurance_events(chain, p, failed=not success)
    chain.observe_pilot(p, success)
    if not success:
        chain.counts["pilots_failed"] += 1
        chain.record_failure()
        default_loans(model.government, p, model.rules.loan_guarantee)
        chain.exit(p, "technical_pilot")
        return
    chain.counts["pilots_passed"] += 1
    chain.passes(p, "pilot")
    if p.facility is not None:
        p.facility.release()
    source = None if p.out_of_region else (p.facility or p.holder).cell
    if source is not p.holder.cell:
        chain.handoff(p, source, p.holder.cell)
    p.facility = None
    settle_stakes(p)
    chain.counts["entered_industrialisation"] += 1
    p.stage = STAGE_INDUSTRIALISATION
    p.phase = "ind_review"
    p.countdown = model.government.ind_review_months()
    industrialisation.maybe_acquire(chain, p)


def insurance_events(chain, p: Project, failed: bool) -> None:
    """Equipment damage and injury cost the holder; an insured pilot's claims pay back."""
    model = chain.model
    pilot = chain.params.pilot
    damage = pilot.equipment_damage_share * p.pilot_cost
    damage = damage if p.u[U_EQUIPMENT] < pilot.equipment_damage_prob else 0.0
    injury = pilot.injury_cost_share * p.pilot_cost
    injury = injury if p.u[U_INJURY] < pilot.injury_prob else 0.0
    charge_holder(model, p, damage + injury)
    if p.insured_sum <= 0 or model.insurer is None:
        return
    model.insurer.settle(p, damage, injury, failed, model.government.ledger)
