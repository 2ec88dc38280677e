"""Every model parameter, its default, unit and source, validated strictly.

Sources are the seed documents in ``shared/seeds``: ``S0 §1.2.3`` means file ``000_…txt``,
section 1.2.3. Values marked *assumption* are ours (see ``docs/ODD.md``). Region-specific values
(where institutions, firms, facilities and hospitals are) come from preset files in
``ecosystem/presets``, not from code.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ecosystem.economics_params import PATENT_LAW, TRANSFER_LAW, EconomicsParams
from ecosystem.parameter_fields import param
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
    """Base: unknown keys are errors, assignments are re-validated, NaN and ±inf refused."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


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

    cell_km: PositiveFloat = param(2.0, "km per cell (assumption)", unit="km", basis="assumption")
    half_width_cells: Annotated[int, Field(ge=5, le=2000)] = param(
        40,
        "cells from the centre to each edge: an 81×81 grid reaching 80 km each way",
        unit="cells",
        basis="assumption",
    )
    detour_factor: Annotated[float, Field(ge=1.0, le=3.0)] = param(
        1.3, "road / straight line", basis="assumption"
    )
    speed_kmh: PositiveFloat = param(60.0, "average road speed", unit="km/h", basis="assumption")
    collaboration_tau_minutes: PositiveFloat = param(
        45.0, "p(collaborate) = exp(-t / tau)", unit="minutes", basis="assumption"
    )
    handoff_base_months: NonNegFloat = param(
        0.5, "contracts, materials, tech-transfer files", unit="months", basis="assumption"
    )
    handoff_months_per_hour: NonNegFloat = param(
        0.25,
        "a week of coordination per hour of travel",
        unit="months per hour of travel",
        basis="assumption",
    )
    out_of_region_cost_markup: NonNegFloat = param(
        0.30, "S0 §1.3.3: procurement 30% higher", unit="share", source="S0 §1.3.3", basis="source"
    )
    out_of_region_delay_months: NonNegFloat = param(
        2.0, "per hand-off (assumption)", unit="months", basis="assumption"
    )
    out_of_region_travel_minutes: PositiveFloat = param(
        360.0, "Suzhou/Shanghai/Dalian (assumption)", unit="minutes", basis="assumption"
    )
    circle_measure_minutes: Annotated[float, Field(ge=5.0, le=600.0)] = param(
        60.0, "S0 §2.3.3: one hour", unit="minutes", source="S0 §2.3.3", basis="source"
    )


class ScientistParams(Strict):
    """Principal investigators (spec §3.1)."""

    count: Annotated[int, Field(ge=1, le=200_000)] = param(
        400, "PIs in all institutions (assumption)", unit="count", basis="assumption"
    )
    discovery_rate: Range = param(
        _range(0.02, 0.05), "discoveries per PI-month (assumption)", basis="assumption"
    )
    orientation_beta: tuple[PositiveFloat, PositiveFloat] = param(
        (5.0, 2.0), "academic orientation"
    )
    push_base: Probability = param(
        0.9, "propensity to push a discovery when orientation is 0", unit="share"
    )
    career_penalty: Probability = param(
        0.8,
        "S0 §1.1.1: promotion ignores transfer",
        unit="share",
        source="S0 §1.1.1",
        basis="source",
    )
    signal_noise: NonNegFloat = param(0.40, "sd of a scientist's own view of viability")
    push_threshold: float = param(
        0.48, "push only discoveries that look at least this viable (calibrated, ODD §1.2)"
    )
    startup_founding_prob: Probability = param(
        0.10, "founds a firm when no licensee (assumption)", unit="probability", basis="assumption"
    )


