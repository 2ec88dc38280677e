"""One route per lever: a policy acts through the month's rules or an institution it owns.

No module outside a policy reads that policy's config block, and the rules have no defaults of
their own that copy a policy's numbers (a copy drifts).
"""

from __future__ import annotations

import dataclasses
import io
import math
import re
import tokenize

import pytest

from ecosystem import ScienceCityModel
from ecosystem.policies import POLICY_NAMES
from ecosystem.rules import Rules
from tests._helpers import ROOT

NEUTRAL = (False, 0.0, None, math.inf)


def _code_tokens(path) -> str:
    """The file's code without strings and comments."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    skip = (tokenize.STRING, tokenize.COMMENT)
    return " ".join(t.string for t in tokens if t.type not in skip)


def _core_files():
    for package in ("ecosystem", "agents"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "policies" not in path.relative_to(ROOT).parts:
                yield path


@pytest.mark.parametrize("path", list(_core_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_core_module_reads_a_policy_config_block(path):
    code = _code_tokens(path)
    readers = {name for name in POLICY_NAMES if re.search(rf"policies \. {name}\b", code)}
    assert not readers, f"{path.name} reads the config of {sorted(readers)}"


def test_rules_defaults_are_neutral():
    for field in dataclasses.fields(Rules):
        if field.default is not dataclasses.MISSING:
            assert field.default in NEUTRAL, f"Rules.{field.name} = {field.default!r}"


def test_status_quo_rules_come_from_the_policies_blocks():
    m = ScienceCityModel(
        seed=1,
        **{
            "policies.guidance_fund.status_quo_max_stake": 0.2,
            "policies.reverse_commissioning.needs_per_hospital_per_month": 0.3,
        },
    )
    assert m.rules.fund_max_stake == 0.2 and m.rules.needs_per_hospital == 0.3
    assert not m.rules.collect_needs and m.rules.fund_return_cap is None


def test_circle_services_are_rules():
    m = ScienceCityModel(seed=1)
    assert m.rules.circle_transit_speed_kmh is None and m.region.circle.tau_minutes is None
    m.set_policy("one_hour_circle", True, transit_speed_kmh=100.0)
    m.step()
    assert m.rules.circle_transit_speed_kmh == 100.0 == m.region.circle.transit_speed_kmh


def test_insurer_quotes_what_it_sells():
    m = ScienceCityModel(seed=1, policy_scenario="pilot_insurance", warmup_months=0)
    premium, claim = m.insurer.quote(100.0)
    ins = m.params.policies.pilot_insurance

    class Pilot:
        spent_public = 0.0
        insured_sum = 0.0

    funders_share = m.insurer.sell(Pilot(), 100.0, m.government)
    assert funders_share == pytest.approx(premium)
    assert claim == pytest.approx(ins.insured_share * 100.0 * ins.cover_split[0])
