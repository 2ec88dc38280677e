# The two commands of the README: `make run` and `make test` (they set everything up first).
.PHONY: run test test-slow test-all lint bench viz baseline

run:
	@bash scripts/bootstrap.sh run
	.venv/bin/sciencecity run

test:
	@bash scripts/bootstrap.sh test
	.venv/bin/ruff check .
	.venv/bin/python -m pytest -m "not slow" -q

test-slow:
	@bash scripts/bootstrap.sh test
	.venv/bin/python -m pytest -m slow -q || [ $$? -eq 5 ]

test-all: test test-slow

bench:
	@bash scripts/bootstrap.sh run
	.venv/bin/python -m benchmarks

viz:
	@bash scripts/bootstrap.sh run
	.venv/bin/sciencecity viz

baseline:
	.venv/bin/python -m tests.baseline
