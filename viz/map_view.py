"""The map: the region around the science city, its actors, projects and the one-hour circle.

Drawn with Altair (a Vega-Lite spec the browser renders) rather than Mesa's space renderer, so
every actor keeps its marker and the legend is exact, and a frame costs a few milliseconds on
the server. Positions are in km from the science city (east, north).

What is drawn:

* actors by kind (:data:`viz.style.AGENT_KINDS`), each with its own colour and marker, big
  enough for a projector; hovering one shows who it is and what it holds;
* the one-hour circle as a dashed ring whose radius follows the policy's ``circle_minutes``;
* active projects as small dots where they are worked on (holder, hospital or pilot facility),
  coloured by stage and spread a little around the place so they do not hide each other;
  hovering one shows who holds it, its stage, months in it, money raised and where it is
  piloted;
* hand-offs out of the region in the last 12 months as red dashed lines to an
  "out of region" marker beyond the north-east corner.

The frame fits the actors and the circle (not the whole grid, most of which is empty
countryside), so markers use the frame.
"""

from __future__ import annotations

import contextlib
import math
import weakref
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
import solara

from viz.style import (
    AGENT_KINDS,
    OUT_OF_REGION_COLOR,
    RING_COLOR,
    STAGE_COLOR,
    STAGE_LABEL,
    agent_kind,
)
from viz.vega import Spec, VegaSpec, cached_template, with_datasets

HANDOFF_MEMORY_MONTHS = 12
MAP_SIZE_PX = 300
FRAME_MARGIN_KM = 4.0
FRAME_STEP_KM = 5.0  # the frame's half-width is rounded up to this (one template per size)
_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
_ACTORS: weakref.WeakKeyDictionary[Any, tuple[tuple[int, int], pd.DataFrame]] = (
    weakref.WeakKeyDictionary()
)


@dataclass
class MapData:
    """Everything the map draws, as plain tables (km from the science city)."""

    half_km: float  # half-width of the frame: fits the actors and the circle
    ring_km: float
    circle_minutes: float
    actors: pd.DataFrame  # x, y, kind, size, name, details
    projects: pd.DataFrame  # x, y, stage, modality, id, holder, months, raised, piloted
    handoffs: pd.DataFrame  # x, y, x2, y2 (in-region end -> out-of-region marker)
    out_xy: tuple[float, float]
    projects_out_of_region: int
    handoffs_out_total: int


def _km(model: Any, coord: tuple[int, int]) -> tuple[float, float]:
    region = model.region
    cx, cy = region.center
    return (coord[0] - cx) * region.cell_km, (coord[1] - cy) * region.cell_km


def active_projects(model: Any) -> list[Any]:
    """Return the projects in progress (``model.active_projects`` or the chain's list)."""
    projects = getattr(model, "active_projects", None)
    if projects is None:
        projects = getattr(getattr(model, "chain", None), "active", [])
    return list(projects)


def _actors(model: Any) -> pd.DataFrame:
    """Actors to draw; cached per model and month (a frame may be drawn more than once)."""
    key = (len(model.agents), int(getattr(model, "month", 0)))
    cached = _ACTORS.get(model)
    if cached is not None and cached[0] == key:
        return cached[1]
    frame = _collect_actors(model)
    _ACTORS[model] = (key, frame)
    return frame


def _collect_actors(model: Any) -> pd.DataFrame:
    rows = []
    for agent in model.agents:
        key = agent_kind(agent)
        cell = getattr(agent, "cell", None)
        if key is None or cell is None:
            continue
        x, y = _km(model, cell.coordinate)
        kind = AGENT_KINDS[key]
        rows.append(
            {
                "x": x,
                "y": y,
                "kind": kind.label,
                "size": kind.size,
                "name": str(getattr(agent, "name", "") or "") or kind.label,
                "details": actor_details(agent),
            }
        )
    return pd.DataFrame(rows, columns=["x", "y", "kind", "size", "name", "details"])


def actor_details(agent: Any) -> str:
    """One line about an actor for its tooltip (what it has and holds)."""
    parts = []
    if hasattr(agent, "projects_held"):
        parts.append(f"{agent.projects_held} projects held")
    if hasattr(agent, "capacity") and hasattr(agent, "in_use"):
        parts.append(f"{agent.in_use} of {agent.capacity} pilot lines in use")
    capital = getattr(agent, "capital", None)
    if isinstance(capital, int | float) and math.isfinite(capital):
        parts.append(f"{capital:,.0f} M RMB free")
    members = getattr(agent.model, "_members", {}).get(id(agent))
    if members is not None:
        parts.append(f"{len(members)} research groups")
    return "; ".join(parts) or "—"


def holder_name(holder: Any) -> str:
    """Who holds a project, in words."""
    if holder is None:
        return "—"
    name = getattr(holder, "name", None)
    if name:
        return str(name)
    index = getattr(holder, "index", None)
    if index is not None:
        return f"research group of PI {index}"
    return type(holder).__name__


