"""Show Altair charts with the Vega-Lite build that Solara loads (offline, from local assets).

Three things make charts cheap and quiet here:

* Building an Altair chart and converting it to a dict costs ~100 ms for a layered chart, too
  slow for every frame. Charts are therefore built once, with *named* data sources
  (``alt.NamedData``), and converted once (:func:`cached_template`); each frame only swaps the
  ``datasets`` block (:func:`with_datasets`), which costs well under a millisecond.
* The browser compiles each chart once and then only receives new data (:mod:`viz.vega_view`).
* Solara loads Vega-Lite 5 in the browser while Altair 6 writes Vega-Lite 6 specs, which makes
  the console warn on every chart. The charts use only what both versions share, so the
  ``$schema`` is dropped (Vega-Embed then assumes Vega-Lite) and Vega-Embed's action menu,
  which only distracts a class, is hidden.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Hashable
from typing import Any

import altair as alt
import pandas as pd
import solara

from viz.vega_view import VegaView

Spec = dict[str, Any]


def chart_spec(chart: alt.TopLevelMixin) -> Spec:
    """Return the Vega-Lite dict of ``chart`` ready for the page (no schema, no menu)."""
    spec = chart.to_dict()
    spec.pop("$schema", None)
    spec.pop("datasets", None)  # named data is filled in per frame
    usermeta = dict(spec.get("usermeta", {}))
    usermeta["embedOptions"] = {"actions": False, "renderer": "svg"}
    spec["usermeta"] = usermeta
    return spec


@functools.lru_cache(maxsize=64)
def _cached(builder: Callable[..., alt.TopLevelMixin], key: tuple[Hashable, ...]) -> Spec:
    return chart_spec(builder(*key))


def cached_template(builder: Callable[..., alt.TopLevelMixin], *key: Hashable) -> Spec:
    """Spec of ``builder(*key)``, built once per distinct ``key`` (do not mutate it)."""
    return _cached(builder, tuple(key))


def records(frame: pd.DataFrame | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of ``frame`` as JSON-safe dicts (NaN and infinities become null).

    Column-wise ``tolist`` is several times faster than ``DataFrame.to_dict("records")``.
    """
    if isinstance(frame, list):
        return frame
    columns = [str(c) for c in frame.columns]
    values = []
    for c in frame.columns:
        col = frame[c].tolist()
        if any(isinstance(x, float) and not math.isfinite(x) for x in col):
            col = [None if isinstance(x, float) and not math.isfinite(x) else x for x in col]
        values.append(col)
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def with_datasets(template: Spec, **frames: pd.DataFrame | list[dict[str, Any]]) -> Spec:
    """Return a copy of ``template`` whose named data sources hold ``frames``."""
    return {**template, "datasets": {name: records(f) for name, f in frames.items()}}


@solara.component
def VegaSpec(spec: Spec, name: str = "chart") -> solara.Element:
    """Render a ready Vega-Lite spec (see :func:`chart_spec`) with :class:`VegaView`.

    The chart is compiled in the browser once per layout; each frame only sends the data. The
    traits are set on the widget after each render instead of being passed as element
    arguments: Reacton sets every argument again on each render and walks their nested values
    looking for child elements, which for hundreds of data rows cost more than the rest of a
    frame. ``name`` names the files of the chart's PNG and SVG export buttons.
    """
    layout = {k: v for k, v in spec.items() if k != "datasets"}
    datasets = spec.get("datasets", {})
    element = VegaView.element(name=name)

    def push() -> None:
        widget = solara.get_widget(element)
        with widget.hold_sync():
            if widget.spec != layout:
                widget.spec = layout
            widget.datasets = datasets

    solara.use_effect(push)
    return element
