"""Rewrite tests/baseline.json from a default run at the fixed seed.

Run this only when a change of results is intended, and say why in the commit message:

    .venv/bin/python scripts/update_baseline.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from ecosystem import ScienceCityModel

BASELINE = Path(__file__).resolve().parent.parent / "tests" / "baseline.json"
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
