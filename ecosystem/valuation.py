"""What a project is worth to a funder today: discounted, eroded by patent life and competition.

The asset value drawn for a project (``pilot.value_multiple`` × mean pilot cost) is what funders
expect it to be worth on the planned schedule: a pilot of average length, then
``industrialisation.years_to_market_after_pilot`` to market, financed ``reference`` months after
discovery. Every month later than that plan costs value three ways: the funder discounts the
later cash at its own rate, a competitor may reach the market first (yearly hazard), and the
product sells for fewer years before its patent expires (less so once the term is compensated
for the marketing review, :mod:`ecosystem.patents`). Reviews, hand-offs, travel and
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
    planned_life = patent.sales_years(
        schedule.planned_years_since_discovery + schedule.planned_years_to_market
    )
    life = patent.sales_years(schedule.years_since_discovery + schedule.years_to_market)
    return discount * life / max(planned_life, 1e-9)


def schedule(model, project) -> Schedule:
    """The project's path to market from this month, against the planned one.

    The remaining path is the pilot still to run, pending hand-off delay, the registration
    review against the planned serial one (mean regional lag, S0 §1.3.1), and the planned
    industrialisation years.
    """
    params = model.params
    pilot = params.pilot.duration_months
    planned_pilot = (pilot.low + pilot.high) / 2.0
    after = params.industrialisation.years_to_market_after_pilot
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
    )
