"""Experiment configs: one TOML format, validated strictly before any run starts.

Sections: ``[model]`` (preset, months, warmup_months, scale and any parameter override as a
nested table), ``[policies.<name>]`` (``enabled`` and the policy's parameters),
``[experiment]`` (name, replications, base_seed, scenario) and ``[sweep]`` (method, samples,
``[sweep.parameters]`` of dotted paths). ``[experiment] posterior`` and ``posterior_draws`` run
a scenario sweep at parameter sets drawn from a calibration posterior
(``experiments.posterior_draws``); a Sobol sweep with a ``scenarios`` list runs every scenario at
every sample point, for the sensitivity of paired effects. Every error names the key path,
the value and what is allowed; configs are data only (TOML, no code). Types are strict
(``"3"`` is not a number, ``true`` is not a month count), NaN and ±inf are refused, and the
preset is read once, relative to the config file, and carried with the config
(``experiments.preset_files``).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from ecosystem.errors import ConfigError
from ecosystem.params import ModelParams
from ecosystem.policies import SCENARIOS, SWEEP_SCENARIOS, scenario_overrides
from ecosystem.presets import has_dotted, merge, set_dotted
from experiments.posterior_draws import PosteriorDraws, load_draws
from experiments.preset_files import DEFAULT_PRESET, Preset, checked_preset, read_preset
from experiments.strict import describe, parse_toml_bytes, reject_non_finite, strict_params

#: Experiment names become folder names under runs/: no separators, no '..', no leading dot.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"
STRICT = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class ExperimentSection(BaseModel):
    """Name, replications and seed of an experiment."""

    model_config = STRICT
    name: str = "run"
    description: str = ""
    replications: Annotated[int, Field(ge=1, le=100_000)] = 1
    base_seed: Annotated[int, Field(ge=0, lt=2**63)] = 2025
    scenario: str = "status_quo"  # policy scenario the [policies] blocks start from
    compare_to: str | None = None  # the reference scenario of a report (e.g. status_quo)
    seeds: list[Annotated[int, Field(ge=0, lt=2**63)]] | None = None  # explicit, one per rep
    posterior: str | None = None  # a calibration folder or its posterior.parquet
    posterior_draws: Annotated[int, Field(ge=1, le=10_000)] | None = None

    @model_validator(mode="after")
    def _known_scenario(self) -> ExperimentSection:
        if (self.posterior is None) != (self.posterior_draws is None):
            raise ValueError(
                "posterior and posterior_draws go together: give both (a calibration folder "
                "and how many parameter sets to draw from it) or neither"
            )
        if self.seeds is not None and len(self.seeds) != self.replications:
            raise ValueError(
                f"seeds has {len(self.seeds)} values but replications = {self.replications}"
            )
        if self.scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {self.scenario!r}; allowed: {', '.join(SCENARIOS)}")
        return self

    @field_validator("name")
    @classmethod
    def _folder_name(cls, name: str) -> str:
        if not re.fullmatch(NAME_PATTERN, name) or ".." in name:
            raise ValueError(
                "it names the folder runs/<name>: use letters, digits, '_', '-' and '.' only "
                "(no '/', no '..', at most 100 characters)"
            )
        return name


class SweepSection(BaseModel):
    """What varies across runs."""

    model_config = STRICT
    method: Literal["grid", "lhs", "sobol", "morris", "scenarios"] = "grid"
    samples: Annotated[int, Field(ge=1, le=1_000_000)] = 16
    parameters: dict[str, list[Any]] = Field(default_factory=dict)
    scenarios: list[str] = Field(default_factory=list)  # for method = "scenarios"
    # add the plausible ranges of the compared policies (true) and of the parameters that
    # belong to no policy ("all"): experiments.plausible
    plausible: bool | Literal["all"] = False

    @model_validator(mode="after")
    def _shape(self) -> SweepSection:
        if self.plausible is True and (self.method != "sobol" or not self.scenarios):
            raise ValueError(
                f"plausible = true with method {self.method!r}"
                f"{'' if self.scenarios else ' and no scenarios'}: it adds the ranges of "
                "the compared policies' assumptions to a Sobol design with a scenarios list "
                "(plausible = \"all\" also takes the model-wide ranges, in sobol, lhs or morris)"
            )
        if self.plausible == "all" and self.method not in ("sobol", "lhs", "morris"):
            raise ValueError(
                f"plausible = \"all\" with method {self.method!r}: it adds ranges to a design "
                "that samples them: sobol, lhs or morris"
            )
        if self.plausible:
            from experiments.plausible import plausible_bounds

            compared = self.scenarios if self.method == "sobol" else []
            bad = [s for s in compared if s not in SCENARIOS]
            if bad:
                raise ValueError(f"unknown scenarios {bad}; allowed: {', '.join(SCENARIOS)}")
            everything = self.plausible == "all"
            for key, bounds in plausible_bounds(compared, everything).items():
                self.parameters.setdefault(key, bounds)
        if self.method == "scenarios":
            if not self.scenarios:
                raise ValueError("method 'scenarios' needs a non-empty 'scenarios' list")
            bad = [s for s in self.scenarios if s not in SWEEP_SCENARIOS]
            if bad:
                allowed = ", ".join(SWEEP_SCENARIOS)
                raise ValueError(f"unknown scenarios {bad}; allowed: {allowed}")
            return self
        if self.scenarios:
            if self.method != "sobol":
                raise ValueError(
                    f"scenarios with method {self.method!r}: only 'scenarios' and 'sobol' "
                    "designs take a scenarios list"
                )
            bad = [s for s in self.scenarios if s not in SCENARIOS]
            if bad or len(set(self.scenarios)) < 2 or len(set(self.scenarios)) < len(
                self.scenarios
            ):
                raise ValueError(
                    f"scenarios = {self.scenarios}: a Sobol design of paired effects needs at "
                    f"least two different known scenarios; allowed: {', '.join(SCENARIOS)}"
                )
        if not self.parameters:
            raise ValueError(f"method {self.method!r} needs at least one entry in parameters")
        for key, values in self.parameters.items():
            if not values:
                raise ValueError(f"parameters.{key}: empty list; give at least one value")
            if self.method != "grid":
                numeric = all(type(v) in (int, float) for v in values)
                if len(values) != 2 or not numeric:
                    raise ValueError(
                        f"parameters.{key} = {values!r}: method {self.method!r} needs a "
                        "[low, high] numeric range"
                    )
                if values[0] >= values[1]:
                    raise ValueError(f"parameters.{key} = {values!r}: low must be < high")
        return self


class ExperimentConfig(BaseModel):
    """A whole config file (and the contents of its preset, read once)."""

    model_config = STRICT
    model: dict[str, Any] = Field(default_factory=dict)
    policies: dict[str, dict[str, Any]] = Field(default_factory=dict)
    experiment: ExperimentSection = ExperimentSection()
    sweep: SweepSection | None = None
    _preset: Preset | None = PrivateAttr(default=None)
    _text: str | None = PrivateAttr(default=None)
    _posterior: PosteriorDraws | None = PrivateAttr(default=None)
    _base_dir: Path | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _posterior_needs_scenarios(self) -> ExperimentConfig:
        if self.experiment.posterior is not None and (
            self.sweep is None or self.sweep.method != "scenarios" or len(self.sweep.scenarios) < 2
        ):
            raise ValueError(
                "experiment.posterior needs a scenario sweep of at least two scenarios "
                "([sweep] method = 'scenarios'): its effects are paired against a reference"
            )
        return self

    # --- derived -------------------------------------------------------------------------------
    @property
    def preset(self) -> str:
        """Region preset of the runs, as the config names it."""
        return str(self.model.get("preset", DEFAULT_PRESET))

    @property
    def preset_contents(self) -> Preset:
        """The preset as read when the config was loaded."""
        if self._preset is None:
            self._preset = read_preset(self.preset)
        return self._preset

    @property
    def posterior(self) -> PosteriorDraws | None:
        """The parameter sets drawn from ``experiment.posterior``.

        Read with the config when it came from a file (so errors come before any work), from
        the manifest's record for a finished sweep, else on first use (relative to the current
        directory). A worker never needs them: its runs carry their points.
        """
        if self.experiment.posterior is not None and self._posterior is None:
            self._posterior = self._read_posterior()
        return self._posterior

    def _read_posterior(self) -> PosteriorDraws:
        assert self.experiment.posterior is not None
        return load_draws(
            self.experiment.posterior,
            self._base_dir,
            int(self.experiment.posterior_draws or 0),
            self.experiment.base_seed,
            check=self.params_for,
            typed=self.typed_point,
        )

    def typed_point(self, point: dict[str, float]) -> dict[str, Any]:
        """Values in their parameter's type: integers rounded, the rest plain floats.

        A path the model does not know is kept as given, so validation names it.
        """
        base = self.params_for().model_dump()
        out: dict[str, Any] = {}
        for key, value in point.items():
            node: Any = base
            for part in key.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            is_int = isinstance(node, int) and not isinstance(node, bool)
            out[key] = int(round(value)) if is_int else float(value)
        return out

    @property
    def text(self) -> str | None:
        """The config file's text, when it came from a file."""
        return self._text

    def with_experiment(self, **changes: Any) -> ExperimentConfig:
        """A copy with ``[experiment]`` values changed (None = keep), same preset contents."""
        data = self.model_dump(mode="json")
        data["experiment"].update({k: v for k, v in changes.items() if v is not None})
        cfg = parse_config(
            data, preset=self.preset_contents, posterior=self._posterior, base_dir=self._base_dir
        )
        cfg._text = self._text
        return cfg

    def base_tree(self) -> dict[str, Any]:
        """Parameter tree shared by all runs (before sweep values)."""
        tree = {k: v for k, v in self.model.items() if k != "preset"}
        return merge(tree, {"policies": self.policies}) if self.policies else tree

    def params_for(
        self, point: dict[str, Any] | None = None, scenario: str | None = None
    ) -> ModelParams:
        """Validated parameters of one sweep point (dotted path → value)."""
        dotted = dict(scenario_overrides(scenario or self.experiment.scenario))
        tree = self.base_tree()
        for key, value in dotted.items():
            if not has_dotted(tree, key):  # explicit [policies] blocks win over the scenario
                set_dotted(tree, key, value)
        data = merge(self.preset_contents.tree, tree)
        for key, value in (point or {}).items():
            set_dotted(data, key, value)
        return strict_params(data)

    def digest(self) -> str:
        """Stable hash of the config's content (and of the order of swept parameters)."""
        order = list(self.sweep.parameters) if self.sweep else []
        text = json.dumps([self.model_dump(mode="json"), order], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_config(path: str | Path) -> ExperimentConfig:
    """Read and validate a config file; raise ``ConfigError`` with a clear message."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file '{path}' not found")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"config file '{path}' cannot be read: {exc.strerror}") from None
    data = parse_toml_bytes(raw, f"config file '{path}'")
    cfg = parse_config(data, source=str(path), base_dir=path.parent)
    cfg._text = raw.decode("utf-8")
    return cfg


def parse_config(
    data: dict[str, Any],
    source: str = "config",
    base_dir: Path | None = None,
    preset: Preset | None = None,
    posterior: PosteriorDraws | None = None,
) -> ExperimentConfig:
    """Validate a config dict, its preset and every parameter it sets or sweeps.

    ``preset`` gives the preset's contents (from a manifest or a worker's task); without it the
    preset is read from its name or path (relative to ``base_dir``). ``posterior`` gives the
    draws of ``experiment.posterior`` (from a manifest); without it the posterior is read now
    when ``base_dir`` is given (a config file), else on first use (``ExperimentConfig.posterior``).
    """
    try:
        reject_non_finite(data)
        cfg = ExperimentConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {describe(exc, ExperimentConfig)}") from None
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    try:
        if preset is None:
            preset = read_preset(cfg.preset, base_dir)
        elif preset.name != cfg.preset:
            raise ConfigError(f"preset contents of {preset.name!r} given for {cfg.preset!r}")
        cfg._preset = preset
        cfg.params_for()
        if cfg.sweep is not None:
            for scenario in cfg.sweep.scenarios:
                cfg.params_for(scenario=scenario)
            for key, values in cfg.sweep.parameters.items():
                for value in values:
                    cfg.params_for({key: value})
        cfg._base_dir = base_dir
        if cfg.experiment.posterior is not None:
            if posterior is not None:
                cfg._posterior = posterior
            elif base_dir is not None:
                cfg._posterior = cfg._read_posterior()
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    return cfg


def preset_from_manifest(name: str, record: dict[str, Any]) -> Preset:
    """The preset stored in a manifest (its contents are validated again)."""
    return checked_preset(name, str(record.get("source", name)), dict(record.get("contents", {})))


def config_for_scenario(
    name: str, replications: int = 1, base_seed: int = 2025
) -> ExperimentConfig:
    """A config running a named scenario on the default preset."""
    if name not in SCENARIOS:
        raise ConfigError(f"unknown scenario {name!r}; allowed: {', '.join(SCENARIOS)}")
    return parse_config(
        {
            "experiment": {
                "name": name,
                "scenario": name,
                "replications": replications,
                "base_seed": base_seed,
            }
        },
        source=f"scenario {name}",
    )
