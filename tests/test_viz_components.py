"""In-process tests of the classroom page (``viz/``), rendered with ``solara.render``.

The page shows a lesson (:mod:`viz.lesson`): two worlds spun up on a small region.

The page is wrapped in ``solara.AppLayout`` as ``solara run`` does, so SolaraViz's sidebar
controls exist. A real browser is exercised in ``tests/e2e/test_viz_browser.py``.
"""

from __future__ import annotations

import math
import time

import ipyvue
import ipyvuetify as v
import ipywidgets
import pytest
import solara
from mesa.visualization.utils import update_counter

from agents import Enterprise, Investor, PilotPlatform
from viz import controls
from viz.app import Page
from viz.charts import CHARTS, lesson_tables
from viz.controls import (
    ClassroomModel,
    Settings,
    scenario_label,
    scenario_policies,
    seed_error,
)
from viz.headline import format_figure
from viz.map_view import map_data, map_spec
from viz.style import AGENT_KINDS, agent_kind

SMALL = 0.25  # region scale for fast tests


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test starts from the page's default settings on a small region."""
    controls.settings.set(Settings(scale=SMALL))
    update_counter.set(0)
    yield
    controls.settings.set(Settings())


@pytest.fixture
def page():
    """The rendered page: (render context, the model reactive of the page)."""
    box, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    yield rc
    rc.close()


def _button(rc, label: str):
    finder = rc.find(v.Btn, children=[label])
    finder.assert_single()
    return finder.widget


def _walk(widget):
    """The widget and all its descendants (``rc.find`` does not look inside a match)."""
    yield widget
    for child in getattr(widget, "children", None) or []:
        if isinstance(child, ipywidgets.Widget):
            yield from _walk(child)


def _with_class(rc, widget_class, name: str) -> list:
    """Widgets of ``widget_class`` whose Vue ``class`` includes ``name``."""
    return [
        w
        for w in _walk(rc.container)
        if isinstance(w, widget_class) and name in str(getattr(w, "class_", "") or "").split()
    ]


def _month_text(rc) -> str:
    (month,) = _with_class(rc, ipyvue.Html, "sc-month")
    return month.children[0]


def _figures(rc) -> list[str]:
    """The headline figures as shown, in page order."""
    from solara.widgets.widgets import HTML

    return [
        w.unsafe_innerHTML
        for w in rc.find(HTML).widgets
        if "sc-figure" in (w.attributes or {}).get("class", "").split()
    ]


def _vega_specs(rc) -> list[dict]:
    """Spec (layout plus data) of each chart, map first."""
    from viz.vega_view import VegaView

    return [
        {**w.spec, "datasets": w.datasets} for w in _walk(rc.container) if isinstance(w, VegaView)
    ]


def _slider(rc, prefix: str):
    """The slider whose label (which shows its value) starts with ``prefix``."""
    (slider,) = [
        w for w in _walk(rc.container) if isinstance(w, v.Slider) and w.label.startswith(prefix)
    ]
    return slider


def _checkbox(rc, label: str):
    finder = rc.find(v.Checkbox, label=label)
    finder.assert_single()
    return finder.widget


_page_models: list = []


@pytest.fixture(autouse=True)
def track_models(monkeypatch):
    """Record every lesson (ClassroomModel) the page builds, newest last."""
    _page_models.clear()
    original = ClassroomModel.__init__

    def init(self, **kwargs):
        original(self, **kwargs)
        _page_models.append(self)

    monkeypatch.setattr(ClassroomModel, "__init__", init)


# --- pure helpers -------------------------------------------------------------------------------


def test_settings_build_lesson_kwargs_with_all_policy_switches():
    s = Settings(seed="7", scale=0.5).with_scenario("pilot_insurance")
    s = s.with_param("pilot_insurance", "premium_subsidy", 0.6)
    kwargs = s.model_kwargs()
    assert kwargs["seed"] == "7" and kwargs["scale"] == 0.5
    assert kwargs["policy_scenario"] == "pilot_insurance"
    assert kwargs["policies.pilot_insurance.enabled"] is True
    assert kwargs["policies.local_cdmo.enabled"] is False
    assert kwargs["policies.pilot_insurance.premium_subsidy"] == 0.6
    lesson = ClassroomModel(**kwargs)
    assert lesson.seed == 7
    lesson.step()  # the choice acts from the lesson's first month
    assert lesson.world.active == {"pilot_insurance"} and not lesson.quo.active
    assert lesson.world.params.policies.pilot_insurance.premium_subsidy == 0.6
    assert lesson.quo.params.policies.pilot_insurance.premium_subsidy != 0.6


