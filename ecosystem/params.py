"""Every model parameter, its default, unit and source, validated strictly.

Sources are the seed documents in ``shared/seeds``: ``S0 §1.2.3`` means file ``000_…txt``,
section 1.2.3. Values marked *assumption* are ours (see ``docs/ODD.md``). Region-specific values
(where institutions, firms, facilities and hospitals are) come from preset files in
``ecosystem/presets``, not from code.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ecosystem.policies.params import PoliciesParams

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
PositiveFloat = Annotated[float, Field(gt=0.0)]
NonNegFloat = Annotated[float, Field(ge=0.0)]
PositiveTriple = tuple[PositiveFloat, PositiveFloat, PositiveFloat]
Modality = Literal["antibody", "cell_therapy", "mrna_vaccine", "small_molecule", "gene_therapy"]
MODALITIES: tuple[str, ...] = (
    "antibody",
    "cell_therapy",
    "mrna_vaccine",
    "small_molecule",
    "gene_therapy",
)
#: Biologics are the modalities exposed to the GLP→GMP re-approval (S0 §1.2.2).
BIOLOGICS: frozenset[str] = frozenset({"antibody", "cell_therapy", "mrna_vaccine", "gene_therapy"})


class Strict(BaseModel):
    """Base: unknown keys are errors, assignments are re-validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Range(Strict):
    """A closed interval ``[low, high]`` from which a value is drawn uniformly."""

    low: NonNegFloat
    high: NonNegFloat

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be >= low ({self.low})")
        return self


def _range(low: float, high: float) -> Range:
    return Range(low=low, high=high)


class SpaceParams(Strict):
    """Grid and travel (spec §2; all assumptions unless cited)."""

    cell_km: PositiveFloat = 2.0  # km per cell (assumption)
    half_width_cells: Annotated[int, Field(ge=5, le=2000)] = 40  # 81×81 grid, ±80 km
    detour_factor: Annotated[float, Field(ge=1.0, le=3.0)] = 1.3  # road / straight line
    speed_kmh: PositiveFloat = 60.0  # average road speed
    collaboration_tau_minutes: PositiveFloat = 45.0  # p(collaborate) = exp(-t / tau)
    handoff_base_months: NonNegFloat = 0.5  # contracts, materials, tech-transfer files
    handoff_months_per_hour: NonNegFloat = 0.25  # a week of coordination per hour of travel
    out_of_region_cost_markup: NonNegFloat = 0.30  # S0 §1.3.3: procurement 30% higher
    out_of_region_delay_months: NonNegFloat = 2.0  # per hand-off (assumption)
    out_of_region_travel_minutes: PositiveFloat = 360.0  # Suzhou/Shanghai/Dalian (assumption)
    circle_measure_minutes: Annotated[float, Field(ge=5.0, le=600.0)] = 60.0  # S0 §2.3.3: one hour


class ScientistParams(Strict):
    """Principal investigators (spec §3.1)."""

    count: Annotated[int, Field(ge=1, le=200_000)] = 400  # PIs in all institutions (assumption)
    discovery_rate: Range = _range(0.02, 0.05)  # discoveries per PI-month (assumption)
    orientation_beta: tuple[PositiveFloat, PositiveFloat] = (5.0, 2.0)  # academic orientation
    push_base: Probability = 0.9  # propensity to push a discovery when orientation is 0
    career_penalty: Probability = 0.8  # S0 §1.1.1: promotion ignores transfer
    signal_noise: NonNegFloat = 0.40  # sd of a scientist's own view of viability
    push_threshold: float = 0.45  # push only discoveries that look at least this viable
    startup_founding_prob: Probability = 0.10  # founds a firm when no licensee (assumption)


class DiscoveryParams(Strict):
    """Latent quality of discoveries (spec §3.1, S0 §1.1.1: >60% lack industrial potential)."""

    quality_beta: tuple[PositiveFloat, PositiveFloat] = (2.0, 3.5)  # scientist-pushed
    demand_quality_beta: tuple[PositiveFloat, PositiveFloat] = (3.0, 2.0)  # demand-pulled
    viability_threshold: Probability = 0.5  # industrially viable iff quality above this
    demand_value_multiple: PositiveFloat = 1.5  # S0 §2.1: demand-pulled assets worth more
    scalability_beta: tuple[PositiveFloat, PositiveFloat] = (2.0, 3.4)  # lab-to-pilot retention
    readiness_beta: tuple[PositiveFloat, PositiveFloat] = (2.0, 3.0)  # GLP→GMP compliance
    modality_mix: dict[str, Probability] = Field(
        default_factory=lambda: {
            "antibody": 0.30,
            "cell_therapy": 0.15,
            "mrna_vaccine": 0.10,
            "small_molecule": 0.30,
            "gene_therapy": 0.15,
        }
    )  # assumption; Liaoning's strength is chemical APIs, vaccines, biologics (S0 intro)

    @model_validator(mode="after")
    def _mix_valid(self) -> DiscoveryParams:
        unknown = set(self.modality_mix) - set(MODALITIES)
        if unknown:
            raise ValueError(f"unknown modalities {sorted(unknown)}; allowed: {list(MODALITIES)}")
        if abs(sum(self.modality_mix.values()) - 1.0) > 1e-6:
            raise ValueError(f"modality_mix must sum to 1, got {sum(self.modality_mix.values())}")
        return self


