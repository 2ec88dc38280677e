"""The transfer chain, month by month: PoC → pilot → industrialisation → market (spec §4).

Each active project is advanced once a month by the handler of its phase. Handlers read the
month's rules (``ecosystem.rules``) and the region's geometry; they never ask which policy is
on. Projects die with the causes of spec §4 and leave a one-line summary behind, so memory does
not grow with finished projects.
"""

from __future__ import annotations

from collections import Counter

from ecosystem.funding import (
    arrange_loan,
    assemble_syndicate,
    charge_holder,
    commit,
    default_loans,
    pay_out,
    pay_poc_month,
    pilot_terms,
    release_unspent,
    settle_stakes,
    spend,
    withdraw,
)
from ecosystem.project import (
    EXIT_CAUSES,
    MARKET,
    STAGE_INDUSTRIALISATION,
    STAGE_PILOT,
    STAGES,
    U_CLINICAL,
    U_COMPLIANCE,
    U_EQUIPMENT,
    U_INJURY,
    U_PILOT,
    U_POC,
    U_PROTOTYPE,
    U_REAPPROVAL,
    U_SALE,
    Z_ASSESS,
    Z_PANEL,
    Handoff,
    Project,
    draw_project,
)

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
    "handoffs",
    "handoff_months",
    "handoffs_out_of_region",
    "successful_pocs",
    "pocs_pilot_funded",
    "transfers",
    "hospital_adoptions",
    "ipos",
    "lead_firm_launches",
    "trials_out_of_region",
)