def test_scenarios_switch_the_right_policies_and_read_like_the_checkboxes():
    from ecosystem import POLICY_NAMES

    assert scenario_policies("status_quo") == frozenset()
    assert scenario_policies("full_chain") == frozenset(POLICY_NAMES)
    assert scenario_policies("review_sync") == {"review_sync"}
    for name in POLICY_NAMES:
        assert scenario_label(name) == controls.POLICY_LABELS[name]


def test_seed_validation():
    assert seed_error("42") is None
    assert seed_error("  ") is None  # empty: a random seed
    assert seed_error("abc") is not None
    assert seed_error("-3") is not None


def test_format_figure_shows_dash_when_undefined():
    assert format_figure(math.nan, "{:.1f}", "") == "—"
    assert format_figure(None, "{:.1f}", "") == "—"
    assert format_figure(3.14159, "{:.1f}", " months") == "3.1 months"


def test_every_kind_has_its_own_colour_and_its_own_marker():
    kinds = list(AGENT_KINDS.values())
    assert len({k.color for k in kinds}) == len(kinds)
    assert len({k.shape for k in kinds}) == len(kinds)
    assert len({k.label for k in kinds}) == len(kinds)
    assert all(k.size >= 100 for k in kinds)  # seen from the back of a room


def test_map_shows_every_kind_of_actor_the_model_has():
    lesson = ClassroomModel(scale=1.0)
    world = lesson.world
    drawn = {agent_kind(a) for a in world.agents} - {None}
    kinds = {a.kind for a in world.agents if isinstance(a, Enterprise | Investor)}
    tiers = {f"platform_{a.tier}" for a in world.agents if isinstance(a, PilotPlatform) and a.cell}
    assert {"institution", "hospital"} | kinds | tiers <= drawn
    data = map_data(world)
    labels = set(data.actors["kind"])
    assert {AGENT_KINDS[k].label for k in drawn} == labels
    assert (data.actors["details"] != "").all()


def test_map_frame_fits_the_actors_and_the_circle():
    lesson = ClassroomModel(scale=1.0)
    data = map_data(lesson.world)
    reach = max(data.actors["x"].abs().max(), data.actors["y"].abs().max(), data.ring_km)
    assert reach <= data.half_km <= reach + 10.0
    grid_half = (lesson.world.grid.dimensions[0] - 1) / 2 * lesson.world.region.cell_km
    assert data.half_km < grid_half  # tighter than the whole grid


def test_map_ring_follows_the_circle_policy():
    lesson = ClassroomModel()
    before = map_data(lesson.world).ring_km
    lesson.set_policy("one_hour_circle", enabled=True, circle_minutes=90)
    lesson.step()
    after = map_data(lesson.world)
    assert after.circle_minutes == 90
    assert after.ring_km == pytest.approx(before * 1.5)
    assert map_data(lesson.quo).circle_minutes == 60  # the status quo keeps its circle


def test_projects_on_the_map_can_be_inspected():
    lesson = ClassroomModel(scale=1.0)
    data = map_data(lesson.world)
    active = len(lesson.world.chain.active)
    assert active > 0, "the lesson starts with projects in the pipeline"
    assert len(data.projects) + data.projects_out_of_region == active
    assert set(data.projects["stage"]) <= {"Proof of concept", "Pilot", "Industrialisation"}
    assert set(data.projects["stage"]) >= {"Proof of concept", "Pilot"}
    assert (data.projects["holder"] != "").all()
    assert (data.projects["raised"] >= 0).all() and (data.projects["months"] >= 0).all()
    tooltip = {t["title"] for t in map_spec(data)["layer"][4]["encoding"]["tooltip"]}
    assert {"Held by", "Stage", "Money raised (M RMB)", "Piloted at"} <= tooltip


def test_specs_are_plain_vega_lite_in_years_since_the_start():
    lesson = ClassroomModel()
    for _ in range(6):
        lesson.step()
    tables = lesson_tables(lesson)
    specs = [make(tables) for _, make in CHARTS] + [map_spec(map_data(lesson.world))]
    for spec in specs:
        assert "$schema" not in spec
        assert spec["usermeta"]["embedOptions"]["actions"] is False
        assert spec["datasets"]
    transfers = specs[0]["datasets"]["series"]
    assert {row["world"] for row in transfers} == {"Chosen policies", "Status quo"}
    assert {row["years"] for row in transfers} == {m / 12 for m in range(7)}
    assert all(row["transfers"] >= 0 for row in transfers)
    assert [row["transfers"] for row in transfers if row["years"] == 0] == [0, 0]


