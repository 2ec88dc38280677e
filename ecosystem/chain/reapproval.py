"""GLP→GMP re-approval of biologics (ODD §7.8, S0 §1.2.2).

A major change in potency, purity or impurities at the pilot's GMP checkpoint forces a
re-approval of some months; the funders' patience keeps running, and a failed re-approval
abandons the project.
"""

from __future__ import annotations

from ecosystem.chain import pilot_financing
from ecosystem.project import U_COMPLIANCE, U_REAPPROVAL, Project


def major_change(chain, p: Project) -> bool:
    """GLP→GMP: a major change in potency, purity or impurities forces re-approval."""
    rules = chain.model.rules
    chain.counts["biologic_pilots_checked"] += 1
    readiness = p.readiness + (1 - p.readiness) * rules.readiness_gain
    if p.u[U_COMPLIANCE] <= readiness:
        return False
    chain.counts["gmp_reapprovals"] += 1
    months = max(1.0, p.reapproval_months_base - rules.reapproval_months_cut)
    chain.counts["reapproval_months"] += months
    p.reapproval_left = months
    p.phase = "reapproval"
    return True


def advance(chain, p: Project) -> None:
    """A month of re-approval (the pilot waits, patience runs); then resume or abandon."""
    p.pilot_elapsed += 1
    p.reapproval_left -= 1
    chain.count_pilot_location(p)
    if pilot_financing.check_patience(chain, p):
        return
    if p.reapproval_left > 0:
        return
    if p.u[U_REAPPROVAL] < chain.params.pilot.reapproval_success:
        p.phase = "pilot"
    else:
        chain.record_failure()
        chain.observe_pilot(p, False)
        chain.exit(p, "compliance_abandoned")
