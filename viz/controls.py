"""The page's own controls: scenario, policy switches and parameters, seed, size and speed.

Mesa's SolaraViz rebuilds a model on *Reset* with ``type(model)(**params)``; the page therefore
shows a :class:`ClassroomModel`, a :class:`~viz.lesson.Lesson` (two worlds of one seed) that
takes every setting it is not given from the page's current :data:`settings` (one value per
browser session). So Reset, a new seed and a new region size all build the lesson from what
the controls show.

* A policy switch or parameter is passed to the policy world (``set_policy``) and takes effect
  from the next month; choosing a scenario switches the policies to that scenario's set the
  same way. The status-quo world never changes. Reset replays the current choice from the
  lesson's start.
* A new seed or region size starts a new lesson at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import solara

from ecosystem import POLICY_NAMES, SCENARIOS
from ecosystem.errors import ConfigError
from viz.lesson import Lesson

DEFAULT_SEED = "42"
SCALES = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)

POLICY_LABELS: dict[str, str] = {
    "professor_ceo": "Professor-CEO",
    "team_formation": "Validation teams",
    "milestone_grants": "Milestone grants",
    "pilot_insurance": "Pilot insurance",
    "pilot_loans": "Pilot loans",
    "shared_platforms": "Shared platforms",
    "reverse_commissioning": "Reverse commissioning",
    "data_platform": "Data platform",
    "review_sync": "Review in sync",
    "guidance_fund": "Guidance fund",
    "one_hour_circle": "One-hour circle",
    "local_cdmo": "Local CDMO",
    "research_hospitals": "Research hospitals",
    "hospital_listing": "Hospital listing",
    "intermediaries": "Intermediaries",
    "enclave_parks": "Enclave parks",
}

#: What the scenario dropdown shows: the same words as the checkboxes.
SCENARIO_LABELS: dict[str, str] = {
    "status_quo": "Status quo (no policy)",
    "full_chain": "All policies (full chain)",
    **POLICY_LABELS,
}
_SCENARIO_BY_LABEL = {label: name for name, label in SCENARIO_LABELS.items()}


def scenario_label(name: str) -> str:
    """The dropdown's label of scenario ``name``."""
    return SCENARIO_LABELS.get(name, name.replace("_", " "))


def scenario_policies(name: str) -> frozenset[str]:
    """Policies a named scenario switches on."""
    if name == "full_chain":
        return frozenset(POLICY_NAMES)
    return frozenset({name}) if name in POLICY_NAMES else frozenset()


@dataclass(frozen=True)
class Settings:
    """What the page's controls show; a model is built from it by :meth:`model_kwargs`."""

    seed: str = DEFAULT_SEED
    scale: float = 1.0
    policy_scenario: str = "status_quo"
    enabled: frozenset[str] = frozenset()
    #: policy parameters the user changed: ((policy, parameter), value) pairs
    params: tuple[tuple[tuple[str, str], Any], ...] = field(default=())
    #: the speed slider: months the lesson advances per step of Play or Step
    months_per_step: int = 1

    def model_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :class:`~ecosystem.ScienceCityModel` for these settings."""
        overrides: dict[str, Any] = {
            f"policies.{name}.enabled": name in self.enabled for name in POLICY_NAMES
        }
        for (policy, key), value in self.params:
            overrides[f"policies.{policy}.{key}"] = value
        return {
            "seed": self.seed,
            "scale": self.scale,
            "policy_scenario": self.policy_scenario,
            "months_per_step": self.months_per_step,
            **overrides,
        }

    def param(self, policy: str, key: str, default: Any) -> Any:
        """Return the value the user set for ``policy.key``, else ``default``."""
        return dict(self.params).get((policy, key), default)

    def with_param(self, policy: str, key: str, value: Any) -> Settings:
        """Return a copy with ``policy.key`` set to ``value``."""
        params = dict(self.params)
        params[(policy, key)] = value
        return replace(self, params=tuple(params.items()))

    def with_scenario(self, name: str) -> Settings:
        """Return a copy with scenario ``name`` chosen and exactly its policies on."""
        return replace(self, policy_scenario=name, enabled=scenario_policies(name))


#: The page's settings, one value per browser session (Solara scopes it to the kernel).
settings: solara.Reactive[Settings] = solara.reactive(Settings())


class ClassroomModel(Lesson):
    """A :class:`~viz.lesson.Lesson` whose missing arguments come from the page's settings.

    A lesson stops at its end by itself (SolaraViz steps ``render_interval`` months per frame
    and only checks ``running`` after them).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**settings.value.model_kwargs(), **kwargs})