def test_charts_at_the_start_have_an_origin_row():
    lesson = ClassroomModel()
    tables = lesson_tables(lesson)
    for table in tables.values():
        assert len(table) == 1 and table["years"].iloc[0] == 0
        assert table["transfers"].iloc[0] == 0
    for _, make in CHARTS:
        make(tables)  # no error at the start


# --- the rendered page ---------------------------------------------------------------------------


def test_page_renders_controls_map_charts_and_help(page):
    rc = page
    for label in ("Reset", "Step", "▶"):
        _button(rc, label)
    assert len(_vega_specs(rc)) == 5  # map + four charts
    assert [w for w in _walk(rc.container) if "sc-help" in str(getattr(w, "class_", ""))]
    rc.find(v.Select, label="Scenario").assert_single()
    rc.find(v.TextField, label="Seed (press Enter)").assert_single()
    assert _month_text(rc).startswith("Month 0 of 240 · 0.0 years since the lesson's start")
    scenario = rc.find(v.Select, label="Scenario").widget
    assert "Validation teams" in scenario.items and "team_formation" not in scenario.items


def test_step_advances_both_worlds_and_redraws(page):
    rc = page
    before = [s["datasets"] for s in _vega_specs(rc)]
    step = _button(rc, "Step")
    for _ in range(3):
        step.click()
    assert _month_text(rc).startswith("Month 3 of")
    after = [s["datasets"] for s in _vega_specs(rc)]
    assert after != before
    lesson = _page_models[-1]
    assert lesson.month == 3 and lesson.quo.month == lesson.world.month


def test_speed_slider_sets_months_per_step(page):
    rc = page
    _slider(rc, "Speed:").v_model = 3  # 6 months per step
    assert _slider(rc, "Speed:").label == "Speed: 6 months per step"
    _button(rc, "Step").click()
    assert _page_models[-1].month == 6


def test_policy_switch_reaches_the_policy_world_next_month(page):
    rc = page
    lesson = _page_models[-1]
    box = _checkbox(rc, controls.POLICY_LABELS["pilot_insurance"])
    box.v_model = True
    assert "pilot_insurance" in controls.settings.value.enabled
    assert "pilot_insurance" not in lesson.world.active  # takes effect from the next month
    _button(rc, "Step").click()
    assert _page_models[-1] is lesson  # not a reset
    assert "pilot_insurance" in lesson.world.active
    assert not lesson.quo.active


def test_scenario_selector_switches_policies_live_and_reset_replays(page):
    rc = page
    lesson = _page_models[-1]
    rc.find(v.Select, label="Scenario").widget.v_model = scenario_label("full_chain")
    assert controls.settings.value.enabled == scenario_policies("full_chain")
    assert _checkbox(rc, controls.POLICY_LABELS["local_cdmo"]).v_model is True
    _button(rc, "Step").click()
    assert set(lesson.world.active) == set(scenario_policies("full_chain"))
    _button(rc, "Reset").click()  # Mesa's reset: type(model)(**params) -> page settings
    rebuilt = _page_models[-1]
    assert rebuilt is not lesson and rebuilt.month == 0
    _button(rc, "Step").click()
    assert set(rebuilt.world.active) == set(scenario_policies("full_chain"))


def test_circle_slider_changes_the_ring(page):
    rc = page
    lesson = _page_models[-1]
    _checkbox(rc, controls.POLICY_LABELS["one_hour_circle"]).v_model = True
    _slider(rc, "Circle:").v_model = 120
    _button(rc, "Step").click()
    assert lesson.world.region.circle.minutes == 120
    ring_label = _vega_specs(rc)[0]["datasets"]["ring_label"][0]["text"]
    assert "120 min" in ring_label


def test_refused_value_shows_its_error_next_to_its_slider(page):
    rc = page
    _slider(rc, "Circle:").v_model = -5
    alerts = _with_class(rc, v.Alert, "sc-error-one_hour_circle.circle_minutes")
    assert len(alerts) == 1


def test_grant_and_subsidy_sliders_reach_the_policy_world(page):
    rc = page
    lesson = _page_models[-1]
    _slider(rc, "Premium subsidy:").v_model = 0.7
    _slider(rc, "Grant at midway:").v_model = 1.0
    _button(rc, "Step").click()
    assert lesson.world.params.policies.pilot_insurance.premium_subsidy == pytest.approx(0.7)
    assert lesson.world.params.policies.milestone_grants.tranches_mrmb[1] == pytest.approx(1.0)


