"""Fingerprint of the model's behaviour: one hash per scenario run, for behaviour-preserving work.

A refactoring that keeps every random draw in the same order and every sum in the same order
leaves these hashes unchanged. Each run hashes the full monthly table, the summary, the
finished-project records and the funders' final capital.

    .venv/bin/python scripts/fingerprint.py            # print the hashes
    .venv/bin/python scripts/fingerprint.py --save F   # write them to F (JSON)
    .venv/bin/python scripts/fingerprint.py --check F  # compare with F, exit 1 on a change
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ecosystem import SCENARIOS, ScienceCityModel  # noqa: E402

SEEDS = (3, 2025)


def _hash(model: ScienceCityModel) -> str:
    h = hashlib.sha256()
    h.update(model.timeseries().to_csv(index=False, float_format="%.17g").encode())
    h.update(json.dumps(model.summary(), sort_keys=True, default=repr).encode())
    h.update(repr(model.chain.finished).encode())
    capitals = [a.capital for a in (*model.firms, *model.vcs, model.guidance_fund, *model.banks)]
    h.update(repr(capitals).encode())
    return h.hexdigest()[:16]


def _switched(seed: int) -> ScienceCityModel:
    """A run whose policies change mid-run (set_policy), as the visual page does."""
    model = ScienceCityModel(seed=seed)
    while model.running:
        if model.month == 40:
            model.set_policy("pilot_insurance", True)
            model.set_policy("one_hour_circle", True, circle_minutes=45.0)
        if model.month == 90:
            model.set_policy("guidance_fund", True, max_stake=0.5)
            model.set_policy("local_cdmo", True)
        if model.month == 140:
            model.set_policy("local_cdmo", False)
            model.set_policy("pilot_insurance", False)
        model.step()
    return model


def fingerprints() -> dict[str, str]:
    """Hash of every scenario at every seed, plus the switched run."""
    out: dict[str, str] = {}
    for scenario in SCENARIOS:
        for seed in SEEDS:
            model = ScienceCityModel(seed=seed, policy_scenario=scenario).run()
            out[f"{scenario}@{seed}"] = _hash(model)
    out["switched@5"] = _hash(_switched(5))
    return out


def main() -> int:
    """Print, save or check the fingerprints."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--save", type=Path)
    ap.add_argument("--check", type=Path)
    args = ap.parse_args()
    now = fingerprints()
    if args.save:
        args.save.write_text(json.dumps(now, indent=1) + "\n")
    if args.check:
        saved = json.loads(args.check.read_text())
        changed = sorted(k for k in saved if saved[k] != now.get(k))
        print("fingerprint:", "UNCHANGED" if not changed else f"CHANGED: {', '.join(changed)}")
        return 1 if changed else 0
    for k, v in now.items():
        print(f"{k:32s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
