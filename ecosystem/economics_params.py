"""Parameters of money: budgets, seed rounds, fund raising, sales, valuation (issue 12).

Each value is an assumption unless a source is cited; ``docs/parameters.md`` lists them with
the plausible range (``range``) the calibration can sweep.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ecosystem.parameter_fields import param

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]


class EconomicsParams(BaseModel):
    """Money flows and how funders value a project."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

    pilot_capex_share: Share = param(
        0.5,
        "share of a pilot's cost that is upfront investment (equipment, fit-out), the part "
        "shared platforms cut (S1 speaks of upfront investment)",
        unit="share",
        basis="assumption",
        policy="shared_platforms",
        plausible=(0.3, 0.7, "equipment and fit-out are a third to two thirds of a pilot's cost"),
    )
    institution_budget_mrmb_per_year: NonNeg = param(
        12.0,
        "PoC budget of all institutions together, from government research programmes, split "
        "by PI share (assumption; range 6–24)",
        unit="M RMB per year",
        basis="assumption",
    )
    seed_round_mrmb: tuple[Positive, Positive] = param(
        (10.0, 40.0),
        "a startup's seed round from one venture investor (assumption; range 5–60)",
        unit="M RMB",
        basis="assumption",
    )
    seed_round_equity: Share = param(
        0.3, "share of the startup the seed investor takes (assumption; range 0.2–0.4)",
        unit="share", basis="assumption",
    )
    vc_reinvest_share: NonNeg = param(
        1.0,
        "new money limited partners commit per yuan a venture fund returns to them "
        "(assumption; range 0.5–1.5)",
        unit="ratio",
        basis="assumption",
    )
    fund_life_years: Annotated[int, Field(ge=1, le=30)] = param(
        7,
        "life of a venture fund before it returns its money (assumption: the common '5+2' "
        "RMB fund; range 7–10)",
        unit="years",
        basis="assumption",
    )
    royalty_rate: Share = param(
        0.05,
        "share of sales paid to the licensing institution, a third of it to the inventor "
        "(assumption; range 0.02–0.08)",
        unit="share",
        basis="assumption",
    )
    inventor_share_of_royalty: Share = param(
        1.0 / 3.0, "share of royalties the institution passes to the inventor (assumption)",
        unit="share", basis="assumption",
    )
    peak_sales_per_value: NonNeg = param(
        0.26,
        "a product's yearly peak sales ÷ its asset value at full uptake (assumption; 0.15–0.4;"
        " calibrated, ODD §1.2)",
        unit="ratio per year",
        basis="assumption",
    )
    sales_ramp_years: Positive = param(
        3.0, "years from launch to peak sales (assumption; range 2–5)",
        unit="years", basis="assumption",
    )
    listing_min_mrmb: NonNeg = param(
        500.0,
        "smallest exit price at which a small firm lists rather than licensing out "
        "(assumption; range 300–1000)",
        unit="M RMB",
        basis="assumption",
    )
    patent_years: Positive = param(
        20.0, "patent life from the PoC's start; sales end when it expires (20-year term)",
        unit="years",
    )
    competition_hazard: Share = param(
        0.05,
        "yearly chance a competing product takes the market first (assumption; 0.02–0.10)",
        unit="probability per year",
        basis="assumption",
    )
    belief_shift: dict[str, Annotated[float, Field(ge=-0.3, le=0.3)]] = param(
        {"vc": 0.0, "firm": 0.0, "guidance_fund": 0.05, "bank": 0.0},
        "prior belief in pilot success relative to the 30% base rate of S0 §1.2.3, by funder "
        "kind (assumption: private funders start from the published base rate, the public fund "
        "more hopeful; range ±0.05)",
        unit="probability",
        basis="assumption",
    )
    belief_weight: Positive = param(
        20.0, "pilots' worth of weight on a funder's prior belief (assumption; range 5–50)",
        unit="count", basis="assumption",
    )
    vc_harvest_years: NonNeg = param(
        2.0,
        "last years of a venture fund's life in which it makes no new pilot investments "
        "(assumption; range 1–3)",
        unit="years",
        basis="assumption",
    )
    public_discount_rate: NonNeg = param(
        0.08,
        "discount rate of public money for the net public cost (assumption after the 8% "
        "social discount rate of China's project-appraisal guidelines; range 0.03–0.08)",
        unit="share per year",
        basis="assumption",
    )
    discount_rate: dict[str, NonNeg] = param(
        {"vc": 0.25, "firm": 0.12, "guidance_fund": 0.06, "bank": 0.05},
        "yearly discount rate by funder kind (assumption: venture 20–35%, corporate 8–15%, "
        "public 3–8%)",
        unit="share per year",
        basis="assumption",
    )
