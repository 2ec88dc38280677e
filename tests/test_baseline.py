"""Regression baseline (after Covasim): a default run's summary must not change unnoticed.

If a change of results is intended, rewrite the baseline with ``make baseline`` (the update
logic is ``tests/baseline.py``, beside this test) and explain the change in the commit.
"""

from __future__ import annotations

import json
import math

import pytest

from tests.baseline import BASELINE, baseline_summary


def test_default_run_matches_saved_baseline():
    saved = json.loads(BASELINE.read_text())["summary"]
    now = baseline_summary()
    assert set(now) == set(saved), "summary fields changed: update the baseline"
    changed = {
        k: (saved[k], now[k])
        for k in saved
        if not (
            (saved[k] is None and now[k] is None)
            or (
                saved[k] is not None
                and now[k] is not None
                and math.isclose(saved[k], now[k], rel_tol=1e-9, abs_tol=1e-9)
            )
        )
    }
    if changed:
        pytest.fail(
            "results changed against tests/baseline.json (saved, now): "
            + ", ".join(f"{k}: {a} → {b}" for k, (a, b) in sorted(changed.items()))
            + ". If intended, run make baseline."
        )
