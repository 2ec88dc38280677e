"""The model core: the Mesa model, space, chain, policies, metrics and presets."""

from ecosystem.errors import ConfigError
from ecosystem.model import ScienceCityModel
from ecosystem.params import ModelParams
from ecosystem.policies import POLICY_NAMES, SCENARIOS

__all__ = ["POLICY_NAMES", "SCENARIOS", "ConfigError", "ModelParams", "ScienceCityModel"]
