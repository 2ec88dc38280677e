"""The model as an EMA Workbench model: uncertainties, levers, outcomes and replications.

``ema_model`` returns an ``ema_workbench.ReplicatorModel`` that runs the model at a config's
values with the sampled uncertainties and levers (dotted parameter paths), once per
replication, with the seeds the sweeps use (``experiments.seeds.run_seed``: replication r has
the same seed in every experiment — common random numbers). Every outcome is an
``ArrayOutcome`` (one value per replication): a ``ScalarOutcome`` on a replicated model makes
the workbench's process pool hang, so it is never used here.
``ema_workbench.util.process_replications`` averages the replications before PRIM or SALib.
The workbench wants names that are Python identifiers, so a dotted path is named with ``__``
for each dot (``pilot.value_multiple`` → ``pilot__value_multiple``; ``ema_name``).
The example in ``docs/ema.md`` (LHS over two uncertainties, then PRIM) is run by the tests.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

from ecosystem.errors import ConfigError
from ecosystem.metrics import HEADLINE_FIELDS, SUMMARY_FIELDS
from experiments.config import ExperimentConfig, parse_config
from experiments.seeds import run_seed

SEP = "__"


def ema_name(path: str) -> str:
    """The workbench's name of a dotted parameter path (``.`` → ``__``)."""
    return path.replace(".", SEP)


class ModelRun:
    """A picklable callable: one run at a point, for the workbench's worker processes."""

    def __init__(self, config: dict[str, Any], outcomes: tuple[str, ...]) -> None:
        self.config = config
        self.outcomes = outcomes

    def __call__(self, seed: int, **point: Any) -> dict[str, float]:
        """Run the model at ``point`` (dotted paths) with ``seed``; return the outcomes."""
        from ecosystem.model import ScienceCityModel

        cfg = parse_config(self.config, source="EMA model")
        params = cfg.params_for({k.replace(SEP, "."): v for k, v in point.items()})
        summary = ScienceCityModel(seed=int(seed), params=params).run().summary()
        return {o: float(summary[o]) for o in self.outcomes}


def _parameter(cfg: ExperimentConfig, path: str, bounds: tuple[float, float]):
    from ema_workbench import IntegerParameter, RealParameter

    node: Any = cfg.params_for().model_dump()
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise ConfigError(f"EMA parameter {path!r} is not a model parameter")
        node = node[part]
    low, high = bounds
    if not low < high:
        raise ConfigError(f"EMA parameter {path!r}: bounds {bounds!r} need low < high")
    cfg.params_for({path: low})  # validated now, not in a worker
    cfg.params_for({path: high})
    if isinstance(node, int) and not isinstance(node, bool):
        return IntegerParameter(ema_name(path), int(low), int(high))
    return RealParameter(ema_name(path), float(low), float(high))


def ema_model(
    uncertainties: dict[str, tuple[float, float]],
    levers: dict[str, tuple[float, float]] | None = None,
    outcomes: Iterable[str] = HEADLINE_FIELDS,
    replications: int = 5,
    config: ExperimentConfig | dict[str, Any] | None = None,
    name: str = "sciencecity",
):
    """An ``ema_workbench.ReplicatorModel`` of the model (see the module's docstring).

    ``config`` is an experiment config (or its dict) whose ``[model]`` and ``[policies]`` set the
    values that are not sampled; its ``base_seed`` derives the replications' seeds.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the workbench's notice about ipyparallel
        from ema_workbench import ArrayOutcome, ReplicatorModel

    cfg = config if isinstance(config, ExperimentConfig) else parse_config(config or {})
    outcomes = tuple(outcomes)
    unknown = [o for o in outcomes if o not in SUMMARY_FIELDS]
    if unknown:
        raise ConfigError(f"EMA outcomes {unknown} are not run-summary fields; allowed: "
                          f"{', '.join(SUMMARY_FIELDS)}")
    if replications < 1:
        raise ConfigError(f"replications = {replications}: at least 1 is needed")
    model = ReplicatorModel(name, function=ModelRun(cfg.model_dump(mode="json"), outcomes))
    model.uncertainties = [_parameter(cfg, k, v) for k, v in uncertainties.items()]
    model.levers = [_parameter(cfg, k, v) for k, v in (levers or {}).items()]
    model.outcomes = [ArrayOutcome(o) for o in outcomes]
    base = cfg.experiment.base_seed
    model.replications = [{"seed": run_seed(base, r)} for r in range(replications)]
    return model