class Chain:
    """Moves projects along the chain and counts what happens."""

    def __init__(self, model) -> None:
        self.model = model
        self.params = model.params
        self.active: list[Project] = []
        self.finished: list[tuple] = []  # (id, modality, demand, discovered, ended, outcome)
        self.counts: Counter[str] = Counter({k: 0 for k in COUNTERS})
        self.exits: Counter[str] = Counter({k: 0 for k in EXIT_CAUSES})
        self.knowledge = 0.0  # failures recorded by the data platform
        self.month_handoffs: list[Handoff] = []
        self._next_id = 0
        self._commissions: Counter[int] = Counter()  # per scientist, this month
        self._handlers = {
            "poc": self._poc,
            "licensing": self._licensing,
            "financing": self._financing,
            "pilot": self._pilot,
            "reapproval": self._reapproval,
            "ind_review": self._countdown_then("trial"),
            "trial": self._trial,
            "registration": self._countdown_then("production"),
            "production": self._production,
            "launch": self._launch,
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

    def record_failure(self) -> None:
        """A pilot or clinical problem; the data platform records it (S0 §2.1)."""
        if self.model.rules.feedback_platform:
            self.knowledge += 1.0

    def link(self, a, b) -> None:
        """Count a collaboration link, inside the circle or not."""
        a = a.coordinate if a is not None and hasattr(a, "coordinate") else a
        b = b.coordinate if b is not None and hasattr(b, "coordinate") else b
        region = self.model.region
        key = (
            "links_in_circle"
            if region.in_circle(a) and region.in_circle(b)
            else ("links_outside_circle")
        )
        self.counts[key] += 1

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

    # --- the month -------------------------------------------------------------------------
    def step(self) -> None:
        """Advance every active project by one month."""
        self.month_handoffs = []
        self._commissions.clear()
        self._to_remove: list[Project] = []
        for project in self.active:
            if project.wait >= 1.0:
                project.wait -= 1.0
                if project.stage == STAGE_PILOT and project.phase in ("pilot", "reapproval"):
                    project.pilot_elapsed += 1
                    self._check_patience(project)
                continue
            self._handlers[project.phase](project)
        if self._to_remove:
            gone = {id(p) for p in self._to_remove}
            self.active = [p for p in self.active if id(p) not in gone]

    # --- discovery and the push decision (spec §4.2, S0 §1.1.1) ----------------------------
    def consider_discovery(self, scientist, quality: float) -> None:
        """A discovery its scientist pushes: a PoC candidate, started if money is found."""
        model = self.model
        luck = model.streams.keyed("project", scientist.index, model.month, 0)
        project = draw_project(
            self._next_id,
            model.month,
            scientist,
            False,
            luck,
            self.params,
            self.learning_gain(),
            quality=quality,
        )
        project.team = model.rules.team_due_diligence
        self._count_candidate(project)
        payer = self._poc_money(project, luck)
        if payer is None:
            return
        self._start_poc(project, payer)

    def commission(self, firm, scientist) -> None:
        """A lead firm commissions a scientist to answer a clinical need (S0 §2.1)."""
        model = self.model
        self._commissions[scientist.index] += 1
        key = self._commissions[scientist.index]  # 0 is the scientist's own discovery
        luck = model.streams.keyed("project", scientist.index, model.month, key)
        project = draw_project(
            self._next_id, model.month, scientist, True, luck, self.params, self.learning_gain()
        )
        project.holder = firm
        firm.take_on()
        project.team = model.rules.team_due_diligence
        self.counts["demand_pulled_projects"] += 1
        self._count_candidate(project)
        self.link(firm.cell, scientist.cell)
        self._start_poc(project, "firm")

    def _count_candidate(self, project: Project) -> None:
        self.counts["poc_candidates"] += 1
        if not project.viable:
            self.counts["poc_candidates_nonviable"] += 1

    def _poc_money(self, project: Project, luck) -> str | None:
        """Who pays for a PoC: the lab, a team investor, an angel, or the milestone fund."""
        model = self.model
        rules = model.rules
        u_inst, u_team, u_angel = luck.random(3)
        if u_inst < self.params.poc.institutional_funding_prob:
            return "institution"
        if project.team and u_team < rules.team_investor_prob:
            return "vc"
        if u_angel < self.params.investors.vc_poc_share:
            return "vc"
        if rules.poc_tranches is not None:
            view = project.quality + rules.poc_review_noise * project.z[Z_PANEL]
            budget_left = model.government.grant_budget_left(rules.poc_grant_budget)
            if view >= rules.poc_review_threshold and budget_left >= sum(rules.poc_tranches):
                project.grant = True
                return "grant"
        return None

    def _start_poc(self, project: Project, payer: str) -> None:
        self._next_id += 1
        project.poc_payer = payer
        project.scientist.start_poc()
        self.counts["entered_poc"] += 1
        if project.grant:
            self._pay_grant(project, 0)
        self.active.append(project)

    def _pay_grant(self, project: Project, tranche: int) -> None:
        amount = self.model.rules.poc_tranches[tranche] if self.model.rules.poc_tranches else 0.0
        if not project.grant or amount <= 0:
            return
        self.model.government.pay_grant(amount)
        project.spent_public += amount

    # --- proof of concept -------------------------------------------------------------------
    def _poc(self, p: Project) -> None:
        poc = self.params.poc
        p.phase_elapsed += 1
        if not p.grant:
            amount = min(poc.cost_mrmb / p.poc_months, poc.cost_mrmb - p.spent_private)
            pay_poc_month(self.model.government.ledger, p, amount)
        if not p.checkpoint_done and p.phase_elapsed >= p.poc_months / 2:
            p.checkpoint_done = True
            if not p.viable and p.u[U_PROTOTYPE] < poc.nonviable_fail_at_prototype:
                self.exit(p, "technical_poc")
                return
            self._pay_grant(p, 1)
        if p.phase_elapsed < p.poc_months:
            return
        if not (p.viable and p.u[U_POC] < poc.success_if_viable):
            self.exit(p, "technical_poc")
            return
        self.counts["successful_pocs"] += 1
        self.counts["entered_pilot"] += 1
        p.stage = STAGE_PILOT
        p.phase_elapsed = 0.0
        p.checkpoint_done = False
        p.phase = "financing" if p.holder is not None else "licensing"

    # --- licensing or a startup -------------------------------------------------------------
    def _licensing(self, p: Project) -> None:
        model = self.model
        poc = self.params.poc
        p.phase_elapsed += 1
        firm = self._find_licensee(p)
        if firm is None:
            firm = p.scientist.considers_founding(poc.licence_search_months, p.luck.random())
            if firm is not None:
                self.counts["startups_founded"] += 1
                if model.rules.founders_keep_post:
                    self.counts["professor_founders"] += 1
        if firm is not None:
            p.holder = firm
            firm.take_on()
            self.link(p.scientist.cell, firm.cell)
            self.handoff(p, p.scientist.cell, firm.cell)
            self._pay_grant(p, 2)
            p.phase = "financing"
            p.phase_elapsed = 0.0
            return
        if p.luck.random() < poc.sale_out_prob_per_month:
            self.exit(p, "transferred_out")
        elif p.phase_elapsed >= poc.licence_search_months:
            self.exit(p, "no_funding")

    def _find_licensee(self, p: Project):
        model = self.model
        firms = model.licensees
        if not firms:
            return None
        src = p.scientist.cell.coordinate
        k = min(self.params.poc.licensee_candidates, len(firms))
        for i in p.luck.choice(len(firms), size=k, replace=False):
            firm = firms[int(i)]
            if firm.accepts_licence(src, p.luck.random()):
                return firm
        return None

    # --- pilot: money and a facility (S0 §1.2.3, §1.3.3, §2.2, §2.3.2) ---------------------
    def _financing(self, p: Project) -> None:
        model = self.model
        rules = model.rules
        if p.phase_elapsed == 0 and rules.screen_scalability_min is not None and p.demand_pulled:
            seen = p.scalability + rules.assessment_noise * p.z[Z_ASSESS]
            if seen < rules.screen_scalability_min:
                self.exit(p, "screened_out")
                return
        p.phase_elapsed += 1
        facility, kind, cost_factor = model.facilities.choose(p)
        cost = p.pilot_cost_base * cost_factor
        loan = arrange_loan(model, p, cost)
        amount = loan.amount if loan else 0.0
        terms = pilot_terms(model, p, cost, self.params.pilot.expertise[kind], amount)
        stakes = assemble_syndicate(model, p, terms, terms.equity + terms.premium)
        if stakes is not None:
            if loan is not None:
                commit(model, p, [loan])
                stakes.insert(0, loan)
            self._start_pilot(p, facility, kind, cost, stakes)
            return
        if p.phase_elapsed >= p.financing_patience:
            sold = p.u[U_SALE] < self.params.pilot.sale_out_prob_on_death
            self.exit(p, "transferred_out" if sold else "no_funding")

    def _start_pilot(self, p: Project, facility, kind: str, cost: float, stakes) -> None:
        model = self.model
        self.counts["pilots_started"] += 1
        self.counts["pocs_pilot_funded"] += 1
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
        if model.rules.insurance_offered and model.insurer is not None:
            ledger = model.government.ledger
            spend(ledger, p, model.insurer.sell(p, cost, ledger), equity_only=True)
        target = holder.cell if kind == "own_line" else (facility.cell if facility else None)
        if target is not holder.cell:
            self.handoff(p, holder.cell, target)
            self.link(holder.cell, target)
        p.phase = "pilot"
        p.progress = 0.0
        p.pilot_elapsed = 0.0

    # --- pilot: running, compliance, patience ----------------------------------------------
    def _pilot(self, p: Project) -> None:
        p.pilot_elapsed += 1
        p.progress += 1
        spend(self.model.government.ledger, p, p.pilot_cost / p.pilot_months)
        self._count_pilot_location(p)
        if p.is_biologic and not p.checkpoint_done and p.progress >= p.pilot_months / 2:
            p.checkpoint_done = True
            if self._major_change(p):
                return
        if self._check_patience(p):
            return
        if p.progress >= p.pilot_months:
            self._end_pilot(p)

    def _major_change(self, p: Project) -> bool:
        """GLP→GMP: a major change in potency, purity or impurities forces re-approval."""
        rules = self.model.rules
        self.counts["biologic_pilots_checked"] += 1
        readiness = p.readiness + (1 - p.readiness) * rules.readiness_gain
        if p.u[U_COMPLIANCE] <= readiness:
            return False
        self.counts["gmp_reapprovals"] += 1
        months = max(1.0, p.reapproval_months_base - rules.reapproval_months_cut)
        self.counts["reapproval_months"] += months
        p.reapproval_left = months
        p.phase = "reapproval"
        return True

    def _reapproval(self, p: Project) -> None:
        p.pilot_elapsed += 1
        p.reapproval_left -= 1
        self._count_pilot_location(p)
        if self._check_patience(p):
            return
        if p.reapproval_left > 0:
            return
        if p.u[U_REAPPROVAL] < self.params.pilot.reapproval_success:
            p.phase = "pilot"
        else:
            self.record_failure()
            self.exit(p, "compliance_abandoned")

    def _check_patience(self, p: Project) -> bool:
        """Funders whose patience is exceeded withdraw (S0 §1.1.2).

        The project dies if no one replaces them. Returns True if the project died.
        """
        overrun = p.pilot_elapsed - p.pilot_months
        if overrun <= 0:
            return False
        leaving = [s for s in p.stakes if not s.loan and s.funder.loses_patience(overrun)]
        if not leaving:
            return False
        self.counts["withdrawals"] += len(leaving)
        gap = withdraw(p, leaving)
        if gap <= 1e-9:
            return False
        loan = sum(s.amount for s in p.stakes if s.loan)
        expertise = self.params.pilot.expertise[p.facility_kind]
        terms = pilot_terms(self.model, p, p.pilot_cost, expertise, loan)
        exclude = tuple(s.funder for s in leaving) + tuple(s.funder for s in p.stakes)
        more = assemble_syndicate(self.model, p, terms, gap, exclude=exclude)
        if more is None:
            self.exit(p, "investor_withdrawal")
            return True
        if any(s.funder.kind == "guidance_fund" for s in more):
            p.fund_cap = self.model.rules.fund_return_cap
        p.stakes.extend(more)
        return False

    def _count_pilot_location(self, p: Project) -> None:
        if p.out_of_region:
            self.counts["pilot_months_out_of_region"] += 1
        elif self.model.region.in_circle(p.location.coordinate if p.location else None):
            self.counts["pilot_months_in_circle"] += 1
        else:
            self.counts["pilot_months_in_region"] += 1

    def _end_pilot(self, p: Project) -> None:
        """Scale-up test: lab efficiency retained × the facility team's expertise (S0 §1.2.1)."""
        model = self.model
        expertise = self.params.pilot.expertise[p.facility_kind]
        success = p.u[U_PILOT] < p.scalability * expertise
        self._insurance_events(p, failed=not success)
        if not success:
            self.counts["pilots_failed"] += 1
            self.record_failure()
            default_loans(model.government, p, model.rules.loan_guarantee)
            self.exit(p, "technical_pilot")
            return
        self.counts["pilots_passed"] += 1
        if p.facility is not None:
            p.facility.release()
        source = None if p.out_of_region else (p.facility or p.holder).cell
        if source is not p.holder.cell:
            self.handoff(p, source, p.holder.cell)
        p.facility = None
        settle_stakes(p)
        self.counts["entered_industrialisation"] += 1
        p.stage = STAGE_INDUSTRIALISATION
        p.phase = "ind_review"
        p.countdown = model.government.ind_review_months()
        self._maybe_acquire(p)

    def _insurance_events(self, p: Project, failed: bool) -> None:
        """Equipment damage and injury cost the holder; an insured pilot's claims pay back."""
        model = self.model
        pilot = self.params.pilot
        ledger = model.government.ledger
        damage = pilot.equipment_damage_share * p.pilot_cost
        damage = damage if p.u[U_EQUIPMENT] < pilot.equipment_damage_prob else 0.0
        injury = pilot.injury_cost_share * p.pilot_cost
        injury = injury if p.u[U_INJURY] < pilot.injury_prob else 0.0
        charge_holder(ledger, p, damage + injury)
        if p.insured_sum <= 0 or model.insurer is None:
            return
        model.insurer.settle(p, damage, injury, failed, ledger)

    def _maybe_acquire(self, p: Project) -> None:
        """A lead firm may buy the startup or SME that holds a de-risked project (M&A)."""
        model = self.model
        if p.holder.kind != "sme" or not model.lead_firms:
            return
        firm = model.lead_firms[int(p.luck.integers(len(model.lead_firms)))]
        prob = self.params.industrialisation.acquisition_prob
        if firm.accepts_acquisition(p.holder, prob, p.luck.random()):
            self.counts["acquisitions"] += 1
            p.holder.let_go()
            self.handoff(p, p.holder.cell, firm.cell)
            p.holder = firm
            firm.take_on()

    # --- industrialisation (spec §4.4) -------------------------------------------------------
    def _countdown_then(self, next_phase: str):
        def handler(p: Project) -> None:
            if not self._industrial_cost(p):
                return
            p.countdown -= 1
            if p.countdown <= 0:
                p.phase = next_phase
                p.phase_elapsed = 0.0
                if next_phase == "production":
                    self._choose_production(p)

        return handler

    def _industrial_cost(self, p: Project, factor: float = 1.0) -> bool:
        """The holder pays this month's trials, reviews and production set-up.

        A holder that cannot pay looks for a lead firm to buy the project; after
        ``stall_months`` in a row without money the project is sold out of region. Returns
        whether the month's work was paid (and so progresses).
        """
        ind = self.params.industrialisation
        amount = ind.cost_mrmb_per_month * factor
        if p.holder.can_pay(amount):
            charge_holder(self.model.government.ledger, p, amount)
            p.stalled = 0.0
            return True
        p.stalled += 1
        self._maybe_acquire(p)
        if p.holder.can_pay(amount):
            charge_holder(self.model.government.ledger, p, amount)
            p.stalled = 0.0
            return True
        if p.stalled >= ind.stall_months:
            self.exit(p, "transferred_out")
        return False

    def _trial(self, p: Project) -> None:
        if not self._industrial_cost(p):
            return
        ind = self.params.industrialisation
        if p.hospital is None and not p.trial_remote:
            p.phase_elapsed += 1
            hospital = self._find_hospital(p)
            if hospital is not None:
                hospital.start_trial()
                p.hospital = hospital
                target = hospital.cell
                self.link(p.holder.cell, target)
            elif p.phase_elapsed > ind.trial_wait_months:
                p.trial_remote = True  # no local slot: a multi-centre trial out of region
                self.counts["trials_out_of_region"] += 1
                target = None
            else:
                return  # waits for a trial slot
            p.countdown = ind.phase_months[p.trial_index]
            if p.trial_index == 0 or target is None:
                self.handoff(p, p.holder.cell, target)
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
            self.record_failure()
            self.exit(p, "technical_clinical")
            return
        p.trial_index += 1
        if p.trial_index < len(ind.phase_months):
            return
        p.phase = "registration"
        p.countdown = self.model.government.registration_months(p.regional_lag)

    def _find_hospital(self, p: Project):
        hospitals = self.model.hospitals
        region = self.model.region
        src = p.holder.cell.coordinate
        k = min(self.params.industrialisation.hospital_candidates, len(hospitals))
        for i in p.luck.choice(len(hospitals), size=k, replace=False):
            h = hospitals[int(i)]
            if h.has_slot(p.modality) and p.luck.random() < region.collaboration_prob(
                src, h.cell.coordinate
            ):
                return h
        return None

    def _choose_production(self, p: Project) -> None:
        """GMP production: own line, a local CDMO, or out of region (+30% cost, S0 §1.3.3)."""
        holder = p.holder
        p.countdown = p.production_months
        if p.modality in holder.pilot_modalities:
            holder.runs_production(out_of_region=False)
            p.facility_kind = "own_line"
            p.out_of_region = False
            return
        cdmo = self.model.facilities.local_cdmo(p)
        if cdmo is not None:
            holder.runs_production(out_of_region=False)
            p.facility_kind = "cdmo"
            p.out_of_region = False
            p.facility = cdmo
            cdmo.book()
            self.link(holder.cell, cdmo.cell)
            self.handoff(p, holder.cell, cdmo.cell)
            return
        p.facility_kind = "out_of_region"
        p.out_of_region = True
        holder.runs_production(out_of_region=True)
        self.handoff(p, holder.cell, None)

    def _production(self, p: Project) -> None:
        markup = 1.0 + self.params.space.out_of_region_cost_markup if p.out_of_region else 1.0
        if not self._industrial_cost(p, markup):
            return
        p.countdown -= 1
        if p.countdown <= 0:
            if p.facility is not None:
                p.facility.release()
                p.facility = None
            p.phase = "launch"

    def _launch(self, p: Project) -> None:
        """Market entry: hospitals adopt, investors exit and recycle proceeds (spec §4.5).

        Each hospital adopts the product with the adoption probability; cell and gene
        therapies only where the hospital can assess biotherapies (S0 §1.3.4). The asset's
        value scales with the uptake (S3, last mile); the bank is repaid first, then equity
        shares the rest pro rata — except a return-capped guidance fund, which takes its stake
        plus the cap and cedes the rest to the private funders.
        """
        market = self.params.market
        hospitals = self.model.hospitals
        adopters = 0
        for h in hospitals:
            if h.adopts(p.modality, market.hospital_adoption_prob, p.luck.random()):
                adopters += 1
        self.counts["hospital_adoptions"] += adopters
        uptake = adopters / len(hospitals) / max(market.hospital_adoption_prob, 1e-9)
        years = max(0.0, (self.model.month - p.pilot_started) / 12.0)
        pay_out(p, p.asset_value * uptake, years)
        self.counts["ipos" if p.holder.kind == "sme" else "lead_firm_launches"] += 1
        self.exit(p, MARKET)
