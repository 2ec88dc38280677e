"""Parameters of money: budgets, seed rounds, fund raising, sales, valuation (issue 12).

Each value is an assumption unless a source is cited; its plausible range is declared with it
(``param(…, plausible=…)``), listed in ``docs/parameters.md`` and swept by ``[sweep] plausible =
"all"`` (``experiments.plausible``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ecosystem.parameter_fields import param

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]

#: Patent term compensation for new drugs (ecosystem/patents.py).
PATENT_LAW = "Patent Law of the PRC (2020) Art. 42(3); Implementing Regulations (2023)"
#: Inventors' share of licensing income (at least 50%).
TRANSFER_LAW = "Law on Promoting the Transformation of S&T Achievements (2015) Art. 45(1)"


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
        19.3,
        "PoC budget of all institutions together, from government research programmes, split "
        "by PI share (assumption; calibrated, ODD §1.2)",
        unit="M RMB per year",
        basis="assumption",
        plausible=(6.0, 24.0, "half to double; no seed gives the region's PoC budget"),
    )
    seed_round_mrmb: tuple[Positive, Positive] = param(
        (10.0, 40.0),
        "a startup's seed round from one venture investor (assumption)",
        unit="M RMB",
        basis="assumption",
        plausible=((5.0, 30.0), (10.0, 60.0), "rounds of 5 to 60 M RMB at the widest; no seed "
                   "gives the region's round sizes"),
    )
    seed_round_equity: Share = param(
        0.3, "share of the startup the seed investor takes (assumption)",
        unit="share", basis="assumption",
        plausible=(0.2, 0.4, "a fifth to two fifths of a startup; no seed gives the terms"),
    )
    vc_reinvest_share: NonNeg = param(
        1.0,
        "new money limited partners commit per yuan a venture fund returns to them "
        "(assumption)",
        unit="ratio",
        basis="assumption",
        plausible=(0.5, 1.5, "from shrinking to growing funds; no seed gives a number"),
    )
    lp_track_record_weight: Share = param(
        0.5,
        "weight limited partners give a venture fund's own multiple when they size its next "
        "vintage; the rest follows the asset class, i.e. the size the fund started with "
        "(assumption)",
        unit="share",
        basis="assumption",
        plausible=(0.25, 1.0, "from mostly the asset class to the fund's own record alone"),
    )
    business_refill_share: Share = param(
        0.05,
        "most a lead firm's existing business (products sold outside the region's pipeline) "
        "puts back into its budget for the region's projects in a year, as a share of the "
        "starting budget; never above the starting budget (assumption)",
        unit="share per year",
        basis="assumption",
        plausible=(0.0, 0.2, "from no refill (budgets drain) to a fifth of the budget a year"),
    )
    fund_life_years: Annotated[int, Field(ge=1, le=30)] = param(
        7,
        "life of a venture fund before it returns its money (assumption: the common '5+2' "
        "RMB fund)",
        unit="years",
        basis="assumption",
        plausible=(7, 10, "from the '5+2' fund to a ten-year fund life"),
    )
    royalty_rate: Share = param(
        0.05,
        "share of sales paid to the licensing institution, half of it to the inventor "
        "(assumption)",
        unit="share",
        basis="assumption",
        plausible=(0.02, 0.08, "a few per cent of sales; no seed gives the licences' terms"),
    )
    inventor_share_of_royalty: Share = param(
        0.5,
        "share of royalties the institution passes to the inventor: the statutory default of "
        "at least 50% of net licensing income where the institution has no rule of its own",
        unit="share",
        source=TRANSFER_LAW,
        basis="source",
    )
    peak_sales_per_value: NonNeg = param(
        0.30,
        "a product's yearly peak sales ÷ its asset value at full uptake (assumption; "
        "calibrated, ODD §1.2)",
        unit="ratio per year",
        basis="assumption",
        plausible=(0.15, 0.4, "the spread the calibration of ODD §1.2 allows"),
    )
    sales_ramp_years: Positive = param(
        3.0, "years from launch to peak sales (assumption)",
        unit="years", basis="assumption",
        plausible=(2.0, 5.0, "a fast to a slow uptake; no seed gives the region's curve"),
    )
    listing_min_mrmb: NonNeg = param(
        500.0,
        "smallest exit price at which a small firm lists rather than licensing out "
        "(assumption)",
        unit="M RMB",
        basis="assumption",
        plausible=(300.0, 1000.0, "from a small to a large listing; no seed gives the bar"),
    )
    patent_years: Positive = param(
        20.0, "patent life from the PoC's start, before compensation (20-year term)",
        unit="years",
    )
    patent_compensation_max_years: NonNeg = param(
        5.0,
        "most years a new drug's patent is extended for its marketing review",
        unit="years",
        source=PATENT_LAW,
        basis="source",
    )
    patent_compensation_after_years: NonNeg = param(
        5.0,
        "compensation = years from filing to approval minus this",
        unit="years",
        source=PATENT_LAW,
        basis="source",
    )
    patent_max_years_after_approval: Positive = param(
        14.0,
        "longest effective patent term after approval once compensated",
        unit="years",
        source=PATENT_LAW,
        basis="source",
    )
    competition_hazard: Share = param(
        0.05,
        "yearly chance a competing product takes the market first (assumption)",
        unit="probability per year",
        basis="assumption",
        plausible=(0.02, 0.10, "one competitor in 50 to one in 10 years; no seed gives it"),
    )
    belief_shift: dict[str, Annotated[float, Field(ge=-0.3, le=0.3)]] = param(
        {"vc": 0.0, "firm": 0.0, "guidance_fund": 0.05, "bank": 0.0},
        "prior belief in pilot success relative to the 30% base rate of S0 §1.2.3, by funder "
        "kind (assumption: private funders start from the published base rate, the public fund "
        "more hopeful)",
        unit="probability",
        basis="assumption",
        plausible=({"vc": -0.05, "firm": -0.05, "guidance_fund": 0.0, "bank": -0.05},
                   {"vc": 0.05, "firm": 0.05, "guidance_fund": 0.1, "bank": 0.05},
                   "each kind's prior within 5 points of its default; no seed gives them"),
    )
    belief_weight: Positive = param(
        20.0, "pilots' worth of weight on a funder's prior belief (assumption)",
        unit="count", basis="assumption",
        plausible=(5.0, 50.0, "from a prior a few pilots overturn to a stubborn one"),
    )
    vc_harvest_years: NonNeg = param(
        2.0,
        "last years of a venture fund's life in which it makes no new pilot investments "
        "(assumption)",
        unit="years",
        basis="assumption",
        plausible=(1.0, 3.0, "the last one to three years of a fund's life"),
    )
    public_discount_rate: NonNeg = param(
        0.08,
        "discount rate of public money for the net public cost (assumption after the 8% "
        "social discount rate of China's project-appraisal guidelines)",
        unit="share per year",
        basis="assumption",
        plausible=(0.03, 0.08, "from a low social rate to the guidelines' 8%"),
    )
    discount_rate: dict[str, NonNeg] = param(
        {"vc": 0.25, "firm": 0.12, "guidance_fund": 0.06, "bank": 0.05},
        "yearly discount rate by funder kind (assumption)",
        unit="share per year",
        basis="assumption",
        plausible=({"vc": 0.20, "firm": 0.08, "guidance_fund": 0.03, "bank": 0.03},
                   {"vc": 0.35, "firm": 0.15, "guidance_fund": 0.08, "bank": 0.08},
                   "venture, corporate, then public and bank money: each kind's usual rates"),
    )
