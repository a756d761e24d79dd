"""Every command that writes goes through compiler/outpaths.py, under one rule (issue 14, the breaker's
items 2, 5, 7, 9): missing folders are made, for a directory and for a single file alike; a symbolic
link at a target is replaced, never written through; a folder holding someone else's files is not
written into without --force; `fmt` and `new-version` refuse a schedule file that is a link; a file
rewritten keeps its permission bits."""

from __future__ import annotations

import os
import shutil
import stat

import pytest

from tariffc.compiler.outpaths import write_file

from .conftest import SCHEDULES

IMPACT = ("impact", "E-1", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "200,400")


@pytest.fixture
def victim(tmp_path):
    path = tmp_path / "victim.txt"
    path.write_text("keep me")
    return path


def _impact_data(run, data, out, *extra):
    return run("impact", "--data", data, "--schedule", "E-1", "--from", "2024-07-01", "--to", "2025-07-01",
               "--out", out, "--schedules-dir", SCHEDULES, *extra)


def test_impact_data_refuses_a_folder_of_other_files_without_force(run, population, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    code, text = _impact_data(run, population, out)
    assert code == 2 and "notes.txt" in text and "--force" in text, text
    assert sorted(os.listdir(out)) == ["notes.txt"]  # refused before anything was written
    code, text = _impact_data(run, population, out, "--force")
    assert code == 0, text
    assert (out / "notes.txt").read_text() == "my notes" and (out / "summary.json").is_file()
    fresh = tmp_path / "fresh"
    assert _impact_data(run, population, fresh)[0] == 0
    assert _impact_data(run, population, fresh)[0] == 0  # a rerun replaces its own files: no --force needed


@pytest.mark.parametrize("args, target", [
    (("export", "urdb", "E-1", "--out", "{d}/a/b/E-1.json"), "a/b/E-1.json"),
    ((*IMPACT, "--chart", "{d}/c/d/chart.svg"), "c/d/chart.svg"),
])
def test_a_single_output_file_gets_its_missing_folders(run, tmp_path, args, target):
    if "--chart" in args:
        pytest.importorskip("matplotlib")
    code, text = run(*(a.format(d=tmp_path) for a in args))
    assert code == 0, text
    assert (tmp_path / target).is_file()


@pytest.mark.parametrize("args, target", [
    (("export", "urdb", "E-1", "--out", "{d}/out.json"), "out.json"),
    ((*IMPACT, "--chart", "{d}/chart.svg"), "chart.svg"),
])
def test_a_link_at_an_output_file_is_replaced_not_followed(run, tmp_path, victim, args, target):
    if "--chart" in args:
        pytest.importorskip("matplotlib")
    (tmp_path / target).symlink_to(victim)
    code, text = run(*(a.format(d=tmp_path) for a in args))
    assert code == 2 and "--force" in text and target in text, text  # an existing output: replaced only when asked
    assert victim.read_text() == "keep me" and (tmp_path / target).is_symlink()
    code, text = run(*(a.format(d=tmp_path) for a in args), "--force")
    assert code == 0, text
    assert victim.read_text() == "keep me"
    assert not (tmp_path / target).is_symlink() and (tmp_path / target).stat().st_size > 0


def test_an_output_file_below_a_file_is_a_usage_error(run, victim):
    code, text = run("export", "urdb", "E-1", "--out", victim / "x.json")
    assert code == 2 and "is not a directory" in text, text
    assert victim.read_text() == "keep me"


@pytest.mark.parametrize("command", ["fmt", "new-version"])
def test_a_schedule_file_that_is_a_link_is_not_written_through(run, tmp_path, command):
    real = tmp_path / "elsewhere" / "E-1.tariff"
    real.parent.mkdir()
    original = (SCHEDULES / "electric" / "E-1.tariff").read_text(encoding="utf-8")
    real.write_text(original.replace("\n\n", "\n\n\n", 1), encoding="utf-8")  # fmt would change this
    tree = tmp_path / "tree"
    (tree / "electric").mkdir(parents=True)
    shutil.copytree(SCHEDULES / "calendars", tree / "calendars")
    link = tree / "electric" / "E-1.tariff"
    link.symlink_to(real)
    before = real.read_bytes()
    if command == "fmt":
        code, text = run("fmt", link)
    else:
        code, text = run("new-version", "E-1", "--effective", "2031-07-01", "--schedules", tree)
    assert code in (1, 2) and "symbolic link" in text, text
    assert real.read_bytes() == before and link.is_symlink()


def test_a_rewritten_file_keeps_its_mode_and_a_new_one_is_not_private(tmp_path):
    path = tmp_path / "page.md"
    path.write_text("old")
    path.chmod(0o640)
    write_file(tmp_path, "page.md", b"new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_bytes() == b"new"
    write_file(tmp_path, "fresh.md", b"x")
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE((tmp_path / "fresh.md").stat().st_mode) == 0o666 & ~mask


def test_a_journal_is_never_appended_through_a_link(tmp_path, victim):
    from tariffc.compiler.bulk.dataset import append_csv
    from tariffc.compiler.outpaths import UnsafePath

    (tmp_path / "done.csv").symlink_to(victim)
    with pytest.raises(UnsafePath, match="symbolic link"):
        append_csv(tmp_path / "done.csv", ["file"], [["x"]])
    assert victim.read_text() == "keep me"
    append_csv(tmp_path / "refused.csv", ["file"], [["x"]])
    assert (tmp_path / "refused.csv").read_text() == "file\nx\n"
