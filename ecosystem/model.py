"""The science-city model: a Mesa 3 model of the biomedical transfer chain (spec §1–§6).

One step is one month: policies take effect, hospitals emit needs and lead firms may commission
research, scientists discover and push, the chain moves every project, and the month's figures
are collected. All randomness flows from the run's seed: Mesa's ``rng``/``random`` for the
framework, named streams (``ecosystem.streams``) for every kind of event.
"""

from __future__ import annotations

import math
from typing import Any

import mesa
import numpy as np
import pandas as pd

from agents import (
    Enterprise,
    Government,
    Hospital,
    Institution,
    Investor,
    PilotPlatform,
    Scientist,
)
from ecosystem.chain import Chain
from ecosystem.errors import ConfigError
from ecosystem.facilities import Facilities
from ecosystem.metrics import (
    AGENT_REPORTERS,
    MODEL_COLUMNS,
    MonthlyCollector,
    headline,
    snapshot,
    summarise,
)
from ecosystem.money import Book
from ecosystem.params import ModelParams
from ecosystem.patents import PatentTerm, patent_term
from ecosystem.policies import POLICY_CLASSES, policy_names, scenario_overrides
from ecosystem.presets import resolve_params
from ecosystem.rules import Rules
from ecosystem.space import Region
from ecosystem.streams import Streams


def coerce_seed(seed: Any) -> int | None:
    """Accept an int or a string of digits (Solara's text input hands over strings)."""
    if seed is None or (isinstance(seed, str) and not seed.strip()):
        return None
    try:
        value = int(str(seed).strip()) if not isinstance(seed, int) else seed
    except ValueError:
        raise ConfigError(f"'seed' = {seed!r}: must be a non-negative integer") from None
    if value < 0:
        raise ConfigError(f"'seed' = {seed!r}: must be a non-negative integer")
    return value