class DiscoveryParams(Strict):
    """Latent quality of discoveries (spec §3.1, S0 §1.1.1: >60% lack industrial potential)."""

    quality_beta: tuple[PositiveFloat, PositiveFloat] = param((2.0, 3.5), "scientist-pushed")
    demand_quality_beta: tuple[PositiveFloat, PositiveFloat] = param(
        (3.0, 2.0), "demand-pulled (mean quality 0.6 against 0.36 pushed)", basis="assumption",
        policy="reverse_commissioning",
        plausible=((2.0, 1.5), (4.0, 3.5), "from no better than a pushed discovery (mean 0.36) "
                   "to mean quality 0.73; S0 §2.1 gives no number"),
    )
    viability_threshold: Probability = param(
        0.5, "industrially viable iff quality above this", unit="share"
    )
    demand_value_multiple: PositiveFloat = param(
        1.5,
        "demand-pulled assets are worth more (S0 §2.1 says so; the 1.5 is ours)",
        source="S0 §2.1",
        basis="assumption",
        policy="reverse_commissioning",
        plausible=(1.0, 2.0, "from no premium to double; no source gives a number"),
    )
    scalability_beta: tuple[PositiveFloat, PositiveFloat] = param(
        (2.0, 3.4), "lab-to-pilot retention"
    )
    readiness_beta: tuple[PositiveFloat, PositiveFloat] = param((2.0, 3.0), "GLP→GMP compliance")
    modality_mix: dict[str, Probability] = param(
        default_factory=lambda: {
            "antibody": 0.30,
            "cell_therapy": 0.15,
            "mrna_vaccine": 0.10,
            "small_molecule": 0.30,
            "gene_therapy": 0.15,
        },
        doc="assumption; Liaoning's strength is chemical APIs, vaccines, biologics (S0 intro)",
        unit="share",
        source="S0 intro",
        basis="assumption",
    )

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

    cost_mrmb: PositiveFloat = param(1.0, "assumption", unit="M RMB", basis="assumption")
    duration_months: Range = param(_range(12, 24), "assumption", unit="months", basis="assumption")
    success_if_viable: Probability = param(
        0.9, "assumption", unit="probability", basis="assumption"
    )
    nonviable_fail_at_prototype: Probability = param(
        0.5, "fails at the mid-way prototype milestone", unit="share"
    )
    institutional_funding_prob: Probability = param(
        0.5, "the lab's own budget covers a PoC", unit="probability"
    )
    licence_search_months: Annotated[int, Field(ge=1)] = param(
        12, "then the result is shelved", unit="months"
    )
    licensee_candidates: Annotated[int, Field(ge=1, le=1000)] = param(
        4, "firms approached per month", unit="count"
    )
    sale_out_prob_per_month: Probability = param(
        0.01, "an out-of-region buyer takes it", unit="probability per month"
    )


class PilotParams(Strict):
    """Pilot-scale maturation, TRL 5–7 (spec §4.3)."""

    cost_mrmb: dict[str, Range] = param(
        default_factory=lambda: {
            "antibody": _range(50, 150),  # S0 §1.2.3
            "cell_therapy": _range(80, 200),
            "mrna_vaccine": _range(60, 120),
            "small_molecule": _range(30, 80),
            "gene_therapy": _range(100, 250),
        },
        doc="S0 §1.2.3",
        unit="M RMB",
        source="S0 §1.2.3",
        basis="source",
    )
    duration_months: Range = param(_range(18, 36), "assumption", unit="months", basis="assumption")
    prior_success_belief: Probability = param(
        0.37,
        "funders' base rate: prior mean 0.30 from S0 §1.2.3 (70% fail); calibrated 0.37 (ODD §1.2)",
        unit="probability",
        source="S0 §1.2.3",
        basis="source",
    )
    value_multiple: PositiveFloat = param(
        4.3,
        "asset value ÷ modality's mean pilot cost (assumption; calibrated, ODD §1.2)",
        basis="assumption",
    )
    readout_accuracy: Annotated[float, Field(ge=0.5, le=1.0)] = param(
        0.75,
        "chance the pilot's interim (half-way) readout points the right way: 'troubled' for a"
        " pilot that will fail, 'on track' for one that will pass; 0.5 = no information",
        unit="probability",
        basis="assumption",
        plausible=(0.6, 0.9, "interim process data predict scale-up outcome imperfectly"),
    )
    financing_patience_months: Range = param(
        _range(12, 30), "team endurance without money", unit="months"
    )
    funder_candidates: Annotated[int, Field(ge=1, le=100)] = param(
        6, "funders approached per month", unit="count"
    )
    sale_out_prob_on_death: Probability = param(
        0.25, "a starved project sold out of region", unit="probability"
    )
    expertise: dict[str, Probability] = param(
        default_factory=lambda: {
            "own_line": 0.80,  # firm's own pilot line
            "university": 0.70,  # tier 1: university GMP training centre
            "enterprise": 0.85,  # tier 2: lead-firm platform
            "cdmo": 0.90,  # tier 3: industrial CDMO
            "out_of_region": 0.90,
            "enclave": 0.90,  # a CDMO team in a partner park (S4 §4)
        },
        doc=(
            "chance the facility's team does not add its own failure (assumption; S0 §1.2.1) — "
            "own_line: firm's own pilot line; university: tier 1: university GMP training centre;"
            " enterprise: tier 2: lead-firm platform; cdmo: tier 3: industrial CDMO;"
            " enclave: a CDMO team in a partner park (S4 §4)"
        ),
        unit="share",
        source="S0 §1.2.1",
        basis="assumption",
    )
    reapproval_months: Range = param(
        _range(6, 12), "S0 §1.2.2", unit="months", source="S0 §1.2.2", basis="source"
    )
    reapproval_success: Probability = param(
        0.85, "re-approval granted (assumption)", unit="probability", basis="assumption"
    )
    equipment_damage_prob: Probability = param(
        0.05, "per pilot (assumption)", unit="probability", basis="assumption"
    )
    equipment_damage_share: Probability = param(
        0.10, "repair cost ÷ pilot cost (assumption)", unit="share", basis="assumption"
    )
    injury_prob: Probability = param(
        0.01, "per pilot (assumption)", unit="probability", basis="assumption"
    )
    injury_cost_share: Probability = param(
        0.02, "cost of an injury ÷ pilot cost (assumption)", unit="share", basis="assumption"
    )


