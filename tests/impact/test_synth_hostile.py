"""`tariffc synth` with bad arguments: a clear one-line refusal (exit 2), never an internal error, and
nothing written."""

from __future__ import annotations

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("numpy")

from click.testing import CliRunner  # noqa: E402

from tariffc.compiler.cli import main  # noqa: E402


def _synth(*args):
    return CliRunner().invoke(main, ["synth", "--customers", "1", *args])


@pytest.mark.parametrize("args,message", [
    (["--start", "9999-12-01"], "synthetic data run from 1900-01-01 to 9999-12-01"),
    (["--start", "9999-11-01", "--months", "2"], "synthetic data run from"),
    (["--start", "0001-01-01", "--months", "1"], "synthetic data run from"),
    (["--seed", "-1"], "-1"),
])
def test_bad_arguments_are_refused(tmp_path, args, message):
    out = tmp_path / "ds"
    result = _synth("--out", str(out), *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_out_that_is_a_file_is_refused(tmp_path):
    out = tmp_path / "afile"
    out.write_text("keep")
    result = _synth("--out", str(out), "--months", "1")
    assert result.exit_code == 2, result.output
    assert "exists and is not a directory" in result.output
    assert out.read_text() == "keep"


def test_last_month_of_year_9999_is_accepted(tmp_path):
    """The latest end is 9999-12-01: 9999-11 is the last month a synthetic year may cover."""
    out = tmp_path / "ds"
    result = _synth("--out", str(out), "--start", "9999-11-01", "--months", "1")
    assert result.exit_code == 0, result.output
    assert "9999-11-01 to 9999-12-01" in result.output