class PocParams(Strict):
    """Proof of concept, TRL 2→4 (spec §4.2)."""

    cost_mrmb: PositiveFloat = 1.0  # assumption
    duration_months: Range = _range(12, 24)  # assumption
    success_if_viable: Probability = 0.9  # assumption
    nonviable_fail_at_prototype: Probability = 0.5  # fails at the mid-way prototype milestone
    institutional_funding_prob: Probability = 0.5  # the lab's own budget covers a PoC
    licence_search_months: Annotated[int, Field(ge=1)] = 12  # then the result is shelved
    licensee_candidates: Annotated[int, Field(ge=1, le=1000)] = 4  # firms approached per month
    sale_out_prob_per_month: Probability = 0.01  # an out-of-region buyer takes it


class PilotParams(Strict):
    """Pilot-scale maturation, TRL 5–7 (spec §4.3)."""

    cost_mrmb: dict[str, Range] = Field(
        default_factory=lambda: {
            "antibody": _range(50, 150),  # S0 §1.2.3
            "cell_therapy": _range(80, 200),
            "mrna_vaccine": _range(60, 120),
            "small_molecule": _range(30, 80),
            "gene_therapy": _range(100, 250),
        }
    )
    duration_months: Range = _range(18, 36)  # assumption
    prior_success_belief: Probability = 0.30  # funders' base rate: 70% fail (S0 §1.2.3)
    value_multiple: PositiveFloat = 4.0  # asset value ÷ modality's mean pilot cost (assumption)
    financing_patience_months: Range = _range(12, 30)  # team endurance without money
    funder_candidates: Annotated[int, Field(ge=1, le=100)] = 6  # funders approached per month
    sale_out_prob_on_death: Probability = 0.25  # a starved project sold out of region
    expertise: dict[str, Probability] = Field(
        default_factory=lambda: {
            "own_line": 0.80,  # firm's own pilot line
            "university": 0.70,  # tier 1: university GMP training centre
            "enterprise": 0.85,  # tier 2: lead-firm platform
            "cdmo": 0.90,  # tier 3: industrial CDMO
            "out_of_region": 0.90,
        }
    )  # chance the facility's team does not add its own failure (assumption; S0 §1.2.1)
    reapproval_months: Range = _range(6, 12)  # S0 §1.2.2
    reapproval_success: Probability = 0.85  # re-approval granted (assumption)
    equipment_damage_prob: Probability = 0.05  # per pilot (assumption)
    equipment_damage_share: Probability = 0.10  # repair cost ÷ pilot cost (assumption)
    injury_prob: Probability = 0.01  # per pilot (assumption)
    injury_cost_share: Probability = 0.02  # cost of an injury ÷ pilot cost (assumption)


class IndustrialisationParams(Strict):
    """Clinical trials, registration and GMP production, TRL 8–9 (spec §4.4)."""

    phase_success: tuple[Probability, Probability, Probability] = (0.9, 0.7, 0.8)  # assumption
    phase_months: PositiveTriple = (12.0, 18.0, 24.0)  # assumption
    ind_review_months: NonNegFloat = 3.0  # 60 working days (assumption)
    ind_fast_track_months: NonNegFloat = 1.5  # 30 working days where fast track applies (S3)
    registration_review_months: NonNegFloat = 12.0  # assumption
    regional_review_lag_months: Range = _range(6, 8)  # S0 §1.3.1: vs Yangtze delta
    production_setup_months: Range = _range(6, 12)  # assumption
    cost_mrmb_per_month: PositiveFloat = 2.0  # sponsor's running cost (assumption)
    trial_slots_per_hospital: Annotated[int, Field(ge=1)] = 2  # concurrent trials
    hospital_candidates: Annotated[int, Field(ge=1, le=1000)] = 4  # approached per month
    trial_wait_months: NonNegFloat = 6.0  # then the trial runs out of region (multi-centre)
    acquisition_prob: Probability = 0.5  # a lead firm buys an SME holder after its pilot
    years_to_market_after_pilot: PositiveFloat = 6.0  # funders' plan for loan repayment
    stall_months: PositiveFloat = 12.0  # a holder without money this long sells out


