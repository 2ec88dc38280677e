"""The regression baseline: a default run's summary at a fixed seed (``tests/baseline.json``).

``tests/test_baseline.py`` compares a fresh run with the file. Rewrite the file only when a
change of results is intended, and say why in the commit message:

    make baseline        # = .venv/bin/python -m tests.baseline
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from ecosystem import ScienceCityModel

BASELINE = Path(__file__).resolve().parent / "baseline.json"
SEED = 2025


def baseline_summary() -> dict[str, float | None]:
    """The summary of a default status-quo run at the baseline seed."""
    summary = ScienceCityModel(seed=SEED).run().summary()
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in summary.items()}


def main() -> None:
    """Write the baseline file."""
    data = {"seed": SEED, "preset": "shenyang_hunnan", "summary": baseline_summary()}
    BASELINE.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    print(f"wrote {BASELINE}")


if __name__ == "__main__":
    main()
