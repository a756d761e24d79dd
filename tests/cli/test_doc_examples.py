"""Every shell example in README.md and docs/*.md runs, so the docs cannot drift from the CLI.

Which blocks are examples: fenced ```sh and ```console blocks. A block that must not run here says so
on the line before its fence, with the reason: `<!-- shell: not run (REASON) -->`. Command synopses
use ```text. In ```sh blocks each command (lines joined at a trailing backslash) must exit 0; they run
in a scratch directory holding a copy of schedules/ and the data files below, with `.venv/bin/` the
environment running the tests. In ```console blocks each `$ command` runs from the repository root
and its stdout must be exactly the lines shown under it (none shown: only exit 0).

Data the examples may name, written by this test: `usage.csv`, July 2025 hourly interval data
(header `start,kwh`, 0.8 kWh every hour, local time), and `usage_15min.csv`, the same month in
15-minute intervals of 0.2 kWh with times in Pacific standard time all year (as simulated load
profiles are written; read with `--clock standard`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)")
NOT_RUN = re.compile(r"^<!-- shell: not run \((.+)\) -->$")
TIMEOUT = 180  # seconds per command (generous: the test machine is shared)


@attrs.frozen
class Example:
    page: str
    line: int
    kind: str  # "sh" | "console"
    commands: tuple[tuple[str, tuple[str, ...] | None], ...]  # (command, expected stdout lines or None)
    skip: str | None

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def examples() -> list[Example]:
    found = []
    for page in PAGES:
        lines = page.read_text(encoding="utf-8").split("\n")
        index = 0
        while index < len(lines):
            match = FENCE.match(lines[index])
            if not match:
                index += 1
                continue
            end = next(j for j in range(index + 1, len(lines)) if lines[j].startswith("```"))
            kind, body = match.group(1), lines[index + 1:end]
            if kind in ("sh", "console"):
                reason = NOT_RUN.match(lines[index - 1]) if index else None
                parse = _sh if kind == "sh" else _console
                found.append(Example(page.relative_to(REPO).as_posix(), index + 1, kind, parse(body),
                                     reason.group(1) if reason else None))
            index = end + 1
    return found


def _sh(body: list[str]) -> tuple:
    commands, current = [], ""
    for line in body:
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        if current.strip() and not current.lstrip().startswith("#"):
            commands.append((current.strip(), None))
        current = ""
    return tuple(commands)


def _console(body: list[str]) -> tuple:
    commands = []
    for line in body:
        if line.startswith("$ "):
            commands.append([line[2:].strip(), []])
        elif commands:
            commands[-1][1].append(line.rstrip())
    return tuple((command, tuple(output) if any(output) else None) for command, output in commands)


EXAMPLES = examples()


def test_the_docs_hold_shell_examples():
    assert len([e for e in EXAMPLES if e.skip is None]) >= 2
    for example in EXAMPLES:
        assert example.commands, f"{example.id}: an empty shell block"


@pytest.fixture
def scratch(tmp_path_factory) -> Path:
    # A fresh copy per example: an example may change its tree (`tariffc new-version` appends a version).
    root = tmp_path_factory.mktemp("examples")
    shutil.copytree(REPO / "schedules", root / "schedules", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (root / ".venv").mkdir()
    (root / ".venv" / "bin").symlink_to(Path(sys.executable).parent, target_is_directory=True)
    rows = [f"2025-07-{d:02d} {h:02d}:00,0.8" for d in range(1, 32) for h in range(24)]
    (root / "usage.csv").write_text("start,kwh\n" + "\n".join(rows) + "\n", encoding="utf-8")
    first = dt.datetime(2025, 6, 30, 23, 0)  # 2025-07-01 00:00 PDT written in Pacific standard time
    quarters = [f"{first + dt.timedelta(minutes=15 * i):%Y-%m-%d %H:%M},0.2" for i in range(31 * 96)]
    (root / "usage_15min.csv").write_text("start,kwh\n" + "\n".join(quarters) + "\n", encoding="utf-8")
    return root


def _env(tree: Path | None = None) -> dict:
    """The environment of an example; `tree`: the schedules it reads by default (a scratch copy, so an
    example that edits its tree, such as `tariffc new-version`, never touches the repository's)."""
    env = {k: v for k, v in os.environ.items() if k != "TARIFFC_SCHEDULES"}
    if tree is not None:
        env["TARIFFC_SCHEDULES"] = str(tree)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_shell_example_runs(example, scratch):
    if example.skip:
        pytest.skip(f"{example.id}: marked not run ({example.skip})")
    cwd = scratch if example.kind == "sh" else REPO
    for command, expected in example.commands:
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command], cwd=cwd,
                              env=_env(scratch / "schedules" if cwd == scratch else None),
                              capture_output=True, text=True, timeout=TIMEOUT)
        assert done.returncode == 0, f"{example.id}: `{command}` exited {done.returncode}:\n{done.stderr[-2000:]}"
        if expected is not None:
            shown = [line.rstrip() for line in done.stdout.rstrip("\n").split("\n")]
            assert shown == list(expected), f"{example.id}: `{command}` printed something else than the page shows"
