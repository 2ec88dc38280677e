"""The page's cache of spun-up states (``viz.spinup_cache``): a cached start is a fresh start."""

from __future__ import annotations

import pandas as pd
import pytest

from ecosystem import ScienceCityModel
from ecosystem.spinup import spin_up
from viz import spinup_cache
from viz.spinup_cache import CACHE_SIZE, cached_keys, spun_up

TINY = {"scale": 0.25, "spinup_months": 36, "horizon_months": 24}


@pytest.fixture(autouse=True)
def empty_cache():
    spinup_cache.clear()
    yield
    spinup_cache.clear()


def _run(model: ScienceCityModel, months: int) -> pd.DataFrame:
    for _ in range(months):
        model.step()
    return model.timeseries()


def _fresh(seed: int) -> ScienceCityModel:
    return spin_up(
        seed,
        months=TINY["spinup_months"],
        horizon_months=TINY["horizon_months"],
        scale=TINY["scale"],
    )


def test_a_cached_start_equals_a_fresh_spin_up_exactly():
    fresh = _fresh(5)
    first = spun_up(5, **TINY)  # spins up and caches
    again = spun_up(5, **TINY)  # a fork of the cached model
    assert len(cached_keys()) == 1
    for start in (first, again):
        assert start.seed == fresh.seed and start.month == fresh.month
        assert start.total_months == fresh.total_months and start.running
        assert start.params == fresh.params
        pd.testing.assert_frame_equal(start.timeseries(), fresh.timeseries())
        assert start.chain.counts == fresh.chain.counts
    expected = _run(fresh, 24)
    pd.testing.assert_frame_equal(_run(first, 24), expected)
    pd.testing.assert_frame_equal(_run(again, 24), expected)
    assert first.chain.counts == again.chain.counts == fresh.chain.counts


def test_stepping_a_start_leaves_the_cached_state_alone():
    used = spun_up(6, **TINY)
    _run(used, 12)
    later = spun_up(6, **TINY)
    assert later is not used and later.month == TINY["spinup_months"]
    pd.testing.assert_frame_equal(later.timeseries(), _fresh(6).timeseries())


def test_keys_separate_seeds_sizes_and_lengths():
    spun_up(7, **TINY)
    spun_up(8, **TINY)
    spun_up(7, **{**TINY, "scale": 0.5})
    spun_up(7, **{**TINY, "spinup_months": 24})
    keys = cached_keys()
    assert len(keys) == 4 and len({k[2] for k in keys}) == 3  # params hash: size, length
    assert {k[0] for k in keys} == {7, 8}
    assert spun_up(7, **{**TINY, "scale": 0.5}).params.scale == 0.5


def test_the_cache_is_bounded_and_drops_the_least_recently_used():
    small = {"scale": 0.25, "spinup_months": 1, "horizon_months": 1}
    for seed in range(CACHE_SIZE):
        spun_up(seed, **small)
    spun_up(0, **small)  # used again: now the most recent
    spun_up(CACHE_SIZE, **small)
    seeds = [k[0] for k in cached_keys()]
    assert len(seeds) == CACHE_SIZE
    assert 1 not in seeds and seeds[-2:] == [0, CACHE_SIZE]


def test_an_empty_seed_draws_one_that_the_start_carries():
    start = spun_up("", **TINY)
    assert isinstance(start.seed, int)
    assert [k[0] for k in cached_keys()] == [start.seed]
    pd.testing.assert_frame_equal(
        spun_up(start.seed, **TINY).timeseries(), _fresh(start.seed).timeseries()
    )
