"""Diagnostics: positioned messages about a `.tariff` file, collected and rendered once.

Rendering is a pure function of the records and the source text (DESIGN.md §4):

    schedules/electric/E-1.tariff:14:62: error[T201]: components do not add up to the total
       |
    14 |     tier1  0.10373  0.09593  0.00604 = 0.20571
       |                                        ^^^^^^^
       = note: 0.10373 + 0.09593 + 0.00604 = 0.20570; the total says 0.20571
       = help: fix the value as adopted, or keep it and declare `discrepancy sum ...`
"""

from __future__ import annotations

import enum
import json
from typing import Iterable, Mapping

import attrs

from tariffc.dsl.lines import split_lines


class Severity(enum.IntEnum):
    NOTE = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@attrs.frozen(order=True)
class Span:
    """A region of a source file; lines and columns count from 1, end exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, path: str, line: int, column: int, width: int = 1) -> "Span":
        return cls(path, line, column, line, column + max(width, 1))

    @classmethod
    def whole_file(cls, path: str) -> "Span":
        return cls(path, 1, 1, 1, 1)


@attrs.frozen(kw_only=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    span: Span
    notes: tuple[str, ...] = ()
    hint: str | None = None

    def sort_key(self):
        return (self.span.path, self.span.line, self.span.column, -self.severity, self.code)

    def as_dict(self) -> dict:
        return {
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            "path": self.span.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "notes": list(self.notes),
            "hint": self.hint,
        }


def error(code: str, message: str, span: Span, *notes: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(severity=Severity.ERROR, code=code, message=message, span=span, notes=notes, hint=hint)


def warning(code: str, message: str, span: Span, *notes: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(severity=Severity.WARNING, code=code, message=message, span=span, notes=notes, hint=hint)


def note(code: str, message: str, span: Span, *notes: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(severity=Severity.NOTE, code=code, message=message, span=span, notes=notes, hint=hint)


class DiagnosticError(Exception):
    """Raised by a pipeline stage that cannot go on; carries everything found so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("; ".join(d.message for d in self.diagnostics))

    def __reduce__(self):  # pickled as its diagnostics (the default would pass the joined text)
        return type(self), (self.diagnostics,)


TAB_WIDTH = 4


def _display(line: str, column: int) -> tuple[str, int]:
    """Expand tabs so the caret lands under the right character; return (text, display column)."""
    shown, display_col = [], None
    for index, char in enumerate(line, start=1):
        if index == column:
            display_col = len("".join(shown)) + 1
        shown.append(" " * TAB_WIDTH if char == "\t" else char)
    text = "".join(shown)
    if display_col is None:
        display_col = len(text) + 1 + (column - len(line) - 1)
    return text, display_col


def _window(shown: str, col: int, width: int, room: int) -> tuple[str, int, int]:
    """Cut an excerpt line to `room` characters around the caret: (text, caret column, caret width),
    with an ellipsis where text was left out."""
    if len(shown) <= room:
        return shown, col, min(width, max(room - col + 1, 1))
    start = 0 if col <= room // 2 else min(col - 1 - room // 3, len(shown) - room + 1)
    text = shown[start:start + room - 2] if start else shown[:room - 1]
    lead = "…" if start else ""
    tail = "…" if start + len(text) < len(shown) else ""
    text = lead + text + tail
    caret = col - start + len(lead)
    return text, caret, max(1, min(width, len(text) - caret + 1 - len(tail)))


def render(diagnostic: Diagnostic, sources: Mapping[str, str], width: int | None = None) -> str:
    """One diagnostic as text: `path:line:col: severity[code]: message`, the source line with a caret
    underline, notes and hint. `width` (the terminal's columns) caps the excerpt and its underline,
    cutting the line around the caret; None leaves them whole."""
    span = diagnostic.span
    head = f"{span.path}:{span.line}:{span.column}: {diagnostic.severity}[{diagnostic.code}]: {diagnostic.message}"
    out = [head]
    text = sources.get(span.path)
    lines = split_lines(text) if text is not None else []
    if 1 <= span.line <= len(lines):
        raw = lines[span.line - 1]
        shown, col = _display(raw, span.column)
        if span.end_line == span.line and span.end_column > span.column:
            under = _display(raw, span.end_column)[1] - col
        else:
            under = max(len(shown) - col + 1, 1)
        gutter = " " * len(str(span.line))
        if width is not None:
            shown, col, under = _window(shown, col, under, max(width - len(gutter) - 3, 20))
        out.append(f"{gutter} |")
        out.append(f"{span.line} | {shown}")
        out.append(f"{gutter} | {' ' * (col - 1)}{'^' * max(under, 1)}")
    for item in diagnostic.notes:
        out.append(f"   = note: {item}")
    if diagnostic.hint:
        out.append(f"   = help: {diagnostic.hint}")
    return "\n".join(out)


def render_all(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str], width: int | None = None) -> str:
    return "\n\n".join(render(d, sources, width) for d in sorted(diagnostics, key=Diagnostic.sort_key))


def to_json(diagnostics: Iterable[Diagnostic], summary: Mapping[str, object] | None = None) -> str:
    records = [d.as_dict() for d in sorted(diagnostics, key=Diagnostic.sort_key)]
    return json.dumps({"diagnostics": records, "summary": dict(summary or {})}, indent=2)
