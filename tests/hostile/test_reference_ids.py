"""Schedule ids written in a reference (`charge energy … per kWh as E-2 energy`, E-16 C.2) never become
a path (issue 14): an over-long id is T107 at the lexer, an id that is not one (`../x`) a syntax error,
and the referenced file is found by what the tree's files declare, not by a file name built from the
id. A 300-character id once reached `rglob(f"{id}.tariff")` (in the fuzz harness's own copy of this
lookup) and raised "file name too long"."""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import pytest

from tariffc.compiler.api import Tariffs
from tariffc.compiler.project import load, referenced_files
from tariffc.dsl import ast
from tariffc.dsl.transform import parse_text

from .conftest import SCHEDULES

REFERENCE = "per kWh as E-2 energy"


@pytest.fixture
def e16_tree(tmp_path):
    """The calendar, E-16 and E-2 (the schedule E-16 C.2 refers to) in a tree: the schedules folder."""
    folder = tmp_path / "schedules"
    shutil.copytree(SCHEDULES / "calendars", folder / "calendars")
    (folder / "electric").mkdir()
    for name in ("E-16", "E-2"):
        shutil.copy(SCHEDULES / "electric" / f"{name}.tariff", folder / "electric")
    return folder


def _refer_to(path: Path, schedule_id: str) -> int:
    """Make every reference statement of `path` name `schedule_id`; the line of the first one."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = [i for i, line in enumerate(lines) if line.lstrip().startswith("charge ") and REFERENCE in line]
    assert at
    for i in at:
        lines[i] = lines[i].replace(REFERENCE, f"per kWh as {schedule_id} energy")
    path.write_text("\n".join(lines), encoding="utf-8")
    return at[0] + 1


def test_a_300_character_id_in_a_reference_is_t107_on_its_line(e16_tree, run):
    e16 = e16_tree / "electric" / "E-16.tariff"
    line = _refer_to(e16, "E-" + "X" * 298)
    for given in (e16, e16_tree):  # the file alone (its references looked up in the tree) and the tree
        code, out = run("check", given)
        assert code == 1, out
        assert f"E-16.tariff:{line}:" in out and "error[T107]" in out and "300 characters long" in out, out


def test_a_path_as_a_reference_id_is_a_syntax_error_on_its_line(e16_tree, run):
    e16 = e16_tree / "electric" / "E-16.tariff"
    line = _refer_to(e16, "../x")
    code, out = run("check", e16)
    assert code == 1 and f"E-16.tariff:{line}:" in out and "error[T1" in out, out


def _with_reference_to(tree: ast.File, schedule_id: str) -> ast.File:
    """`tree` with every reference naming `schedule_id`: ids the lexer would refuse, to show the
    lookup itself never builds a path from one."""
    def retarget(statement):
        if isinstance(statement, ast.Reference):
            return attrs.evolve(statement, schedule=attrs.evolve(statement.schedule, text=schedule_id))
        return statement

    items = [attrs.evolve(item, statements=tuple(retarget(s) for s in item.statements))
             if isinstance(item, ast.Version) else item for item in tree.items]
    return attrs.evolve(tree, items=tuple(items))


@pytest.mark.parametrize("schedule_id", ["E-" + "X" * 300, "../x", "../electric/E-2", "/etc/passwd", "*", "E-[2]",
                                         "E-2/../E-2", "E-\x00"])
def test_the_lookup_of_referenced_files_never_makes_a_path_from_an_id(e16_tree, schedule_id):
    e16 = e16_tree / "electric" / "E-16.tariff"
    tree = _with_reference_to(parse_text(e16.read_text(encoding="utf-8"), str(e16)), schedule_id)
    assert referenced_files([e16], [e16], [tree]) == []


def test_a_referenced_schedule_is_found_by_what_its_file_declares(e16_tree):
    (e16_tree / "electric" / "E-2.tariff").rename(e16_tree / "electric" / "residential.tariff")
    e16 = e16_tree / "electric" / "E-16.tariff"
    tree = parse_text(e16.read_text(encoding="utf-8"), str(e16))
    assert referenced_files([e16], [e16], [tree]) == [e16_tree / "electric" / "residential.tariff"]
    project = load([e16])
    assert not project.errors, project.errors
    # E-16 C.2 bills every kWh at E-2's energy rates: E-16 bills through the renamed file
    bill = Tariffs.load(e16_tree).bill("E-16", start="2025-07-01", end="2025-07-31", kwh="600")
    assert bill.total > 0


def test_a_reference_to_a_schedule_no_file_declares_is_t243(e16_tree, run):
    e16 = e16_tree / "electric" / "E-16.tariff"
    line = _refer_to(e16, "E-99")
    code, out = run("check", e16)
    assert code == 1 and f"E-16.tariff:{line}:" in out and "error[T243]" in out, out
