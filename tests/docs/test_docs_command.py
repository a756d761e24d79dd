"""`tariffc docs` refuses a foreign output directory (exit 2) and stops on a schedule error (exit 1),
writing nothing in either case."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from tariffc.compiler.cli import main
from tariffc.compiler.docsgen.output import MANIFEST

REPO = Path(__file__).resolve().parents[2]


def small_schedules(tmp_path: Path) -> Path:
    directory = tmp_path / "schedules"
    (directory / "electric").mkdir(parents=True)
    shutil.copytree(REPO / "schedules" / "calendars", directory / "calendars")
    shutil.copy(REPO / "schedules" / "electric" / "E-1.tariff", directory / "electric")
    return directory


def run(*args):
    return CliRunner().invoke(main, ["docs", *map(str, args)])


def test_refuses_an_output_directory_it_did_not_write(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.md").write_text("mine\n")
    result = run("--schedules", small_schedules(tmp_path), "--out", out, "--docs", REPO / "docs")
    assert result.exit_code == 2
    assert "did not write" in result.output and "notes.md" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.md"]


def test_force_writes_and_keeps_foreign_files(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.md").write_text("mine\n")
    result = run("--schedules", small_schedules(tmp_path), "--out", out, "--docs", REPO / "docs", "--force")
    assert result.exit_code == 0, result.output
    assert (out / "notes.md").read_text() == "mine\n"
    assert (out / "schedules" / "E-1.md").is_file()
    assert "notes.md" not in (out / MANIFEST).read_text()


def test_rewrites_its_own_output_and_removes_stale_files(tmp_path):
    schedules = small_schedules(tmp_path)
    out = tmp_path / "out"
    assert run("--schedules", schedules, "--out", out, "--docs", REPO / "docs").exit_code == 0
    (out / "schedules" / "E-1.md").unlink()  # ours: may go missing
    manifest = (out / MANIFEST).read_text()
    (out / MANIFEST).write_text(manifest + "schedules/E-99.md\n")
    (out / "schedules" / "E-99.md").write_text("stale")  # written by an earlier run, no longer generated
    result = run("--schedules", schedules, "--out", out, "--docs", REPO / "docs")
    assert result.exit_code == 0, result.output
    assert (out / "schedules" / "E-1.md").is_file()
    assert not (out / "schedules" / "E-99.md").exists()


def test_stops_on_a_schedule_error_and_writes_nothing(tmp_path):
    schedules = small_schedules(tmp_path)
    e1 = schedules / "electric" / "E-1.tariff"
    text = e1.read_text()
    assert "= 0.20570" in text
    e1.write_text(text.replace("= 0.20570", "= 0.20571", 1))  # the printed total no longer adds up
    out = tmp_path / "out"
    result = run("--schedules", schedules, "--out", out, "--docs", REPO / "docs")
    assert result.exit_code == 1
    assert "error[T201]" in result.output and "E-1.tariff" in result.output
    assert "no site written" in result.output
    assert not out.exists()


def test_unparsable_schedule_stops_too(tmp_path):
    schedules = small_schedules(tmp_path)
    (schedules / "electric" / "E-99.tariff").write_text('schedule E-99 "Broken"\n  utility electric\n  ???\n')
    out = tmp_path / "out"
    result = run("--schedules", schedules, "--out", out)
    assert result.exit_code == 1
    assert "E-99.tariff:3" in result.output
    assert not out.exists()
