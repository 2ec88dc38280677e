"""Config blocks of the policies (spec §5), each with its source defaults.

A block is addressed by dotted path, e.g. ``policies.pilot_insurance.premium_subsidy``. Every
block has ``enabled`` (off in the status quo). What each parameter does is in the policy's own
module and in ``docs/ODD.md``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ecosystem.parameter_fields import param

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
PositiveFloat = Annotated[float, Field(gt=0.0)]
NonNegFloat = Annotated[float, Field(ge=0.0)]


class PolicyParams(BaseModel):
    """Common base: strict keys, ``enabled`` switch."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)
    enabled: bool = param(False, "switches the policy on (off in the status quo)")
    running_cost_mrmb_per_year: NonNegFloat = param(
        0.0, "programme running cost (each policy states its own)", unit="M RMB per year"
    )


class ProfessorCeoParams(PolicyParams):
    """S0 §2.3.1: founders keep their post; S0 §1.1.1: promotion counts transfer."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        1.0,
        "programme running cost: career-reform administration",
        unit="M RMB per year", basis="assumption",
        plausible=(0.5, 3.0, "a small office in the universities' personnel departments"),
    )

    career_penalty: Probability = param(
        0.3,
        "weight of academic orientation against pushing (status quo 0.8, S0 §1.1.1)",
        unit="share",
        basis="assumption",
        plausible=(0.2, 0.6, "the reform cuts the status-quo 0.8 by a quarter to three quarters; "
                   "no evaluation of the professor-CEO pilots gives a number"),
    )
    startup_founding_prob: Probability = param(
        0.5,
        "founds a firm when no licensee is found (status quo 0.1)",
        unit="probability",
        basis="assumption",
        plausible=(0.2, 0.5, "keeping one's post (S0 §2.3.1) makes founding two to five times "
                   "as likely as the status quo's 0.1"),
    )


class TeamFormationParams(PolicyParams):
    """S0 §2.3.1: scientist + entrepreneur + investor validation teams."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        5.0,
        "programme running cost: matchmaking office and team stipends",
        unit="M RMB per year", basis="assumption",
        plausible=(2.0, 10.0, "a matchmaking office plus stipends for some tens of teams a year"),
    )

    signal_noise: NonNegFloat = param(
        0.15, "sd of the team's view of viability (business partner)", basis="assumption",
        plausible=(0.1, 0.3, "better than a lone scientist (0.40), not better than an expert "
                   "panel by much (0.25)"),
    )
    investor_member_prob: Probability = param(
        0.3,
        "the team includes an investor who funds the PoC",
        unit="probability",
        basis="assumption",
        plausible=(0.1, 0.3, "a minority: seed and angel money is 0.5% of China's venture "
                   "funding against 4%+ abroad (S4)"),
    )