#: Published clinical attrition (docs/parameters.md): BIO, Informa Pharma Intelligence & QLS,
#: "Clinical Development Success Rates and Contributing Factors 2011–2020" (February 2021).
BIO_2021 = "BIO/Informa/QLS 2021, Clinical Development Success Rates 2011–2020"
#: Published studies a parameter may cite besides the seed documents S0–S4.
PUBLISHED_SOURCES: tuple[str, ...] = (BIO_2021, PATENT_LAW, TRANSFER_LAW)


class IndustrialisationParams(Strict):
    """Clinical trials, registration and GMP production, TRL 8–9 (spec §4.4)."""

    phase_success: tuple[Probability, Probability, Probability] = param(
        (0.520, 0.289, 0.578),
        "phase I→II, II→III, III→NDA/BLA transition success, all modalities (BIO 2021; LOA"
        " from phase I 7.9%, by modality 5.7% small molecules – 17.3% CAR-T)",
        unit="probability",
        source=BIO_2021,
        basis="source",
    )
    phase_months: PositiveTriple = param(
        (27.6, 43.2, 39.6),
        "phase I, II, III durations: 2.3, 3.6, 3.3 years (BIO 2021)",
        unit="months",
        source=BIO_2021,
        basis="source",
    )
    registration_success: Probability = param(
        0.906,
        "NDA/BLA → approval (BIO 2021)",
        unit="probability",
        source=BIO_2021,
        basis="source",
    )
    ind_review_months: NonNegFloat = param(
        3.0, "60 working days (assumption)", unit="months", basis="assumption"
    )
    ind_fast_track_months: NonNegFloat = param(
        1.5,
        "30 working days where fast track applies (S3)",
        unit="months",
        source="S3",
        basis="source",
    )
    registration_review_months: NonNegFloat = param(
        15.6,
        "NDA/BLA review: 1.3 years (BIO 2021; FDA-based, NMPA review assumed alike)",
        unit="months",
        source=BIO_2021,
        basis="source",
    )
    regional_review_lag_months: Range = param(
        _range(6, 8),
        "S0 §1.3.1: vs Yangtze delta",
        unit="months",
        source="S0 §1.3.1",
        basis="source",
    )
    production_setup_months: Range = param(
        _range(6, 12), "assumption", unit="months", basis="assumption"
    )
    cost_mrmb_per_month: PositiveFloat = param(
        2.0, "sponsor's running cost (assumption)", unit="M RMB per month", basis="assumption"
    )
    trial_slots_per_hospital: Annotated[int, Field(ge=1)] = param(
        2, "concurrent trials", unit="count"
    )
    hospital_candidates: Annotated[int, Field(ge=1, le=1000)] = param(
        4, "approached per month", unit="count"
    )
    phase1_capable_share: Probability = param(
        0.45,
        "share of hospitals able to run a phase I trial (S4 §1(三): of 1,075 trial "
        "institutions fewer than half can really run trials; read as 45%)",
        unit="share",
        source="S4 §1(三)",
        basis="source",
    )
    trial_wait_months: NonNegFloat = param(
        7.6, "then the trial runs out of region (multi-centre; calibrated, ODD §1.2)", unit="months"
    )
    acquisition_prob: Probability = param(
        0.5, "a lead firm buys an SME holder after its pilot", unit="probability"
    )
    stall_months: PositiveFloat = param(
        12.0, "a holder without money this long sells out", unit="months"
    )


