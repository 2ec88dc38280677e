"""The shipped region presets: every agent count carries its source or its assumed range, and
every preset states its level targets (ODD §1.3)."""

from __future__ import annotations

import re

import pytest

from ecosystem.calibration import LEVEL_TARGETS, REGION_LEVEL_TARGETS, check_facts
from ecosystem.presets import PRESET_DIR, available_presets, resolve_params
from tests._helpers import cli

#: The preset keys that set how many agents of a kind the model creates.
COUNT_KEYS = ("count", "vc_count", "bank_count", "sme_count", "hospital_count")
SOURCE = re.compile(r"\bS[0-4]\b|source|Xinhua|\(SPU")


def _count_notes(text: str) -> dict[str, str]:
    """Each count line's own comment plus the comment lines directly above it (section
    headers skipped), keyed by ``section.key``."""
    lines = text.splitlines()
    notes: dict[str, str] = {}
    section = ""
    for i, line in enumerate(lines):
        if line.startswith("["):
            section = line.strip("[] ")
            continue
        m = re.match(r"(\w+)\s*=", line)
        if not m or m.group(1) not in COUNT_KEYS:
            continue
        parts = [line.split("#", 1)[1] if "#" in line else ""]
        j = i - 1
        while j >= 0 and (lines[j].startswith("#") or lines[j].startswith("[")):
            if lines[j].startswith("#"):
                parts.append(lines[j])
            j -= 1
        notes[f"{section}.{m.group(1)}"] = " ".join(parts)
    return notes


@pytest.mark.parametrize("preset", available_presets())
def test_every_count_names_its_source_or_assumed_range(preset):
    notes = _count_notes((PRESET_DIR / f"{preset}.toml").read_text())
    assert notes, f"{preset} sets no agent count"
    for key, note in notes.items():
        assert SOURCE.search(note) or "assumption" in note, f"{preset} {key}: no source"
        if "assumption" in note:
            assert "range" in note, f"{preset} {key}: an assumption without its range"


def test_count_notes_see_only_the_comments_that_belong_to_a_count():
    text = "# a source: S1\n[region]\nsme_count = 5\n\nhospital_count = 3  # assumption\n"
    assert _count_notes(text) == {
        "region.sme_count": " # a source: S1",
        "region.hospital_count": " assumption",
    }


def test_every_shipped_preset_states_its_level_targets():
    assert set(REGION_LEVEL_TARGETS) == set(available_presets())
    assert REGION_LEVEL_TARGETS["shenyang_hunnan"] is LEVEL_TARGETS
    for targets in REGION_LEVEL_TARGETS.values():
        for target in targets:
            assert target.scope and target.low <= target.high


def test_suzhou_level_is_s4s_count_over_a_decade_as_an_upper_bound():
    (approvals,) = REGION_LEVEL_TARGETS["suzhou_biobay"]
    assert (approvals.low, approvals.high) == (0.0, pytest.approx(0.4))
    passed = check_facts([{"gate_approval_per_year": 0.3}] * 3, (approvals,))
    failed = check_facts([{"gate_approval_per_year": 0.5}] * 3, (approvals,))
    assert passed[0].passed and not failed[0].passed


def test_yantai_pis_are_the_institutes_29_groups_and_assumed_university_labs():
    p = resolve_params("yantai_mouping")
    institute, labs = p.region.institutions
    assert round(p.scientists.count * institute.pi_share) == 29  # S1: 29 group leaders
    assert p.region.sme_count == 95  # S1: 95 registered firms in the park
    assert p.region.sme_in_park_share == 1.0


def test_validate_prints_a_presets_gate_table_and_level_targets():
    result = cli("validate", "--preset", "suzhou_biobay", "--seeds", "2", "--workers", "1")
    assert result.returncode in (0, 1), result.stderr
    out = result.stdout
    assert "Stylised facts, suzhou_biobay" in out and "not checked" in out
    assert "Clinical entry (IND)" in out
    assert "| market approvals a year | S4 §1 | 0.000–0.400 |" in out
    assert "scope of market approvals a year: S4 §1" in out


def test_validate_names_an_unknown_preset_before_running():
    result = cli("validate", "--preset", "atlantis", "--seeds", "2")
    assert result.returncode == 2
    assert "'model.preset' = 'atlantis'" in result.stderr and "shipped presets" in result.stderr
