"""Canonical layout of a `.tariff` file: two-space indentation, single spaces, aligned rate tables.

Works on lines and tokens, not on the AST, so comments and blank lines survive untouched.
The caller checks that the input parses; `parse(format_text(x)) == parse(x)` and
`format_text(format_text(x)) == format_text(x)` are tested as properties.
"""

from __future__ import annotations

import re

from tariffc.dsl.lines import normalize

INDENT = "  "
TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#.*|[^\s"#]+')
CELL = re.compile(r"^(-?\d[\d.]*%?|-|=|\?|[\[(]-?\d.*|inf[\])]?)$")  # `?`: a cell not yet entered
TABLE_PARENTS = ("charge", "published", "fee")
NOT_ROWS = ("source", "discrepancy", "note", "unresolved")


def _indent_width(raw: str) -> int:
    return len(raw[: len(raw) - len(raw.lstrip(" \t"))].expandtabs(8))


def _tokens(body: str) -> tuple[list[str], str | None]:
    tokens = TOKEN.findall(body)
    comment = tokens.pop() if tokens and tokens[-1].startswith("#") else None
    return tokens, comment


def _depths(lines: list[str]) -> list[int | None]:
    """Block depth of each line (None for blank and comment-only lines), as the indenter sees it."""
    levels, out = [0], []
    for index, raw in enumerate(lines):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            out.append(None)
            continue
        # The lexer measures indentation after a line break; a statement on line 1 has none before it.
        width = _indent_width(raw) if index else 0
        if width > levels[-1]:
            levels.append(width)
        while width < levels[-1]:
            levels.pop()
        out.append(len(levels) - 1)
    return out


def _split_row(tokens: list[str]) -> tuple[str, list[str]]:
    if tokens and tokens[0] == "columns":
        return "columns", tokens[1:]
    head: list[str] = []
    for index, token in enumerate(tokens):
        # every row form starts with its key (a NAME: `inf` is one), so the first token is never a cell
        if index and CELL.match(token):
            return " ".join(head), tokens[index:]
        head.append(token)
    return " ".join(head), []


def _join_totals(cells: list[str]) -> list[str]:
    """`=` and the printed total read as one cell: `= 0.20570`."""
    out: list[str] = []
    for cell in cells:
        if out and out[-1] == "=":
            out[-1] = f"= {cell}"
        else:
            out.append(cell)
    return out


def _format_table(rows: list[tuple[int, list[str], str | None]]) -> list[str]:
    split = []
    for _, tokens, comment in rows:
        head, cells = _split_row(tokens)
        split.append(((head, _join_totals(cells)), comment))
    head_width = max(len(head) for (head, _), _ in split)
    cell_widths: list[int] = []
    for (_, cells), _ in split:
        for index, cell in enumerate(cells):
            if index == len(cell_widths):
                cell_widths.append(0)
            cell_widths[index] = max(cell_widths[index], len(cell))
    bodies = []
    for (head, cells), _ in split:
        parts = [head.ljust(head_width)] + [c.ljust(cell_widths[i]) for i, c in enumerate(cells)]
        bodies.append("  ".join(parts).rstrip())
    width = max(len(b) for b in bodies)
    depth = rows[0][0]
    out = []
    for body, ((_, _), comment) in zip(bodies, split):
        line = INDENT * depth + body
        if comment:
            line = INDENT * depth + body.ljust(width) + "  " + comment
        out.append(line)
    return out


def format_text(text: str) -> str:
    lines = normalize(text).split("\n")  # the parser's line breaks (dsl/lines.py)
    depths = _depths(lines)
    out: list[str] = []
    parent_of_depth: dict[int, str] = {}
    table: list[tuple[int, list[str], str | None]] = []

    def flush():
        if table:
            out.extend(_format_table(table))
            table.clear()

    for raw, depth in zip(lines, depths):
        stripped = raw.strip()
        if depth is None:
            flush()
            if not stripped:
                if out and out[-1] != "":
                    out.append("")
            else:  # comment-only line: indent it like the next statement would be, keep its text
                out.append(stripped if not out or _indent_width(raw) == 0 else
                           INDENT * max(1, min(_indent_width(raw) // 2, 3)) + stripped)
            continue
        tokens, comment = _tokens(stripped)
        parent = parent_of_depth.get(depth - 1, "")
        is_row = (depth >= 1 and parent in TABLE_PARENTS and tokens and tokens[0] not in NOT_ROWS)
        if is_row:
            if table and table[-1][0] != depth:
                flush()
            table.append((depth, tokens, comment))
        else:
            flush()
            line = INDENT * depth + " ".join(tokens)
            out.append(line + ("  " + comment if comment else ""))
        parent_of_depth[depth] = tokens[0] if tokens else ""
        for deeper in [d for d in parent_of_depth if d > depth]:
            del parent_of_depth[deeper]
    flush()
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


class FormatRefused(Exception):
    """The formatted text would not parse to the same AST: nothing is written (a formatter bug)."""


def format_checked(text: str, path: str, tree) -> str:
    """`format_text(text)`, proven to parse to `tree` (the AST of `text`); else FormatRefused.

    `fmt` writes only what this returns, so it never writes a file that does not parse or that means
    something else than the file it replaces.
    """
    from tariffc.dsl.diagnostics import DiagnosticError
    from tariffc.dsl.transform import parse_text

    formatted = format_text(text)
    try:
        same = parse_text(formatted, path) == tree
    except DiagnosticError as exc:
        raise FormatRefused(f"the formatted text of {path} would not parse ({exc}); left as it is "
                            "(please report)") from None
    if not same:
        raise FormatRefused(f"fmt would change the meaning of {path}; left as it is (please report)")
    return formatted
