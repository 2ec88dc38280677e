"""``python -m benchmarks [--quick] [--out FILE]``: the bench without the research CLI."""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.bench import run_bench


def main(argv: list[str] | None = None) -> int:
    """Parse the two options and run the bench."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller sizes")
    parser.add_argument("--out", default="bench.json", help="JSON file to write")
    args = parser.parse_args(argv)
    run_bench(quick=args.quick, out=Path(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