def _projects(model: Any, projects: list[Any]) -> tuple[pd.DataFrame, int]:
    """Project dots, spread on a small sunflower around their place; count those away."""
    rows = []
    away = 0
    spread = 0.45 * model.region.cell_km
    for project in projects:
        try:
            cell = project.location
        except AttributeError:
            cell = None
        if cell is None:
            away += 1
            continue
        x, y = _km(model, cell.coordinate)
        pid = int(getattr(project, "id", len(rows)))
        k = pid % 24 + 1
        r = spread * math.sqrt(k / 24.0)
        rows.append(
            {
                "x": x + r * math.cos(k * _GOLDEN_ANGLE),
                "y": y + r * math.sin(k * _GOLDEN_ANGLE),
                "stage": STAGE_LABEL.get(project.stage, str(project.stage)),
                "modality": str(getattr(project, "modality", "")).replace("_", " "),
                "id": pid,
                "holder": holder_name(getattr(project, "holder", None)),
                "months": int(getattr(project, "phase_elapsed", 0) or 0),
                "raised": round(sum(s.amount for s in getattr(project, "stakes", [])), 1),
                "piloted": _piloted_at(project),
            }
        )
    frame = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    return frame, away


PROJECT_COLUMNS = ["x", "y", "stage", "modality", "id", "holder", "months", "raised", "piloted"]


def _piloted_at(project: Any) -> str:
    facility = getattr(project, "facility", None)
    if facility is None:
        return "—"
    where = str(getattr(facility, "name", "") or "a pilot facility")
    return where + (" (out of region)" if getattr(project, "out_of_region", False) else "")


def frame_half_km(actors: pd.DataFrame, ring_km: float) -> float:
    """Half-width of a square frame centred on the science city that holds actors and circle."""
    reach = max([ring_km, *actors["x"].abs().tolist(), *actors["y"].abs().tolist()])
    return math.ceil((reach + FRAME_MARGIN_KM) / FRAME_STEP_KM) * FRAME_STEP_KM


def _handoffs(model: Any, projects: list[Any], out_xy: tuple[float, float]) -> pd.DataFrame:
    """Out-of-region hand-offs of the last months, as segments to the out-of-region marker."""
    now = int(getattr(model, "month", 0))
    seen: set[int] = set()
    rows = []
    recent = [h for p in projects for h in getattr(p, "handoffs", [])]
    recent += list(getattr(getattr(model, "chain", None), "month_handoffs", []))
    for h in recent:
        if id(h) in seen or now - h.month >= HANDOFF_MEMORY_MONTHS:
            continue
        seen.add(id(h))
        inside = h.source if h.target is None else h.target
        if (h.source is None) == (h.target is None) or inside is None:
            continue  # not out of region, or both ends away
        x, y = _km(model, inside)
        rows.append({"x": x, "y": y, "x2": out_xy[0], "y2": out_xy[1], "month": h.month})
    return pd.DataFrame(rows, columns=["x", "y", "x2", "y2", "month"])


def map_data(model: Any) -> MapData:
    """Collect what the map shows from the model's current state."""
    region = model.region
    actors = _actors(model)
    ring_km = float(region.circle_radius_cells()) * region.cell_km
    half_km = frame_half_km(actors, ring_km)
    out_xy = _out_xy(half_km)
    projects = active_projects(model)
    project_frame, away = _projects(model, projects)
    handoffs_total = 0
    df = model.datacollector.model_vars.get("handoffs_out_of_region")
    if df:
        handoffs_total = int(df[-1])
    return MapData(
        half_km=half_km,
        ring_km=ring_km,
        circle_minutes=float(region.circle.minutes),
        actors=actors,
        projects=project_frame,
        handoffs=_handoffs(model, projects, out_xy),
        out_xy=out_xy,
        projects_out_of_region=away,
        handoffs_out_total=handoffs_total,
    )


def _ring(data: MapData, n: int = 120) -> pd.DataFrame:
    angles = [2 * math.pi * i / n for i in range(n + 1)]
    return pd.DataFrame(
        {
            "x": [data.ring_km * math.cos(a) for a in angles],
            "y": [data.ring_km * math.sin(a) for a in angles],
            "order": range(n + 1),
        }
    )


def _out_xy(half_km: float) -> tuple[float, float]:
    return half_km * 1.06, half_km * 1.06


