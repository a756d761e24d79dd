"""Syntax errors chosen from examples (dsl/syntax_examples.py): each example fails with its own hint,
a different snippet making the same mistake gets that hint, and an error no example shows keeps the
parser's own diagnostic with no hint added."""

from __future__ import annotations

import pytest

from tariffc.dsl.diagnostics import DiagnosticError
from tariffc.dsl.syntax_examples import EXAMPLES, HEAD, VERSION
from tariffc.dsl.transform import parse_text


def diagnostic(text: str):
    with pytest.raises(DiagnosticError) as caught:
        parse_text(text, "x.tariff")
    (found,) = caught.value.diagnostics
    return found


@pytest.mark.parametrize(("hint", "example"), [(h, e) for h, examples in EXAMPLES.items() for e in examples])
def test_each_example_gets_its_hint(hint, example):
    assert diagnostic(example).hint == hint


@pytest.mark.parametrize(("text", "hint_starts"), [
    (HEAD + "  tiers therms\n    first up_to therms per 30 days\n    second rest\n", "an allowance is"),
    (HEAD + "  windows demand\n    peak sat-sun 9am-5pm\n", "hours are written HH:MM-HH:MM"),
    (VERSION + "  discount medical 10 of energy, customer when medical\n", "a discount or surcharge"),
    (VERSION + "  exempt customer if low_income\n", "a condition is"),
    (HEAD + "\nversion 2026-7-01\n  charge c 2 per month\n", "a date is written YYYY-MM-DD"),
])
def test_the_same_mistake_elsewhere_gets_the_same_hint(text, hint_starts):
    found = diagnostic(text)
    assert found.hint is not None and found.hint.startswith(hint_starts), (found.message, found.hint)


def test_an_error_no_example_shows_gets_no_hint():
    found = diagnostic(HEAD + "  class residential residential\n")
    assert found.code == "T100" and found.hint is None
