"""Pattern-oriented validation (spec §7): the baseline reproduces the five stylised facts.

Twenty fixed seeds; the test asserts the mean of each fact lies in its target range, as the
spec demands. The facts emerge from the mechanisms; nothing in the model reads these ranges.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest

from ecosystem import ScienceCityModel
from ecosystem.calibration import STYLISED_FACTS, check_facts

SEEDS = range(3000, 3020)

#: Facts the model no longer reproduces, with the measurement; reported, never tuned away.
OUT_OF_RANGE = {
    "median_months_to_market": (
        "issue 11: with the published clinical durations (BIO 2021: 10.5 years from phase I to "
        "approval) the median discovery-to-market is 215 months (95% CI 210–220; 11 of 20 seeds "
        "of `validate --seeds 20` have a market entry), above S0 §1.1.2's 10–15 years: the "
        "sources conflict"
    ),
}


def _facts():
    for fact in STYLISED_FACTS:
        reason = OUT_OF_RANGE.get(fact.summary_field)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        yield pytest.param(fact, marks=marks, id=fact.summary_field)


def _summary(seed: int) -> dict[str, float]:
    return ScienceCityModel(seed=seed).run().summary()


@pytest.fixture(scope="module")
def checks():
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        summaries = list(pool.map(_summary, SEEDS))
    return {c.fact.summary_field: c for c in check_facts(summaries)}


@pytest.mark.parametrize("fact", list(_facts()))
def test_fact_mean_in_target_range(checks, fact):
    c = checks[fact.summary_field]
    # the median time to market exists only in runs with a market entry after warm-up
    assert c.n >= 10, f"too few runs measured {fact.name}"
    assert fact.low <= c.mean <= fact.high, (
        f"{fact.name}: mean {c.mean:.3f} (95% CI {c.ci_low:.3f}–{c.ci_high:.3f}) outside "
        f"{fact.low}–{fact.high} ({fact.source})"
    )
