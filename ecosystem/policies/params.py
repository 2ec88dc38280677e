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
        "programme running cost: career-reform administration (assumption; range 0.5–3)",
        unit="M RMB per year", basis="assumption",
    )

    career_penalty: Probability = param(
        0.3,
        "weight of academic orientation against pushing (assumption; range 0.3–0.6: the "
        "reform may only halve the status-quo 0.8)",
        unit="share",
        basis="assumption",
    )
    startup_founding_prob: Probability = param(
        0.5,
        "founds a firm when no licensee is found (assumption; range 0.2–0.5)",
        unit="probability",
        basis="assumption",
    )


class TeamFormationParams(PolicyParams):
    """S0 §2.3.1: scientist + entrepreneur + investor validation teams."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        5.0,
        "programme running cost: matchmaking office and team stipends (assumption; range 2–10)",
        unit="M RMB per year", basis="assumption",
    )

    signal_noise: NonNegFloat = param(0.15, "sd of the team's view of viability (business partner)")
    investor_member_prob: Probability = param(
        0.3,
        "the team includes an investor who funds the PoC (assumption; range 0.1–0.3)",
        unit="probability",
        basis="assumption",
    )


class MilestoneGrantsParams(PolicyParams):
    """S0 §2.3.2: provincial PoC fund paid by milestones (0.3 / 0.5 / 0.2 M RMB)."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        1.0,
        "programme running cost: expert panels and milestone checks (assumption; range 0.5–2)",
        unit="M RMB per year", basis="assumption",
    )

    tranches_mrmb: tuple[NonNegFloat, NonNegFloat, NonNegFloat] = param(
        (0.3, 0.5, 0.2), "S0 §2.3.2", unit="M RMB", source="S0 §2.3.2", basis="source"
    )
    review_noise: NonNegFloat = param(0.25, "sd of the expert panel's view of viability")
    review_threshold: float = param(0.45, "the panel funds proposals that look this viable")
    annual_budget_mrmb: NonNegFloat = param(30.0, "assumption", unit="M RMB", basis="assumption")


class PilotInsuranceParams(PolicyParams):
    """S0 §2.3.2: pilot comprehensive insurance, province pays 40% of the premium."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        1.0,
        "programme running cost: scheme administration (assumption; range 0.5–2)",
        unit="M RMB per year", basis="assumption",
    )

    premium_subsidy: Probability = param(
        0.4, "share of the premium paid by the province", unit="share"
    )
    cover_split: tuple[Probability, Probability, Probability] = param(
        (0.6, 0.3, 0.1), "S0 §2.3.2", unit="share", source="S0 §2.3.2", basis="source"
    )
    insured_share: Probability = param(
        0.6, "sum insured ÷ pilot cost (assumption)", unit="share", basis="assumption"
    )
    loading: NonNegFloat = param(
        0.2, "insurer's margin over expected loss (assumption)", basis="assumption"
    )
    prior_weight: PositiveFloat = param(20.0, "pilots' worth of weight on the 70% base rate")
    reserve_mrmb: NonNegFloat = param(
        200.0,
        "the insurer's starting reserve for the pool (assumption; range 100–500)",
        unit="M RMB",
        basis="assumption",
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
        "programme running cost: guarantee scheme administration (assumption; range 0.5–2)",
        unit="M RMB per year", basis="assumption",
    )

    loan_share: Probability = param(0.4, "max share of the pilot cost a bank lends", unit="share")
    guarantee_share: Probability = param(
        0.8, "share of a defaulted loan the province covers", unit="share"
    )
    interest_rate: NonNegFloat = param(0.04, "per year (assumption)", basis="assumption")
    min_guarantee: Probability = param(
        0.5,
        "banks lend only with at least this guarantee (assumption)",
        unit="share",
        basis="assumption",
    )


class SharedPlatformsParams(PolicyParams):
    """S0 §2.2, S1: three-tier shared pilot platforms; sharing cuts upfront cost 30–50%."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        2.0,
        "programme running cost: coordination office, beside the operating subsidy "
        "(assumption; range 1–5)",
        unit="M RMB per year", basis="assumption",
    )

    upfront_cost_cut: Probability = param(
        0.4, "S1: sharing cuts upfront investment 30–50%", unit="share", source="S1", basis="source"
    )
    operating_subsidy_mrmb_per_year: NonNegFloat = param(
        10.0, "province keeps platforms open", unit="M RMB per year"
    )


