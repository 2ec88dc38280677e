"""Priors of a calibration config as scipy distributions and as one pyabc ``Distribution``.

Each prior becomes a scipy.stats name with its arguments, so pyabc's own ``RV`` (which pickles
by name and arguments) and the config checks use the very same distribution.
"""

from __future__ import annotations

import math
from typing import Any

from scipy import stats


def scipy_spec(prior: Any) -> tuple[str, tuple[float, ...], dict[str, float]]:
    """The scipy.stats name, positional and keyword arguments of a declared prior."""
    kind = prior.prior
    if kind == "uniform":
        return "uniform", (), {"loc": prior.low, "scale": prior.high - prior.low}
    if kind == "loguniform":
        return "loguniform", (prior.low, prior.high), {}
    if kind == "normal":
        if math.isinf(prior.low) and math.isinf(prior.high):
            return "norm", (), {"loc": prior.mean, "scale": prior.sd}
        a, b = (prior.low - prior.mean) / prior.sd, (prior.high - prior.mean) / prior.sd
        return "truncnorm", (a, b), {"loc": prior.mean, "scale": prior.sd}
    if kind == "lognormal":
        return "lognorm", (prior.sigma,), {"scale": prior.median}
    if kind == "beta":
        return "beta", (prior.a, prior.b), {"loc": prior.low, "scale": prior.high - prior.low}
    raise ValueError(f"unknown prior {kind!r}")


def scipy_distribution(prior: Any) -> Any:
    """The frozen scipy distribution of a declared prior."""
    name, args, kwargs = scipy_spec(prior)
    return getattr(stats, name)(*args, **kwargs)


def pyabc_prior(parameters: dict[str, Any]) -> Any:
    """One pyabc ``Distribution`` over every declared parameter (keyed by dotted path)."""
    import pyabc

    rvs = {}
    for key, prior in parameters.items():
        name, args, kwargs = scipy_spec(prior)
        rvs[key] = pyabc.RV(name, *args, **kwargs)
    return pyabc.Distribution(**rvs)
