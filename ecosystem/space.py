"""The region around the science city: grid, travel times, the circle, hand-offs (spec §2).

Coordinates are grid cells; the science city sits at the centre. Everything far away (Suzhou,
Shanghai, Dalian, abroad) is one abstract out-of-region destination, written ``None`` here.
Travel time = straight-line distance × detour ÷ speed (assumptions). Inside the one-hour
circle (S0 §2.3.3) the ``one_hour_circle`` policy adds faster transit and matchmaking services;
the in-circle statistics measure with their own radius (``space.circle_measure_minutes``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from random import Random

import numpy as np
from mesa.discrete_space import Cell, OrthogonalMooreGrid

from ecosystem.params import SpaceParams

Coord = tuple[int, int]


@dataclass
class CircleRules:
    """What the circle means this month: the month's rules (``Region.follow``)."""

    minutes: float = 60.0  # radius in travel minutes (the measuring radius when no policy sets it)
    transit_speed_kmh: float | None = None  # faster transport inside the circle, if any
    tau_minutes: float | None = None  # collaboration decay inside the circle, if any
    handoff_base_months: float | None = None  # coordination time of a hand-off inside it


class Region:
    """Grid plus the travel-time geometry every hand-off and partner search uses."""

    def __init__(self, params: SpaceParams, scale: float, random: Random) -> None:
        self.params = params
        self.half_width = max(5, round(params.half_width_cells * math.sqrt(scale)))
        side = 2 * self.half_width + 1
        self.grid = OrthogonalMooreGrid((side, side), torus=False, random=random)
        self.center: Coord = (self.half_width, self.half_width)
        self.cell_km = params.cell_km
        self.circle = CircleRules()
        xs = np.arange(side) - self.half_width
        self.km_from_center = np.hypot(xs[:, None], xs[None, :]) * params.cell_km
        # Partner searches ask the same pairs of places again every month: remember the answers
        # for as long as the circle stays the same (``follow`` forgets them when it changes).
        self._probs: dict[tuple[Coord | None, Coord | None], float] = {}
        self._minutes: dict[tuple[Coord | None, Coord | None], float] = {}
        self._circle_key: tuple | None = None

    def follow(self, rules) -> None:
        """Take this month's circle from the month's rules."""
        circle = self.circle
        measured = rules.circle_minutes is None
        circle.minutes = self.params.circle_measure_minutes if measured else rules.circle_minutes
        circle.transit_speed_kmh = rules.circle_transit_speed_kmh
        circle.tau_minutes = rules.circle_tau_minutes
        circle.handoff_base_months = rules.circle_handoff_base_months
        key = (circle.minutes, circle.transit_speed_kmh, circle.tau_minutes)
        if key != self._circle_key:
            self._probs.clear()
            self._minutes.clear()
            self._circle_key = key

    # --- geometry -------------------------------------------------------------------------
    def clamp_cell(self, x_km: float, y_km: float) -> Cell:
        """The nearest on-grid cell to a position (used to scatter agents)."""
        side = 2 * self.half_width + 1
        i = min(side - 1, max(0, self.center[0] + round(x_km / self.cell_km)))
        j = min(side - 1, max(0, self.center[1] + round(y_km / self.cell_km)))
        return self.grid._cells[(i, j)]

    def km_between(self, a: Coord, b: Coord) -> float:
        """Straight-line distance in km."""
        return math.hypot(a[0] - b[0], a[1] - b[1]) * self.cell_km

    def minutes_from_center(self, a: Coord) -> float:
        """Travel minutes from the science city at the ordinary road speed."""
        km = self.km_from_center[a]
        return km * self.params.detour_factor / self.params.speed_kmh * 60.0

    def in_circle(self, a: Coord | None) -> bool:
        """Whether a place lies inside the circle (``circle.minutes`` from the centre)."""
        return a is not None and self.minutes_from_center(a) <= self.circle.minutes

    def in_measured_circle(self, a: Coord | None) -> bool:
        """Whether a place counts as "in the circle" for the statistics.

        The yardstick is ``space.circle_measure_minutes`` in every run, so varying the policy's
        own radius changes what the circle offers, not what the statistics count.
        """
        return a is not None and self.minutes_from_center(a) <= self.params.circle_measure_minutes

    def circle_radius_cells(self) -> float:
        """Radius of the circle in cells, for drawing."""
        km = self.circle.minutes / 60.0 * self.params.speed_kmh / self.params.detour_factor
        return km / self.cell_km

    # --- travel, hand-offs, collaboration --------------------------------------------------
    def travel_minutes(self, a: Coord | None, b: Coord | None) -> float:
        """Door-to-door minutes; out of region is a fixed long trip."""
        minutes = self._minutes.get((a, b))
        if minutes is None:
            minutes = self._minutes[(a, b)] = self._travel_minutes(a, b)
        return minutes

    def _travel_minutes(self, a: Coord | None, b: Coord | None) -> float:
        if a is None or b is None:
            return self.params.out_of_region_travel_minutes
        speed = self.params.speed_kmh
        if self.circle.transit_speed_kmh and self.in_circle(a) and self.in_circle(b):
            speed = self.circle.transit_speed_kmh
        return self.km_between(a, b) * self.params.detour_factor / speed * 60.0

    def collaboration_prob(self, a: Coord | None, b: Coord | None) -> float:
        """Chance two parties agree to work together: ``exp(-t / tau)`` (assumption)."""
        prob = self._probs.get((a, b))
        if prob is None:
            prob = self._probs[(a, b)] = self._collaboration_prob(a, b)
        return prob

    def _collaboration_prob(self, a: Coord | None, b: Coord | None) -> float:
        tau = self.params.collaboration_tau_minutes
        if self.circle.tau_minutes and self.in_circle(a) and self.in_circle(b):
            tau = self.circle.tau_minutes
        return math.exp(-self.travel_minutes(a, b) / tau)

    def handoff_months(self, a: Coord | None, b: Coord | None) -> float:
        """Delay a hand-off costs: coordination plus time growing with travel.

        Inside the circle with its services, coordination takes days (S0 §2.3.3); out of
        region it takes months more.
        """
        base = self.params.handoff_base_months
        if self.circle.handoff_base_months is not None and self.in_circle(a) and self.in_circle(b):
            base = self.circle.handoff_base_months
        months = base + self.travel_minutes(a, b) / 60.0 * self.params.handoff_months_per_hour
        if a is None or b is None:
            months += self.params.out_of_region_delay_months
        return months

    def random_cell_near(self, x_km: float, y_km: float, spread_km: float, rng) -> Cell:
        """A cell scattered normally around a place (for agents without a fixed address)."""
        return self.clamp_cell(x_km + rng.normal(0, spread_km), y_km + rng.normal(0, spread_km))