class ReverseCommissioningParams(PolicyParams):
    """S0 §2.1: lead firms collect clinicians' needs and commission university R&D."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        2.0,
        "programme running cost: need-collection office in the hospitals (assumption; range 1–5)",
        unit="M RMB per year", basis="assumption",
    )

    needs_per_hospital_per_month: NonNegFloat = param(
        0.05, "assumption", unit="per month", basis="assumption"
    )
    commission_radius_minutes: PositiveFloat = param(
        90.0, "firms reach hospitals and labs this near", unit="minutes"
    )
    screen_scalability_min: Probability = param(
        0.25, "feasibility pre-assessment rejects below", unit="share"
    )
    assessment_noise: NonNegFloat = param(0.1, "sd of the pre-assessment's view of scalability")


class DataPlatformParams(PolicyParams):
    """S0 §2.1: AI + full-chain feedback data platform."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        20.0,
        "programme running cost: building and running the data platform (assumption; range 10–50)",
        unit="M RMB per year", basis="assumption",
    )

    learning_per_failure: NonNegFloat = param(0.01, "gain per recorded pilot/clinical failure")
    max_gain: Probability = param(
        0.3, "ceiling of the improvement in scalability and readiness", unit="share"
    )


class ReviewSyncParams(PolicyParams):
    """S0 §2.3.1, S3: R&D and review in sync, pre-review, regional NMPA branch."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        10.0,
        "programme running cost: review staff of the regional branch and pre-review "
        "(assumption; range 5–20)",
        unit="M RMB per year", basis="assumption",
    )

    readiness_gain: Probability = param(
        0.5, "GMP inspection from preclinical closes this gap share", unit="share"
    )
    reapproval_months_cut: NonNegFloat = param(
        6.0, "GMP inspection from preclinical (assumption)", unit="months", basis="assumption"
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
        "programme running cost: fund management (assumption; range 10–50)",
        unit="M RMB per year", basis="assumption",
    )

    fund_size_mrmb: NonNegFloat = param(
        5000.0, "under 5 bn RMB (S0 §1.3.2)", unit="M RMB", source="S0 §1.3.2", basis="source"
    )
    innovative_share: Probability = param(
        0.7, "policy: 70% to innovative projects and CDMOs", unit="share"
    )
    status_quo_innovative_share: Probability = param(
        0.3,
        "70% to traditional pharma (S0 §1.3.2)",
        unit="share",
        source="S0 §1.3.2",
        basis="source",
    )
    deployment_years: PositiveFloat = param(
        10.0, "years over which the fund is invested", unit="years"
    )
    max_stake: Probability = param(
        0.4,
        "policy: largest share of one pilot it takes (assumption)",
        unit="share",
        basis="assumption",
    )
    status_quo_max_stake: Probability = param(
        0.15, "a conservative co-investor today (assumption)", unit="share", basis="assumption"
    )
    return_cap: NonNegFloat = param(
        0.05, "the fund takes stake × (1 + cap) on success, cedes the rest"
    )


class OneHourCircleParams(PolicyParams):
    """S0 §2.3.3: a one-hour circle around Hunnan Science City."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        50.0,
        "programme running cost: running the added transit services (assumption; range 20–200)",
        unit="M RMB per year", basis="assumption",
    )

    circle_minutes: Annotated[float, Field(ge=5.0, le=600.0)] = param(
        60.0, "S0 §2.3.3: one hour", unit="minutes", source="S0 §2.3.3", basis="source"
    )
    transit_speed_kmh: PositiveFloat = param(
        90.0, "transport improvements inside the circle", unit="km/h"
    )
    circle_tau_minutes: PositiveFloat = param(
        120.0, "matchmaking services inside the circle", unit="minutes"
    )
    handoff_base_months: NonNegFloat = param(
        0.05, '"experiment in the morning, pilot at noon"', unit="months"
    )


