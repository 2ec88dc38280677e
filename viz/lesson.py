"""A lesson: two worlds of one seed, started in a living ecosystem, stepping together.

The page does not start from an empty region (where nothing reaches the market for some 15
years) but from the status quo spun up until the pipeline is about stationary
(:func:`ecosystem.spinup.spin_up`). From that state two worlds run side by side: the *status
quo* and the world with the policies the class chose. Both come from the same seed, so they
share their discoveries and their luck (common random numbers); they differ only by the
policies, which are switched on at the lesson's start with the model's ``set_policy`` and act
from the lesson's first month.

Everything the page shows counts from the lesson's start (:class:`LessonStart`): transfers,
public money, months in the charts (as years since the start).

The spun-up state of a seed and region is computed once and kept (:mod:`viz.spinup_cache`);
each world starts from its own exact fork of it, so a Reset or a return to a seed costs two
forks, not two spin-ups; ``tests/test_viz_lesson.py`` checks that the two starts are
identical.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import mesa
import numpy as np
import pandas as pd

from ecosystem import POLICY_NAMES, ScienceCityModel
from ecosystem.spinup import SPINUP_MONTHS
from viz.gate_flow import GateEvent, counts_since, gate_counts, gate_events
from viz.spinup_cache import spun_up
from viz.style import WORLD_LABELS

#: Length of a lesson after the spin-up: 20 years.
LESSON_MONTHS = 240
#: Gate events a lesson keeps for its ticker (the newest).
EVENTS_KEPT = 50


@dataclass(frozen=True)
class LessonStart:
    """What a world had done before the lesson started (subtracted from what it shows)."""

    month: int
    transfers: int
    public_mrmb: float
    finished: int
    #: projects that had passed each gate (``viz.gate_flow.gate_counts``)
    gates: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, world: ScienceCityModel) -> LessonStart:
        """The start as ``world`` is now."""
        return cls(
            month=world.month,
            transfers=int(world.chain.counts["transfers"]),
            public_mrmb=world.government.ledger.public_total,
            finished=len(world.chain.finished),
            gates=gate_counts(world),
        )


def headline_since(world: ScienceCityModel, start: LessonStart) -> dict[str, float]:
    """Headline figures of ``world`` over the lesson so far (keys as ``model.headline()``)."""
    months = world.month - start.month
    transfers = int(world.chain.counts["transfers"]) - start.transfers
    ttm = [r[4] - r[3] for r in world.chain.finished[start.finished :] if r[5] == "market"]
    public = world.government.ledger.public_total - start.public_mrmb
    return {
        "transfers": transfers,
        # a rate over less than a year reads as nonsense (1 transfer in month 1 = 12 a year)
        "transfers_per_year": transfers / months * 12.0 if months >= 12 else math.nan,
        "median_months_to_market": float(np.median(ttm)) if ttm else math.nan,
        "public_spend_per_transfer": public / transfers if transfers else math.nan,
    }


def policy_changes(kwargs: dict[str, Any]) -> list[tuple[str, bool | None, dict[str, Any]]]:
    """``set_policy`` calls for the ``policies.<name>.<key>`` entries of model arguments."""
    calls = []
    for name in POLICY_NAMES:
        prefix = f"policies.{name}."
        enabled = kwargs.get(prefix + "enabled")
        params = {
            k[len(prefix) :]: v
            for k, v in kwargs.items()
            if k.startswith(prefix) and k != prefix + "enabled"
        }
        if enabled or params:
            calls.append((name, bool(enabled) if enabled is not None else None, params))
    return calls


def start_world(
    seed: int | str | None,
    scale: float,
    changes: list[tuple[str, bool | None, dict[str, Any]]] = (),
    spinup_months: int = SPINUP_MONTHS,
    lesson_months: int = LESSON_MONTHS,
) -> ScienceCityModel:
    """A spun-up status quo of ``seed``, with ``changes`` passed on to act from the next month."""
    world = spun_up(seed, scale, spinup_months, lesson_months)
    for name, enabled, params in changes:
        world.set_policy(name, enabled=enabled, **params)
    return world


class Lesson(mesa.Model):
    """The page's model: the chosen policies and the status quo, from one spun-up state.

    Keyword-only, as Mesa's Reset wants (``type(model)(**params)``).

    Args:
        seed: the seed of both worlds (digits or int; empty draws one).
        scale: region size.
        policies: model arguments of the policy world (``policies.<name>.<key>`` = value);
            every other key is ignored.
        spinup_months, lesson_months: length of the spin-up and of the lesson.
        months_per_step: months one ``step()`` advances (the page's speed).
    """

    def __init__(
        self,
        *,
        seed: int | str | None = 42,
        scale: float = 1.0,
        spinup_months: int = SPINUP_MONTHS,
        lesson_months: int = LESSON_MONTHS,
        months_per_step: int = 1,
        scenario: Any = None,  # Mesa's Scenario object, passed through by SolaraViz's Reset
        **policies: Any,
    ) -> None:
        quo = start_world(seed, scale, [], spinup_months, lesson_months)
        super().__init__(rng=quo.seed)
        self.seed = quo.seed
        self.scale = scale
        self.quo = quo
        #: the policy changes made at the start (``set_policy`` arguments)
        self.changes = policy_changes(policies)
        self.world = start_world(quo.seed, scale, self.changes, spinup_months, lesson_months)
        self.start = LessonStart.of(self.world)
        self.lesson_months = lesson_months
        self.months_per_step = months_per_step
        #: the latest gates passed in the policy world (:class:`~viz.gate_flow.GateEvent`)
        self.events: deque[GateEvent] = deque(maxlen=EVENTS_KEPT)
        #: held while a month is stepped and while the page reads the worlds (viz.reading)
        self.lock = threading.RLock()
        self.running = True

    @property
    def month(self) -> int:
        """Months since the lesson's start."""
        return self.world.month - self.start.month

    @property
    def years(self) -> float:
        """Years since the lesson's start."""
        return self.month / 12.0

    def step(self) -> None:
        """``months_per_step`` months in both worlds (nothing once the lesson has ended)."""
        for _ in range(max(1, int(self.months_per_step))):
            if not self.running:
                return
            with self.lock:
                before = list(self.world.chain.active)
                self.world.step()
                self.quo.step()
                self.events.extend(
                    gate_events(before + self.world.chain.active, self.world.month, self.month)
                )
                self.running = self.world.running and self.month < self.lesson_months

    def monthly_table(self) -> pd.DataFrame:
        """Both worlds' monthly tables since the lesson's start, one row per world and month.

        The first row of each world (``lesson_month`` 0) is the shared state at the start.
        """
        frames = []
        for key, world in (("policy", self.world), ("quo", self.quo)):
            table = world.timeseries().iloc[max(0, self.start.month - 1) :].copy()
            table.insert(0, "lesson_month", table["month"] - self.start.month)
            table.insert(0, "world", WORLD_LABELS[key])
            frames.append(table)
        return pd.concat(frames, ignore_index=True)

    def headline(self) -> dict[str, float]:
        """Headline figures of the policy world since the lesson's start."""
        return headline_since(self.world, self.start)

    def headline_quo(self) -> dict[str, float]:
        """Headline figures of the status quo since the lesson's start."""
        return headline_since(self.quo, self.start)

    def gate_counts(self) -> dict[str, int]:
        """Projects through each gate in the policy world since the lesson's start."""
        return counts_since(self.world, self.start.gates)

    def gate_counts_quo(self) -> dict[str, int]:
        """Projects through each gate in the status quo since the lesson's start."""
        return counts_since(self.quo, self.start.gates)

    def set_policy(self, name: str, enabled: bool | None = None, **params: Any) -> None:
        """Change a policy in the policy world (the status quo stays as it is)."""
        with self.lock:
            self.world.set_policy(name, enabled=enabled, **params)
            self.changes = [*self.changes, (name, enabled, dict(params))]

    @property
    def params(self):
        """The policy world's parameters (what the controls show)."""
        return self.world.params