class MilestoneGrantsParams(PolicyParams):
    """S0 §2.3.2: provincial PoC fund paid by milestones (0.3 / 0.5 / 0.2 M RMB)."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        1.0,
        "programme running cost: expert panels and milestone checks",
        unit="M RMB per year", basis="assumption",
        plausible=(0.5, 2.0, "panels and milestone checks for some tens of projects a year"),
    )

    tranches_mrmb: tuple[NonNegFloat, NonNegFloat, NonNegFloat] = param(
        (0.3, 0.5, 0.2), "S0 §2.3.2", unit="M RMB", source="S0 §2.3.2", basis="source"
    )
    review_noise: NonNegFloat = param(
        0.25, "sd of the expert panel's view of viability", basis="assumption",
        plausible=(0.1, 0.4, "a panel sees viability better than a lone scientist (0.40)"),
    )
    review_threshold: float = param(
        0.45, "the panel funds proposals that look this viable", basis="assumption",
        plausible=(0.3, 0.6, "a lenient to a strict panel around the viability threshold 0.5"),
    )
    annual_budget_mrmb: NonNegFloat = param(
        30.0, "yearly budget of the provincial PoC fund", unit="M RMB", basis="assumption",
        plausible=(10.0, 60.0, "10–60 grants of 1 M RMB a year; Beijing funded 124 PoC "
                   "projects in 4 years (S0 ref. 6)"),
    )


class PilotInsuranceParams(PolicyParams):
    """S0 §2.3.2: pilot comprehensive insurance, province pays 40% of the premium."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        1.0,
        "programme running cost: scheme administration",
        unit="M RMB per year", basis="assumption",
        plausible=(0.5, 2.0, "premium subsidies and claims for tens of pilots a year"),
    )

    premium_subsidy: Probability = param(
        0.4, "share of the premium paid by the province", unit="share", source="S0 §2.3.2",
        basis="source",
    )
    cover_split: tuple[Probability, Probability, Probability] = param(
        (0.6, 0.3, 0.1), "S0 §2.3.2", unit="share", source="S0 §2.3.2", basis="source"
    )
    insured_share: Probability = param(
        0.6, "sum insured ÷ pilot cost", unit="share", basis="assumption",
        plausible=(0.3, 0.9, "S0 §2.3.2 splits the cover 60/30/10 but gives no sum insured; "
                   "partial to near-full cover"),
    )
    loading: NonNegFloat = param(
        0.2, "insurer's margin over expected loss", basis="assumption",
        plausible=(0.1, 0.5, "expense and profit loading from a mature line to a new, thinly "
                   "pooled risk"),
    )
    prior_weight: PositiveFloat = param(
        20.0, "pilots' worth of weight on the 70% base rate (S0 §1.2.3)", basis="assumption",
        plausible=(5.0, 50.0, "how many pilots' claims it takes before the insurer trusts its "
                   "own record over the published rate"),
    )
    reserve_mrmb: NonNegFloat = param(
        200.0,
        "the insurer's starting reserve for the pool",
        unit="M RMB",
        basis="assumption",
        plausible=(100.0, 500.0, "claims of one to five failed average pilots a year for a "
                   "few years"),
    )

    @field_validator("cover_split")
    @classmethod
    def _sums_to_one(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if abs(sum(v) - 1.0) > 1e-6:
            raise ValueError(f"cover_split must sum to 1 (process, equipment, injury), got {v}")
        return v


class PilotLoansParams(PolicyParams):
    """S0 §2.3.2: pilot special loans from the industry fund and convertible bonds."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        1.0,
        "programme running cost: guarantee scheme administration",
        unit="M RMB per year", basis="assumption",
        plausible=(0.5, 2.0, "administering guarantees for tens of loans a year"),
    )

    loan_share: Probability = param(
        0.4, "max share of the pilot cost a bank lends", unit="share", basis="assumption",
        plausible=(0.2, 0.6, "banks lend against a minority of an unproven asset's cost, "
                   "rarely much more than half"),
    )
    guarantee_share: Probability = param(
        0.8, "share of a defaulted loan the province covers", unit="share", basis="assumption",
        plausible=(0.5, 0.9, "public credit guarantees cover half to most of a default"),
    )
    interest_rate: NonNegFloat = param(
        0.04, "per year", basis="assumption",
        plausible=(0.03, 0.06, "China's one-year loan prime rate (3.0–3.45% in 2024–25) plus "
                   "a margin"),
    )
    min_guarantee: Probability = param(
        0.5,
        "banks lend only with at least this guarantee",
        unit="share",
        basis="assumption",
        plausible=(0.3, 0.8, "a bank's floor of public cover for lending to a pilot"),
    )


class SharedPlatformsParams(PolicyParams):
    """S0 §2.2, S1: three-tier shared pilot platforms; sharing cuts upfront cost 30–50%."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        2.0,
        "programme running cost: coordination office, beside the operating subsidy",
        unit="M RMB per year", basis="assumption",
        plausible=(1.0, 5.0, "a coordination office booking two to four platforms' lines"),
    )

    upfront_cost_cut: Probability = param(
        0.4, "share of upfront investment sharing saves (S1)", unit="share", source="S1",
        basis="source", plausible=(0.3, 0.5, "S1 gives a cut of 30 to 50%"),
    )
    operating_subsidy_mrmb_per_year: NonNegFloat = param(
        10.0, "province keeps platforms open", unit="M RMB per year", basis="assumption",
        plausible=(5.0, 20.0, "a few M RMB a year for each of two to four shared platforms"),
    )


