"""Classroom visual model of the science city, on Mesa's SolaraViz (``solara run viz/app.py``).

Modules: ``style`` (colours and markers), ``vega`` and ``vega_view`` (Altair charts drawn
offline, compiled once in the browser and then fed new data),
``map_view`` (the map), ``charts`` (time series), ``headline`` (headline figures),
``controls`` (scenario, policies, seed, size), ``help_text`` (how to read the page),
``app`` (the page) and ``server`` (``serve`` for the command line).
"""
