"""What a declared discrepancy excuses: only the values its reason states.

A `discrepancy` declaration is written for one known difference between documents, and its reason
states that difference's numbers (`0.09642 + 0.01864 + 0.00447 = 0.11953; the sheet prints 0.11954`).
A declaration excuses a mismatch only when its reason states every value of that mismatch (the
computed value and the printed one), so a later change to a rate on the same row is not hidden by it.
Numbers are read exactly (Fraction, thousands separators dropped); `%` and `$` around them are ignored.
"""

from __future__ import annotations

import re
from fractions import Fraction

_NUMBER = re.compile(r"(?<![\d.])-?(?:\d[\d,]*(?:\.\d+)?|\.\d+)")
# The lexer bounds a .tariff number to 9 digits before the point and 12 after (dsl/parse.py), so the
# values a declaration can excuse are far shorter than this; longer words in a reason are prose.
_LONGEST = 60


def stated_values(reason: str) -> frozenset[Fraction]:
    """Every number written in a declaration's reason, as exact rationals (`1,731.67` -> 173167/100)."""
    found = set()
    for text in _NUMBER.findall(reason):
        if len(text) > _LONGEST:  # no schedule value is this long; reading it could pass int's digit limit
            continue
        found.add(Fraction(text.replace(",", "")))
    return frozenset(found)


def unstated(reason: str, values) -> list[Fraction]:
    """The values of a mismatch that the reason does not state (empty: the declaration covers it)."""
    stated = stated_values(reason)
    return [v for v in values if v not in stated]


def plain(value: Fraction) -> str:
    """A rational shown as a decimal when it has a finite one, else as n/d."""
    from decimal import Decimal
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return format(d.normalize(), "f") if Fraction(str(d)) == value else str(value)