def map_template(half_km: float, size: int = MAP_SIZE_PX) -> alt.LayerChart:
    """Build the map as a layered Altair chart over named data sources (filled per frame)."""
    lo = -half_km
    hi = _out_xy(half_km)[0] + 0.06 * half_km
    # no axes: the frame is the map; the caption gives its scale
    x = alt.X("x:Q", scale=alt.Scale(domain=[lo, hi], nice=False), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[lo, hi], nice=False), axis=None)
    kinds = list(AGENT_KINDS.values())
    labels = [k.label for k in kinds]
    kind_legend = alt.Legend(title="Who is where", orient="right", labelLimit=0, symbolSize=160)

    def source(name: str) -> alt.Chart:
        return alt.Chart(alt.NamedData(name=name))

    region_box = (
        source("region")
        .mark_rect(fill="#f7f9fc", stroke="#b0bec5", clip=True)
        .encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    )
    ring = (
        source("ring")
        .mark_line(color=RING_COLOR, strokeDash=[6, 4], strokeWidth=2)
        .encode(x=x, y=y, order="order:Q")
    )
    ring_label = (
        source("ring_label")
        .mark_text(color=RING_COLOR, dy=-8, fontSize=11, fontWeight="bold")
        .encode(x=x, y=y, text="text:N")
    )
    handoffs = (
        source("handoffs")
        .mark_rule(color=OUT_OF_REGION_COLOR, strokeDash=[3, 3], strokeWidth=1.2, opacity=0.7)
        .encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    )
    out_box = (
        source("out")
        .mark_point(shape="square", size=260, filled=True, color=OUT_OF_REGION_COLOR)
        .encode(x=x, y=y, tooltip=alt.Tooltip("text:N", title="Out of region"))
    )
    out_label = (
        source("out")
        .mark_text(color=OUT_OF_REGION_COLOR, align="right", dx=-12, fontSize=12, fontWeight="bold")
        .encode(x=x, y=y, text="text:N")
    )
    actors = (
        source("actors")
        .mark_point(filled=True, opacity=0.95, stroke="white", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=labels, range=[k.color for k in kinds]),
                legend=kind_legend,
            ),
            shape=alt.Shape(
                "kind:N",
                scale=alt.Scale(domain=labels, range=[k.shape for k in kinds]),
                legend=kind_legend,
            ),
            size=alt.Size("size:Q", scale=None, legend=None),
            tooltip=[
                alt.Tooltip("name:N", title="Actor"),
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("details:N", title="Now"),
            ],
        )
    )
    projects = (
        source("projects")
        .mark_circle(size=90, opacity=0.95, stroke="#263238", strokeWidth=0.8)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "stage:N",
                scale=alt.Scale(domain=list(STAGE_COLOR), range=list(STAGE_COLOR.values())),
                legend=alt.Legend(title="Projects, by stage", orient="right"),
            ),
            tooltip=[
                alt.Tooltip("id:Q", title="Project"),
                alt.Tooltip("holder:N", title="Held by"),
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("months:Q", title="Months in this step"),
                alt.Tooltip("raised:Q", title="Money raised (M RMB)"),
                alt.Tooltip("piloted:N", title="Piloted at"),
                alt.Tooltip("modality:N", title="Modality"),
            ],
        )
    )
    return (
        alt.layer(region_box, ring, handoffs, actors, projects, ring_label, out_box, out_label)
        .resolve_scale(color="independent", shape="independent")
        .properties(width=size, height=size)
        .configure_view(stroke=None)
        .configure_axis(grid=False, labelFontSize=10, titleFontSize=11)
        .configure_legend(labelFontSize=11, titleFontSize=12, symbolSize=160, rowPadding=3)
    )


def map_spec(data: MapData, size: int = MAP_SIZE_PX) -> Spec:
    """Return the Vega-Lite spec of the map for ``data`` (template cached per region size)."""
    h = data.half_km
    return with_datasets(
        cached_template(map_template, h, size),
        region=pd.DataFrame({"x": [-h], "y": [-h], "x2": [h], "y2": [h]}),
        ring=_ring(data),
        ring_label=pd.DataFrame(
            {
                "x": [0.0],
                "y": [data.ring_km],
                "text": [f"one-hour circle ({data.circle_minutes:.0f} min)"],
            }
        ),
        handoffs=data.handoffs,
        out=pd.DataFrame(
            {
                "x": [data.out_xy[0]],
                "y": [data.out_xy[1]],
                "text": [f"out of region: {data.handoffs_out_total}"],
            }
        ),
        actors=data.actors,
        projects=data.projects,
    )


@solara.component
def MapView(
    model: Any,
    tick: int = 0,
    title: str = "Map of the region",
    lock: contextlib.AbstractContextManager | None = None,
) -> None:
    """Show the map card, redrawn when ``tick`` changes; ``model`` is read under ``lock``."""
    with lock if lock is not None else contextlib.nullcontext():
        data = map_data(model)
    with solara.Card(margin=0, classes=["sc-map"]):
        solara.Text(title, style={"font-weight": "600"})
        VegaSpec(map_spec(data), name="map")
        away = data.projects_out_of_region
        solara.Text(
            f"{2 * data.half_km:.0f} km across. {len(data.projects)} projects in the region, "
            f"{away} worked on out of region; red dashed lines: hand-offs out of region in the "
            f"last {HANDOFF_MEMORY_MONTHS} months. Hover a marker to inspect it.",
            style={"font-size": "0.8em", "color": "#546e7a", "line-height": "1.3"},
        )
