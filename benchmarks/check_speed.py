"""Time to check the whole schedules/ tree: cold (a new process: imports, grammar, parse, checks)
and warm (the same process, everything loaded). Target: cold under 1 s.

    .venv/bin/python benchmarks/check_speed.py [SCHEDULES_DIR]

Prints seconds and the ratio to the 1 s target (below 1.0 meets it).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 1.0


def cold(directory: Path, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tariffc.compiler.cli", "check", "-q", str(directory)],
                       check=False, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def warm(directory: Path, runs: int = 10) -> float:
    from tariffc.compiler.project import load

    load([directory])  # grammar built, modules imported
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        load([directory])
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "schedules"
    files = len(list(directory.rglob("*.tariff")))
    c, w = cold(directory), warm(directory)
    print(f"check {directory} ({files} files)")
    print(f"  cold (new process, median of 5): {c:.3f} s   ratio to 1 s target: {c / TARGET_SECONDS:.2f}")
    print(f"  warm (loaded, median of 10):     {w:.3f} s   cold/warm: {c / w:.1f}x")


if __name__ == "__main__":
    main()
