#!/usr/bin/env python
"""Install the JavaScript assets Solara needs so the visual model renders offline.

The installer lives in the package (:mod:`viz.assets`) so that a ``pip install`` of the project
has it too (``python -m viz.assets``, or ``sciencecity viz``, which installs what is missing).
This script is kept for checkouts: ``python scripts/install_viz_assets.py [--list|--check]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from viz.assets import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