class ReverseCommissioningParams(PolicyParams):
    """S0 §2.1: lead firms collect clinicians' needs and commission university R&D."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        2.0,
        "programme running cost: need-collection office in the hospitals",
        unit="M RMB per year", basis="assumption",
        plausible=(1.0, 5.0, "staff in hospitals and lead firms who collect clinical needs"),
    )

    needs_per_hospital_per_month: NonNegFloat = param(
        0.05, "clinical needs a hospital reports", unit="per month", basis="assumption",
        plausible=(0.02, 0.1, "one need every 10 to 50 months per hospital; 83% of top hospitals "
                   "have no therapy-assessment system (S0 §1.3.4)"),
    )
    commission_radius_minutes: PositiveFloat = param(
        90.0, "firms reach hospitals and labs this near", unit="minutes", basis="assumption",
        plausible=(60.0, 180.0, "from the one-hour circle (S0 §2.3.3) to a half-day trip"),
    )
    screen_scalability_min: Probability = param(
        0.25, "feasibility pre-assessment rejects below", unit="share", basis="assumption",
        plausible=(0.1, 0.4, "a lenient to a strict pre-assessment of scale-up (S0 §2.1)"),
    )
    assessment_noise: NonNegFloat = param(
        0.1, "sd of the pre-assessment's view of scalability", basis="assumption",
        plausible=(0.05, 0.25, "an engineering pre-assessment errs less than a panel's view "
                   "of viability (0.25)"),
    )


class DataPlatformParams(PolicyParams):
    """S0 §2.1: AI + full-chain feedback data platform."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        20.0,
        "programme running cost: building and running the data platform",
        unit="M RMB per year", basis="assumption",
        plausible=(10.0, 50.0, "the platform's build-out spread over its life, plus its team"),
    )

    learning_per_failure: NonNegFloat = param(
        0.01, "gain per recorded pilot/clinical failure", basis="assumption",
        plausible=(0.002, 0.02, "the ceiling is reached after 15 to 150 recorded failures"),
    )
    max_gain: Probability = param(
        0.3, "ceiling of the improvement in scalability and readiness", unit="share",
        basis="assumption",
        plausible=(0.1, 0.5, "feedback data (S0 §2.1) closes part of the gap, never all of it"),
    )


class ReviewSyncParams(PolicyParams):
    """S0 §2.3.1, S3: R&D and review in sync, pre-review, regional NMPA branch."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        10.0,
        "programme running cost: review staff of the regional branch and pre-review",
        unit="M RMB per year", basis="assumption",
        plausible=(5.0, 20.0, "a regional review branch of some tens of reviewers and inspectors"),
    )

    readiness_gain: Probability = param(
        0.5, "GMP inspection from preclinical closes this gap share", unit="share",
        basis="assumption",
        plausible=(0.25, 0.75, "early GMP inspection (S0 §2.3.1) closes a quarter to three "
                   "quarters of the GLP→GMP gap"),
    )
    reapproval_months_cut: NonNegFloat = param(
        6.0, "GMP inspection from preclinical", unit="months", basis="assumption",
        plausible=(3.0, 9.0, "of the order of the 6–8 months Liaoning's serial review adds "
                   "(S0 §1.3.1)"),
    )
    pre_review_months: NonNegFloat = param(
        6.0,
        "S0 §2.3.1: Phase III pre-review 6 months early",
        unit="months",
        source="S0 §2.3.1",
        basis="source",
    )
    parallel_review: bool = param(True, "registration review runs beside Phase III")


class GuidanceFundParams(PolicyParams):
    """S0 §1.3.2, S4 §4: size and allocation of the provincial guidance fund."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        20.0,
        "programme running cost: fund management",
        unit="M RMB per year", basis="assumption",
        plausible=(10.0, 50.0, "0.2–1% a year of a 5 bn RMB fund (private funds charge 1–2%)"),
    )

    fund_size_mrmb: NonNegFloat = param(
        5000.0, "under 5 bn RMB (S0 §1.3.2)", unit="M RMB", source="S0 §1.3.2", basis="source"
    )
    innovative_share: Probability = param(
        0.7, "policy: 70% to innovative projects and CDMOs", unit="share", basis="assumption",
        plausible=(0.5, 0.9, "the status quo's 70/30 split (S0 §1.3.2) reversed, or less or "
                   "more"),
    )
    status_quo_innovative_share: Probability = param(
        0.3,
        "70% to traditional pharma (S0 §1.3.2)",
        unit="share",
        source="S0 §1.3.2",
        basis="source",
    )
    deployment_years: PositiveFloat = param(
        10.0, "years over which the fund is invested", unit="years", basis="assumption",
        plausible=(5.0, 15.0, "government funds invest over five to ten years, some longer"),
    )
    max_stake: Probability = param(
        0.4,
        "policy: largest share of one pilot it takes",
        unit="share",
        basis="assumption",
        plausible=(0.2, 0.5, "from a cautious co-investor's share to half of a pilot"),
    )
    status_quo_max_stake: Probability = param(
        0.15, "a conservative co-investor today", unit="share", basis="assumption",
        plausible=(0.05, 0.3, "few equity deals in innovation today (S0 §1.3.2)"),
    )
    return_cap: NonNegFloat = param(
        0.05, "the fund takes stake × (1 + cap) on success, cedes the rest", basis="assumption",
        plausible=(0.0, 0.1, "profit concession: the stake back plus at most a bank's return"),
    )


