"""The parsed files of one load → IR: every calendar first (one registry, T302 for a name defined
twice), then each file's schedules with the versions written after them (T303 for a version before
any schedule), published tables, and one schedule per id across files (T302)."""

from __future__ import annotations

import attrs

from tariffc.compiler import ir
from tariffc.compiler.lower.calendars import calendar
from tariffc.compiler.lower.context import Lowering
from tariffc.compiler.lower.links import link
from tariffc.compiler.lower.published import published, restricted
from tariffc.compiler.lower.schedules import schedule
from tariffc.dsl import ast
from tariffc.dsl.diagnostics import Diagnostic


@attrs.frozen
class Lowered:
    """The IR of a set of files, and what lowering found wrong (unsorted; project.load sorts)."""

    calendars: tuple[ir.Calendar, ...]
    schedules: tuple[ir.Schedule, ...]
    published: tuple[ir.PublishedTable, ...]
    diagnostics: tuple[Diagnostic, ...]


def lower_files(trees: list[ast.File], context: set[str] = frozenset()) -> Lowered:
    """Lower `trees` together (a schedule names a calendar of any of them). Trees whose path is in
    `context` were read from the tree for reference only: their published tables are cut to the
    rows of the schedules lowered here (published.restricted)."""
    lx = Lowering()
    calendars = calendar_registry(lx, trees)
    schedules: list[ir.Schedule] = []
    tables: list[ir.PublishedTable] = []
    context_tables: list[ir.PublishedTable] = []
    context_schedules: list[ir.Schedule] = []  # schedules read only to be referred to (E-16 -> E-2)
    for tree in trees:
        (context_schedules if tree.path in context else schedules).extend(file_schedules(lx, tree, calendars))
        (context_tables if tree.path in context else tables).extend(
            published(lx, item, tree.path) for item in tree.items if isinstance(item, ast.Published))
    ids = {s.id for s in schedules}
    tables.extend(t for t in (restricted(t, ids) for t in context_tables) if t is not None)
    unique = {s.id: s for s in unique_schedules(lx, schedules)}
    linked, problems = link(unique, {s.id: s for s in context_schedules})
    return Lowered(calendars=tuple(calendars.values()), schedules=tuple(linked.values()),
                   published=tuple(tables), diagnostics=tuple(lx.diagnostics) + tuple(problems))


def calendar_registry(lx: Lowering, trees: list[ast.File]) -> dict[str, ir.Calendar]:
    """Every calendar of the files by name; a name defined twice is T302 (the later one is kept)."""
    calendars: dict[str, ir.Calendar] = {}
    for tree in trees:
        for item in tree.items:
            if isinstance(item, ast.Calendar):
                if item.name.text in calendars:
                    lx.err("T302", f"calendar '{item.name.text}' is defined twice", item.name.span,
                           f"also in {calendars[item.name.text].path}")
                calendars[item.name.text] = calendar(lx, item, tree.path)
    return calendars


def file_schedules(lx: Lowering, tree: ast.File, calendars: dict[str, ir.Calendar]) -> list[ir.Schedule]:
    """The schedules of one file, each with the versions written after it (up to the next schedule)."""
    out = []
    current: ast.Schedule | None = None
    versions: list[ast.Version] = []
    for item in tree.items:
        if isinstance(item, ast.Schedule):
            if current is not None:
                out.append(schedule(lx, current, versions, calendars, tree.path))
            current, versions = item, []
        elif isinstance(item, ast.Version):
            if current is None:
                lx.err("T303", f"version {item.effective.text} comes before any schedule",
                       item.effective.span, hint="a file starts with `schedule ID \"title\"`")
            else:
                versions.append(item)
    if current is not None:
        out.append(schedule(lx, current, versions, calendars, tree.path))
    return out


def unique_schedules(lx: Lowering, schedules: list[ir.Schedule]) -> list[ir.Schedule]:
    """One schedule per id: a second definition (in any file) is T302 and dropped."""
    by_id: dict[str, ir.Schedule] = {}
    for item in schedules:
        if item.id in by_id:
            lx.err("T302", f"schedule {item.id} is already defined in {by_id[item.id].path}", item.span,
                   hint="one schedule per file; put every version of it in that file")
        else:
            by_id[item.id] = item
    return list(by_id.values())