def seed_error(text: str) -> str | None:
    """Why ``text`` is not a usable seed, or ``None`` if it is (digits; empty means random)."""
    text = text.strip()
    if text == "" or text.isdigit():
        return None
    return "a seed is a whole number, e.g. 42"


def apply_policy(model: Any, name: str, enabled: bool | None = None, **params: Any) -> str | None:
    """Pass a policy change to the running model; return an error message or ``None``."""
    try:
        model.set_policy(name, enabled=enabled, **params)
    except (ConfigError, ValueError) as exc:
        return str(exc)
    return None


def _current(model: Any, policy: str, key: str) -> Any:
    return getattr(getattr(model.params.policies, policy), key)


@solara.component
def PolicyControls(model: solara.Reactive[Any]) -> None:
    """Scenario selector, one switch per policy and sliders for the main parameters."""
    current = settings.value
    #: (control, message): the last refused change, shown under the control that made it
    error = solara.use_reactive((None, None))

    def show_error(control: str, message: str | None) -> None:
        error.value = (control, message) if message else (None, None)

    def error_under(control: str) -> None:
        if error.value[0] == control and error.value[1]:
            solara.Error(error.value[1], dense=True, classes=[f"sc-error-{control}"])

    def switch(name: str, on: bool) -> None:
        enabled = current.enabled | {name} if on else current.enabled - {name}
        settings.value = replace(current, enabled=frozenset(enabled))
        show_error(name, apply_policy(model.value, name, enabled=on))

    def choose(name: str) -> None:
        new = current.with_scenario(name)
        settings.value = new
        messages = [apply_policy(model.value, p, enabled=p in new.enabled) for p in POLICY_NAMES]
        show_error("scenario", next((m for m in messages if m), None))

    def set_param(policy: str, key: str) -> Callable[[Any], None]:
        def on_value(value: Any) -> None:
            settings.value = settings.value.with_param(policy, key, value)
            show_error(f"{policy}.{key}", apply_policy(model.value, policy, **{key: value}))

        return on_value

    def tranche(i: int) -> Callable[[float], None]:
        def on_value(value: float) -> None:
            tranches = list(
                current.param(
                    "milestone_grants",
                    "tranches_mrmb",
                    _current(model.value, "milestone_grants", "tranches_mrmb"),
                )
            )
            tranches[i] = round(float(value), 3)
            set_param("milestone_grants", "tranches_mrmb")(tuple(tranches))

        return on_value

    with solara.Card("Scenario and policies", margin=0, classes=["sc-card", "sc-policies"]):
        solara.Select(
            "Scenario",
            values=[scenario_label(name) for name in SCENARIOS],
            value=scenario_label(current.policy_scenario),
            on_value=lambda label: choose(_SCENARIO_BY_LABEL.get(label, label)),
        )
        error_under("scenario")
        solara.Text(
            "Switches and sliders act from the next month in the chosen-policies world; "
            "Reset replays from the lesson's start.",
            style={"font-size": "0.8em", "color": "#607d8b"},
        )
        with solara.Div(classes=["sc-policy-grid"]):
            for name in POLICY_NAMES:
                solara.Checkbox(
                    label=POLICY_LABELS.get(name, name),
                    value=name in current.enabled,
                    on_value=lambda on, name=name: switch(name, on),
                    style="margin-top: 0; padding-top: 0; height: 24px;",
                )
        for name in POLICY_NAMES:
            error_under(name)
        with solara.Details("Policy settings (sliders)"):
            PolicySliders(model, current, set_param, tranche, error_under)


