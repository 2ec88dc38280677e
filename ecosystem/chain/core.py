"""The chain's core: phase dispatch, hand-offs, exits and counters (spec §4, ODD §3.2).

Each active project is advanced once a month by the handler of its phase; the handlers live in
one module per submodel of ODD §7 (``poc``, ``licensing``, ``pilot_financing``,
``pilot_running``, ``reapproval``, ``industrialisation``, ``market``). They read the month's
rules and ask the actors, never which policy is on. Projects die with the causes of spec §4
and leave a one-line summary behind, so memory does not grow with finished projects.
"""

from __future__ import annotations

from collections import Counter

from ecosystem.chain import (
    industrialisation,
    licensing,
    market,
    pilot_financing,
    pilot_running,
    poc,
    reapproval,
)
from ecosystem.funding import release_unspent
from ecosystem.project import EXIT_CAUSES, MARKET, STAGE_PILOT, STAGES, Handoff, Project

COUNTERS: tuple[str, ...] = (
    "discoveries",
    "poc_candidates",
    "poc_candidates_nonviable",
    "entered_poc",
    "entered_pilot",
    "entered_industrialisation",
    "pilots_started",
    "pilots_passed",
    "pilots_failed",
    "biologic_pilots_checked",
    "gmp_reapprovals",
    "reapproval_months",
    "withdrawals",
    "withdrawals_patience",
    "withdrawals_liquidity",
    "withdrawals_belief",
    "poc_withdrawals",
    "interim_readouts",
    "readouts_troubled",
    "startups_founded",
    "professor_founders",
    "acquisitions",
    "demand_pulled_projects",
    "needs_collected",
    "links_in_circle",
    "links_outside_circle",
    "pilot_months_in_circle",
    "pilot_months_in_region",
    "pilot_months_out_of_region",
    "pilot_months_enclave",
    "handoffs",
    "handoff_months",
    "handoffs_out_of_region",
    "successful_pocs",
    "licences",
    "clinical_entries",
    "approvals",
    "pocs_pilot_funded",
    "transfers",
    "hospital_adoptions",
    "ipos",
    "lead_firm_launches",
    "sme_acquired",
    "licensed_out",
    "seed_rounds",
    "pilots_insured",
    "financing_fail_valuation",
    "financing_fail_belief",
    "financing_fail_capital",
    "financing_fail_risk_budget",
    "financing_fail_liquidity",
    "trials_out_of_region",
    "trial_sites_sought",
    "trial_wait_months",
)


