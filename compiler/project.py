"""The driver: read `.tariff` files (files or directories, recursively) → parse (dsl/) → lower
(compiler/lower/) → CHECKS (compiler/checks/); every stage's diagnostics collected and sorted once.

    project = load([Path("schedules")])
    project.schedule("E-1").version_on(date(2025, 7, 1))
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import attrs

from tariffc.compiler import ir
from tariffc.compiler.checks import run_checks
from tariffc.compiler.inpaths import open_input
from tariffc.compiler.lower import lower_files
from tariffc.dsl import ast
from tariffc.dsl.diagnostics import Diagnostic, DiagnosticError, Severity, Span, error
from tariffc.dsl.lines import normalize
from tariffc.dsl.transform import parse_bytes


class UsageError(Exception):
    """A path that cannot be read or holds no `.tariff` file: exit 2, one line."""


@attrs.frozen
class Project:
    files: tuple[str, ...]
    sources: dict[str, str]
    calendars: tuple[ir.Calendar, ...]
    schedules: tuple[ir.Schedule, ...]
    published: tuple[ir.PublishedTable, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == Severity.ERROR)

    def schedule(self, schedule_id: str) -> ir.Schedule:
        for schedule in self.schedules:
            if schedule.id == schedule_id:
                return schedule
        raise KeyError(unknown_schedule_message(schedule_id, [s.id for s in self.schedules]))


def unknown_schedule_message(schedule_id, known: list[str]) -> str:
    if not isinstance(schedule_id, str):
        return f"a schedule is named by its id, a string such as 'E-1', not {type(schedule_id).__name__} {schedule_id!r:.40}"
    exact = [k for k in known if k.upper() == schedule_id.upper()]
    close = exact or difflib.get_close_matches(schedule_id.upper()[:60], known, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]}?" if close else ""
    shown = schedule_id if len(schedule_id) <= 40 else f"{schedule_id[:37]}..."
    if not known:
        return f"unknown schedule '{shown}': this tree declares no schedule"
    return f"unknown schedule '{shown}'{hint} (known: {', '.join(sorted(known))})"


def tariff_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.tariff") if p.is_file())
            if not files:
                raise UsageError(f"{path}: no .tariff file in this directory")
            found.extend(files)
        elif path.is_file():
            found.append(path)
        elif path.exists():
            raise UsageError(f"{path}: not a .tariff file (a device, pipe or socket); name a file or a folder")
        else:
            raise UsageError(f"{path}: no such file or directory")
    return sorted(dict.fromkeys(found))


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_and_parse(file: Path) -> tuple[str, str, ast.File | None, tuple[Diagnostic, ...]]:
    """(display name, source text, AST or None, diagnostics) of one file; unreadable is a UsageError."""
    name = display_path(file)
    try:
        with open_input(file) as stream:
            data = stream.read()
    except OSError as exc:
        raise UsageError(f"{name}: {exc.strerror}") from None
    try:
        text, tree = parse_bytes(data, name)
    except DiagnosticError as exc:
        return name, data.decode("utf-8", "replace"), None, exc.diagnostics
    return name, text, tree, ()


def tree_context(paths: list[Path], files: list[Path]) -> list[Path]:
    """The calendars and published tables of the tree(s) the given paths belong to (the nearest
    directory above holding `calendars/`), when the paths do not already include them: checking
    `schedules/electric/E-1.tariff` alone still finds calendar `cpau` and the staff tables."""
    from tariffc.compiler.schedules_tree import tree_root

    given = {f.resolve() for f in files}
    context: list[Path] = []
    for path in paths:
        root = tree_root(path) if path.exists() else None
        if root is None:
            continue
        for folder in ("calendars", "published"):
            for file in sorted((root / folder).glob("**/*.tariff")) if (root / folder).is_dir() else ():
                if file.resolve() not in given and file not in context:
                    context.append(file)
    return context


def referenced_files(paths: list[Path], files: list[Path], parsed: list[ast.File]) -> list[Path]:
    """The files in the tree that declare the schedules a parsed schedule refers to (`charge … as E-2
    energy`) but that are not among the files given: checking E-16.tariff alone still links E-2.

    A referenced id is text of a `.tariff` file: it is matched against what the tree's files declare
    (`declarations`), never made into a path or a glob pattern, so an id of any length or with any
    characters finds nothing rather than raising (an unknown one is then T243 at lowering)."""
    from tariffc.compiler.schedules_tree import tree_root

    declared = {item.id.text for tree in parsed for item in tree.items if isinstance(item, ast.Schedule)}
    wanted = {stmt.schedule.text for tree in parsed for item in tree.items if isinstance(item, ast.Version)
              for stmt in item.statements if isinstance(stmt, ast.Reference)} - declared
    if not wanted:
        return []
    given = {f.resolve() for f in files}
    roots = dict.fromkeys(root for path in paths if path.exists() and (root := tree_root(path)) is not None)
    out: list[Path] = []
    for root in roots:
        for file in sorted(root.rglob("*.tariff")):
            if (file.is_file() and file.resolve() not in given and file not in out
                    and wanted.intersection(declarations(file).get("schedule", ()))):
                out.append(file)
    return out


_DECLARATION = re.compile(r"^(schedule|calendar|published)[ \t]+(\S+)", re.MULTILINE)


def declarations(path: Path) -> dict[str, list[str]]:
    """What a `.tariff` file declares at top level, by keyword (`schedule` → ids), read by a pattern
    without parsing; {} for a file that cannot be read (its own check reports it).

    The file's own declarations decide its role, never its name or folder: a file `rates.tariff`
    holding `schedule E-1` is E-1, and a tree below a folder named `calendars/` still holds schedules.
    """
    try:
        with open_input(path) as stream:
            text = normalize(stream.read().decode("utf-8", "replace"))
    except OSError:
        return {}
    out: dict[str, list[str]] = {}
    for keyword, name in _DECLARATION.findall(text):
        out.setdefault(keyword, []).append(name)
    return out


def load(paths: list[Path], *, check: bool = True) -> Project:
    """Read, parse, lower and (unless check=False) check the `.tariff` files under `paths`, with the
    calendars and published tables of their tree as context (`tree_context`). Raises UsageError for a
    path that does not exist or a directory with no `.tariff` file."""
    files = tariff_files(paths)
    context = tree_context(paths, files)
    context_names = set()
    sources: dict[str, str] = {}
    parsed: list[ast.File] = []
    diagnostics: list[Diagnostic] = []
    for file in [*files, *context]:
        name, text, tree, problems = read_and_parse(file)
        sources[name] = text
        diagnostics.extend(problems)
        if file in context:
            context_names.add(name)
        if tree is None:
            continue
        if not tree.items:
            diagnostics.append(error("T002", "the file declares nothing", Span.whole_file(name),
                                     hint="a .tariff file holds a `schedule`, a `calendar` or a `published` table"))
        parsed.append(tree)
    for file in referenced_files(paths, files, parsed):  # E-16 C.2 refers to E-2: read it as context
        name, text, tree, _ = read_and_parse(file)  # its own problems are its own file's check
        if tree is not None:
            sources[name] = text
            context_names.add(name)
            parsed.append(tree)
    lowered = lower_files(parsed, context_names)
    diagnostics.extend(lowered.diagnostics)
    project = Project(files=tuple(display_path(f) for f in files), sources=sources,
                      calendars=lowered.calendars, schedules=lowered.schedules,
                      published=lowered.published, diagnostics=())
    if check:
        diagnostics.extend(run_checks(project))
    return attrs.evolve(project, diagnostics=tuple(sorted(diagnostics, key=Diagnostic.sort_key)))
