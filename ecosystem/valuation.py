"""What a project is worth to a funder today: discounted, eroded by patent life and competition.

The asset value drawn for a project (``pilot.value_multiple`` × mean pilot cost) is what funders
expect it to be worth on the planned schedule: a pilot of average length, then the published
path to market (:func:`planned_months_after_pilot`), financed after a PoC of average length.
Every month later than that plan costs value three ways: the funder discounts the later cash at
its own rate, a competitor may reach the market first (yearly hazard), and the product sells
for fewer years before its patent expires (less so inside the window where the term is
compensated for the marketing review, :mod:`ecosystem.patents`). Reviews, hand-offs, travel and
re-approvals therefore lower what a funder offers; a faster path raises it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecosystem.patents import PatentTerm


@dataclass(frozen=True)
class Schedule:
    """When a project reaches the market, as seen at the moment of the funding decision."""

    years_to_market: float  # from now to launch
    planned_years_to_market: float  # the same on the planned schedule
    years_since_discovery: float  # patent clock already run
    planned_years_since_discovery: float  # the same on the planned schedule
    setup_years: float = 0.0  # production set-up between approval and launch

    def factor(self, rate: float, hazard: float, patent: PatentTerm) -> float:
        """``time_factor`` of this schedule, computed once per rate.

        Every candidate funder of a syndicate reads the same schedule, and funders of one kind
        share a rate: the factor is remembered on the (immutable) schedule.
        """
        known = self.__dict__.setdefault("_factors", {})
        key = (rate, hazard, patent)
        value = known.get(key)
        if value is None:
            value = known[key] = time_factor(self, rate, hazard, patent)
        return value


def time_factor(schedule: Schedule, rate: float, hazard: float, patent: PatentTerm) -> float:
    """Value today ÷ value on the planned schedule, for a funder discounting at ``rate``."""
    delay = schedule.years_to_market - schedule.planned_years_to_market
    discount = ((1.0 + rate) / (1.0 - hazard)) ** (-delay)
    setup = schedule.setup_years
    planned_life = sales_life(
        patent, schedule.planned_years_since_discovery + schedule.planned_years_to_market, setup
    )
    life = sales_life(patent, schedule.years_since_discovery + schedule.years_to_market, setup)
    return discount * life / max(planned_life, 1e-9)


def sales_life(patent: PatentTerm, years_to_launch: float, setup_years: float) -> float:
    """Years of sales after a launch ``years_to_launch`` after filing.

    The product was approved ``setup_years`` before its launch; the compensated term counts
    from the approval.
    """
    return max(0.0, patent.sales_years(years_to_launch - setup_years) - setup_years)


def planned_months_after_pilot(params) -> float:
    """Months from a passed pilot to launch on the published path, as funders plan it.

    IND review, the three trial phases (BIO 2021), the registration review with the mean
    regional lag (S0 §1.3.1) and the mean production set-up; waits for trial sites, stalls
    and hand-offs are the project's own delays, not the plan.
    """
    ind = params.industrialisation
    lag, setup = ind.regional_review_lag_months, ind.production_setup_months
    return (
        ind.ind_review_months
        + sum(ind.phase_months)
        + ind.registration_review_months
        + (lag.low + lag.high) / 2.0
        + (setup.low + setup.high) / 2.0
    )


def schedule(model, project) -> Schedule:
    """The project's path to market from this month, against the planned one.

    The remaining path is the pilot still to run, pending hand-off delay, the registration
    review against the planned serial one (mean regional lag, S0 §1.3.1), and the published
    path from the pilot to launch (:func:`planned_months_after_pilot`).
    """
    params = model.params
    pilot = params.pilot.duration_months
    planned_pilot = (pilot.low + pilot.high) / 2.0
    after = planned_months_after_pilot(params) / 12.0
    ind = params.industrialisation
    lag = ind.regional_review_lag_months
    planned_review = ind.registration_review_months + (lag.low + lag.high) / 2.0
    review_extra = model.government.registration_months(project.regional_lag) - planned_review
    left = max(0.0, project.pilot_months - project.progress) + project.wait + review_extra
    poc = params.poc.duration_months
    planned_poc = (poc.low + poc.high) / 2.0
    return Schedule(
        years_to_market=left / 12.0 + after,
        planned_years_to_market=planned_pilot / 12.0 + after,
        years_since_discovery=max(0.0, model.month - project.discovered) / 12.0,
        planned_years_since_discovery=planned_poc / 12.0,
        setup_years=(ind.production_setup_months.low + ind.production_setup_months.high) / 24.0,
    )
