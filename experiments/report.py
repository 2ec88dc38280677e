"""The report of a results folder; this module only orchestrates the modules that make it.

``write_report(DIR)`` reads what a run or sweep wrote (``experiments.loading``) and writes
``DIR/report/``:

* ``summary.csv`` / ``summary.md`` — per parameter point, mean and 95% bootstrap interval over
  replications of the headline outcomes (``experiments.tables``);
* ``effects.csv`` / ``effects.md`` — every point against the reference point on PAIRED runs
  (``experiments.effects``: scenario sweeps, grid sweeps, and LHS/Sobol/Morris sweeps that set
  ``compare_to = "baseline"``), and for scenario sweeps holding ``full_chain`` and single
  policies ``interaction.csv`` (additive and multiplicative nulls). Every effect carries its
  minimal detectable effect and its re-estimates on two disjoint seed sets
  (``experiments.statistics``); effects.md adds when the effect shows at each gate after the
  introduction (``response_over_time.csv``, ``onset.csv``, ``experiments.over_time``) and how
  many replications would resolve market and clinical entries (``power.csv``,
  ``experiments.power``);
* ``gates.csv`` and a gate table in ``summary.md`` — per point, the flow through every gate
  and the cohorts' Kaplan–Meier conversion (``experiments.gate_report``);
* ``sensitivity.csv`` / ``sensitivity.md`` for Sobol, Morris and LHS sweeps
  (``experiments.sensitivity``);
* ``posterior_effects.csv`` / ``posterior_effects.md`` instead of ``effects.*`` for a sweep that
  draws its parameter sets from a posterior (``experiments.posterior_effects``: intervals that
  combine parameter and stochastic uncertainty, and which part dominates);
* ``effect_sensitivity.csv`` / ``effect_sensitivity.md`` instead of ``sensitivity.*`` and
  ``effects.*`` for a Sobol sweep crossed with scenarios (``experiments.effect_sensitivity``:
  Sobol indices of the paired policy effects);
* the figures of ``experiments.figures`` (PNG and SVG).

Column definitions of every file: ``docs/outputs.md``. With fewer than five replications the
report says that its intervals are not reliable.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from experiments import effect_sensitivity as esx
from experiments import effects as fx
from experiments import figures, power, sensitivity
from experiments import over_time as over_time_md
from experiments import posterior_effects as pfx
from experiments.gate_report import gate_markdown, gate_report
from experiments.loading import SCENARIO_COLUMN, Results, load_results
from experiments.statistics import replication_warning
from experiments.tables import (
    figure_section,
    main_table,
    point_labels,
    provenance,
    summary_frame,
    summary_markdown,
)


def write_report(out_dir: Path) -> str:
    """Write ``out_dir/report/`` and return a short text summary of what it found and wrote.

    The text is what ``sciencecity report`` and ``reproduce`` print: the files, the headline
    table and, when they apply, the paired effects, the interaction verdict and the most
    influential parameters, so a terminal user sees the answer without opening a file.
    """
    results = load_results(out_dir)
    out = Path(out_dir) / "report"
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    runs = results.runs
    labels = point_labels(runs)

    summary = summary_frame(runs)
    summary.to_csv(out / "summary.csv", index=False)
    written.append("summary.csv")
    warning = replication_warning(results.replications)
    text = [
        f"Report of '{results.name}' ({provenance(results).removeprefix('Experiment: ')})",
        *([warning] if warning else []),
        "",
        main_table(summary),
    ]

    effects = inter = over_time = pd.DataFrame()
    cfg = results.config
    posterior = cfg is not None and cfg.experiment.posterior is not None
    crossed = esx.is_effect_design(cfg)
    reference = (
        fx.reference_point(results)
        if runs["point_id"].nunique() > 1 and not (posterior or crossed)
        else None
    )
    post_figure = None
    if posterior:
        assert cfg is not None
        table = pfx.posterior_effects(runs, cfg)
        table.to_csv(out / "posterior_effects.csv", index=False)
        (out / "posterior_effects.md").write_text(
            pfx.posterior_markdown(table, cfg, results.name, provenance(results))
        )
        written += ["posterior_effects.csv", "posterior_effects.md"]
        text += ["", "Paired effects under parameter uncertainty (posterior draws × seeds):",
                 pfx.posterior_text(table)]
        post_figure = (table, pfx.draw_effects(runs, cfg, "gate_clinical_per_year"))
    effect_sens = pd.DataFrame()
    if crossed:
        assert cfg is not None
        effect_sens = esx.effect_sensitivity(runs, cfg)
        effect_sens.to_csv(out / "effect_sensitivity.csv", index=False)
        (out / "effect_sensitivity.md").write_text(
            esx.effect_sensitivity_markdown(effect_sens, results.name, provenance(results))
        )
        written += ["effect_sensitivity.csv", "effect_sensitivity.md"]
        text += ["", esx.effect_sensitivity_text(effect_sens)]
    if reference is not None:
        paired = runs
        if reference == fx.REFERENCE_POINT:
            paired = pd.concat([runs, fx.baseline_runs(results)], ignore_index=True)
            labels = {**labels, fx.REFERENCE_POINT: fx.BASELINE}
        effects = fx.paired_effects(paired, reference, labels)
        if SCENARIO_COLUMN in runs.columns:
            inter = fx.interaction_effects(runs, labels[reference])
        ref_runs = paired[paired["point_id"] == reference]
        effects.to_csv(out / "effects.csv", index=False)
        over_time, starts, late = _over_time(results, reference, labels)
        powers = power.power_table(effects)
        for name, frame in (("response_over_time.csv", over_time), ("onset.csv", starts),
                            ("late_window.csv", late), ("power.csv", powers)):
            if not frame.empty:
                frame.to_csv(out / name, index=False)
                written.append(name)
        (out / "effects.md").write_text(
            fx.effects_markdown(effects, inter, results, ref_runs)
            + "".join(f"\n{part}" for part in (
                over_time_md.onset_markdown(starts, labels[reference]),
                over_time_md.late_window_markdown(late, labels[reference]),
                fx.halves_markdown(effects, fx.split_chance_counts(paired, reference)),
                power.power_markdown(powers, labels[reference], results.replications),
            ) if part)
        )
        written += ["effects.csv", "effects.md"]
        if not inter.empty:
            inter.to_csv(out / "interaction.csv", index=False)
            written.append("interaction.csv")
        text += ["", f"Paired effects against {labels[reference]} (95% CI · MDE; † = the two "
                 "seed halves disagree):", fx.effects_text(effects)]
        if not starts.empty:
            text += ["", "Months since introduction until the cumulative effect shows (95% CI "
                     "excludes 0), per gate:", over_time_md.onset_text(starts)]
        if not powers.empty:
            text += ["", power.power_text(powers)]
        if not inter.empty:
            text += ["", fx.interaction_sentence(inter)]

    sens = pd.DataFrame()
    if (results.method in sensitivity.SENSITIVITY_METHODS and results.config is not None
            and not crossed):
        sens = sensitivity.sensitivity_indices(runs, results.config)
        sens.to_csv(out / "sensitivity.csv", index=False)
        (out / "sensitivity.md").write_text(
            sensitivity.sensitivity_markdown(sens, results.name, provenance(results))
        )
        written += ["sensitivity.csv", "sensitivity.md"]
        text += ["", sensitivity.sensitivity_text(sens)]

    gates = gate_report(runs, point_labels(runs)) if GATE_COLUMN in runs.columns else None
    if gates is not None and not gates.empty:
        gates.to_csv(out / "gates.csv", index=False)
        written.append("gates.csv")
    figs, problems = figures.write_figures(
        out, runs, results.timeseries, point_labels(runs),
        method=results.method, effects=effects, sensitivity=sens,
        posterior=post_figure, effect_sensitivity=effect_sens, over_time=over_time,
    )
    fig_names = sorted({p.stem for p in figs})
    (out / "summary.md").write_text(
        summary_markdown(summary, results)
        + (f"\n{gate_markdown(gates)}" if gates is not None and not gates.empty else "")
        + figure_section(fig_names, problems)
    )
    written.insert(1, "summary.md")
    text.insert(1, f"wrote {out}/: " + ", ".join(written)
                + (f"; figures (PNG+SVG): {', '.join(fig_names)}" if fig_names else ""))
    text += [f"figure problem: {p}" for p in problems]
    return "\n".join(text)


GATE_COLUMN = "gate_poc_per_year"  # runs made before the gate fields have no gate table


def _over_time(
    results: Results, reference: int, labels: dict[int, str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The response over time since introduction, its onset and its steady-state effects.

    Each is empty without data.

    Needs the reference's monthly timeseries in the folder: not the case for the baseline runs
    a sampled design adds in ``reference/``.
    """
    ts = results.timeseries
    if ts is None or ts.empty or reference == fx.REFERENCE_POINT:
        return pd.DataFrame(), pd.DataFrame(), pd.DataFrame()
    flows = over_time_md.gate_flows_by_year(ts, results.runs)
    response = over_time_md.response_over_time(flows, reference, labels)
    if response.empty:
        return response, pd.DataFrame(), pd.DataFrame()
    late = over_time_md.late_window_effect(flows, reference, labels)
    return response, over_time_md.onset(response), late
