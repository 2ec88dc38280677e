"""The flow through the gates (``viz.gate_flow``): counters and the event ticker of a lesson."""

from __future__ import annotations

import threading
from collections import Counter
from types import SimpleNamespace

import pytest

from ecosystem.params import MODALITIES
from ecosystem.vocabulary import GATES, MODALITY_LABELS
from viz.export import monthly_csv
from viz.gate_flow import event_text, gate_events
from viz.lesson import EVENTS_KEPT, Lesson
from viz.reading import reading

SMALL = {"scale": 0.5}


@pytest.fixture(scope="module")
def lesson() -> Lesson:
    """The default seed's status quo, a small region, 24 months of lesson (do not step).

    Short enough that the ticker keeps every event (``EVENTS_KEPT``).
    """
    lesson = Lesson(seed=42, **SMALL)
    for _ in range(24):
        lesson.step()
    return lesson


def test_every_modality_has_a_label():
    assert set(MODALITY_LABELS) == set(MODALITIES)


def test_counters_start_at_zero_and_count_each_gate_since_the_start():
    fresh = Lesson(seed=42, **SMALL)
    assert fresh.gate_counts() == fresh.gate_counts_quo() == dict.fromkeys(GATES, 0)
    assert fresh.world.chain.counts["licences"] > 0, "the spun-up history is not counted"


def test_the_ticker_names_every_gate_the_counters_count(lesson):
    counts = lesson.gate_counts()
    assert sum(counts.values()) <= EVENTS_KEPT, "the test needs every event kept"
    by_gate = Counter(e.gate for e in lesson.events)
    assert {g: by_gate.get(g, 0) for g in GATES} == counts
    assert counts["licence"] > 0, "a running ecosystem licenses within two years"
    months = [e.month for e in lesson.events]
    assert months == sorted(months) and months[0] >= 1 and months[-1] <= lesson.month


def test_in_the_status_quo_both_worlds_count_alike(lesson):
    assert lesson.gate_counts() == lesson.gate_counts_quo()


def test_a_policy_world_counts_its_own_flow():
    lesson = Lesson(seed=42, **SMALL, **{"policies.milestone_grants.enabled": True})
    for _ in range(24):
        lesson.step()
    world, quo = lesson.gate_counts(), lesson.gate_counts_quo()
    assert sum(world.values()) <= EVENTS_KEPT, "the test needs every event kept"
    assert world == {g: sum(1 for e in lesson.events if e.gate == g) for g in GATES}
    assert sum(world.values()) > 0 and sum(quo.values()) > 0


def _project(**gates: int) -> SimpleNamespace:
    lab = SimpleNamespace(name="Shenyang Pharmaceutical University")
    scientist = SimpleNamespace(institution=lab)
    return SimpleNamespace(
        modality="antibody",
        scientist=scientist,
        holder=SimpleNamespace(name="3SBio", founder=None),
        gates=dict(gates),
    )


def test_events_of_a_month_come_once_each_in_gate_order():
    a = _project(poc=10, licence=11)
    b = _project(pilot=11, clinical=11)
    events = gate_events([a, b, a], month=11, lesson_month=3)
    assert [(e.month, e.gate) for e in events] == [(3, "licence"), (3, "pilot"), (3, "clinical")]
    assert events[0].text == "antibody project licensed to 3SBio"


def test_event_texts_say_who_and_what():
    p = _project()
    assert event_text(p, "poc") == (
        "antibody project: proof of concept done at Shenyang Pharmaceutical University"
    )
    assert "entered clinical trials (3SBio)" in event_text(p, "clinical")
    assert event_text(p, "market") == "antibody reached the market (3SBio)"
    p.holder = SimpleNamespace(name="Startup of PI 7", founder=p.scientist)
    assert event_text(p, "licence") == "antibody project taken on by its scientist's start-up"


class _CountingLock:
    """A re-entrant lock that counts how often it is taken."""

    def __init__(self) -> None:
        self.taken = 0
        self._lock = threading.RLock()

    def __enter__(self):
        self.taken += 1
        return self._lock.__enter__()

    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)


def test_steps_and_the_page_s_reads_take_the_lesson_s_lock():
    """Play steps in its own thread while the page draws: both go through the one lock."""
    lesson = Lesson(seed=3, scale=0.25, spinup_months=24, lesson_months=12)
    lesson.lock = spy = _CountingLock()
    lesson.months_per_step = 3
    lesson.step()
    assert spy.taken == 3  # once a month
    monthly_csv(lesson)
    with reading(lesson):
        pass
    lesson.set_policy("pilot_insurance", enabled=True)
    assert spy.taken == 6
