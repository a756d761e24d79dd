"""`tariffc export urdb`: files written, refusals, errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tariffc.compiler.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = str(ROOT / "schedules")


def run(*args):
    return CliRunner().invoke(main, ["export", "urdb", *args, "--schedules", SCHEDULES])


def test_one_version_to_a_file_with_its_loss_report(tmp_path):
    out = tmp_path / "e4tou.json"
    result = run("E-4-TOU", "--version", "2025-07-01", "--out", str(out))
    assert result.exit_code == 0, result.output
    rate = json.loads(out.read_text())
    assert rate["name"].startswith("E-4-TOU") and len(rate["energyweekdayschedule"]) == 12
    loss = (tmp_path / "e4tou.loss.md").read_text()
    assert "holidays" in loss and "Christmas Day" in loss
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e4tou.json", "e4tou.loss.md"]


def test_json_format_includes_the_loss_report():
    result = CliRunner().invoke(main, ["export", "urdb", "E-7-TOU", "--version", "2024-12-01", "--format", "json",
                                       "--schedules", SCHEDULES])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["version"] == "2024-07-01"  # the version in effect on 2024-12-01
    assert "holidays" in [loss["kind"] for loss in document["losses"]]
    assert document["urdb"]["fixedchargefirstmeter"] == 520.80  # 003 line 2235, 2024 value


def test_refused_schedule_exits_1_with_the_reason():
    result = run("E-16")
    assert result.exit_code == 1
    assert "unmetered" in result.stderr and "Traceback" not in result.output


def test_all_writes_every_version_and_lists_refusals(tmp_path):
    result = run("--all", "--out", str(tmp_path / "urdb"))
    assert result.exit_code == 0, result.output
    index = json.loads((tmp_path / "urdb" / "index.json").read_text())
    assert {r["schedule"] for r in index["refused"]} == {"E-14", "E-16", "E-EEC-1", "E-NSE-1"}
    exported = {(e["schedule"], e["version"]) for e in index["exports"]}
    assert ("E-4-TOU", "2025-07-01") in exported and ("E-1", "2019-07-01") in exported
    for entry in index["exports"]:
        assert (tmp_path / "urdb" / entry["file"]).is_file()


def test_usage_errors_exit_2():
    assert run("E-1", "--version", "July").exit_code == 2
    assert run("--all").exit_code == 2
    assert run("E-2-G", "--option", "green_option").exit_code == 2
    assert run("E-2-G", "--option", "green_option=bogus").exit_code == 2
    assert run("E-1", "--version", "2010-01-01").exit_code == 1  # no version in effect then


def test_out_into_a_missing_directory_makes_it(tmp_path):
    """One rule for every writer (compiler/outpaths.py, issue 14): missing folders are made, as
    `build`, `synth` and `docs` make theirs; a folder that is a file is refused."""
    result = run("E-1", "--out", str(tmp_path / "no" / "such" / "e1.json"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "no" / "such" / "e1.json").is_file() and (tmp_path / "no" / "such" / "e1.loss.md").is_file()
    (tmp_path / "file").write_text("keep")
    result = run("E-1", "--out", str(tmp_path / "file" / "e1.json"))
    assert result.exit_code == 2 and (tmp_path / "file").read_text() == "keep"
