"""Licensing and startups: a successful PoC finds a holder (ODD §7.3).

Firms the lab can reach are approached each month and decide whether to license; without a
licensee the scientist may found a firm. Unlicensed results are shelved or sold out of region.
"""

from __future__ import annotations

from ecosystem.chain import poc
from ecosystem.project import Project


def advance(chain, p: Project) -> None:
    """A month of looking for a licensee (or founding a firm), else shelve or sell."""
    model = chain.model
    cfg = chain.params.poc
    p.phase_elapsed += 1
    firm = find_licensee(chain, p)
    if firm is None:
        firm = p.scientist.considers_founding(cfg.licence_search_months, p.luck.random())
        if firm is not None:
            chain.counts["startups_founded"] += 1
            if model.rules.founders_keep_post:
                chain.counts["professor_founders"] += 1
    if firm is not None:
        chain.counts["licences"] += 1
        chain.passes(p, "licence")
        p.holder = firm
        firm.take_on()
        chain.link(p.scientist.cell, firm.cell)
        chain.handoff(p, p.scientist.cell, firm.cell)
        poc.pay_grant(chain, p, 2)
        p.phase = "financing"
        p.phase_elapsed = 0.0
        return
    if p.luck.random() < cfg.sale_out_prob_per_month:
        chain.exit(p, "transferred_out")
    elif p.phase_elapsed >= cfg.licence_search_months:
        chain.exit(p, "no_funding")


def find_licensee(chain, p: Project):
    """Approach a few firms (more through an intermediary), by the project's luck; first wins."""
    model = chain.model
    firms = model.licensees
    if not firms:
        return None
    rules = model.rules
    src = p.scientist.cell.coordinate
    k = min(chain.params.poc.licensee_candidates + rules.extra_licensee_candidates, len(firms))
    for i in p.luck.choice(len(firms), size=k, replace=False):
        firm = firms[int(i)]
        if firm.accepts_licence(src, p.luck.random(), rules.match_acceptance_gain):
            return firm
    return None
