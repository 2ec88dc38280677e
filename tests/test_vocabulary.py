"""One vocabulary: the chain, the metrics and the page's headline use the core's words."""

from __future__ import annotations

import math

from ecosystem import ScienceCityModel
from ecosystem import vocabulary as v
from ecosystem.accounts import Ledger
from ecosystem.metrics import HEADLINE_FIGURES, MODEL_COLUMNS
from ecosystem.policies import POLICY_LABELS, POLICY_NAMES


def test_metric_columns_are_built_from_the_vocabulary():
    for cause in v.EXIT_CAUSES:
        assert f"exit_{cause}" in MODEL_COLUMNS
    for instrument in v.PUBLIC_INSTRUMENTS:
        assert f"public_{instrument}" in MODEL_COLUMNS
    assert set(Ledger().public) == set(v.PUBLIC_INSTRUMENTS)


def test_every_word_has_a_label():
    assert tuple(POLICY_LABELS) == POLICY_NAMES
    assert all(POLICY_LABELS.values()) and all(v.EXIT_LABELS.values())
    assert set(v.VALLEY_OF_DEATH) <= set(v.EXIT_CAUSES)


def test_headline_and_summary_agree_without_warmup():
    # 360 months from an empty world: with published clinical durations (~10 years in the
    # clinic) 180 months give no market entry to compare (seed 3 has some)
    model = ScienceCityModel(seed=3, months=360, warmup_months=0)
    model.run()
    head, summary = model.headline(), model.summary()
    assert tuple(head) == HEADLINE_FIGURES
    assert head["transfers"] > 0
    for key in HEADLINE_FIGURES:
        assert math.isclose(head[key], summary[key], rel_tol=1e-12), key
