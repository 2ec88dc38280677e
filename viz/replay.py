"""Replay with other luck: the lesson's two worlds on a small strip of other seeds.

One seed cannot tell policy from luck. This runs the same choice (status quo against the chosen
policies) on the next few seeds, each pair from its own spun-up state, for as many months as
the lesson has run (at least a year), and reports transfers in each world per seed, so a class
sees how far luck alone moves the figure. It runs in a background thread of the page and
shares nothing with the lesson on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import solara
import solara.lab

from viz.lesson import LESSON_MONTHS, LessonStart, headline_since, start_world

STRIP_SEEDS = 5
MIN_MONTHS = 12


@dataclass(frozen=True)
class Replay:
    """Transfers since the start in both worlds, for one seed."""

    seed: int
    months: int
    quo: int
    policy: int


def replay_seed(
    seed: int,
    scale: float,
    changes: list[tuple[str, bool | None, dict[str, Any]]],
    months: int,
    spinup_months: int,
    lesson_months: int = LESSON_MONTHS,
) -> Replay:
    """Run one seed's two worlds for ``months`` after the spin-up (a lesson's first months).

    Both start from forks of the seed's one spun-up state, as a lesson's worlds do.
    """
    counts = []
    for world_changes in ([], changes):
        world = start_world(seed, scale, world_changes, spinup_months, lesson_months)
        start = LessonStart.of(world)
        for _ in range(months):
            world.step()
        counts.append(int(headline_since(world, start)["transfers"]))
    return Replay(seed=seed, months=months, quo=counts[0], policy=counts[1])


def replay_strip(
    lesson: Any,
    seeds: int = STRIP_SEEDS,
    on_result: Callable[[Replay], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[Replay]:
    """Replay ``lesson``'s choice on the ``seeds`` seeds after its own, for its months so far."""
    months = max(MIN_MONTHS, int(lesson.month))
    results = []
    for k in range(1, seeds + 1):
        if cancelled():
            break
        result = replay_seed(
            lesson.seed + k,
            lesson.scale,
            lesson.changes,
            months,
            lesson.start.month,
            lesson.lesson_months,
        )
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def spread_text(results: list[Replay]) -> str:
    """'status quo 2–6, chosen policies 3–8 transfers' over the replays."""
    if not results:
        return ""
    quo = [r.quo for r in results]
    pol = [r.policy for r in results]
    return (
        f"Over {len(results)} other seeds, {results[0].months} months: status quo "
        f"{min(quo)}–{max(quo)}, chosen policies {min(pol)}–{max(pol)} transfers."
    )


@solara.component
def OtherLuck(lesson: Any) -> None:
    """A button that replays the lesson's choice on other seeds in the background."""
    results = solara.use_reactive([])
    request = solara.use_reactive(0)

    def run() -> None:
        if request.value == 0:
            return
        results.set([])
        task_lesson = lesson
        replay_strip(
            task_lesson,
            on_result=lambda r: results.set([*results.value, r]),
            cancelled=lambda: not task.is_current(),  # the task below
        )

    task = solara.lab.use_task(run, dependencies=[request.value], prefer_threaded=True)
    with solara.Card("Replay with other luck", margin=0, classes=["sc-card", "sc-replay"]):
        solara.Button(
            f"Replay on {STRIP_SEEDS} other seeds",
            on_click=lambda: request.set(request.value + 1),
            disabled=task.pending,
            small=True,
            color="primary",
            outlined=True,
        )
        if task.pending:
            solara.Text(
                f"running… {len(results.value)} of {STRIP_SEEDS} seeds done",
                style={"font-size": "0.8em"},
            )
        if task.error:
            solara.Error(str(task.exception), dense=True)
        done = results.value
        if done:
            rows = "".join(
                f"<tr><td>seed {r.seed}</td><td>{r.quo}</td><td>{r.policy}</td></tr>" for r in done
            )
            solara.HTML(
                tag="table",
                unsafe_innerHTML=(
                    "<tr><th></th><th>Status quo</th><th>Chosen policies</th></tr>" + rows
                ),
                classes=["sc-replay-table"],
                style="font-size: 0.8em; width: 100%; text-align: right;",
            )
            if not task.pending:
                solara.Text(spread_text(done), style={"font-size": "0.8em"})
