"""The long fuzzing run (issue 14): hostile `.tariff` files, meter files (Green Button XML and CSV),
bill inputs through the API and output paths, counted like a benchmark.

    .venv/bin/python -P benchmarks/fuzz_long.py                       # the targets: 100,000 + 20,000
    .venv/bin/python -P benchmarks/fuzz_long.py --tariff 2000 --meter 500 --bill 500 --output 200
    .venv/bin/python -P benchmarks/fuzz_long.py --minutes 40           # stop cleanly at a time budget

Cases come from tests/fuzz/fuzzcases.py (seeded: the same --seed gives the same inputs); each runs
in a worker process (--workers, default 1). A hang is a case that uses more than 5 s of CPU time (a
timer on the process's own CPU time, so that other programs on a shared machine do not make a quick
case count as a hang) or waits more than 60 s of wall time (a case blocked on a read, using no CPU).
The cases over 5 s of wall time are counted too, and printed. Prints, per target: inputs, handled (by
outcome), defects by kind with one example each, hangs, and inputs per second; then one JSON line
with the same figures. Exit 1 if any defect or hang.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import random
import shlex
import signal
import subprocess
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE.parent / "tests" / "fuzz"))

HANG_SECONDS = 5  # CPU seconds of one case
BLOCKED_SECONDS = 60  # wall seconds of one case
CHUNK = 50
TARGET_NUMBER = {"tariff": 1, "meter": 2, "bill": 3, "output": 4}


class Hang(BaseException):
    """Raised into a case by a timer. A BaseException, so that neither the code under test (an
    `except Exception` fallback) nor a library wrapping callbacks' errors (lark's VisitError) turns it
    into an outcome or a defect."""


def _cpu_timer(signum, frame):
    raise Hang(f"over {HANG_SECONDS} s of CPU time")


def _wall_timer(signum, frame):
    raise Hang(f"over {BLOCKED_SECONDS} s of wall time")


def _warm_up():
    """Import and compile what the cases use before any alarm runs, so a slow first import (matplotlib
    through docsgen, a schedule's code generation) is not counted as a hang, nor interrupted half-way."""
    import fuzzcases as F
    import tariffc.compiler.docsgen.output  # noqa: F401 - imports docsgen (matplotlib)
    import tariffc.compiler.interpret  # noqa: F401
    import tariffc.compiler.meterdata  # noqa: F401

    F.check_tariff("E-1.tariff", (F.SCHEDULES / "electric" / "E-1.tariff").read_bytes(), False)
    for schedule, values in F.VALID.items():
        F.check_bill({"schedule": schedule, "start": "2025-07-01", "end": "2025-07-31", **values})
    F.tariff_seeds()


def _where(exc: BaseException) -> str:
    """Where an unexpected exception was raised: its innermost frame and, when that is in a library
    (pathlib, lark), the innermost frame of this repository's code that called it, so that the kind
    names the caller: `pathlib.py:1013 from project.py:129`. A defect whose caller is the harness
    (tests/fuzz/) is marked `(harness)`: a fault of the test, not of tariffc, but counted all the same."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if Path(f.filename).is_absolute() and Path(f.filename).resolve().is_relative_to(REPO)
            and "/.venv/" not in f.filename]
    last = frames[-1]
    text = f"{Path(last.filename).name}:{last.lineno}"
    if ours and ours[-1] is not last:
        text += f" from {Path(ours[-1].filename).name}:{ours[-1].lineno}"
    if ours and Path(ours[-1].filename).resolve().is_relative_to(REPO / "tests" / "fuzz"):
        text += " (harness)"
    return text


def _run_chunk(job):
    """Run CHUNK cases of one target from a seed: [(outcome, example or None, seconds)]."""
    import fuzzcases as F

    target, seed, count, bill_every = job
    rng = random.Random(seed)
    out = []
    signal.signal(signal.SIGPROF, _cpu_timer)
    signal.signal(signal.SIGALRM, _wall_timer)
    for _ in range(count):
        case = None
        started, cpu_started = time.perf_counter(), time.process_time()
        signal.setitimer(signal.ITIMER_PROF, HANG_SECONDS)
        signal.setitimer(signal.ITIMER_REAL, BLOCKED_SECONDS)
        try:
            if target == "tariff":
                case = F.tariff_case(rng)
                outcome, example = F.check_tariff(*case, bill_every=bill_every, rng=rng), None
            elif target == "meter":
                case = F.meter_case(rng)
                outcome, example = F.check_meter(*case), None
            elif target == "bill":
                case = F.bill_case(rng)
                outcome, example = F.check_bill(case), None
            else:
                case = F.output_case(rng)
                outcome, example = F.check_output(case), None
            outcome = "handled: " + outcome
        except Hang as hang:
            outcome, example = "hang", f"{hang} | case {repr(case)[:300]}"
        except F.Defect as defect:
            outcome, example = f"defect: {defect.kind}", f"{str(defect)[:200]} | case {repr(case)[:300]}"
        except Exception as exc:  # noqa: BLE001 - what the run counts
            outcome = f"defect: unexpected {type(exc).__name__} at {_where(exc)}"
            example = f"{str(exc)[:200]} | case {repr(case)[:300]}"
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
        out.append((outcome, example, time.perf_counter() - started, time.process_time() - cpu_started))
    F.clean_up()
    return target, out


def _commit() -> str:
    """The commit whose code runs: the short hash of HEAD, with "+ uncommitted changes" when tracked
    files differ from it (then the figures are not of that commit alone)."""
    def git(*args):
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, timeout=30,
                              check=True).stdout.strip()

    try:
        head = git("rev-parse", "--short=12", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return head + (" + uncommitted changes" if changed else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tariff", type=int, default=100_000)
    parser.add_argument("--meter", type=int, default=20_000)
    parser.add_argument("--bill", type=int, default=5_000)
    parser.add_argument("--output", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--bill-every", type=int, default=20,
                        help="bill 1 in N check-clean .tariff mutants (compiled and interpreted)")
    parser.add_argument("--minutes", type=float, default=None, help="stop starting new chunks after this")
    args = parser.parse_args()
    command = shlex.join([Path(sys.executable).name, "-P", *sys.argv])
    commit = _commit()
    begun = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"fuzz_long: {command}\n  commit {commit}, seed {args.seed}, {args.workers} workers, started {begun}; "
          f"targets: {args.tariff:,} .tariff, {args.meter:,} meter, {args.bill:,} bill, {args.output:,} output",
          flush=True)

    jobs = []
    for target in ("tariff", "meter", "bill", "output"):
        total = getattr(args, target)
        for index in range(0, total, CHUNK):
            jobs.append((target, args.seed * 1_000_003 + TARGET_NUMBER[target] * 100_000_000 + index,
                         min(CHUNK, total - index), args.bill_every))
    # The cheap targets first (interleaved), then the .tariff files: a time budget then completes the
    # meter, bill and output targets and spends the rest on .tariff files.
    rng = random.Random(args.seed)
    rng.shuffle(jobs)
    jobs.sort(key=lambda job: job[0] == "tariff")

    counts = {t: collections.Counter() for t in ("tariff", "meter", "bill", "output")}
    examples: dict[str, str] = {}
    slowest = collections.defaultdict(float)  # CPU seconds of the slowest case
    slowest_wall = collections.defaultdict(float)
    over_wall = collections.Counter()  # cases over HANG_SECONDS of wall time (load included)
    started = time.perf_counter()
    deadline = started + args.minutes * 60 if args.minutes else None
    def record(target, out):
        for outcome, example, wall, cpu in out:
            counts[target][outcome] += 1
            slowest[target] = max(slowest[target], cpu)
            slowest_wall[target] = max(slowest_wall[target], wall)
            over_wall[target] += wall > HANG_SECONDS
            if example and outcome not in examples:
                examples[outcome] = example

    with multiprocessing.get_context("fork").Pool(args.workers, initializer=_warm_up, maxtasksperchild=200) as pool:
        # A few chunks in flight per worker, so a time budget stops the run within one chunk.
        in_flight: collections.deque = collections.deque()
        done = 0
        for job in jobs:
            if deadline is not None and time.perf_counter() >= deadline:
                break
            in_flight.append(pool.apply_async(_run_chunk, (job,)))
            while len(in_flight) >= 2 * args.workers:
                record(*in_flight.popleft().get())
                done += 1
                if done % 40 == 0:
                    elapsed = time.perf_counter() - started
                    sofar = {t: sum(c.values()) for t, c in counts.items()}
                    bad = sum(n for c in counts.values() for k, n in c.items() if not k.startswith("handled"))
                    print(f"  [{elapsed:7.0f} s] {sofar} defects+hangs {bad}", flush=True)
        while in_flight:
            record(*in_flight.popleft().get())
    elapsed = time.perf_counter() - started

    summary = {"command": command, "commit": commit, "started": begun, "seed": args.seed, "workers": args.workers,
               "seconds": round(elapsed, 1), "targets": {}}
    print(f"\nfuzz_long: {command}\n  commit {commit}, seed {args.seed}, {args.workers} workers, started {begun}, "
          f"{elapsed:.0f} s; hang = a case over {HANG_SECONDS} s of CPU time or {BLOCKED_SECONDS} s of wall time")
    print(f"{'target':<8} {'inputs':>9} {'handled':>9} {'defects':>8} {'hangs':>6} {'per s':>7} {'slowest cpu':>12} "
          f"{'slowest wall':>13} {'wall > ' + str(HANG_SECONDS) + ' s':>10}")
    failed = 0
    for target, counter in counts.items():
        inputs = sum(counter.values())
        handled = sum(n for k, n in counter.items() if k.startswith("handled"))
        defects = sum(n for k, n in counter.items() if k.startswith("defect"))
        hangs = counter.get("hang", 0)
        failed += defects + hangs
        print(f"{target:<8} {inputs:>9,} {handled:>9,} {defects:>8,} {hangs:>6,} {inputs / elapsed:>7.1f} "
              f"{slowest[target]:>11.2f}s {slowest_wall[target]:>12.2f}s {over_wall[target]:>10,}")
        summary["targets"][target] = {"inputs": inputs, "handled": handled, "defects": defects, "hangs": hangs,
                                      "outcomes": dict(sorted(counter.items())),
                                      "slowest_cpu_seconds": round(slowest[target], 2),
                                      "slowest_wall_seconds": round(slowest_wall[target], 2),
                                      "over_5s_wall": over_wall[target]}
    for target, counter in counts.items():
        for outcome, n in sorted(counter.items()):
            print(f"  {target:<7} {n:>8,}  {outcome}")
    if examples:
        print("\nfirst example of each defect kind / hang:")
        for outcome, example in sorted(examples.items()):
            print(f"  {outcome}\n      {example}")
    print(json.dumps(summary))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
