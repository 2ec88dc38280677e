"""The classroom visual model: ``solara run viz/app.py``.

Built on Mesa's :func:`~mesa.visualization.SolaraViz`, which supplies the app bar and the
Play / Step / Reset buttons. Its developer controls (play and render intervals, threads, the
time counter) are hidden; the page has a "speed" slider instead (months per step), its own
controls in the sidebar (:mod:`viz.controls`) and its own main area: the flow through the gates
in two worlds (:mod:`viz.gate_flow`, :mod:`viz.lesson`) as the headline, the market figures,
a ticker of the latest gate events, the map, four charts, the data export and a collapsible
"how to read this" text. The main area is laid out here rather than in SolaraViz's draggable grid so
the essentials fit a 1366 × 768 projector without scrolling.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `solara run viz/app.py` runs this file as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from viz.charts import Charts
from viz.controls import ClassroomModel, PolicyControls, RunControls, SpeedControl
from viz.gate_flow import EventTicker, GateFlow
from viz.headline import Headline, LessonStatus
from viz.help_text import HowToRead
from viz.map_view import MapView
from viz.replay import OtherLuck

TITLE = "Science City: from lab to market"
PLAY_INTERVAL_MS = 100

CSS = """
.sc-figure { color: #263238; }
.sc-headline .v-card__text, .sc-gates .v-card__text { padding: 2px 8px 3px; line-height: 1.25; }
.sc-month { font-size: 0.95rem; }
.sc-chart .vega-embed { width: 100%; }
.sc-chart > .v-card__text, .sc-map > .v-card__text { padding: 6px 8px; }
.sc-map .vega-embed { width: 100%; }
/* SolaraViz's own main area (its draggable grid) is empty here: only the dashboard shows */
.solara-autorouter-content > .v-sheet { gap: 0 !important; }
/* (!important: Vuetify's d-flex is, and an empty column of SolaraViz's took 24 px) */
.solara-autorouter-content > .v-sheet > *:not(:has(.sc-dashboard)) { display: none !important; }
/* SolaraViz's padding above the main area: the page needs the room on a projector */
.solara-content-main .v-content__wrap > div { padding-top: 8px !important; }
.sc-main { display: grid; grid-template-columns: minmax(460px, 40%) minmax(0, 1fr); gap: 6px; }
/* the map scales with its column (its SVG keeps its proportions): bigger on a big screen */
.sc-map .vega-embed svg { width: 100%; height: auto; }
@media (max-width: 1100px) { .sc-main { grid-template-columns: minmax(0, 1fr); } }
.sc-policy-grid { display: grid; grid-template-columns: 1fr 1fr; column-gap: 4px; }
.sc-policy-grid .v-input--checkbox { margin-top: 0; padding-top: 0; }
.sc-policy-grid .v-input--checkbox label { font-size: 0.8rem; white-space: nowrap; }
.sc-policy-grid .v-input--selection-controls__input { margin-right: 2px; }
.sc-policy-grid .v-input__slot { margin-bottom: 0; }
.sc-policy-grid .v-messages { display: none; }
/* Mesa's developer controls: sliders, the threads switch, the time card and the empty
   "Model Parameters" card. The page's own cards are marked sc-card. */
.v-navigation-drawer .v-card:not(.sc-card) .v-input { display: none; }
.v-navigation-drawer .v-card:not(.sc-card):not(:has(button)) { display: none; }
.v-navigation-drawer .v-card.sc-card .v-input { display: flex; }
.v-navigation-drawer .v-card__title { padding: 8px 12px 4px; font-size: 1.05rem; }
.v-navigation-drawer .v-card__text { padding: 4px 12px 8px; }
"""


@solara.component
def Dashboard(model: Any) -> None:
    """Show the main area: gate flow, market figures, ticker, map and charts, the guide.

    Only this component listens to SolaraViz's update counter and hands the count down, so a
    step costs one render pass of the main area, not one per chart.
    """
    tick = update_counter.value  # SolaraViz bumps it after each step (or render interval)
    solara.Style(CSS)
    with solara.Column(gap="4px", style={"padding": "0 4px"}, classes=["sc-dashboard"]):
        GateFlow(model, tick)
        Headline(model, tick)
        with solara.Row(style={"align-items": "flex-start", "gap": "12px", "flex-wrap": "nowrap"}):
            with solara.Column(gap="0", style={"flex": "1 1 auto", "min-width": "0"}):
                LessonStatus(model, tick)
                EventTicker(model, tick)
            HowToRead()
        with solara.Div(classes=["sc-main"]):
            MapView(model.world, tick, title="Map of the region (chosen policies)", lock=model.lock)
            with solara.Column(gap="4px", style={"min-width": "0"}):
                Charts(model, tick)


@solara.component
def Page() -> None:
    """Show the page: Mesa's SolaraViz for controls, plus the science-city dashboard."""
    initial = solara.use_memo(ClassroomModel, [])
    model = solara.use_reactive(initial)
    # SolaraViz keeps Play/Step switched off once a run has ended, until its own Reset. When
    # a new seed or size replaces an ended run, a new generation remounts SolaraViz with its
    # buttons on. (Only then: an ended run has no play loop left that a remount could orphan.)
    generation = solara.use_reactive(0)
    SolaraViz(
        model,
        components=[],
        play_interval=PLAY_INTERVAL_MS,
        render_interval=1,  # the lesson's own speed sets the months per step
        model_params={},
        name=TITLE,
    ).key(f"solara-viz-{generation.value}")
    SidebarCards(model, lambda: generation.set(generation.value + 1))
    Dashboard(model.value)


@solara.component
def SidebarCards(model: solara.Reactive[Any], on_finished_replaced: Callable[[], None]) -> None:
    """Add the page's controls to the sidebar, below SolaraViz's own cards.

    The sidebar orders its parts by how deep in the page they are declared; SolaraViz declares
    its cards one level below the page, so these go two levels below to come after them.
    """
    _SidebarCardsInner(model, on_finished_replaced)


@solara.component
def _SidebarCardsInner(
    model: solara.Reactive[Any], on_finished_replaced: Callable[[], None]
) -> None:
    with solara.Sidebar():
        SpeedControl(model)
        PolicyControls(model)
        RunControls(model, on_finished_replaced)
        OtherLuck(model.value)
