"""Diagnostic figures of a calibration, each saved as PNG and SVG.

* ``posterior_marginals`` — each parameter's weighted posterior histogram, the accepted sets
  unweighted and the prior density;
* ``posterior_pairs`` — particles in every pair of parameters, marker area ∝ weight;
* ``epsilon_schedule`` — the tolerance per generation and the acceptance rate;
* ``predictive_checks`` — per target (calibration, checks of the inputs, validation) the
  posterior predictive values against the target range.

Drawn on ``Figure`` objects with an Agg canvas (no pyplot state), as ``experiments.figures``.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import numpy as np

from experiments.calibrate_posterior import Posterior
from experiments.calibrate_predictive import (
    Predictive,
    calibration_checks,
    input_checks,
    validation_checks,
)
from experiments.calibrate_priors import scipy_distribution
from experiments.calibrate_targets import Check
from experiments.figures import _figure, _save

POSTERIOR_COLOUR = "#3b6ea5"
PRIOR_COLOUR = "#999999"
ACCEPTED_COLOUR = "#c0504d"
GROUP_COLOURS = {"calibration": "#3b6ea5", "inputs": "#7f7f7f", "validation": "#c0504d"}


def _grid(n: int, cols: int = 3) -> tuple[int, int]:
    cols = min(cols, n)
    return math.ceil(n / cols), cols


def marginals(post: Posterior, out: Path) -> list[Path]:
    """Weighted posterior histograms, the accepted sets unweighted, and the prior density.

    Both are drawn because the weights can rest on a few particles (see the report's
    effective sample size) while every accepted set met the final tolerance.
    """
    params = post.parameters
    weighted_mean, accepted_mean = post.mean(), post.accepted_mean()
    rows, cols = _grid(len(params))
    fig = _figure(4.0 * cols, 3.0 * rows)
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    for ax, p in zip(axes, params, strict=False):
        prior = scipy_distribution(post.config.parameters[p])
        lo, hi = prior.ppf(0.001), prior.ppf(0.999)
        x = np.linspace(lo, hi, 200)
        ax.fill_between(x, prior.pdf(x), color=PRIOR_COLOUR, alpha=0.3, label="prior")
        ax.hist(
            post.particles[p],
            bins=15,
            range=(lo, hi),
            weights=post.weights,
            density=True,
            color=POSTERIOR_COLOUR,
            alpha=0.8,
            label="posterior (weighted)",
        )
        ax.hist(
            post.particles[p],
            bins=15,
            range=(lo, hi),
            density=True,
            histtype="step",
            color="black",
            lw=1,
            label="accepted sets (unweighted)",
        )
        ax.axvline(weighted_mean[p], color="black", lw=1, ls="--", label="posterior mean")
        ax.axvline(accepted_mean[p], color=ACCEPTED_COLOUR, lw=1.5, label="accepted sets' mean")
        ax.set_title(p, fontsize=9)
        ax.set_ylabel("density")
    for ax in axes[len(params) :]:
        ax.set_visible(False)
    axes[0].legend(fontsize=7)
    fig.suptitle(f"Posterior marginals ({len(post.particles)} particles, last generation)")
    return _save(fig, out, "posterior_marginals")


def pairs(post: Posterior, out: Path) -> list[Path]:
    """Every pair of parameters; marker area proportional to the particle's weight."""
    params = post.parameters
    k = len(params)
    fig = _figure(2.6 * k, 2.6 * k)
    axes = np.array(fig.subplots(k, k, squeeze=False))
    sizes = 400 * post.weights / post.weights.max()
    for i, pi in enumerate(params):
        for j, pj in enumerate(params):
            ax = axes[i, j]
            if i == j:
                ax.hist(post.particles[pi], bins=15, weights=post.weights, color=POSTERIOR_COLOUR)
            elif i > j:
                ax.scatter(
                    post.particles[pj],
                    post.particles[pi],
                    s=sizes,
                    alpha=0.5,
                    color=POSTERIOR_COLOUR,
                    edgecolor="none",
                )
            else:
                ax.set_visible(False)
                continue
            if i == k - 1:
                ax.set_xlabel(pj.replace(".", ".\n", 1), fontsize=7)
            if j == 0 and i != j:
                ax.set_ylabel(pi.replace(".", ".\n", 1), fontsize=7)
            ax.tick_params(labelsize=6)
    fig.suptitle("Posterior particles, pairwise (area ∝ weight)")
    return _save(fig, out, "posterior_pairs")


