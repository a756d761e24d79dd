"""A reader that closes the pipe early ends the command quietly with exit 0; an unexpected exception
is one line asking for a report, exit 3, with the traceback only under --debug."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main
from tariffc.compiler.cli.common import EXIT_INTERNAL

REPO = Path(__file__).resolve().parents[2]
SAMPLE = sorted((Path("/work/shared/data/greenbutton")).glob("*.xml"))


def closed_reader(*args: str) -> subprocess.CompletedProcess:
    """Run tariffc with its stdout a pipe whose reader has already gone (what `| head` leaves
    behind once it has its line): every write fails with EPIPE."""
    proc = subprocess.Popen([sys.executable, "-P", "-m", "tariffc.compiler.cli", *args], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    return subprocess.CompletedProcess(args, proc.wait(timeout=120), "", err)


@pytest.mark.parametrize("args", [["rates", "--on", "2025-08-01"], ["check", "--notes", "schedules"], ["diff", "E-1", "--from", "2024-07-01",
                                                                                  "--to", "2025-07-01"]])
def test_a_closed_pipe_ends_quietly_with_exit_0(args):
    done = closed_reader(*args)
    assert (done.returncode, done.stderr) == (0, "")


def test_head_gets_its_line_and_the_pipeline_succeeds():
    done = subprocess.run(["bash", "-o", "pipefail", "-c",
                           f"'{sys.executable}' -P -m tariffc.compiler.cli rates --on 2025-08-01 --format csv | head -1"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("schedule,version,charge")
    assert done.stderr == ""


@pytest.mark.skipif(not SAMPLE, reason="no Green Button sample in /work/shared/data/greenbutton")
def test_inspect_into_a_closed_pipe():
    assert closed_reader("inspect", str(SAMPLE[0])).returncode == 0


def test_an_unexpected_exception_is_one_line_and_exit_3(monkeypatch):
    from tariffc.compiler.cli import check

    def boom(*_args, **_kwargs):
        raise RuntimeError("the unexpected")

    monkeypatch.setattr(check, "load", boom)
    result = CliRunner().invoke(main, ["check", str(REPO / "schedules")])
    assert result.exit_code == EXIT_INTERNAL == 3
    assert result.output.count("\n") == 1
    assert "internal error (RuntimeError: the unexpected); please report it" in result.output
    assert "--debug" in result.output and "Traceback" not in result.output
    debug = CliRunner().invoke(main, ["--debug", "check", str(REPO / "schedules")])
    assert isinstance(debug.exception, RuntimeError)  # --debug lets the traceback through
