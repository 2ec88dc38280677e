"""Calibration configs: parameters with priors, targets, population and stopping rule (TOML).

A calibration config is data only and is validated strictly before any model runs: every
parameter is a dotted path of the model's parameter schema holding a number, every prior's
support is checked against the values the schema allows there, and every target names a
statistic the runs produce. Errors name the key, the value and what is allowed, as
``experiments.config`` does for experiment configs.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from ecosystem.errors import ConfigError, describe_validation_error
from ecosystem.params import ModelParams
from ecosystem.policies import scenario_overrides
from ecosystem.presets import resolve_params, set_dotted

PositiveFloat = Annotated[float, Field(gt=0.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UniformPrior(_Strict):
    """Uniform on [low, high]."""

    prior: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> UniformPrior:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be < high ({self.high})")
        return self


class LogUniformPrior(UniformPrior):
    """Log-uniform on [low, high], low > 0: for scale-free quantities."""

    prior: Literal["loguniform"]  # type: ignore[assignment]

    @model_validator(mode="after")
    def _positive(self) -> LogUniformPrior:
        if self.low <= 0:
            raise ValueError(f"low ({self.low}) must be > 0 for a log-uniform prior")
        return self


class NormalPrior(_Strict):
    """Normal(mean, sd), truncated to [low, high] when bounds are given."""

    prior: Literal["normal"]
    mean: float
    sd: PositiveFloat
    low: float = -math.inf
    high: float = math.inf

    @model_validator(mode="after")
    def _ordered(self) -> NormalPrior:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be < high ({self.high})")
        return self


class LogNormalPrior(_Strict):
    """Log-normal with median ``median`` and log-scale sd ``sigma``."""

    prior: Literal["lognormal"]
    median: PositiveFloat
    sigma: PositiveFloat


class BetaPrior(_Strict):
    """Beta(a, b) stretched onto [low, high] (default [0, 1])."""

    prior: Literal["beta"]
    a: PositiveFloat
    b: PositiveFloat
    low: float = 0.0
    high: float = 1.0

    @model_validator(mode="after")
    def _ordered(self) -> BetaPrior:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be < high ({self.high})")
        return self


Prior = Annotated[
    UniformPrior | LogUniformPrior | NormalPrior | LogNormalPrior | BetaPrior,
    Field(discriminator="prior"),
]


class Target(_Strict):
    """An observed value or range, the statistic that measures it, its source and scale.

    The distance of a simulated statistic is 0 inside ``[low, high]`` (or at ``value``) and
    grows as the gap to the nearest bound divided by ``scale``.
    """

    statistic: str | None = None  # default: the target's own name
    value: float | None = None
    low: float | None = None
    high: float | None = None
    scale: PositiveFloat
    source: Annotated[str, Field(min_length=1)]
    label: str = ""

    @model_validator(mode="after")
    def _value_or_range(self) -> Target:
        if self.value is not None:
            if self.low is not None or self.high is not None:
                raise ValueError("give either value or low/high, not both")
            self.low = self.high = self.value
        elif self.low is None or self.high is None:
            raise ValueError("give value, or both low and high")
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must be <= high ({self.high})")
        return self


class StopRule(_Strict):
    """When ABC-SMC stops: whichever comes first."""

    generations: Annotated[int, Field(ge=1, le=100)] = 5
    min_epsilon: Annotated[float, Field(ge=0.0)] = 0.0
    max_walltime_minutes: PositiveFloat | None = None
    min_acceptance_rate: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.0


class CalibrationSection(_Strict):
    """Name, seed, population and effort per particle."""

    name: str = "calibration"
    description: str = ""
    base_seed: Annotated[int, Field(ge=0, lt=2**63)] = 2025
    population: Annotated[int, Field(ge=2, le=100_000)] = 50
    replications: Annotated[int, Field(ge=1, le=1000)] = 1  # model runs per particle
    nan_penalty: PositiveFloat = 3.0  # distance (in scales) of a statistic a run cannot measure
    epsilon_quantile: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.5  # next tolerance
    predictive_draws: Annotated[int, Field(ge=1, le=10_000)] = 20  # posterior predictive runs
    stop: StopRule = StopRule()


class CalibrationConfig(_Strict):
    """A whole calibration config file."""

    calibration: CalibrationSection = CalibrationSection()
    model: dict[str, Any] = Field(default_factory=dict)
    parameters: dict[str, Prior]
    targets: dict[str, Target]
    validation: list[str] | None = None  # validation targets to check (default: all)
    _kind_cache: dict[str, type] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _non_empty(self) -> CalibrationConfig:
        if not self.parameters:
            raise ValueError("parameters: declare at least one parameter with its prior")
        if not self.targets:
            raise ValueError("targets: declare at least one calibration target")
        return self

    @property
    def preset(self) -> str:
        """Region preset of the runs."""
        return str(self.model.get("preset", "shenyang_hunnan"))

    def model_tree(self) -> dict[str, Any]:
        """The fixed model overrides (everything in [model] but the preset)."""
        return {k: v for k, v in self.model.items() if k != "preset"}

    def params_for(
        self, theta: dict[str, float], preset: str | None = None, scenario: str = "status_quo"
    ) -> ModelParams:
        """Validated model parameters of one particle (dotted path → value) in a scenario."""
        point = dict(scenario_overrides(scenario))
        point.update({k: coerce(v, self._kinds()[k]) for k, v in theta.items()})
        return resolve_params(preset or self.preset, tree=self.model_tree(), dotted=point)

    def _kinds(self) -> dict[str, type]:
        if self._kind_cache is None:
            base = resolve_params(self.preset, tree=self.model_tree())
            self._kind_cache = {k: type(get_dotted(base, k)) for k in self.parameters}
        return self._kind_cache

    def digest(self) -> str:
        """Stable hash of the content (a resumed run must have the same)."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def coerce(value: float, kind: type) -> float | int:
    """A drawn value in the parameter's own type (integers are rounded)."""
    return int(round(value)) if kind is int else float(value)


