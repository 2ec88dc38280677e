"""Shared fixtures: short runs keep the unit tests fast."""

from __future__ import annotations

import pytest

from ecosystem import ScienceCityModel


@pytest.fixture
def model() -> ScienceCityModel:
    """A default model, not yet stepped."""
    return ScienceCityModel(seed=7)


@pytest.fixture(scope="session")
def finished_model() -> ScienceCityModel:
    """A default model run to the end (shared, do not mutate)."""
    return ScienceCityModel(seed=11).run()