class MarketParams(Strict):
    """Hospitals as the market: listing decisions, budgets and prices (ODD §7.12, S3)."""

    reference_listing_share: Annotated[float, Field(gt=0.0, le=1.0)] = param(
        0.5,
        "share of the region's hospitals listing a product at which it earns the sales its "
        "asset value assumes (assumption)",
        unit="share",
        basis="assumption",
        plausible=(0.3, 0.7, "from a third to two thirds of the region's hospitals"),
    )
    formulary_reviews_per_year: Annotated[float, Field(ge=0.0, le=12.0)] = param(
        4.0,
        "meetings a year of a hospital's drug committee, which considers new products "
        "(assumption: quarterly)",
        unit="per year",
        basis="assumption",
        plausible=(2.0, 6.0, "from twice a year to every other month"),
    )
    hospital_budget_mrmb_per_year: NonNegFloat = param(
        60.0,
        "room a hospital's DRG/DIP payments leave for the yearly cost of the new products it "
        "lists (assumption)",
        unit="M RMB per year",
        basis="assumption",
        plausible=(30.0, 120.0, "half to double; no seed gives the room DRG/DIP payments leave"),
    )
    expected_benefit: Probability = param(
        0.65,
        "clinical benefit funders expect of the product before its trials show it (assumption: "
        "about the mean latent quality of a viable project)",
        unit="share",
        basis="assumption",
        plausible=(0.55, 0.75, "about the mean quality of a viable project, give or take 0.1"),
    )
    value_threshold: Range = param(
        _range(0.4, 0.8),
        "a hospital lists a product whose clinical benefit (latent quality) ÷ its net price "
        "index reaches its own bar, drawn per hospital (assumption)",
        unit="share",
        basis="assumption",
        plausible=((0.3, 0.6), (0.6, 0.9), "hospitals' bars from 0.3 to 0.9 at the widest"),
    )


class InvestorParams(Strict):
    """Angel/VC, guidance fund and banks (spec §3.3)."""

    vc_count: Annotated[int, Field(ge=0, le=100_000)] = param(
        20, "assumption", unit="count", basis="assumption"
    )
    vc_capital_mrmb: Range = param(_range(200, 800), "assumption", unit="M RMB", basis="assumption")
    vc_risk_tolerance: Range = param(_range(0.03, 0.10), "max loss on one deal ÷ capital")
    vc_patience_months: Range = param(
        _range(3, 18),
        "S0 §1.1.2: impatient investors withdraw",
        unit="months",
        source="S0 §1.1.2",
        basis="source",
    )
    vc_poc_share: Probability = param(
        0.05,
        "share of VCs that invest at PoC (S4 §4: seed 0.5%)",
        unit="share",
        source="S4 §4",
        basis="source",
    )
    firm_risk_tolerance: Range = param(
        _range(0.05, 0.15), "a firm's max loss on one pilot ÷ capital"
    )
    firm_patience_months: Range = param(
        _range(6, 24), "assumption", unit="months", basis="assumption"
    )
    bank_count: Annotated[int, Field(ge=0, le=1000)] = param(
        3, "assumption", unit="count", basis="assumption"
    )
    bank_capital_mrmb: PositiveFloat = param(
        2000.0, "lending capacity per bank (assumption)", unit="M RMB", basis="assumption",
        policy="pilot_loans",
        plausible=(1000.0, 5000.0, "a regional bank's book for technology loans"),
    )
    guidance_fund_patience_months: NonNegFloat = param(
        36.0, "public money waits longer", unit="months"
    )


