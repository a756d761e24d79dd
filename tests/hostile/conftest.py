"""Shared fixtures for the hostile-input tests (issue 14)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "schedules"


def _run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result.exit_code, result.output


@pytest.fixture
def run():
    """`run(*args)`: `tariffc ARGS` in-process → (exit code, output); fails on any crash."""
    return _run


@pytest.fixture
def tree(tmp_path):
    """A copy of the calendar, E-1 and E-7-TOU to damage: returns the schedules folder."""
    folder = tmp_path / "schedules"
    shutil.copytree(SCHEDULES / "calendars", folder / "calendars")
    (folder / "electric").mkdir()
    for name in ("E-1", "E-7-TOU"):
        shutil.copy(SCHEDULES / "electric" / f"{name}.tariff", folder / "electric")
    return folder


@pytest.fixture(scope="module")
def population(tmp_path_factory):
    """A synthetic dataset of 2 customers × 12 months (`tariffc synth`'s generator, seed 3), for the
    commands that read one (`impact --data`); skipped without the bulk extra."""
    pytest.importorskip("pyarrow")
    pytest.importorskip("numpy")
    from tariffc.compiler.bulk.synth import synthesize

    out = tmp_path_factory.mktemp("population") / "data"
    synthesize(out, customers=2, seed=3, months=12)
    return out
