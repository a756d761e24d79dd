"""Hostile names (issue 14): schedule text is escaped wherever the site writes it; a file whose name
is not its schedule id bills and builds under its id; an over-long id is a diagnostic; a schedules
tree below a folder named `calendars/` works."""

from __future__ import annotations

import shutil

from tariffc.compiler.api import Tariffs
from tariffc.compiler.docsgen.nav import nav_yaml
from tariffc.compiler.project import load

HOSTILE = '<script>alert(1)</script> & "quotes"'


def _retitle(path, title):
    text = path.read_text(encoding="utf-8")
    start = text.index('schedule E-1 "') + len('schedule E-1 "')
    end = text.index('"', start)
    path.write_text(text[:start] + title.replace('"', '\\"') + text[end:], encoding="utf-8")


def test_schedule_titles_are_escaped_in_the_navigation(tree):
    _retitle(tree / "electric" / "E-1.tariff", HOSTILE)
    project = load([tree])
    assert not project.errors
    nav = nav_yaml(project, {})
    assert "<script>" not in nav and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in nav


def test_schedule_titles_are_escaped_on_every_page(tree):
    from tariffc.compiler.docsgen import generate
    import datetime as dt

    _retitle(tree / "electric" / "E-1.tariff", HOSTILE)
    project = load([tree])
    files = generate(project, today=dt.date(2025, 8, 1), schedules_dirs=[tree], docs_dir=tree / "no-docs")
    for name, data in files.items():
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        assert "<script>alert(1)" not in text, name


def test_a_file_named_otherwise_bills_and_builds_under_its_id(tree, run, tmp_path):
    (tree / "electric" / "E-1.tariff").rename(tree / "electric" / "residential.tariff")
    bill = Tariffs.load(tree).bill("E-1", start="2025-07-01", end="2025-07-31", kwh=600)
    assert bill.total > 0
    code, out = run("bill", "E-1", "--schedules", tree, "--start", "2025-07-01", "--end", "2025-07-31",
                    "--kwh", "600")
    assert code == 0 and "TOTAL" in out
    code, out = run("build", "--schedules", tree, "--out", tmp_path / "gen")
    assert code == 0 and (tmp_path / "gen" / "tariff_e_1.py").is_file()


def test_an_over_long_schedule_id_is_a_diagnostic(tree, run, tmp_path):
    path = tree / "electric" / "E-1.tariff"
    long_id = "E-" + "X" * 250
    path.write_text(path.read_text(encoding="utf-8").replace("schedule E-1 ", f"schedule {long_id} "),
                    encoding="utf-8")
    code, out = run("check", tree)
    assert code == 1 and "error[T107]" in out and "250" not in out.split("error[T107]")[0]
    code, out = run("docs", "--schedules", tree, "--out", tmp_path / "site", "--today", "2025-08-01")
    assert code == 1 and not (tmp_path / "site").exists()


def test_a_schedules_tree_below_a_folder_named_calendars(tree, tmp_path, run):
    root = tmp_path / "calendars" / "work" / "schedules"
    shutil.copytree(tree, root)
    tariffs = Tariffs.load(root)
    assert set(tariffs.ids) == {"E-1", "E-7-TOU"}
    assert tariffs.bill("E-1", start="2025-07-01", end="2025-07-31", kwh=600).total > 0
    code, out = run("bill", "E-1", "--schedules", root, "--start", "2025-07-01", "--end", "2025-07-31",
                    "--kwh", "600")
    assert code == 0 and "TOTAL" in out
