"""`tariffc fmt`: canonical, idempotent, meaning-preserving; --check shows a diff and exits 1."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tariffc.compiler.cli import main
from tariffc.dsl.fmt import format_text
from tariffc.dsl.transform import parse_text

ROOT = Path(__file__).resolve().parents[2]
REAL = sorted((ROOT / "schedules").rglob("*.tariff"))


def test_schedules_are_formatted():
    result = CliRunner().invoke(main, ["fmt", "--check", str(ROOT / "schedules")])
    assert result.exit_code == 0, result.output[-2000:]


def test_fmt_check_shows_a_diff_and_fmt_rewrites(tmp_path):
    messy = tmp_path / "x.tariff"
    messy.write_text('calendar c "C"\n    timezone    "America/Los_Angeles"   # tz\n')
    result = CliRunner().invoke(main, ["fmt", "--check", str(messy)])
    assert result.exit_code == 1 and "+  timezone \"America/Los_Angeles\"  # tz" in result.output
    assert CliRunner().invoke(main, ["fmt", str(messy)]).exit_code == 0
    assert messy.read_text() == 'calendar c "C"\n  timezone "America/Los_Angeles"  # tz\n'


# Layout noise applied to real schedules: re-indentation, extra spaces, CRLF, trailing blanks.
@st.composite
def noisy(draw):
    text = draw(st.sampled_from(REAL)).read_text()
    lines = text.splitlines()
    scale = draw(st.sampled_from([1, 2, 4]))
    out = []
    for line in lines:
        body = line.lstrip(" ")
        depth = (len(line) - len(body)) // 2
        gap = " " * draw(st.integers(1, 3))
        body = body.replace("  ", gap) if '"' not in body else body
        out.append(" " * (depth * 2 * scale) + body + " " * draw(st.integers(0, 2)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(out) + newline


@settings(max_examples=25, deadline=None)
@given(noisy())
def test_fmt_preserves_meaning_and_is_idempotent(text):
    formatted = format_text(text)
    assert parse_text(formatted, "x") == parse_text(text, "x")
    assert format_text(formatted) == formatted


def _same_tree(a, b):
    """Two parses equal but for spans (fmt moves text within a line)."""
    import attrs

    def strip(node):
        if attrs.has(type(node)):
            return tuple((f.name, strip(getattr(node, f.name))) for f in attrs.fields(type(node)) if f.name != "span")
        if isinstance(node, tuple):
            return tuple(strip(x) for x in node)
        return node
    return strip(a) == strip(b)


def test_a_row_keyed_by_a_word_that_looks_like_a_cell_keeps_its_place():
    """Long fuzz run, seed 16: a rate-table row keyed `inf` (a NAME, also an interval end) was laid out
    as a row of cells with no key, indented past its block, so the formatted file did not parse."""
    real = (ROOT / "schedules" / "electric" / "E-14.tariff").read_text()
    text = real.replace('signal_controller "Traffic Signals: Controller"', 'inf "Traffic Signals: Controller"')
    assert text != real
    formatted = format_text(text)
    assert '\n    inf "Traffic Signals: Controller"' in formatted
    assert _same_tree(parse_text(formatted, "x"), parse_text(text, "x"))
    assert format_text(formatted) == formatted
