"""The posterior's effective sample size: how many particles its weights really use."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from experiments.calibrate_posterior import Posterior


def _posterior(weights: list[float]) -> Posterior:
    particles = pd.DataFrame({"weight": weights})
    return Posterior(particles=particles, generations=pd.DataFrame(), manifest={}, config=None)


@pytest.mark.parametrize(
    "weights, ess", [([1, 1, 1, 1], 4.0), ([5, 0, 0, 0], 1.0), ([2, 2, 0, 0], 2.0)]
)
def test_equal_weights_use_every_particle_and_one_heavy_particle_uses_one(weights, ess):
    assert _posterior(weights).effective_sample_size == pytest.approx(ess)


@given(st.lists(st.floats(0.01, 100.0), min_size=1, max_size=50))
def test_it_lies_between_one_and_the_number_of_particles(weights):
    ess = _posterior(weights).effective_sample_size
    assert 1.0 - 1e-9 <= ess <= len(weights) + 1e-9


class _OneParameter:
    """The part of a calibration config the posterior's means read: its parameter names."""

    parameters = {"x": None}


def test_the_accepted_mean_ignores_the_weights_the_posterior_mean_follows_them():
    particles = pd.DataFrame({"x": [1.0, 2.0, 3.0, 10.0], "weight": [0.0, 0.0, 0.0, 1.0]})
    post = Posterior(particles=particles, generations=pd.DataFrame(), manifest={},
                     config=_OneParameter())
    assert post.mean()["x"] == pytest.approx(10.0)  # one particle holds every weight
    assert post.accepted_mean()["x"] == pytest.approx(4.0)  # every accepted set counts once


@pytest.mark.parametrize(
    "generations, expected",
    [
        (pd.DataFrame({"t": [0, 1], "epsilon": [0.5, 0.0]}), 0.0),
        (pd.DataFrame(), math.nan),
        (pd.DataFrame({"t": [0]}), math.nan),
    ],
)
def test_the_final_tolerance_is_the_last_generations_or_not_recorded(generations, expected):
    from experiments.calibrate_predictive import _final_epsilon

    post = Posterior(particles=pd.DataFrame({"weight": [1.0]}), generations=generations,
                     manifest={}, config=None)
    got = _final_epsilon(post)
    assert (math.isnan(got) and math.isnan(expected)) or got == expected