class ScienceCityModel(mesa.Model):
    """Scientists, firms, investors, hospitals and government around a science city.

    Args:
        seed: the run's seed (int or digit string); drawn from OS entropy and recorded if None.
        preset: region preset name or path of a preset TOML file.
        policy_scenario: ``status_quo``, ``full_chain`` or the name of one policy.
        scale: region size multiplier (agent counts × scale, grid area × scale).
        months: counted months; warmup_months: the spin-up, months of status quo before
            counting starts (spec §9.1). Policies the parameters enable are introduced at the
            first counted month, into the spun-up ecosystem (from month 1 without a spin-up).
        params: a complete, validated parameter tree (skips preset resolution).
        overrides: dotted parameter paths (``policies.pilot_insurance.premium_subsidy=0.6``)
            or nested sections (``policies={"pilot_insurance": {"enabled": True}}``).
    """

    def __init__(
        self,
        *,
        seed: int | str | None = None,
        preset: str = "shenyang_hunnan",
        policy_scenario: str = "status_quo",
        scale: float | None = None,
        months: int | None = None,
        warmup_months: int | None = None,
        params: ModelParams | None = None,
        rng: Any = None,
        scenario: Any = None,  # Mesa's own Scenario object, passed through by SolaraViz
        **overrides: Any,
    ) -> None:
        seed = coerce_seed(seed if seed is not None else rng)
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % (2**63))
        super().__init__(rng=seed)
        self.seed = seed
        self.params = (
            params
            if params is not None
            else self._resolve(preset, policy_scenario, scale, months, warmup_months, overrides)
        )
        p = self.params
        self.policy_scenario = policy_scenario
        self.streams = Streams(seed)
        self.month = 0
        self.total_months = p.months + p.warmup_months
        self.region = Region(p.space, p.scale, self.random)
        self.grid = self.region.grid
        self.insurer = None
        self.book = Book()
        self.policy_events: list[tuple[int, str, str]] = []
        self._pending: list[tuple[str, bool | None, dict[str, Any]]] = []
        self.policies = {
            name: POLICY_CLASSES[name](getattr(p.policies, name)) for name in policy_names()
        }
        self.active: set[str] = set()
        self.rules = self._status_quo_rules()
        self.region.follow(self.rules)
        self.government = Government(self)
        self.facilities = Facilities(self)
        self._policy_facilities: dict[str, PilotPlatform] = {}
        self._populate()
        self.chain = Chain(self)
        #: Policies waiting for the first counted month (``introduction_month``).
        self.introductions = [n for n in policy_names() if getattr(p.policies, n).enabled]
        if not p.warmup_months:
            for name in self.introductions:
                self._enable(name, record=False)
            self.introductions = []
        self._refresh_rules()
        self._snapshot: dict[str, Any] = {}
        self.datacollector = MonthlyCollector(
            model_reporters={k: (lambda m, k=k: m._snapshot[k]) for k in MODEL_COLUMNS},
            agenttype_reporters=AGENT_REPORTERS if p.collect_agents else None,
        )
        self.running = True

    # --- parameters ------------------------------------------------------------------------
    @staticmethod
    def _resolve(preset, policy_scenario, scale, months, warmup_months, overrides) -> ModelParams:
        dotted: dict[str, Any] = {}
        try:
            dotted.update(scenario_overrides(policy_scenario))
        except ValueError as exc:
            raise ConfigError(f"'policy_scenario': {exc}") from None
        for key, value in (("scale", scale), ("months", months), ("warmup_months", warmup_months)):
            if value is not None:
                dotted[key] = value
        tree = {k: v for k, v in overrides.items() if isinstance(v, dict) and "." not in k}
        dotted.update({k: v for k, v in overrides.items() if k not in tree})
        return resolve_params(preset, tree=tree, dotted=dotted)

    # --- building the region -----------------------------------------------------------------
    def _populate(self) -> None:
        """Place every agent kind of spec §3 on the grid, from the preset and the scale."""
        p = self.params
        reg = p.region
        init = self.streams.stream("init")
        s = p.scale
        region = self.region
        for i in reg.institutions:
            Institution(self, i.name, region.clamp_cell(i.x_km, i.y_km), i.pi_share)
        n_sci = max(1, round(p.scientists.count * s))
        shares = np.array([i.pi_share for i in reg.institutions])
        homes = init.choice(len(self.institutions), size=n_sci, p=shares / shares.sum())
        rates = init.uniform(
            p.scientists.discovery_rate.low, p.scientists.discovery_rate.high, n_sci
        )
        orient = init.beta(*p.scientists.orientation_beta, n_sci)
        self.scientists = [
            Scientist(self, i, self.institutions[int(homes[i])], float(rates[i]), float(orient[i]))
            for i in range(n_sci)
        ]
        self._discovery_rates = rates
        self._members: dict[int, list[Scientist]] = {id(i): [] for i in self.institutions}
        for sci in self.scientists:
            self._members[id(sci.institution)].append(sci)
        inv = p.investors
        self.lead_firms = [
            Enterprise(
                self,
                "lead_firm",
                f.name,
                region.clamp_cell(f.x_km, f.y_km),
                f.capital_mrmb,
                frozenset(f.pilot_modalities),
                float(init.uniform(inv.firm_risk_tolerance.low, inv.firm_risk_tolerance.high)),
                float(init.uniform(inv.firm_patience_months.low, inv.firm_patience_months.high)),
                absorptive_capacity=reg.lead_firm_absorptive_capacity,
            )
            for f in reg.lead_firms
        ]
        self.smes = [self._new_sme(init, f"SME {i + 1}") for i in range(round(reg.sme_count * s))]
        for spec in reg.facilities:
            cell = None if spec.out_of_region else region.clamp_cell(spec.x_km, spec.y_km)
            lines = frozenset(spec.modalities)
            PilotPlatform(self, spec.name, spec.tier, lines, spec.capacity, cell)
        self.vcs = [
            Investor(
                self,
                "vc",
                region.random_cell_near(0, 0, reg.vc_spread_km, init),
                float(init.uniform(inv.vc_capital_mrmb.low, inv.vc_capital_mrmb.high)),
                float(init.uniform(inv.vc_risk_tolerance.low, inv.vc_risk_tolerance.high)),
                float(init.uniform(inv.vc_patience_months.low, inv.vc_patience_months.high)),
            )
            for _ in range(round(inv.vc_count * s))
        ]
        life_years = max(1, round(p.economics.fund_life_years))
        ages = self.streams.stream("vintages").integers(0, life_years, len(self.vcs))
        for vc, age in zip(self.vcs, ages, strict=True):
            vc.fund_life_months = 12.0 * life_years
            vc.vintage_start = 1 - 12 * int(age)  # raised in earlier years, at a year's start
        center = region.grid._cells[region.center]
        self.guidance_fund = Investor(
            self,
            "guidance_fund",
            center,
            self.rules.fund_size,
            1.0,
            inv.guidance_fund_patience_months,
        )
        self.banks = [
            Investor(self, "bank", center, inv.bank_capital_mrmb, 1.0, math.inf)
            for _ in range(inv.bank_count)
        ]
        n_h = max(1, round(reg.hospital_count * s))
        n_assess = round(reg.biotherapy_assessors * s)
        n_phase1 = round(p.industrialisation.phase1_capable_share * n_h)
        cells = [region.random_cell_near(0, 0, reg.hospital_spread_km, init) for _ in range(n_h)]
        bar = p.market.value_threshold
        bars = self.streams.stream("hospitals").uniform(bar.low, bar.high, n_h)
        for i, cell in enumerate(cells):  # the leading hospitals come first
            Hospital(
                self,
                cell,
                p.industrialisation.trial_slots_per_hospital,
                assesses_biotherapy=i < n_assess,
                runs_phase1=i < n_phase1,
                budget_mrmb_per_year=p.market.hospital_budget_mrmb_per_year,
                value_threshold=float(bars[i]),
            )

    def _new_sme(self, init, name: str) -> Enterprise:
        reg = self.params.region
        inv = self.params.investors
        at = (reg.park.x_km, reg.park.y_km) if init.random() < reg.sme_in_park_share else (0, 0)
        spread = 2.0 if at != (0, 0) else 15.0
        return Enterprise(
            self,
            "sme",
            name,
            self.region.random_cell_near(at[0], at[1], spread, init),
            float(init.uniform(reg.sme_capital_mrmb.low, reg.sme_capital_mrmb.high)),
            frozenset(),
            float(init.uniform(inv.firm_risk_tolerance.low, inv.firm_risk_tolerance.high)),
            float(init.uniform(inv.firm_patience_months.low, inv.firm_patience_months.high)),
            absorptive_capacity=reg.sme_absorptive_capacity,
        )

    @property
    def institutions(self) -> mesa.agent.AgentSet:
        """Universities and institutes, in the preset's order (Mesa's agent set)."""
        return self.agents_by_type[Institution]

    @property
    def hospitals(self) -> mesa.agent.AgentSet:
        """Hospitals, in the order they were placed (Mesa's agent set)."""
        return self.agents_by_type[Hospital]

    @property
    def firms(self) -> list[Enterprise]:
        """Lead firms and SMEs (including startups)."""
        return self.lead_firms + self.smes

    @property
    def active_projects(self) -> list:
        """Projects on their way through the chain."""
        return self.chain.active

    @property
    def licensees(self) -> list[Enterprise]:
        """Firms that may license a PoC result."""
        return self.lead_firms + self.smes

    def found_startup(self, scientist: Scientist) -> Enterprise:
        """Register the firm a scientist founds, near their institution (S0 §2.3.1)."""
        luck = self.streams.stream("startups")
        firm = self._new_sme(luck, f"Startup of PI {scientist.index}")
        firm.cell = self.region.random_cell_near(
            (scientist.cell.coordinate[0] - self.region.center[0]) * self.region.cell_km,
            (scientist.cell.coordinate[1] - self.region.center[1]) * self.region.cell_km,
            2.0,
            luck,
        )
        firm.capital = 0.0  # a startup has no money until its seed round
        self.smes.append(firm)
        self._seed_round(firm, luck)
        return firm

    def _seed_round(self, firm: Enterprise, luck) -> None:
        """A venture investor the founder reaches buys a stake for the startup's first money."""
        eco = self.params.economics
        amount = float(luck.uniform(*eco.seed_round_mrmb))
        if not self.vcs:
            return
        vc = self.vcs[int(luck.integers(len(self.vcs)))]
        reach = self.region.collaboration_prob(firm.cell.coordinate, vc.cell.coordinate)
        if luck.random() >= reach or vc.capital < amount:
            return
        self.book.transfer(vc, firm, amount, "seed_rounds")
        firm.shareholders[vc] = eco.seed_round_equity
        self.chain.counts["seed_rounds"] += 1

    def build_facility(
        self,
        name: str,
        tier: int,
        modalities: frozenset[str],
        capacity: int,
        key: str,
        site_km: tuple[float, float] | None = None,
        enclave: bool = False,
    ) -> PilotPlatform:
        """Build a facility for a policy: in the park, or at ``site_km`` (km east, north).

        The local-CDMO policy builds in the park; the enclave-parks policy at its partner park.
        """
        park = self.params.region.park
        x_km, y_km = site_km if site_km is not None else (park.x_km, park.y_km)
        facility = PilotPlatform(
            self,
            name,
            tier,
            modalities,
            capacity,
            self.region.clamp_cell(x_km, y_km),
            built_by_policy=True,
            enclave=enclave,
        )
        self._policy_facilities[key] = facility
        return facility

    def policy_facility(self, key: str) -> PilotPlatform | None:
        """The facility a policy built, if any."""
        return self._policy_facilities.get(key)

    # --- policies ------------------------------------------------------------------------------
    def set_policy(self, name: str, enabled: bool | None = None, **params: Any) -> None:
        """Switch a policy or change its parameters; takes effect from the next month."""
        if name not in POLICY_CLASSES:
            allowed = ", ".join(policy_names())
            raise ConfigError(f"unknown policy {name!r}; allowed: {allowed}")
        block = getattr(self.params.policies, name)
        for key in params:
            if key not in type(block).model_fields or key == "enabled":
                allowed = [k for k in type(block).model_fields if k != "enabled"]
                raise ConfigError(
                    f"unknown parameter 'policies.{name}.{key}'; allowed: {', '.join(allowed)}"
                )
        type(block).model_validate({**block.model_dump(), **params})  # fail now, not later
        self._pending.append((name, enabled, params))

    @property
    def introduction_month(self) -> int:
        """The first counted month: the parameters' policies come into force then."""
        return self.params.warmup_months + 1

    def active_policy_names(self) -> list[str]:
        """Policies in force this month, in config order."""
        return [n for n in self.policies if n in self.active]

    def _apply_pending(self) -> None:
        pending, self._pending = self._pending, []  # a change made meanwhile waits a month
        for name, enabled, params in pending:
            block = getattr(self.params.policies, name)
            for key, value in params.items():
                setattr(block, key, value)
                self.policy_events.append((self.month, name, f"{key}={value!r}"))
            if enabled is True and name not in self.active:
                block.enabled = True
                self._enable(name)
            elif enabled is False and name in self.active:
                block.enabled = False
                self.active.discard(name)
                self.policies[name].on_disable(self)
                self.policy_events.append((self.month, name, "disabled"))

    def _enable(self, name: str, record: bool = True) -> None:
        self.active.add(name)
        self.policies[name].on_enable(self)
        if record:
            self.policy_events.append((self.month, name, "enabled"))

    def _refresh_rules(self) -> None:
        """Rebuild this month's rules: status quo, then every active policy."""
        rules = self._status_quo_rules()
        for name in self.active_policy_names():
            self.policies[name].apply(rules, self)
        self.rules = rules
        self.region.follow(rules)

    def _status_quo_rules(self) -> Rules:
        """The rules with every policy off: the parameters', then each policy's status quo."""
        rules = Rules.status_quo(self.params)
        for policy in self.policies.values():
            policy.status_quo(rules)
        return rules

    # --- the month -------------------------------------------------------------------------------
    def step(self) -> None:
        """One month of the ecosystem (nothing once the horizon is reached)."""
        if not self.running:
            return
        self.month += 1
        if self.introductions and self.month == self.introduction_month:
            for name in self.introductions:
                self._enable(name)
            self.introductions = []
        if self._pending:
            self._apply_pending()
        self._refresh_rules()
        if self.month % 12 == 1:
            self._new_year()
        for name in self.active_policy_names():
            self.policies[name].monthly(self)
            self.government.run_programme(self.policies[name].params)
        self._demand_pull()
        self._discoveries()
        self.chain.step()
        self._snapshot = snapshot(self)
        self.datacollector.collect(self)
        if self.month >= self.total_months:
            self.running = False

    def _new_year(self) -> None:
        """Budgets reset; institutions get their research money; venture funds raise money.

        No money appears from nowhere: public budgets come from the treasury, new venture
        money from limited partners outside the region (after what each fund returned to
        them and the sector's steady allocation, ``economics.lp_track_record_weight``), and
        lead firms' budgets from their existing business outside the region's pipeline
        (``economics.business_refill_share``).
        """
        self.government.new_year()
        self.guidance_fund.new_year()
        self.government.fund_research(
            self.institutions, self.params.economics.institution_budget_mrmb_per_year
        )
        economics = self.params.economics
        for firm in self.lead_firms:
            firm.refill_from_business(economics.business_refill_share)
        for vc in self.vcs:
            vc.raise_fund(economics.vc_reinvest_share, economics.lp_track_record_weight)

    def _discoveries(self) -> None:
        """Scientists discover at their own rates, then decide whether to push.

        A discovery uniform, a push uniform, a latent quality and a screening draw per PI per
        month, each from its own stream, whatever the rules (common random numbers); only
        discoveries pushed and passing the scientist's own screen become projects.
        """
        n = len(self.scientists)
        found = self.streams.stream("discovery").random(n) < self._discovery_rates
        push = self.streams.stream("push").random(n)
        quality = self.streams.stream("quality").beta(*self.params.discovery.quality_beta, n)
        screen = self.streams.stream("screen").standard_normal(n)
        hits = np.flatnonzero(found)
        self.chain.counts["discoveries"] += len(hits)
        for i in hits:
            self.scientists[int(i)].discover(float(push[i]), float(quality[i]), float(screen[i]))

    def _demand_pull(self) -> None:
        """Hospitals report needs; lead firms collect those they reach and commission research."""
        rate = self.rules.needs_per_hospital
        for h in self.hospitals:
            h.emit_needs(rate)  # drawn in every scenario, to keep the streams aligned
        if not self.rules.collect_needs:
            return
        reach = self.rules.commission_radius_minutes
        pick = self.streams.stream("commission")
        for firm in self.lead_firms:
            fc = firm.cell.coordinate
            near = [
                s
                for s in self.institutions
                if self._members[id(s)]
                and self.region.travel_minutes(fc, s.cell.coordinate) <= reach
            ]
            for h in self.hospitals:
                if h.open_needs <= 0 or self.region.travel_minutes(fc, h.cell.coordinate) > reach:
                    continue
                h.hand_over_need()
                self.chain.counts["needs_collected"] += 1
                if not near:
                    continue
                inst = near[int(pick.integers(len(near)))]
                members = self._members[id(inst)]
                self.chain.commission(firm, members[int(pick.integers(len(members)))])

    # --- results ---------------------------------------------------------------------------------
    def run(self) -> ScienceCityModel:
        """Run to the end of the horizon."""
        while self.running:
            self.step()
        return self

    def timeseries(self) -> pd.DataFrame:
        """The monthly model-level table."""
        return self.datacollector.get_model_vars_dataframe().reset_index(drop=True)

    @property
    def patent(self) -> PatentTerm:
        """The patent term of the current economics parameters (read afresh: they may change)."""
        return patent_term(self.params.economics)

    def summary(self) -> dict[str, float]:
        """The run's summary (``ecosystem.metrics.summarise``)."""
        if self.month == 0:
            raise RuntimeError("summary() needs at least one month run")
        warmup = min(self.params.warmup_months, self.month)
        counted = max(1, self.month - warmup)
        return summarise(
            self.timeseries(),
            self.chain.finished,
            warmup,
            counted,
            histories=self.chain.histories,
            public_discount_rate=self.params.economics.public_discount_rate,
        )

    def headline(self) -> dict[str, float]:
        """Headline figures for the visual page, over all months run so far."""
        return headline(
            self.chain.finished,
            self.chain.counts["transfers"],
            self.government.ledger.public_total,
            self.month,
        )
