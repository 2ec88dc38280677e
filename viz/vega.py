"""Show Altair charts with the Vega-Lite build that Solara loads (offline, from local assets).

Solara's ``FigureAltair`` loads Vega-Lite 5 in the browser while Altair 6 writes Vega-Lite 6
specs, which makes the browser console warn on every chart. The charts here use only what both
versions share, so :func:`chart_spec` drops the ``$schema`` (Vega-Embed then assumes
Vega-Lite) and hides Vega-Embed's action menu, which only distracts a class.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import solara
from solara.widgets import VegaLite


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """Return the Vega-Lite dict of ``chart`` ready for the page (no schema, no menu)."""
    spec = chart.to_dict()
    spec.pop("$schema", None)
    usermeta = dict(spec.get("usermeta", {}))
    usermeta["embedOptions"] = {"actions": False, "renderer": "svg"}
    spec["usermeta"] = usermeta
    return spec


@solara.component
def VegaChart(chart: alt.TopLevelMixin) -> solara.Element:
    """Render an Altair chart (like ``solara.FigureAltair``, without the version warning)."""
    return VegaLite.element(spec=chart_spec(chart))