@solara.component
def PolicySliders(
    model: solara.Reactive[Any],
    current: Settings,
    set_param: Callable[[str, str], Callable[[Any], None]],
    tranche: Callable[[int], Callable[[float], None]],
    error_under: Callable[[str], None],
) -> None:
    """Sliders of the main policy parameters (in a collapsed panel to keep the sidebar short)."""
    subsidy = current.param(
        "pilot_insurance",
        "premium_subsidy",
        _current(model.value, "pilot_insurance", "premium_subsidy"),
    )
    solara.SliderFloat(
        f"Premium subsidy: {subsidy:.0%}",
        value=subsidy,
        on_value=set_param("pilot_insurance", "premium_subsidy"),
        min=0.0,
        max=1.0,
        step=0.05,
    )
    error_under("pilot_insurance.premium_subsidy")
    minutes = int(
        current.param(
            "one_hour_circle",
            "circle_minutes",
            _current(model.value, "one_hour_circle", "circle_minutes"),
        )
    )
    solara.SliderInt(
        f"Circle: {minutes} min",
        value=minutes,
        on_value=set_param("one_hour_circle", "circle_minutes"),
        min=15,
        max=180,
        step=5,
    )
    error_under("one_hour_circle.circle_minutes")
    tranches = current.param(
        "milestone_grants",
        "tranches_mrmb",
        _current(model.value, "milestone_grants", "tranches_mrmb"),
    )
    for i, label in enumerate(("start", "midway", "end")):
        solara.SliderFloat(
            f"Grant at {label}: {float(tranches[i]):.2f} M RMB",
            value=float(tranches[i]),
            on_value=tranche(i),
            min=0.0,
            max=2.0,
            step=0.05,
        )
    error_under("milestone_grants.tranches_mrmb")


@solara.component
def RunControls(
    model: solara.Reactive[Any], on_finished_replaced: Callable[[], None] | None = None
) -> None:
    """Seed and region size: changing either starts a new run.

    Args:
        model: the page's model.
        on_finished_replaced: called when the run replaced had already ended, so the page can
            re-enable SolaraViz's Play and Step buttons (which stay off after a run's end).
    """
    current = settings.value
    message = solara.use_reactive(None)

    def restart(new: Settings) -> None:
        settings.value = new
        ended = not getattr(model.value, "running", True)
        try:
            model.value = ClassroomModel()
        except (ConfigError, ValueError) as exc:
            message.value = str(exc)
            return
        message.value = None
        if ended and on_finished_replaced is not None:
            on_finished_replaced()

    def on_seed(text: str | None) -> None:
        text = (text or "").strip()
        problem = seed_error(text)
        if problem:
            message.value = problem
            return
        restart(replace(current, seed=text))

    with solara.Card("Run", margin=0, classes=["sc-card", "sc-run"]):
        solara.InputText(
            "Seed (press Enter)",
            value=current.seed,
            on_value=on_seed,
            continuous_update=False,
            error=message.value or False,
        )
        solara.SliderFloat(
            f"Size of the region: ×{current.scale:g}",
            value=current.scale,
            on_value=lambda s: restart(replace(current, scale=float(s))),
            min=SCALES[0],
            max=SCALES[-1],
            step=0.25,
        )
        solara.Text(
            "A new seed or size starts a new lesson.",
            style={"font-size": "0.8em", "color": "#607d8b"},
        )


#: Speed slider steps: months the lesson advances per step of Play (and per Step click).
SPEEDS = (1, 2, 3, 6, 12)


@solara.component
def SpeedControl(model: solara.Reactive[Any]) -> None:
    """A "speed" slider for a class, in place of Mesa's play and render intervals.

    The lesson itself advances that many months per step (Mesa's render interval, whose hidden
    slider only takes odd values, stays at 1).
    """
    current = settings.value.months_per_step
    level = SPEEDS.index(current) if current in SPEEDS else 0
    n = SPEEDS[level]

    def on_level(i: int) -> None:
        months = SPEEDS[int(i)]
        settings.value = replace(settings.value, months_per_step=months)
        model.value.months_per_step = months

    with solara.Card(margin=0, classes=["sc-card", "sc-speed"]):
        solara.SliderInt(
            f"Speed: {n} month{'s' if n > 1 else ''} per step",
            value=level,
            on_value=on_level,
            min=0,
            max=len(SPEEDS) - 1,
            step=1,
            tick_labels=False,
        )
