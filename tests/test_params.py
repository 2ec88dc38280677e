import pytest

from ecosystem import ConfigError, ScienceCityModel
from ecosystem.policies import POLICY_NAMES, SCENARIOS, scenario_overrides
from ecosystem.presets import PRESET_DIR, available_presets, resolve_params


def test_default_preset_counts_match_spec():
    p = resolve_params()
    assert p.region.name == "shenyang_hunnan"
    assert len(p.region.institutions) == 4
    assert len(p.region.lead_firms) == 5
    assert p.region.sme_count == 80
    assert p.region.hospital_count == 12 and p.region.biotherapy_assessors == 2
    assert p.scientists.count == 1000  # the preset's sourced PI count (ODD §1.3)
    assert (p.months, p.warmup_months) == (180, 300)  # counted months, spin-up (spec §9.1)


def test_policy_defaults_from_source():
    p = resolve_params().policies
    assert p.pilot_insurance.premium_subsidy == 0.4
    assert p.pilot_insurance.cover_split == (0.6, 0.3, 0.1)
    assert p.milestone_grants.tranches_mrmb == (0.3, 0.5, 0.2)
    assert p.one_hour_circle.circle_minutes == 60
    assert all(not getattr(p, n).enabled for n in POLICY_NAMES)


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"policies.pilot_insurance.premium_subsidy": 1.5}, "premium_subsidy"),
        ({"policies.nope.enabled": True}, "allowed: data_platform"),
        ({"months": 0}, "'months' = 0"),
        ({"poc.cost": 1}, "cost_mrmb"),
        ({"scientists": {"count": -3}}, "scientists.count"),
        ({"policies.pilot_insurance.cover_split": [0.5, 0.3, 0.1]}, "sum to 1"),
    ],
)
def test_bad_parameters_are_refused_with_the_key(kwargs, needle):
    with pytest.raises(ConfigError, match=None) as info:
        ScienceCityModel(seed=1, **kwargs)
    assert needle in str(info.value)
    assert isinstance(info.value, ValueError)


def test_unknown_scenario_lists_valid_ones():
    with pytest.raises(ValueError, match="full_chain"):
        ScienceCityModel(seed=1, policy_scenario="everything")


def test_seed_as_string_and_bad_seed():
    assert ScienceCityModel(seed="42").seed == 42
    with pytest.raises(ValueError, match="seed"):
        ScienceCityModel(seed="forty-two")


def test_scenarios_cover_every_policy():
    assert set(SCENARIOS) == {"status_quo", "full_chain", *POLICY_NAMES}
    assert scenario_overrides("status_quo") == {}
    assert len(scenario_overrides("full_chain")) == len(POLICY_NAMES)


def test_presets_are_data_files(tmp_path):
    assert "shenyang_hunnan" in available_presets()
    custom = tmp_path / "tiny.toml"
    custom.write_text(
        (PRESET_DIR / "shenyang_hunnan.toml").read_text().replace("count = 1000", "count = 50")
    )
    m = ScienceCityModel(seed=1, preset=str(custom))
    assert len(m.scientists) == 50


def test_constructor_is_keyword_only():
    with pytest.raises(TypeError):
        ScienceCityModel(1)  # type: ignore[misc]


@pytest.mark.parametrize("preset", ["yantai_mouping", "suzhou_biobay"])
def test_other_region_presets_run(preset):
    m = ScienceCityModel(seed=1, preset=preset, months=24, warmup_months=0).run()
    assert m.params.region.name == preset
    assert len(m.timeseries()) == 24


def _leaves(cls, prefix=""):
    from pydantic import BaseModel

    from ecosystem.params import Range

    for name, info in cls.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel) and ann is not Range:
            yield from _leaves(ann, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", info


def test_every_parameter_carries_its_metadata():
    from ecosystem.parameter_fields import BASES, metadata
    from ecosystem.params import PUBLISHED_SOURCES, ModelParams

    leaves = list(_leaves(ModelParams))
    assert len(leaves) > 100
    for path, info in leaves:
        meta = metadata(info)
        assert meta["meaning"], f"{path} has no meaning"
        assert meta["basis"] in BASES, path
        if meta["source"]:
            seed_doc = meta["source"].startswith(("S0", "S1", "S2", "S3", "S4"))
            assert seed_doc or meta["source"] in PUBLISHED_SOURCES, path
    schema = ModelParams.model_json_schema()
    space = schema["$defs"]["SpaceParams"]["properties"]["out_of_region_cost_markup"]
    assert space["source"] == "S0 §1.3.3" and space["unit"] == "share"


def test_param_rejects_an_unknown_basis():
    from ecosystem.parameter_fields import param

    with pytest.raises(ValueError, match="basis"):
        param(1.0, "x", basis="guess")
