"""Long horizons: memory does not grow with finished projects beyond their summaries."""

from __future__ import annotations

import tracemalloc

import pytest

from ecosystem import ScienceCityModel


@pytest.mark.slow
def test_century_run_keeps_only_summaries_of_finished_projects():
    m = ScienceCityModel(seed=4, months=1200, warmup_months=0)
    tracemalloc.start()
    for _ in range(600):
        m.step()
    mid, _ = tracemalloc.get_traced_memory()
    finished_mid = len(m.chain.finished)
    for _ in range(600):
        m.step()
    end, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(m.timeseries()) == 1200
    assert all(isinstance(r, tuple) and len(r) == 7 for r in m.chain.finished)
    grew = len(m.chain.finished) - finished_mid
    assert grew > 100
    # the second half adds monthly rows and one small record per finished project, not projects
    assert (end - mid) / grew < 4_000, f"{(end - mid) / grew:.0f} bytes per finished project"