class Chain:
    """Moves projects along the chain and counts what happens."""

    def __init__(self, model) -> None:
        self.model = model
        self.params = model.params
        self.active: list[Project] = []
        self.finished: list[tuple] = []  # (id, modality, demand, discovered, ended, outcome)
        #: Every project started: (month discovered, its gates dict, updated as it passes them).
        self.histories: list[tuple[int, dict[str, int]]] = []
        self.counts: Counter[str] = Counter({k: 0 for k in COUNTERS})
        self.exits: Counter[str] = Counter({k: 0 for k in EXIT_CAUSES})
        self.knowledge = 0.0  # failures recorded by the data platform
        self.month_handoffs: list[Handoff] = []
        self._next_id = 0
        self.products: list = []  # products on the market in the region (market.Product)
        self._commissions: Counter[int] = Counter()  # per scientist, this month
        self._to_remove: list[Project] = []

    #: The handler of each phase: ``handler(chain, project)`` advances the project one month.
    HANDLERS = {
        "poc": poc.advance,
        "licensing": licensing.advance,
        "financing": pilot_financing.advance,
        "pilot": pilot_running.advance,
        "reapproval": reapproval.advance,
        "ind_review": industrialisation.countdown_then("trial"),
        "trial": industrialisation.trial,
        "registration": industrialisation.registration,
        "production": industrialisation.production,
        "launch": market.launch,
    }

    # --- bookkeeping -----------------------------------------------------------------------
    def stage_counts(self) -> dict[str, int]:
        """Projects currently in each stage."""
        c = Counter(p.stage for p in self.active)
        return {s: c.get(s, 0) for s in STAGES}

    def learning_gain(self) -> float:
        """Improvement the data platform feeds back to new designs (0 without it)."""
        rules = self.model.rules
        if not rules.feedback_platform:
            return 0.0
        return min(rules.max_learning_gain, self.knowledge * rules.learning_per_failure)

    def passes(self, project: Project, gate: str) -> None:
        """Record the month ``project`` passes ``gate`` (the gate's own counter counts it)."""
        project.gates[gate] = self.model.month

    def record_failure(self) -> None:
        """A pilot or clinical problem; the data platform records it (S0 §2.1)."""
        if self.model.rules.feedback_platform:
            self.knowledge += 1.0

    def observe_pilot(self, project: Project, success: bool) -> None:
        """Funders learn a pilot's outcome: its own funders, and with the data platform all."""
        model = self.model
        if model.rules.feedback_platform:
            seen = [*model.firms, *model.vcs, model.guidance_fund]
        else:
            seen = [s.funder for s in project.stakes if not s.loan]
        for funder in dict.fromkeys(seen):
            funder.observe(project.modality, STAGE_PILOT, success)

    def link(self, a, b) -> None:
        """Count a collaboration link, inside the circle or not."""
        a = a.coordinate if a is not None and hasattr(a, "coordinate") else a
        b = b.coordinate if b is not None and hasattr(b, "coordinate") else b
        region = self.model.region
        key = (
            "links_in_circle"
            if region.in_measured_circle(a) and region.in_measured_circle(b)
            else ("links_outside_circle")
        )
        self.counts[key] += 1

    def count_pilot_location(self, p: Project) -> None:
        """Count a pilot month in the circle, elsewhere in the region, in an enclave or away."""
        if p.out_of_region:
            self.counts["pilot_months_out_of_region"] += 1
        elif p.facility is not None and p.facility.enclave:
            self.counts["pilot_months_enclave"] += 1
        elif self.model.region.in_measured_circle(p.location.coordinate if p.location else None):
            self.counts["pilot_months_in_circle"] += 1
        else:
            self.counts["pilot_months_in_region"] += 1

    def handoff(self, project: Project, source_cell, target_cell) -> None:
        """Move a project between parties: a delay growing with travel time (spec §2)."""
        a = None if source_cell is None else source_cell.coordinate
        b = None if target_cell is None else target_cell.coordinate
        h = Handoff(self.model.month, a, b)
        project.handoffs.append(h)
        self.month_handoffs.append(h)
        delay = self.model.region.handoff_months(a, b)
        project.wait += delay
        self.counts["handoffs"] += 1
        self.counts["handoff_months"] += delay
        if h.out_of_region:
            self.counts["handoffs_out_of_region"] += 1

    def exit(self, project: Project, cause: str) -> None:
        """End a project with a cause (or ``market``) and keep only its summary."""
        self._release(project)
        if cause == MARKET:
            self.counts["transfers"] += 1
            self.passes(project, MARKET)
        else:
            self.exits[cause] += 1
        if project.holder is not None:
            project.holder.let_go()
        self.finished.append(
            (
                project.id,
                project.modality,
                project.demand_pulled,
                project.discovered,
                self.model.month,
                cause,
                project.stage,
            )
        )
        project.stage = cause
        self._to_remove.append(project)

    def _release(self, project: Project) -> None:
        if project.facility is not None and project.phase in ("pilot", "reapproval", "production"):
            project.facility.release()
        if project.hospital is not None:
            project.hospital.end_trial()
            project.hospital = None
        release_unspent(project)
        poc.release_poc(project)

    # --- the month -------------------------------------------------------------------------
    def step(self) -> None:
        """Sell the products on the market, then advance every active project by one month."""
        market.sell(self)
        self.month_handoffs = []
        self._commissions.clear()
        self._to_remove = []
        for project in self.active:
            if project.wait >= 1.0:
                project.wait -= 1.0
                if project.stage == STAGE_PILOT and project.phase in ("pilot", "reapproval"):
                    project.pilot_elapsed += 1
                    pilot_financing.check_patience(self, project)
                continue
            self.HANDLERS[project.phase](self, project)
        if self._to_remove:
            gone = {id(p) for p in self._to_remove}
            self.active = [p for p in self.active if id(p) not in gone]

    # --- new projects (ODD §7.1) -----------------------------------------------------------
    def consider_discovery(self, scientist, quality: float) -> None:
        """A discovery its scientist pushes: a PoC candidate, started if money is found."""
        poc.consider_discovery(self, scientist, quality)

    def commission(self, firm, scientist) -> None:
        """A lead firm commissions a scientist to answer a clinical need (S0 §2.1)."""
        poc.commission(self, firm, scientist)