class OneHourCircleParams(PolicyParams):
    """S0 §2.3.3: a one-hour circle around Hunnan Science City."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        50.0,
        "programme running cost: running the added transit services",
        unit="M RMB per year", basis="assumption",
        plausible=(20.0, 200.0, "operating subsidies from express buses to intercity rail"),
    )

    circle_minutes: Annotated[float, Field(ge=5.0, le=600.0)] = param(
        60.0, "S0 §2.3.3: one hour", unit="minutes", source="S0 §2.3.3", basis="source"
    )
    transit_speed_kmh: PositiveFloat = param(
        90.0, "transport improvements inside the circle", unit="km/h", basis="assumption",
        plausible=(70.0, 120.0, "express roads to intercity rail against 60 km/h roads"),
    )
    circle_tau_minutes: PositiveFloat = param(
        120.0, "matchmaking services inside the circle", unit="minutes", basis="assumption",
        plausible=(60.0, 240.0, "services make a partner at a given distance more willing than "
                   "the 45-minute status quo: somewhat to much"),
    )
    handoff_base_months: NonNegFloat = param(
        0.05, '"experiment in the morning, pilot at noon"', unit="months", basis="assumption",
        plausible=(0.03, 0.25, "a hand-off within a day (S0 §2.3.3) to within a week"),
    )


class LocalCdmoParams(PolicyParams):
    """S0 §1.3.3, §2.3.1: build local CDMO capacity for missing modalities."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        5.0,
        "programme running cost: operations office, beside the build subsidy",
        unit="M RMB per year", basis="assumption",
        plausible=(2.0, 10.0, "an operations office and quality staff for a public CDMO"),
    )

    modalities: list[
        Literal["antibody", "cell_therapy", "mrna_vaccine", "small_molecule", "gene_therapy"]
    ] = param(
        default_factory=lambda: ["cell_therapy", "gene_therapy", "antibody"],
        doc="S0 §1.3.3",
        source="S0 §1.3.3",
        basis="source",
    )
    capacity: Annotated[int, Field(ge=1, le=1000)] = param(
        6, "concurrent projects", unit="count", basis="assumption",
        plausible=(2, 12, "a mid-size CDMO runs a few to a dozen client lines"),
    )
    build_cost_mrmb: NonNegFloat = param(
        300.0, "public capital subsidy", unit="M RMB", basis="assumption",
        plausible=(100.0, 800.0, "GMP lines of some tens of M RMB each (S0 §2.2: 5 training "
                   "lines ≈ 30 M RMB of equipment) up to a biologics site"),
    )
    amortisation_years: PositiveFloat = param(
        15.0,
        "the build subsidy is booked in equal monthly parts over this many years from the "
        "opening, then no more (the rest at once if the policy closes it earlier)",
        unit="years", basis="assumption",
        plausible=(10.0, 20.0, "plant and buildings written off over 10 to 20 years"),
    )