class LocalCdmoParams(PolicyParams):
    """S0 §1.3.3, §2.3.1: build local CDMO capacity for missing modalities."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        5.0,
        "programme running cost: operations office, beside the build subsidy "
        "(assumption; range 2–10)",
        unit="M RMB per year", basis="assumption",
    )

    modalities: list[
        Literal["antibody", "cell_therapy", "mrna_vaccine", "small_molecule", "gene_therapy"]
    ] = param(
        default_factory=lambda: ["cell_therapy", "gene_therapy", "antibody"],
        doc="S0 §1.3.3",
        source="S0 §1.3.3",
        basis="source",
    )
    capacity: Annotated[int, Field(ge=1, le=1000)] = param(6, "concurrent projects", unit="count")
    build_cost_mrmb: NonNegFloat = param(
        300.0, "public capital subsidy (assumption)", unit="M RMB", basis="assumption"
    )
    amortisation_years: PositiveFloat = param(
        15.0, "the subsidy is booked over this many years", unit="years"
    )


class ResearchHospitalsParams(PolicyParams):
    """S4 §1(三), S3: research hospitals able to run phase I; S0 §1.3.4 biotherapy assessment."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        5.0,
        "programme running cost: trial-unit staff and certification (assumption; range 2–10)",
        unit="M RMB per year", basis="assumption",
    )

    hospitals: Annotated[int, Field(ge=1, le=1000)] = param(
        2,
        "hospitals upgraded, first those lacking phase I or biotherapy capability (assumption; "
        "range 1–4; S4 §1(三): 'a batch' around one university hospital)",
        unit="count", basis="assumption",
    )
    extra_trial_slots: Annotated[int, Field(ge=0, le=100)] = param(
        2, "concurrent trials added to each (assumption; range 1–4)", unit="count",
        basis="assumption",
    )
    build_cost_mrmb_per_hospital: NonNegFloat = param(
        100.0,
        "public construction cost of a research ward and phase I unit (assumption; range "
        "50–300)",
        unit="M RMB", basis="assumption",
    )
    amortisation_years: PositiveFloat = param(
        15.0, "the construction cost is booked over this many years", unit="years"
    )


class HospitalListingParams(PolicyParams):
    """S3: innovative products listed "应配尽配", insurance payment support under DRG/DIP."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        2.0,
        "programme running cost: listing supervision and insurance administration (assumption; "
        "range 1–5)",
        unit="M RMB per year", basis="assumption",
    )

    reviews_per_year: Annotated[float, Field(ge=0.0, le=12.0)] = param(
        12.0,
        "drug-committee reviews a year under the listing rule (S3 应配尽配: every month)",
        unit="per year", source="S3", basis="source",
    )
    drg_carve_out: Probability = param(
        0.3,
        "share of a listed innovative product's price insurance pays outside the DRG/DIP group "
        "payment, public money (assumption; range 0.1–0.6)",
        unit="share", basis="assumption",
    )
    price_uplift: NonNegFloat = param(
        0.1,
        "price the reimbursement list allows above the negotiated one (assumption; range "
        "0–0.3)",
        unit="share", basis="assumption",
    )


class IntermediariesParams(PolicyParams):
    """S4 §3–§4: non-profit matching intermediaries and an information platform."""

    running_cost_mrmb_per_year: NonNegFloat = param(
        3.0,
        "programme running cost: the intermediary's staff, fairs and platform (assumption; "
        "range 1–8)",
        unit="M RMB per year", basis="assumption",
    )

    extra_candidates: Annotated[int, Field(ge=0, le=100)] = param(
        3,
        "more firms a PoC result is offered to each month (assumption; range 1–6)",
        unit="count", basis="assumption",
    )
    reach_gain: Probability = param(
        0.3,
        "share of the distance gap to certain contact the liaison closes (assumption; range "
        "0.1–0.5)",
        unit="share", basis="assumption",
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


POLICY_NAMES: tuple[str, ...] = tuple(PoliciesParams.model_fields)