class RegionSite(Strict):
    """A named place on the map, in km from the science city (east, north)."""

    name: str = param(doc="the place's name")
    x_km: float = param(doc="km east of the science city's centre", unit="km")
    y_km: float = param(doc="km north of the science city's centre", unit="km")


class InstitutionSpec(RegionSite):
    """A university or institute and its share of PIs."""

    pi_share: Probability = param(unit="share")


class FirmSpec(RegionSite):
    """A lead firm and its own pilot lines (modalities)."""

    capital_mrmb: PositiveFloat = param(unit="M RMB")
    pilot_modalities: list[Modality] = Field(default_factory=list)


class FacilitySpec(RegionSite):
    """A pilot facility: tier 1 (university), 2 (enterprise) or 3 (CDMO)."""

    tier: Literal[1, 2, 3]
    modalities: list[Modality]
    capacity: Annotated[int, Field(ge=1)] = param(unit="count")
    out_of_region: bool = param(False, "located beyond the grid (e.g. Dalian)")


class RegionParams(Strict):
    """Where things are; filled from a preset file."""

    name: str = param("shenyang_hunnan", "the region preset's name")
    institutions: list[InstitutionSpec] = param(
        default_factory=list, doc="universities and institutes (from the preset)"
    )
    lead_firms: list[FirmSpec] = param(default_factory=list, doc="lead firms (from the preset)")
    facilities: list[FacilitySpec] = param(
        default_factory=list, doc="pilot facilities of tiers 1, 2 and 3 (from the preset)"
    )
    sme_count: Annotated[int, Field(ge=0, le=100_000)] = param(
        80, "SMEs and startups at the start", unit="count"
    )
    sme_capital_mrmb: Range = param(_range(20, 150), "an SME's starting capital", unit="M RMB")
    sme_in_park_share: Probability = param(
        0.6, "SMEs located in the biomedicine park", unit="share"
    )
    park: RegionSite = param(
        RegionSite(name="Hunnan biomedicine park", x_km=4, y_km=-2),
        "the biomedicine park (SMEs, a policy-built CDMO)",
    )
    hospital_count: Annotated[int, Field(ge=1, le=10_000)] = param(
        12, "tertiary hospitals", unit="count"
    )
    biotherapy_assessors: Annotated[int, Field(ge=0)] = param(
        2, "S0 §1.3.4: 83% cannot assess", unit="count", source="S0 §1.3.4", basis="source"
    )
    hospital_spread_km: PositiveFloat = param(
        12.0, "sd of hospitals' distance from the centre", unit="km"
    )
    vc_spread_km: PositiveFloat = param(10.0, "sd of VCs' distance from the centre", unit="km")
    lead_firm_absorptive_capacity: Probability = param(
        0.58,
        "chance a reached firm licenses (assumption; calibrated, ODD §1.2)",
        unit="share",
        basis="assumption",
    )
    sme_absorptive_capacity: Probability = param(
        0.3, "assumption", unit="share", basis="assumption"
    )

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

    months: Annotated[int, Field(ge=1, le=2400)] = param(
        180, "counted months (spec §2)", unit="months"
    )
    warmup_months: Annotated[int, Field(ge=0, le=1200)] = param(
        300,
        "spin-up: status quo until the pipeline is stationary, not counted; the parameters'"
        " policies are introduced at the month after it (measured, ecosystem/spinup.py)",
        unit="months",
    )
    scale: Annotated[float, Field(gt=0.0, le=100.0)] = param(1.0, "region size multiplier")
    collect_agents: bool = param(False, "per-agent data (spec §6: off by default for speed)")
    space: SpaceParams = SpaceParams()
    scientists: ScientistParams = ScientistParams()
    discovery: DiscoveryParams = DiscoveryParams()
    poc: PocParams = PocParams()
    pilot: PilotParams = PilotParams()
    industrialisation: IndustrialisationParams = IndustrialisationParams()
    market: MarketParams = MarketParams()
    investors: InvestorParams = InvestorParams()
    economics: EconomicsParams = EconomicsParams()
    region: RegionParams = RegionParams()
    policies: PoliciesParams = Field(default_factory=PoliciesParams)