class ResearchHospitalsParams(PolicyParams):
    """S4 §1(三), S3: research hospitals able to run phase I; S0 §1.3.4 biotherapy assessment."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        5.0,
        "programme running cost: trial-unit staff and certification (assumption)",
        unit="M RMB per year", basis="assumption",
        plausible=(2.0, 10.0, "a few staff and certification audits per upgraded hospital"),
    )

    hospitals: Annotated[int, Field(ge=1, le=1000)] = param(
        2,
        "hospitals upgraded, first those lacking phase I or biotherapy capability (assumption; "
        "S4 §1(三): 'a batch' around one university hospital)",
        unit="count", basis="assumption",
        plausible=(1, 4, "S4 §1(三) speaks of a batch around one university hospital"),
    )
    extra_trial_slots: Annotated[int, Field(ge=0, le=100)] = param(
        2, "concurrent trials added to each (assumption)", unit="count",
        basis="assumption",
        plausible=(1, 4, "a phase I unit runs a few trials at once; today's hospitals run 2"),
    )
    build_cost_mrmb_per_hospital: NonNegFloat = param(
        100.0,
        "public construction cost of a research ward and phase I unit (assumption)",
        unit="M RMB", basis="assumption",
        plausible=(50.0, 300.0, "a ward with a phase I unit, from a refit to a new building"),
    )
    amortisation_years: PositiveFloat = param(
        15.0,
        "the construction cost is booked in equal monthly parts over this many years from the "
        "opening, then no more (the rest at once if the policy is switched off earlier)",
        unit="years",
        basis="assumption",
        plausible=(10.0, 25.0, "usual depreciation lives of hospital buildings and equipment"),
    )


class HospitalListingParams(PolicyParams):
    """S3: innovative products listed "应配尽配", insurance payment support under DRG/DIP."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        2.0,
        "programme running cost: listing supervision and insurance administration (assumption)",
        unit="M RMB per year", basis="assumption",
        plausible=(1.0, 5.0, "a supervision office and the insurer's administration"),
    )

    reviews_per_year: Annotated[float, Field(ge=0.0, le=12.0)] = param(
        12.0,
        "drug-committee reviews a year under the listing rule (S3 应配尽配: every month)",
        unit="per year", source="S3", basis="source",
    )
    drg_carve_out: Probability = param(
        0.3,
        "share of a listed innovative product's price insurance pays outside the DRG/DIP group "
        "payment, public money (assumption)",
        unit="share", basis="assumption",
        plausible=(0.1, 0.6, "from a token carve-out to most of the price outside the group"),
    )
    price_uplift: NonNegFloat = param(
        0.1,
        "price the reimbursement list allows above the negotiated one (assumption)",
        unit="share", basis="assumption",
        plausible=(0.0, 0.3, "no uplift to a premium of under a third"),
    )


