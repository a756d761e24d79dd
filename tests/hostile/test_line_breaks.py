"""One line-splitting rule for the lexer, the formatter and the renderer (dsl/lines.py): a diagnostic's
excerpt is the line its position names whatever the line breaks; `fmt` never crashes on them and never
writes a file that does not parse or means something else (issue 14)."""

from __future__ import annotations

import pytest

from tariffc.dsl.diagnostics import DiagnosticError, render
from tariffc.dsl.fmt import format_checked, format_text
from tariffc.dsl.lines import normalize, split_lines
from tariffc.dsl.transform import parse_text

BREAKS = ["\n", "\r\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
GOOD = ('calendar test "T"\n  timezone "America/Los_Angeles"\n  holiday x "X" jan 1\n'
        '  holiday y "Y" feb 2\n')


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_the_excerpt_is_the_line_the_position_names(brk):
    text = GOOD.replace("\n", brk).replace("feb 2", "feb 2 @")
    with pytest.raises(DiagnosticError) as caught:
        parse_text(text, "x.tariff")
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.span.line, diagnostic.span.column) == (4, 23)
    shown = render(diagnostic, {"x.tariff": text})
    assert "4 |   holiday y \"Y\" feb 2 @" in shown
    assert split_lines(text)[3] == '  holiday y "Y" feb 2 @'


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_a_break_inside_a_comment_ends_the_comment_everywhere(brk):
    text = GOOD.replace("  holiday y", f"  # a{brk}b\n  holiday y")
    with pytest.raises(DiagnosticError) as caught:
        parse_text(text, "x.tariff")
    diagnostic = caught.value.diagnostics[0]
    line = split_lines(text)[diagnostic.span.line - 1]
    assert line.strip() == "b" or brk == "\r\n"  # CRLF is one break: "# a" then a line "b"


def test_normalize_keeps_lines_and_columns():
    text = "a\r\nb\rc\x85d\u2028e\n"
    assert split_lines(normalize(text)) == split_lines(text) == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_fmt_of_any_breaks_parses_to_the_same_tree(brk):
    text = GOOD.replace("\n", brk)
    tree = parse_text(text, "x.tariff")
    formatted = format_checked(text, "x.tariff", tree)
    assert parse_text(formatted, "x.tariff") == tree
    assert format_text(formatted) == formatted


def test_fmt_refuses_a_file_with_a_carriage_return_in_a_comment(run, tree):
    path = tree / "electric" / "E-1.tariff"
    before = path.read_bytes() + b"# a\rb\n"
    path.write_bytes(before)
    code, out = run("fmt", path)
    assert code == 1 and "error[T100]" in out and path.read_bytes() == before
    code, out = run("fmt", "--check", path)
    assert code == 1 and path.read_bytes() == before


def test_fmt_normalises_line_breaks_of_a_file_that_checks(run, tree):
    path = tree / "electric" / "E-1.tariff"
    original = path.read_text(encoding="utf-8")
    path.write_bytes(original.replace("\n", "\r\n").encode())
    code, _ = run("fmt", path)
    assert code == 0 and path.read_text(encoding="utf-8") == original
