"""Time to check the whole schedules/ tree cold: a new process each run (imports, grammar, parse,
lowering, checks), as a user types `tariffc check schedules/`. Target: under 1 s.

    .venv/bin/python benchmarks/check_speed.py [SCHEDULES_DIR] [--runs N]

Runs are interleaved with the floor every Python command pays (`python -c pass`, a new interpreter
doing nothing), so a busy machine slows both alike. Prints the best of N (default 5) of each, wall
and CPU time (user + system of the child process: what the wall time is on an idle core), the ratio
of the check to the 1 s target (below 1.00 meets it) and to the floor, the load average, then the
warm time (the same process, everything loaded) to show how much of the cold time is start-up.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 1.0


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+system) of one new process running `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, check=False, capture_output=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: the schedules have errors, still a full check
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cold(directory: Path, runs: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """((best check wall, best check CPU), (best floor wall, best floor CPU)) over `runs`
    interleaved pairs of new processes."""
    check = [sys.executable, "-P", "-m", "tariffc.compiler.cli", "check", str(directory)]
    floor = [sys.executable, "-P", "-c", "pass"]
    timed(check)  # the first run after a grammar change writes lark's cache; users pay that once
    checks, floors = [], []
    for _ in range(runs):
        checks.append(timed(check))
        floors.append(timed(floor))
    return ((min(w for w, _ in checks), min(c for _, c in checks)),
            (min(w for w, _ in floors), min(c for _, c in floors)))


def warm(directory: Path, runs: int) -> float:
    from tariffc.compiler.project import load

    load([directory])  # grammar built, modules imported
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        load([directory])
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=Path(__file__).resolve().parents[1] / "schedules")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    files = len(list(args.directory.rglob("*.tariff")))
    (best, best_cpu), (floor, floor_cpu) = cold(args.directory, args.runs)
    w = warm(args.directory, args.runs)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cores = os.cpu_count() or 1
    print(f"tariffc check {args.directory} ({files} files), best of {args.runs} new processes "
          f"(load average {load:.1f} on {cores} cores)")
    print(f"  cold check, wall:        {best:.3f} s   ratio to the {TARGET_SECONDS:g} s target: "
          f"{best / TARGET_SECONDS:.2f} ({'meets' if best < TARGET_SECONDS else 'misses'} it)")
    print(f"  cold check, CPU (u+s):   {best_cpu:.3f} s   ratio to the {TARGET_SECONDS:g} s target: "
          f"{best_cpu / TARGET_SECONDS:.2f} (the wall time on an idle core; on a busy machine the wall "
          "time waits for a core)")
    print(f"  floor (python -c pass):  {floor:.3f} s wall, {floor_cpu:.3f} s CPU   check/floor: "
          f"{best / floor:.1f}x wall")
    print(f"  warm (loaded, in-process): {w:.3f} s   cold - warm (start-up): {best - w:.3f} s")

if __name__ == "__main__":
    main()
