"""What a declared discrepancy excuses: only the values its reason states.

A `discrepancy` declaration is written for one known difference between documents, and its reason
states that difference's numbers (`0.09642 + 0.01864 + 0.00447 = 0.11953; the sheet prints 0.11954`).
A declaration excuses a mismatch only when its reason states every value of that mismatch (the
computed value and the printed one), so a later change to a rate on the same row is not hidden by it.

A stated value is a number written with a decimal point, outside quoted document text, that is not
an operand of the reason's arithmetic. So these never excuse a value (a breaker turned each into a
clean check of a wrong rate): integers (line and table numbers, years and dates, counts: `line 2574`,
`2024-07-01`, `7 and 9 transposed`); the run-together glyphs of a quoted redline
(`\"0.11747954\"`); the parts of a sum or a ratio (`0.09642 + 0.01864 + … = 0.11953` states 0.11953,
not its components). Numbers are read exactly (Fraction, thousands separators dropped); `%` and `$`
around them are ignored.
"""

from __future__ import annotations

import re
from fractions import Fraction

_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*\.\d+|(?<![\w.,])\.\d+")
_QUOTED = re.compile(r'"[^"]*"')
_OPERATORS = set("+-\u2212\u00d7*/")
_AROUND = " $%"  # skipped when looking for a number's neighbouring operator
# The lexer bounds a .tariff number to 9 digits before the point and 12 after (dsl/parse.py), so the
# values a declaration can excuse are far shorter than this; longer words in a reason are prose.
_LONGEST = 60


def stated_values(reason: str) -> frozenset[Fraction]:
    """The values a declaration's reason states (module docstring), as exact rationals
    (`1,731.67` -> 173167/100)."""
    quoted = [m.span() for m in _QUOTED.finditer(reason)]
    found = set()
    for match in _NUMBER.finditer(reason):
        start, end = match.span()
        text = match.group()
        if len(text) > _LONGEST or any(a <= start < b for a, b in quoted) or _operand(reason, start, end):
            continue
        found.add(Fraction(text.replace(",", "")))
    return frozenset(found)


def _operand(reason: str, start: int, end: int) -> bool:
    """The number at [start, end) is a term of arithmetic: `+ - × * /` stands next to it. A number
    next to `=` alone is the result (`= 0.11953`, `30.57 = 2.82 + 27.75`), so it is stated."""
    before = reason[:start].rstrip(_AROUND)[-1:]
    after = reason[end:].lstrip(_AROUND)[:1]
    return bool(before) and before in _OPERATORS or bool(after) and after in _OPERATORS


def unstated(reason: str, values) -> list[Fraction]:
    """The values of a mismatch that the reason does not state (empty: the declaration covers it)."""
    stated = stated_values(reason)
    return [v for v in values if v not in stated]


def plain(value: Fraction) -> str:
    """A rational shown as a decimal when it has a finite one, else as n/d."""
    from decimal import Decimal
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return format(d.normalize(), "f") if Fraction(str(d)) == value else str(value)
