"""The lesson behind the page (``viz.lesson``), its export and the other-luck replay."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from ecosystem import POLICY_NAMES
from viz.export import monthly_csv
from viz.help_text import HOW_TO_READ
from viz.lesson import Lesson, headline_since, policy_changes
from viz.replay import Replay, replay_seed, replay_strip, spread_text

SMALL = {"scale": 0.5}
EVERY_POLICY = {f"policies.{name}.enabled": True for name in POLICY_NAMES}


@pytest.fixture(scope="module")
def full_chain() -> Lesson:
    """A lesson on a small region with every policy chosen, run 48 months (do not step)."""
    lesson = Lesson(seed=42, **SMALL, **EVERY_POLICY)
    for _ in range(48):
        lesson.step()
    return lesson


def test_policy_changes_are_read_from_model_arguments():
    kwargs = {
        "policies.pilot_insurance.enabled": True,
        "policies.pilot_insurance.premium_subsidy": 0.6,
        "policies.local_cdmo.enabled": False,
        "seed": 3,
    }
    assert policy_changes(kwargs) == [("pilot_insurance", True, {"premium_subsidy": 0.6})]


def test_both_worlds_start_from_the_same_spun_up_state():
    lesson = Lesson(seed=42, **SMALL, **EVERY_POLICY)
    assert lesson.month == 0 and lesson.running
    assert lesson.world.month == lesson.quo.month == lesson.start.month > 0
    pd.testing.assert_frame_equal(lesson.world.timeseries(), lesson.quo.timeseries())
    assert lesson.world.chain.active, "the lesson starts with projects in the pipeline"
    assert not lesson.world.active and not lesson.quo.active  # the choice acts from month 1


def test_the_help_text_says_how_long_the_region_ran_before_the_lesson():
    lesson = Lesson(seed=42, **SMALL)  # the page passes no spin-up length: the default
    years = lesson.start.month / 12
    assert years == int(years) and f"running for {int(years)} years" in HOW_TO_READ


def test_the_help_text_explains_every_policy_switch_of_the_sidebar():
    from viz.controls import POLICY_LABELS

    assert set(POLICY_LABELS) == set(POLICY_NAMES)
    missing = [label for label in POLICY_LABELS.values() if f"<i>{label}</i>" not in HOW_TO_READ]
    assert not missing, f"the help text does not explain {missing}"


def test_worlds_share_discoveries_and_differ_after_the_policy(full_chain):
    table = full_chain.monthly_table()
    policy = table[table["world"] == "Chosen policies"].reset_index(drop=True)
    quo = table[table["world"] == "Status quo"].reset_index(drop=True)
    assert list(policy["lesson_month"]) == list(range(49))
    assert (policy["discoveries"] == quo["discoveries"]).all()  # common random numbers
    assert policy.iloc[0].drop("world").equals(quo.iloc[0].drop("world"))  # the shared start
    later = policy.drop(columns="world").compare(quo.drop(columns="world"))
    assert not later.empty and later.index.min() >= 1
    assert full_chain.world.active == set(POLICY_NAMES) and not full_chain.quo.active


def test_a_pilot_policy_leaves_month_one_poc_entries_alone():
    lesson = Lesson(seed=42, **SMALL, **{"policies.pilot_insurance.enabled": True})
    before = (lesson.world.chain.counts["entered_poc"], lesson.quo.chain.counts["entered_poc"])
    lesson.step()
    after = (lesson.world.chain.counts["entered_poc"], lesson.quo.chain.counts["entered_poc"])
    assert after[0] - before[0] == after[1] - before[1]


def test_headline_counts_from_the_lesson_start(full_chain):
    figures = full_chain.headline()
    transfers = full_chain.world.chain.counts["transfers"] - full_chain.start.transfers
    assert figures["transfers"] == transfers
    assert figures["transfers_per_year"] == pytest.approx(transfers / 4)
    assert headline_since(full_chain.quo, full_chain.start) == full_chain.headline_quo()


def test_the_lesson_stops_at_its_end():
    lesson = Lesson(seed=1, scale=0.25, spinup_months=24, lesson_months=6)
    for _ in range(10):
        lesson.step()
    assert lesson.month == 6 and not lesson.running


def test_csv_export_holds_both_worlds_month_by_month(full_chain):
    frame = pd.read_csv(io.BytesIO(monthly_csv(full_chain)))
    assert set(frame["world"]) == {"Chosen policies", "Status quo"}
    assert len(frame) == 2 * 49
    assert {"lesson_month", "month", "transfers", "stage_poc"} <= set(frame.columns)


def test_replay_runs_the_same_choice_on_other_seeds():
    lesson = Lesson(seed=42, scale=0.25, spinup_months=60, **EVERY_POLICY)
    seen: list[Replay] = []
    results = replay_strip(lesson, seeds=2, on_result=seen.append)
    assert [r.seed for r in results] == [43, 44] and seen == results
    assert all(r.months == 12 for r in results)  # at least a year, even at the start
    again = replay_seed(43, 0.25, lesson.changes, 12, 60)
    assert again == results[0]  # reproducible
    assert "2 other seeds" in spread_text(results)
    assert replay_strip(lesson, seeds=3, cancelled=lambda: True) == []
