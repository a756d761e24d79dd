"""Numbers, dates and hours in a .tariff file are ASCII digits only. Python's `\\d` also matches
fullwidth (U+FF10-FF19), Arabic-Indic and other Unicode digits, so a rate cell typed `０.10373` or
`٠.10373` used to check clean and bill as 0.10373 while `grep 0.10373` and every reviewer's eye miss
it; it is now refused at its line and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "schedules"
ROW = 'tier1 "Tier 1 usage"                        0.10373'


@pytest.mark.parametrize("lookalike", ["０.10373", "٠.10373", "0.1037３", "0.10373".replace("1", "১")])
def test_unicode_digits_in_a_rate_cell_are_refused(tmp_path, lookalike):
    tree = tmp_path / "schedules"
    shutil.copytree(SCHEDULES, tree)
    path = tree / "electric" / "E-1.tariff"
    text = path.read_text(encoding="utf-8")
    assert text.count(ROW) == 1
    lines = text.replace(ROW, ROW.replace("0.10373", lookalike)).splitlines()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = next(i for i, t in enumerate(lines, start=1) if lookalike in t)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1, result.output
    bad = next(c for c in lookalike if not c.isascii())
    column = lines[line - 1].index(bad) + 1
    assert f"E-1.tariff:{line}:{column}: error[T101]: unexpected character {bad!r}" in result.output
    assert "a digit that is not 0-9" in result.output


def test_unicode_digits_in_a_date_are_refused(tmp_path):
    tree = tmp_path / "schedules"
    shutil.copytree(SCHEDULES, tree)
    path = tree / "electric" / "E-1.tariff"
    path.write_text(path.read_text(encoding="utf-8").replace("version 2025-07-01", "version ２025-07-01"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1, result.output
    assert "unexpected character" in result.output
