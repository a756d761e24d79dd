"""The analyst's yearly update, step one: a new version copying the latest one, rates not yet entered.

`new_version_text(schedule, source_text, effective)` returns the `.tariff` text of a version that
takes effect on `effective`, supersedes the latest version, and keeps the latest version's structure
(its charges, rows, columns, bands, rules and their quoted sheet words) with every rate cell (row
components and totals, fixed charges, bands, the minimum bill amount) written `?`: not yet entered.
`tariffc check` reports each `?` (T220) until it is filled in from the adopted sheet, and no bill,
table or page is computed from a schedule that does not check clean.

What is not copied, because it belongs to the old sheet: its `source` (a comment asks for the new
one), its `ends`, its declared `discrepancy`/`unresolved` redlines, and comments (they cite lines of
the old documents).
"""

from __future__ import annotations

import datetime as dt

from tariffc.compiler import ir
from tariffc.compiler.checks.entered import rate_values
from tariffc.dsl.fmt import format_text

DROPPED = ("source", "ends", "discrepancy", "unresolved")


class NewVersionRefused(Exception):
    """The new version cannot be written (date not after the latest version, no version to copy)."""


def new_version_text(schedule: ir.Schedule, source_text: str, effective: dt.date) -> tuple[str, int]:
    """(the text of the new version block, the number of cells to enter). Raises NewVersionRefused."""
    if not schedule.versions:
        raise NewVersionRefused(f"{schedule.id} has no version to copy")
    latest = max(schedule.versions, key=lambda v: v.effective)
    if effective <= latest.effective:
        raise NewVersionRefused(f"--effective {effective} is not after the latest version of {schedule.id} "
                                f"({latest.effective}); a new version takes effect after it")
    lines = source_text.splitlines()
    first, last = latest.span.line, _block_end(lines, latest.span.line)
    block = lines[first - 1:last]
    cells = [number for _, number in rate_values(latest) if first <= number.span.line <= last]
    for number in sorted(cells, key=lambda n: (n.span.line, -n.span.column)):
        index = number.span.line - first
        text = block[index]
        start, end = number.span.column - 1, number.span.end_column - 1
        block[index] = text[:start] + "?".ljust(end - start) + text[end:]
    out = [f"version {effective.isoformat()} supersedes {latest.effective.isoformat()}"]
    indent = "  "
    for line in block[1:]:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            indent = line[:len(line) - len(line.lstrip())]
            break
    out.append(f"{indent}# source \"DOCUMENT\" \"Sheet No …\" line N   <- the adopted sheet; then enter every `?`")
    for line in block[1:]:
        code = _without_comment(line).rstrip()
        if not code.strip():
            if out[-1] != "":
                out.append("")
            continue
        if code.split()[0] in DROPPED and _depth(code) == _depth(indent):
            continue
        out.append(code)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n", len(cells)


def appended(source_text: str, block: str) -> str:
    """The file's text with the new version block after everything else in it; laid out by
    `tariffc fmt` when the file already was (then only the new block differs from a plain append)."""
    body = source_text if source_text.endswith("\n") else source_text + "\n"
    result = body + "\n" + block
    return format_text(result) if format_text(source_text) == source_text else result


def _block_end(lines: list[str], header: int) -> int:
    """The last line (1-based) of the version block starting at `header`: up to the next line at
    the version's own indentation (a new top-level item) or the end of the file."""
    depth = _depth(lines[header - 1])
    end = header
    for number in range(header + 1, len(lines) + 1):
        line = lines[number - 1]
        if not line.strip():
            continue
        if _depth(line) <= depth and not line.lstrip().startswith("#"):
            break
        end = number
    return end


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _without_comment(line: str) -> str:
    """`line` without a trailing `# …` comment (a `#` inside a string is kept)."""
    in_string = escaped = False
    for i, ch in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "#":
            return line[:i]
    return line