def epsilon_schedule(post: Posterior, out: Path) -> list[Path]:
    """Tolerance and acceptance rate per generation."""
    gens = post.generations
    fig = _figure(6.0, 3.5)
    ax = fig.subplots()
    ax.plot(gens["t"], gens["epsilon"], marker="o", color=POSTERIOR_COLOUR)
    ax.set_xlabel("generation")
    ax.set_ylabel("tolerance ε (RMS gap in target scales)", color=POSTERIOR_COLOUR)
    ax.set_xticks(gens["t"])
    twin = ax.twinx()
    twin.plot(gens["t"], gens["acceptance_rate"], marker="s", color="#c0504d", ls="--")
    twin.set_ylabel("acceptance rate", color="#c0504d")
    twin.set_ylim(0, 1.05)
    ax.set_title("Tolerance schedule")
    return _save(fig, out, "epsilon_schedule")


def predictive_checks(post: Posterior, pred: Predictive, out: Path) -> list[Path]:
    """Each target's posterior predictive values (dots), 90% interval, and target range."""
    groups = [
        ("calibration", calibration_checks(post.config, pred)),
        ("inputs", input_checks(pred)),
        ("validation", validation_checks(post.config, pred)),
    ]
    panels: list[tuple[str, Check]] = [(g, c) for g, checks in groups for c in checks]
    rows, cols = _grid(len(panels), 4)
    fig = _figure(3.4 * cols, 2.6 * rows)
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    rng = np.random.default_rng(0)  # horizontal jitter of the dots only
    for ax, (group, c) in zip(axes, panels, strict=False):
        colour = GROUP_COLOURS[group]
        ax.axhspan(c.low, c.high, color="#2ca02c", alpha=0.25, label="target range")
        if c.low == c.high:
            ax.axhline(c.low, color="#2ca02c")
        v = c.values[np.isfinite(c.values)]
        if v.size:
            if c.draws is None:  # per-draw values; pooled checks hold bootstrap replicates
                ax.scatter(rng.uniform(-0.2, 0.2, v.size), v, s=8, color=colour, alpha=0.6)
            lo, hi = c.interval
            ax.errorbar(
                [0.45],
                [c.estimate],
                yerr=[[c.estimate - lo], [hi - c.estimate]],
                fmt="o",
                color="black",
                capsize=3,
            )
        else:
            ax.text(0.5, 0.5, "not measurable", transform=ax.transAxes, fontsize=8, ha="center")
        verdict = {True: "pass", False: "FAIL", None: "n/a"}[c.passed]
        ax.set_title(textwrap.fill(f"[{group}] {c.label or c.name} — {verdict}", 34), fontsize=8)
        ax.set_xlim(-0.5, 0.8)
        ax.set_xticks([])
        ax.tick_params(labelsize=7)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    fig.suptitle(
        "Posterior predictive checks (dots: draws; bar: mean and 90% interval; green: target)",
        fontsize=10,
    )
    return _save(fig, out, "predictive_checks")


def write_figures(post: Posterior, pred: Predictive, out: Path) -> list[Path]:
    """All diagnostic figures into ``out/figures``."""
    folder = out / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    paths = marginals(post, folder) + epsilon_schedule(post, folder)
    if len(post.parameters) > 1:
        paths += pairs(post, folder)
    return paths + predictive_checks(post, pred, folder)
