"""`tariffc check` end to end: exit codes, summary, JSON, usage errors, breaking a real total."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from tariffc.compiler.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "schedules"


def check(*args):
    return CliRunner().invoke(main, ["check", *map(str, args)])


def test_installed_packages_are_not_generic_names():
    assert importlib.util.find_spec("dsl") is None
    assert importlib.util.find_spec("compiler") is None


def test_the_schedules_tree_checks_clean():
    result = check(SCHEDULES)
    assert result.exit_code == 0, result.output[-3000:]
    summary = result.output.strip().splitlines()[-1]
    assert re.search(r"\d+ schedules, \d+ versions", summary)
    assert " 0 errors" in summary


def test_json_output_has_records_and_summary():
    result = check("--format", "json", SCHEDULES)
    data = json.loads(result.output)
    assert set(data) == {"diagnostics", "summary"}
    assert data["summary"]["errors"] == 0
    for record in data["diagnostics"]:
        assert {"severity", "code", "message", "path", "line", "column"} <= set(record)


def test_missing_path_is_a_usage_error_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "no such file or directory" in result.output


def test_directory_without_tariff_files_is_a_usage_error(tmp_path):
    (tmp_path / "readme.txt").write_text("nothing here")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "no .tariff file" in result.output


def test_breaking_a_printed_total_shows_the_arithmetic(tmp_path):
    tree = tmp_path / "schedules"
    shutil.copytree(SCHEDULES, tree)
    e1 = tree / "electric" / "E-1.tariff"
    text = e1.read_text()
    assert "= 0.20570" in text
    e1.write_text(text.replace("= 0.20570", "= 0.20571", 1))
    result = check(tree)
    assert result.exit_code == 1
    assert "error[T201]: components do not add up to the total" in result.output
    assert "the total says 0.20571" in result.output
