"""The model for Mesa's own ``mesa.batch_run``: the run summary at the end of each run.

``mesa.batch_run(ScienceCityModel, ...)`` returns the monthly columns only, so a user would
recompute the headline outcomes. ``SummaryModel`` is the same model (same parameters, same
draws) whose data collector also holds every field of the run summary
(``ecosystem.metrics.summarise``, the ``runs.parquet`` columns) in the final month's row;
earlier months hold NaN there. Use ``data_collection_period=-1``::

    import mesa
    from experiments.clients import SummaryModel

    rows = mesa.batch_run(SummaryModel, parameters={"policies.pilot_insurance.enabled":
                          [False, True]}, rng=[1, 2, 3], data_collection_period=-1,
                          number_processes=1)
    rows[0]["transfers_per_year"], rows[0]["median_months_to_market"]

A summary field that shares its name with a monthly column (e.g. ``transfers``, cumulative
since month 0 in the monthly table but counted after the warm-up in the summary) is added with
the suffix ``_counted`` (``transfers_counted``); ``SUMMARY_COLUMNS`` maps each field to its
column.
"""

from __future__ import annotations

import math

from ecosystem.metrics import MODEL_COLUMNS, SUMMARY_FIELDS
from ecosystem.model import ScienceCityModel

#: Summary field → its column in the data collector (suffixed where a monthly column exists).
SUMMARY_COLUMNS: dict[str, str] = {
    f: (f"{f}_counted" if f in MODEL_COLUMNS else f) for f in SUMMARY_FIELDS
}


class SummaryModel(ScienceCityModel):
    """``ScienceCityModel`` whose last collected row also carries the run summary."""

    def step(self) -> None:
        """One month; after the last one, the summary is added to the collected data."""
        was_running = self.running
        super().step()
        if was_running and not self.running:
            self._add_summary()

    def _add_summary(self) -> None:
        summary = self.summary()
        model_vars = self.datacollector.model_vars
        rows = len(model_vars["month"])
        for field, column in SUMMARY_COLUMNS.items():
            model_vars[column] = [math.nan] * (rows - 1) + [summary[field]]