class IntermediariesParams(PolicyParams):
    """S4 §3–§4: non-profit matching intermediaries and an information platform."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        3.0,
        "programme running cost: the intermediary's staff, fairs and platform (assumption)",
        unit="M RMB per year", basis="assumption",
        plausible=(1.0, 8.0, "a small non-profit office to a staffed platform with fairs"),
    )

    extra_candidates: Annotated[int, Field(ge=0, le=100)] = param(
        3,
        "more firms a PoC result is offered to each month (assumption)",
        unit="count", basis="assumption",
        plausible=(1, 6, "a liaison can present a result to a handful of firms a month"),
    )
    reach_gain: Probability = param(
        0.3,
        "share of the distance gap to certain contact the liaison closes (assumption)",
        unit="share", basis="assumption",
        plausible=(0.1, 0.5, "S4 §3: 9.31% joint patents show how rarely labs and firms meet"),
    )


class EnclaveParksParams(PolicyParams):
    """S4 §4: pilot and volume production in partner parks beyond the city's land (飞地模式)."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        4.0,
        "programme running cost: the joint park's management office and liaison (assumption)",
        unit="M RMB per year", basis="assumption",
        plausible=(2.0, 10.0, "a joint management office and liaison staff in a partner park"),
    )

    modalities: list[
        Literal["antibody", "cell_therapy", "mrna_vaccine", "small_molecule", "gene_therapy"]
    ] = param(
        default_factory=lambda: [
            "antibody", "cell_therapy", "mrna_vaccine", "small_molecule", "gene_therapy"
        ],
        doc="modalities of the enclave lines (S4 §4: a pilot and volume-production base for "
        "innovation results, no modality excluded)",
        source="S4 §4",
        basis="source",
    )
    lines: Annotated[int, Field(ge=1, le=1000)] = param(
        6, "concurrent projects the enclave base takes (assumption)", unit="count",
        basis="assumption",
        plausible=(2, 12, "a few to a dozen pilot and production lines in one partner park"),
    )
    distance_km: Annotated[float, Field(gt=0.0, le=1000.0)] = param(
        75.0,
        "straight-line distance of the partner park from the science city; the grid's edge "
        "caps it (assumption)",
        unit="km", basis="assumption",
        plausible=(50.0, 110.0, "beyond the one-hour circle (46 km at road speed), within the "
                   "default grid (113 km on its diagonal), short of the 6-hour trip out of "
                   "region"),
    )
    bearing_degrees: Annotated[float, Field(ge=0.0, le=360.0)] = param(
        225.0, "compass direction of the partner park from the science city (assumption)",
        unit="degrees", basis="assumption",
        plausible=(0.0, 360.0, "any direction; 225 (south-west) keeps it apart from Benxi"),
    )
    markup_share: Probability = param(
        0.5,
        "share of the out-of-region cost markup (space.out_of_region_cost_markup) an enclave "
        "line carries (assumption)",
        unit="share", basis="assumption",
        plausible=(0.2, 0.8, "cheaper land and staff than at home (S4 §4: beyond the land "
                   "limits) against transport and a second site's overheads"),
    )
    build_cost_mrmb: NonNegFloat = param(
        200.0, "the city's share of building the partner park's lines (assumption)",
        unit="M RMB", basis="assumption",
        plausible=(100.0, 600.0, "below a local biologics CDMO (300 M RMB) for cheaper land, up "
                   "to a co-built park's shared infrastructure"),
    )
    amortisation_years: PositiveFloat = param(
        15.0,
        "the construction cost is booked in equal monthly parts over this many years from the "
        "opening, then no more (the rest at once if the policy is switched off earlier)",
        unit="years",
        basis="assumption",
        plausible=(10.0, 20.0, "plant and buildings written off over 10 to 20 years"),
    )


class PoliciesParams(BaseModel):
    """The policy set: one block per policy."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)
    professor_ceo: ProfessorCeoParams = ProfessorCeoParams()
    team_formation: TeamFormationParams = TeamFormationParams()
    milestone_grants: MilestoneGrantsParams = MilestoneGrantsParams()
    pilot_insurance: PilotInsuranceParams = PilotInsuranceParams()
    pilot_loans: PilotLoansParams = PilotLoansParams()
    shared_platforms: SharedPlatformsParams = SharedPlatformsParams()
    reverse_commissioning: ReverseCommissioningParams = ReverseCommissioningParams()
    data_platform: DataPlatformParams = DataPlatformParams()
    review_sync: ReviewSyncParams = ReviewSyncParams()
    guidance_fund: GuidanceFundParams = GuidanceFundParams()
    one_hour_circle: OneHourCircleParams = OneHourCircleParams()
    local_cdmo: LocalCdmoParams = LocalCdmoParams()
    research_hospitals: ResearchHospitalsParams = ResearchHospitalsParams()
    hospital_listing: HospitalListingParams = HospitalListingParams()
    intermediaries: IntermediariesParams = IntermediariesParams()
    enclave_parks: EnclaveParksParams = EnclaveParksParams()


POLICY_NAMES: tuple[str, ...] = tuple(PoliciesParams.model_fields)
