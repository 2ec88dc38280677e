"""Warnings before a sweep starts: too few replications, a short horizon, a thin posterior.

A posterior whose weights rest on a few particles is drawn as those few parameter sets.

The shortest path from discovery to market is the sum of the shortest stage durations every
market entry must pass: proof of concept, a month to find a licensee, the pilot, the IND review
(fast track where a policy grants it), the three trial phases, registration and production
set-up. A run whose whole horizon (spin-up + counted months) is shorter cannot have a single
transfer; a spin-up shorter than the measured stationary length (``SPINUP_MONTHS`` for the
default chain, scaled by how much longer this chain's typical path — the same sum over the mean
durations, still without waiting for money or facilities — is than the default's) leaves the
pipeline filling while it is counted; a
counted period shorter than the typical path from the industrialisation gate to market cannot
show a policy introduced at its first month on market entries. Gates (pilot,
industrialisation) are checked the same way. These are lower bounds from the parameters, not
predictions: passing them does not promise transfers.
"""

from __future__ import annotations

from pathlib import Path

from ecosystem.params import ModelParams
from ecosystem.spinup import SPINUP_MONTHS
from experiments.calibrate_posterior import LOW_ESS_SHARE, kish_ess
from experiments.config import ExperimentConfig
from experiments.design import design_points
from experiments.frames import read_frame
from experiments.statistics import MIN_RELIABLE_REPLICATIONS

MAX_POINTS_CHECKED = 200  # a large sampled design: the first points stand for the rest


def stage_months(params, *, typical: bool) -> dict[str, float]:
    """Months from discovery to reaching each gate along the fastest (or typical) path."""
    pick = (lambda r: (r.low + r.high) / 2) if typical else (lambda r: r.low)
    ind = params.industrialisation
    review = ind.ind_review_months if typical else min(ind.ind_review_months,
                                                        ind.ind_fast_track_months)
    poc = pick(params.poc.duration_months)
    pilot = poc + 1.0 + pick(params.pilot.duration_months)
    industrialisation = pilot + review
    market = (industrialisation + sum(ind.phase_months) + ind.registration_review_months
              + pick(ind.production_setup_months))
    return {"pilot": poc, "industrialisation": industrialisation, "market": market}


def horizon_warnings(cfg: ExperimentConfig) -> list[str]:
    """One line per problem of the horizon, over the design's points (deduplicated)."""
    points = design_points(cfg)[:MAX_POINTS_CHECKED]
    default_typical = stage_months(ModelParams(), typical=True)["market"]
    found: dict[str, str] = {}
    for point in points:
        point = dict(point)
        scenario = point.pop("scenario", None)
        p = cfg.params_for(point, scenario=scenario)
        horizon = p.warmup_months + p.months
        fastest = stage_months(p, typical=False)
        typical = stage_months(p, typical=True)
        for gate, months in fastest.items():
            if horizon < months:
                found.setdefault(
                    f"no-{gate}",
                    f"WARNING: the horizon (warmup_months {p.warmup_months} + months {p.months}"
                    f" = {horizon}) is shorter than the fastest path to the {gate} gate "
                    f"(≈ {months:.0f} months): no project can reach it; raise 'months'.",
                )
        needed = SPINUP_MONTHS * typical["market"] / default_typical
        if horizon >= fastest["market"] and p.warmup_months < needed - 1e-9:
            found.setdefault(
                "short-spin-up",
                f"WARNING: warmup_months = {p.warmup_months} (the status-quo spin-up) is shorter "
                f"than the ≈ {needed:.0f} months this chain needs to become stationary (measured "
                f"{SPINUP_MONTHS} months for the default chain, scaled by the typical "
                f"discovery-to-market path, ≈ {typical['market']:.0f} months): the counted months "
                "start before the pipeline is full, so market entries are understated and the "
                "first ones come only from projects discovered early.",
            )
        if p.months < typical["market"] - typical["industrialisation"]:
            found.setdefault(
                "few-market",
                f"WARNING: months = {p.months} counted months is shorter than the typical path "
                f"from the industrialisation gate to market (≈ "
                f"{typical['market'] - typical['industrialisation']:.0f} months): a policy "
                "introduced at the first counted month cannot show its effect on market entries; "
                "raise 'months' (default 180).",
            )
    return list(found.values())


def replication_warnings(cfg: ExperimentConfig) -> list[str]:
    """A line when the replications are too few for reliable intervals in the report."""
    reps = cfg.experiment.replications
    if reps >= MIN_RELIABLE_REPLICATIONS:
        return []
    return [f"WARNING: replications = {reps}: the report's 95% intervals will not be reliable "
            f"with fewer than {MIN_RELIABLE_REPLICATIONS}."]


def posterior_warnings(cfg: ExperimentConfig) -> list[str]:
    """A line when the posterior's weights rest on a few particles.

    Draws by weight then repeat those few parameter sets, so the sweep's parameter part of each
    effect's variance measures almost nothing.
    """
    draws = cfg.posterior
    if draws is None:
        return []
    # the weights were checked when the draws were made: finite, ≥ 0, not all zero
    weights = read_frame(Path(draws.path))["weight"].to_numpy(dtype=float)
    ess = kish_ess(weights)
    if ess >= LOW_ESS_SHARE * len(weights):
        return []
    return [f"WARNING: posterior = {cfg.experiment.posterior!r}: its weights rest on about "
            f"{ess:.1f} of {len(weights)} particles (effective sample size below "
            f"{LOW_ESS_SHARE:.0%}), so the draws repeat a few parameter sets; calibrate with "
            "more particles for parameter uncertainty."]


def preflight_warnings(cfg: ExperimentConfig) -> list[str]:
    """Everything worth saying before the runs start (printed to stderr by the CLI)."""
    return horizon_warnings(cfg) + replication_warnings(cfg) + posterior_warnings(cfg)