class MarketParams(Strict):
    """Market entry and exits (spec §4.5)."""

    hospital_adoption_prob: Probability = 0.5  # a hospital lists a new product (assumption)


class InvestorParams(Strict):
    """Angel/VC, guidance fund and banks (spec §3.3)."""

    vc_count: Annotated[int, Field(ge=0, le=100_000)] = 20  # assumption
    vc_capital_mrmb: Range = _range(200, 800)  # assumption
    vc_risk_tolerance: Range = _range(0.03, 0.10)  # max loss on one deal ÷ capital
    vc_patience_months: Range = _range(3, 18)  # S0 §1.1.2: impatient investors withdraw
    vc_poc_share: Probability = 0.05  # share of VCs that invest at PoC (S4 §4: seed 0.5%)
    firm_risk_tolerance: Range = _range(0.05, 0.15)  # a firm's max loss on one pilot ÷ capital
    firm_patience_months: Range = _range(6, 24)  # assumption
    bank_count: Annotated[int, Field(ge=0, le=1000)] = 3  # assumption
    bank_capital_mrmb: PositiveFloat = 2000.0  # lending capacity per bank (assumption)
    guidance_fund_patience_months: NonNegFloat = 36.0  # public money waits longer
    capital_inflow_per_year: NonNegFloat = 0.15  # new money ÷ initial capital (assumption)


class RegionSite(Strict):
    """A named place on the map, in km from the science city (east, north)."""

    name: str
    x_km: float
    y_km: float


class InstitutionSpec(RegionSite):
    """A university or institute and its share of PIs."""

    pi_share: Probability


class FirmSpec(RegionSite):
    """A lead firm and its own pilot lines (modalities)."""

    capital_mrmb: PositiveFloat
    pilot_modalities: list[Modality] = Field(default_factory=list)


class FacilitySpec(RegionSite):
    """A pilot facility: tier 1 (university), 2 (enterprise) or 3 (CDMO)."""

    tier: Literal[1, 2, 3]
    modalities: list[Modality]
    capacity: Annotated[int, Field(ge=1)]
    out_of_region: bool = False  # located beyond the grid (e.g. Dalian)


class RegionParams(Strict):
    """Where things are; filled from a preset file."""

    name: str = "shenyang_hunnan"
    institutions: list[InstitutionSpec] = Field(default_factory=list)
    lead_firms: list[FirmSpec] = Field(default_factory=list)
    facilities: list[FacilitySpec] = Field(default_factory=list)
    sme_count: Annotated[int, Field(ge=0, le=100_000)] = 80
    sme_capital_mrmb: Range = _range(20, 150)
    sme_in_park_share: Probability = 0.6
    park: RegionSite = RegionSite(name="Hunnan biomedicine park", x_km=4, y_km=-2)
    hospital_count: Annotated[int, Field(ge=1, le=10_000)] = 12
    biotherapy_assessors: Annotated[int, Field(ge=0)] = 2  # S0 §1.3.4: 83% cannot assess
    hospital_spread_km: PositiveFloat = 12.0
    vc_spread_km: PositiveFloat = 10.0
    lead_firm_absorptive_capacity: Probability = 0.6  # chance a reached firm licenses (assumption)
    sme_absorptive_capacity: Probability = 0.3  # assumption

    @model_validator(mode="after")
    def _consistent(self) -> RegionParams:
        if self.institutions and abs(sum(i.pi_share for i in self.institutions) - 1) > 1e-6:
            raise ValueError("institutions' pi_share must sum to 1")
        if self.biotherapy_assessors > self.hospital_count:
            raise ValueError(
                f"biotherapy_assessors ({self.biotherapy_assessors}) exceeds hospital_count "
                f"({self.hospital_count})"
            )
        return self


class ModelParams(Strict):
    """All parameters of one run."""

    months: Annotated[int, Field(ge=1, le=2400)] = 180  # counted months (spec §2)
    warmup_months: Annotated[int, Field(ge=0, le=1200)] = 24  # not counted in throughput
    scale: Annotated[float, Field(gt=0.0, le=100.0)] = 1.0  # region size multiplier
    collect_agents: bool = False  # per-agent data (spec §6: off by default for speed)
    space: SpaceParams = SpaceParams()
    scientists: ScientistParams = ScientistParams()
    discovery: DiscoveryParams = DiscoveryParams()
    poc: PocParams = PocParams()
    pilot: PilotParams = PilotParams()
    industrialisation: IndustrialisationParams = IndustrialisationParams()
    market: MarketParams = MarketParams()
    investors: InvestorParams = InvestorParams()
    region: RegionParams = RegionParams()
    policies: PoliciesParams = PoliciesParams()
