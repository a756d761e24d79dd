"""A clean check is quiet: the summary line with the notes counted by code; --notes / -v lists
them; source excerpts and their underlines fit the terminal width."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from tariffc.compiler.cli import main
from tariffc.dsl.diagnostics import Diagnostic, Severity, Span, render

REPO = Path(__file__).resolve().parents[2]


def check(*args, env=None):
    return CliRunner().invoke(main, ["check", *args], env=env)


def test_a_clean_tree_prints_one_line_with_the_notes_counted_by_code():
    result = check(str(REPO / "schedules"))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    # no error or warning in the tree: any diagnostic printed above the summary fails here
    warned = [line for line in lines if re.search(r"(error|warning)\[T\d{3}\]", line)]
    assert warned == [], warned
    lines = lines[-1:]
    counted = re.search(r"(\d+) notes \((.*); list them with --notes\)$", lines[0])
    assert counted, lines[0]
    by_code = dict(re.fullmatch(r"(T\d{3}) x(\d+)", part).groups() for part in counted.group(2).split(", "))
    assert sum(map(int, by_code.values())) == int(counted.group(1))


def test_notes_and_v_list_every_note():
    quiet = check(str(REPO / "schedules"))
    total = int(re.search(r"(\d+) notes", quiet.output).group(1))
    for flag in ("--notes", "-v"):
        listed = check(flag, str(REPO / "schedules"))
        assert listed.exit_code == 0
        assert len(re.findall(r"^\S+:\d+:\d+: note\[T\d{3}\]", listed.output, flags=re.M)) == total


def test_excerpts_and_underlines_fit_the_terminal():
    result = check("--notes", str(REPO / "schedules"), env={"COLUMNS": "72"})
    excerpt = [line for line in result.output.splitlines() if re.match(r"^(\d+| +) \| ", line)]
    assert excerpt, "no excerpt shown"
    assert max(len(line) for line in excerpt) <= 72
    wide = check("--notes", str(REPO / "schedules"), env={"COLUMNS": "400"})
    assert max(len(line) for line in wide.output.splitlines() if re.match(r"^(\d+| +) \| ", line)) > 72


def test_a_cut_excerpt_keeps_the_caret_under_its_text():
    text = "x = " + "a" * 200 + " WRONG " + "b" * 200 + "\n"
    column = text.index("WRONG") + 1
    d = Diagnostic(severity=Severity.ERROR, code="T000", message="m",
                   span=Span("f.tariff", 1, column, 1, column + 5), notes=(), hint=None)
    lines = render(d, {"f.tariff": text}, width=60).splitlines()
    source, underline = lines[2], lines[3]
    assert len(source) <= 60 and len(underline) <= 60
    start = underline.index("^")
    assert source[start:start + 5] == "WRONG" and underline.count("^") == 5
    assert "…" in source