def test_typed_seed_arrives_as_string_and_resets(page):
    rc = page
    _button(rc, "Step").click()
    field = rc.find(v.TextField, label="Seed (press Enter)").widget
    field.v_model = "1234"
    field.fire_event("keyup.enter", None)
    lesson = _page_models[-1]
    assert lesson.seed == 1234 and lesson.month == 0
    assert _month_text(rc).startswith("Month 0 of")


def test_bad_seed_shows_the_message_on_the_field_and_keeps_the_run(page):
    rc = page
    n = len(_page_models)
    field = rc.find(v.TextField, label="Seed (press Enter)").widget
    field.v_model = "twelve"
    field.fire_event("keyup.enter", None)
    assert len(_page_models) == n
    assert field.error is True
    assert any("whole number" in m for m in field.messages)


def test_end_of_the_lesson_says_so_and_a_new_seed_switches_play_back_on(page):
    rc = page
    lesson = _page_models[-1]
    while lesson.running:
        lesson.step()
    end = lesson.month
    assert end == lesson.lesson_months
    _button(rc, "Step").click()  # SolaraViz sees the run has ended
    assert _page_models[-1].month == end  # and the lesson does not run past its end
    assert _button(rc, "Step").disabled and _button(rc, "▶").disabled
    (finished,) = _with_class(rc, v.Alert, "sc-finished")
    assert "press Reset" in str(finished.children)
    field = rc.find(v.TextField, label="Seed (press Enter)").widget
    field.v_model = "99"
    field.fire_event("keyup.enter", None)
    assert _page_models[-1].seed == 99
    assert not _button(rc, "Step").disabled and not _button(rc, "▶").disabled
    _button(rc, "Step").click()
    assert _page_models[-1].month == 1
    assert not _with_class(rc, v.Alert, "sc-finished")


def test_region_size_resets_with_a_bigger_grid(page):
    rc = page
    small = _page_models[-1]
    _slider(rc, "Size of the region:").v_model = 1.0
    big = _page_models[-1]
    assert big is not small
    assert big.world.grid.dimensions[0] > small.world.grid.dimensions[0]
    assert controls.settings.value.scale == 1.0


def test_headline_figures_of_both_worlds_count_from_the_start(page):
    rc = page
    assert _figures(rc) == ["0", "—", "—", "—"]
    step = _button(rc, "Step")
    for _ in range(3):
        step.click()
    lesson = _page_models[-1]
    expected = lesson.headline()
    assert _figures(rc)[0] == f"{expected['transfers']:.0f}"
    assert _figures(rc)[1] == format_figure(expected["transfers_per_year"], "{:.1f}", "")
    assert expected["transfers"] == (
        lesson.world.chain.counts["transfers"] - lesson.start.transfers
    )


def test_step_and_redraw_is_fast_enough(page):
    """One month of both worlds plus a full redraw of the page, in-process (no browser)."""
    rc = page
    controls.settings.set(Settings(scale=1.0))
    _slider(rc, "Size of the region:").v_model = 1.0
    step = _button(rc, "Step")
    for _ in range(6):
        step.click()
    n = 20
    t0 = time.perf_counter()
    for _ in range(n):
        step.click()
    per_step = (time.perf_counter() - t0) / n
    print(f"step + redraw: {per_step * 1000:.0f} ms")
    assert per_step < 0.5


def _html(rc, name: str) -> list[str]:
    """Inner HTML of the page's HTML pieces with class ``name``, in page order."""
    from solara.widgets.widgets import HTML

    return [
        w.unsafe_innerHTML
        for w in rc.find(HTML).widgets
        if name in (w.attributes or {}).get("class", "").split()
    ]


def test_gate_counters_and_ticker_show_the_flow_of_the_lesson(page):
    from ecosystem.vocabulary import GATES

    rc = page
    assert _html(rc, "sc-gate-count") == ["0"] * len(GATES)
    assert "Press ▶" in _html(rc, "sc-ticker")[0]
    _slider(rc, "Speed:").v_model = 4  # 12 months per step
    _button(rc, "Step").click()
    _button(rc, "Step").click()
    lesson = _page_models[-1]
    counts = lesson.gate_counts()
    assert _html(rc, "sc-gate-count") == [f"{counts[g]:,d}" for g in GATES]
    assert _html(rc, "sc-gate-quo") == [
        f"Status quo: {lesson.gate_counts_quo()[g]:,d}" for g in GATES
    ]
    assert counts["poc"] > 0 and lesson.events
    newest = lesson.events[-1]
    assert f"<b>month {newest.month}</b> · {newest.text}" in _html(rc, "sc-ticker")[0]
