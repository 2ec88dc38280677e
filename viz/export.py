"""Export the lesson's monthly data as CSV (each chart has its own PNG / SVG buttons)."""

from __future__ import annotations

from typing import Any

import solara

from viz.reading import reading

CSV_NAME = "sciencecity_monthly.csv"


def monthly_csv(lesson: Any) -> bytes:
    """Both worlds' monthly data since the lesson's start, as CSV bytes.

    One row per world and month (``world``, ``lesson_month``, then the model's columns, whose
    counters and money are cumulative from the start of the spin-up).
    """
    with reading(lesson):
        table = lesson.monthly_table()
    return table.to_csv(index=False).encode()


@solara.component
def DataExport(lesson: Any) -> solara.Element:
    """A small download button for the monthly data (built when clicked)."""
    return solara.FileDownload(
        lambda: monthly_csv(lesson),
        filename=CSV_NAME,
        mime_type="text/csv",
        children=[
            solara.Button(
                "Monthly data (CSV)",
                icon_name="mdi-cloud-download-outline",
                small=True,
                text=True,
                classes=["sc-export-csv"],
            )
        ],
    )
