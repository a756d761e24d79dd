"""The one rule for where a line ends, shared by the parser's lexer, the formatter, the diagnostic
renderer and the site's source view.

A line ends at `\\r\\n` or at any one of `\\n \\r \\v \\f \\x1c \\x1d \\x1e \\x85 \\u2028 \\u2029` — exactly the
breaks of Python's `str.splitlines` (and of most editors). The parser sees the text with every break
written as `\\n` (`normalize`); since a break is one line in both forms, a `line:column` found in the
normalized text is the same `line:column` in the file as written, and the renderer's excerpt
(`split_lines`) is always the line the message is about.
"""

from __future__ import annotations

import re

LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def normalize(text: str) -> str:
    """`text` with every line break written as `\\n` (same lines, same columns)."""
    return LINE_BREAK.sub("\n", text)


def split_lines(text: str) -> list[str]:
    """The lines of `text`, without their breaks (as `str.splitlines`, stated here once)."""
    return text.splitlines()