def get_dotted(params: BaseModel, dotted: str) -> Any:
    """The value of ``params`` at ``a.b.c``."""
    node: Any = params
    for part in dotted.split("."):
        node = getattr(node, part)
    return node


def support(prior: BaseModel) -> tuple[float, float]:
    """The 1e-9 and 1 - 1e-9 quantiles of a prior: the extreme values it will ever draw."""
    from experiments.calibrate_priors import scipy_distribution

    dist = scipy_distribution(prior)
    return float(dist.ppf(1e-9)), float(dist.ppf(1 - 1e-9))


def _check_parameters(cfg: CalibrationConfig) -> None:
    base = resolve_params(cfg.preset, tree=cfg.model_tree())
    for key, prior in cfg.parameters.items():
        where = f"parameters.{key}"
        set_dotted({}, key, 0.0)  # raises, naming the key, if the path is not a parameter
        value = get_dotted(base, key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(
                f"'{where}': the parameter holds {value!r} ({type(value).__name__}); only "
                "single numbers can be calibrated (give a dotted path to a number)"
            )
        for end in support(prior):
            try:
                cfg.params_for({key: end})
            except ConfigError as exc:
                raise ConfigError(
                    f"'{where}': the {prior.prior} prior reaches {end:.6g}, which the model "
                    f"refuses ({exc}); bound the prior inside the allowed values"
                ) from None


def _check_targets(cfg: CalibrationConfig) -> None:
    from experiments.calibrate_targets import VALIDATION_TARGETS, available_statistics

    allowed = available_statistics()
    for name, target in cfg.targets.items():
        stat = target.statistic or name
        if stat not in allowed:
            raise ConfigError(
                f"'targets.{name}': unknown statistic {stat!r}; allowed: {', '.join(allowed)}"
            )
    for name in cfg.validation or []:
        if name not in VALIDATION_TARGETS:
            raise ConfigError(
                f"'validation' = {name!r}: unknown validation target; allowed: "
                + ", ".join(VALIDATION_TARGETS)
            )


def parse_calibration(data: dict[str, Any], source: str = "config") -> CalibrationConfig:
    """Validate a calibration config dict, including every parameter path and prior."""
    try:
        cfg = CalibrationConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            f"{source}: {describe_validation_error(exc, CalibrationConfig)}"
        ) from None
    try:
        _check_parameters(cfg)
        _check_targets(cfg)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    return cfg


def load_calibration(path: str | Path) -> CalibrationConfig:
    """Read and validate a calibration config file; raise ``ConfigError`` with a clear message."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"calibration config '{path}' not found")
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"calibration config '{path}' is not valid TOML: {exc}") from None
    if "calibration" not in data:
        raise ConfigError(f"'{path}' has no [calibration] table; it is not a calibration config")
    return parse_calibration(data, source=str(path))


def is_calibration_file(path: Path) -> bool:
    """Whether a TOML file is a calibration config (has a [calibration] table)."""
    try:
        with path.open("rb") as fh:
            return "calibration" in tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return False
