"""Developer benchmarks: model speed and scaling (``make bench``, ``sciencecity bench``)."""
