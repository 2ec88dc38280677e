"""The classroom visual model: ``solara run viz/app.py``.

Built on Mesa's :func:`~mesa.visualization.SolaraViz`, which supplies the app bar, the
Play / Step / Reset controls, the play and render intervals and the month counter. The page adds
its own controls in the sidebar (:mod:`viz.controls`) and its own main area: headline figures,
the map, four charts and a "how to read this" text. The main area is laid out here rather than
in SolaraViz's draggable grid so the map and charts get sensible sizes on a laptop screen.
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
from viz.controls import ClassroomModel, PolicyControls, RunControls
from viz.headline import Headline
from viz.help_text import HowToRead
from viz.map_view import MapView

TITLE = "Science City: from lab to market"
PLAY_INTERVAL_MS = 100
RENDER_INTERVAL = 1

CSS = """
.sc-figure { color: #263238; }
.sc-chart .vega-embed { width: 100%; }
.sc-chart > .v-card__text { padding: 8px 10px; }
.sc-map .vega-embed { max-width: 100%; overflow-x: auto; }
/* SolaraViz's "Model Parameters" card: empty here, the page has its own controls */
.v-card:has(> .v-card__text > .v-sheet.d-flex:empty) { display: none; }
"""


@solara.component
def Dashboard(model: Any) -> None:
    """Show the main area: headline figures, map and charts side by side, the guide.

    Only this component listens to SolaraViz's update counter and hands the count down, so a
    step costs one render pass of the main area, not one per chart.
    """
    tick = update_counter.value  # SolaraViz bumps it after each step (or render interval)
    solara.Style(CSS)
    with solara.Column(gap="10px", style={"padding": "4px 8px"}):
        Headline(model, tick)
        with solara.ColumnsResponsive(default=12, large=[6, 6], xlarge=[5, 7]):
            MapView(model, tick)
            Charts(model, tick)
        HowToRead()


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
        render_interval=RENDER_INTERVAL,
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
        PolicyControls(model)
        RunControls(model, on_finished_replaced)
