"""``python -m benchmarks.page``: what the classroom page waits for, in this process.

* **first start** — a lesson of the default seed and region with an empty cache: one spin-up
  (180 months of status quo) and a fork for each of the two worlds (``viz.spinup_cache``);
* **reset** — the same lesson again: two forks of the cached spin-up;
* **uncached start** — what a start cost before the cache: a spin-up for each world;
* **step** — one month of a lesson (both worlds and the gate events), no drawing.

Medians and minima over ``--repeats`` (the machine is shared: the minimum is the least
disturbed). The browser's own times (page ready, months of play until the first gate event)
are printed by ``tests/e2e/test_viz_browser.py``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from ecosystem.spinup import SPINUP_MONTHS, spin_up
from viz import spinup_cache
from viz.lesson import LESSON_MONTHS, Lesson

SEED = 42


def _times(action: Callable[[], object], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        action()
        out.append(time.perf_counter() - t0)
    return out


def _first_start() -> None:
    spinup_cache.clear()
    Lesson(seed=SEED)


def _uncached_start() -> None:
    for _ in range(2):
        spin_up(SEED, months=SPINUP_MONTHS, horizon_months=LESSON_MONTHS)


def measure(repeats: int = 5, step_months: int = 24) -> dict[str, tuple[float, float]]:
    """(median, minimum) seconds of each measured action."""
    Lesson(seed=1, scale=0.25, spinup_months=12, lesson_months=1)  # imports
    results = {
        "uncached start (2 spin-ups)": _times(_uncached_start, repeats),
        "first start (spin-up + 2 forks)": _times(_first_start, repeats),
        "reset (2 forks of the cache)": _times(lambda: Lesson(seed=SEED), repeats),
    }
    lesson = Lesson(seed=SEED)
    results["step (one month, both worlds)"] = [
        t / step_months for t in _times(lambda: [lesson.step() for _ in range(step_months)], 3)
    ]
    return {k: (statistics.median(v), min(v)) for k, v in results.items()}


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.page", description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    for name, (median, least) in measure(args.repeats).items():
        print(f"{name:34s} median {median * 1000:7.0f} ms   min {least * 1000:7.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
