"""Classroom visual model of the science city, on Mesa's SolaraViz (``solara run viz/app.py``).

Modules: ``style`` (colours and markers), ``vega`` (showing Altair charts offline),
``map_view`` (the map), ``charts`` (time series), ``headline`` (headline figures),
``controls`` (scenario, policies, seed, size), ``help_text`` (how to read the page),
``app`` (the page) and ``server`` (``serve`` for the command line).
"""
