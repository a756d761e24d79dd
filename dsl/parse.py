"""Source text → lark parse tree, every lark error turned into a positioned Diagnostic."""

from __future__ import annotations


import difflib
import functools
import importlib.resources
import os
import re
import sys
import unicodedata
from pathlib import Path

import attrs
import lark
from lark.indenter import DedentError, Indenter

from tariffc.dsl.diagnostics import Diagnostic, DiagnosticError, Span, error
from tariffc.dsl.lines import normalize, split_lines

# Bounds of a numeric literal. The adopted sheets print at most 4 digits before the decimal point and
# 9 after; the bounds leave room and keep every value, sum and product the checks and bills form
# within exact arithmetic that is fast and cannot overflow a fixed-point or C integer.
MAX_INTEGER_DIGITS = 9
MAX_FRACTION_DIGITS = 12
NUMERIC_TERMINALS = ("NUMBER", "INT", "PERCENT")
# A schedule id names files of the generated site and modules (`bills/E-4-TOU.md`); the longest
# adopted id is 8 characters.
MAX_ID_LENGTH = 40


class NumberOutOfBounds(Exception):
    """Raised by the lexer on a numeric literal beyond the bounds above."""

    def __init__(self, token: lark.Token):
        super().__init__(str(token))
        self.token = token


def _bounded_id(token: lark.Token) -> lark.Token:
    if len(token) > MAX_ID_LENGTH:
        raise NumberOutOfBounds(token)
    return token


def _bounded(token: lark.Token) -> lark.Token:
    whole, _, fraction = token.lstrip("-").rstrip("%").partition(".")
    if len(whole.lstrip("0") or "0") > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        raise NumberOutOfBounds(token)
    return token

# How lark's terminal names read to an analyst.
TERMINAL_WORDS = {
    "NAME": "a name",
    "NUMBER": "a number",
    "INT": "a whole number",
    "PERCENT": "a percentage such as 2.5%",
    "STRING": 'a quoted string "..."',
    "DATE": "a date YYYY-MM-DD",
    "HOURS": "an hour range HH:MM-HH:MM",
    "SCHEDULE_ID": "a schedule id such as E-1",
    "MONTH": "a month (jan … dec)",
    "WEEKDAY": "a weekday (mon … sun)",
    "DAYS": "days such as mon-fri",
    "ORDINAL": "first, second, third, fourth, fifth or last",
    "BLANK": "-",
    "OPEN": "[ or (",
    "CLOSE": "] or )",
    "INF": "inf",
    "_NL": "the end of the line",
    "_INDENT": "an indented block",
    "_DEDENT": "the end of the block",
    "$END": "the end of the file",
}
UNIT_WORDS = ("kWh", "kW", "therm", "therms", "month", "day", "scfh", "lamp")


class TariffIndenter(Indenter):
    NL_type = "_NL"
    OPEN_PAREN_types: list[str] = []
    CLOSE_PAREN_types: list[str] = []
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 8

    def handle_NL(self, token):
        # A newline token swallows comment lines; only a comment at end of file can end it,
        # and then the indentation is that of the end of the file (none).
        tail = token.rsplit("\n", 1)[1]
        if "#" in tail:
            token = lark.Token.new_borrow_pos(token.type, token[: len(token) - len(tail)], token)
        yield from super().handle_NL(token)


def parser_cache_file() -> str | bool:
    """Where lark keeps the analysed grammar between runs (its `cache=` option): a file in the user's
    cache directory (`$XDG_CACHE_HOME/tariffc`, else `~/.cache/tariffc`), made private to the user
    because lark unpickles it. False (no cache, the grammar analysed each run, ~0.1 s) when that
    directory cannot be made or written, or `TARIFFC_NO_PARSER_CACHE` is set. Lark checks the
    grammar's hash on load and ignores a stale or unreadable file."""
    if os.environ.get("TARIFFC_NO_PARSER_CACHE"):
        return False
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = Path(base) / "tariffc"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not os.access(directory, os.W_OK | os.X_OK) or directory.stat().st_uid != os.getuid():
            return False
    except (OSError, AttributeError):  # AttributeError: no getuid (Windows): no cache there
        return False
    return str(directory / f"grammar-lark{lark.__version__}-py{sys.version_info[0]}{sys.version_info[1]}.cache")


@functools.cache
def _parser() -> lark.Lark:
    grammar = importlib.resources.files("tariffc.dsl").joinpath("grammar.lark").read_text("utf-8")
    return lark.Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        postlex=TariffIndenter(),
        propagate_positions=True,
        maybe_placeholders=True,  # `[x]` absent is None: children keep their places (transform.py)
        cache=parser_cache_file(),
        lexer_callbacks={**{name: _bounded for name in NUMERIC_TERMINALS}, "SCHEDULE_ID": _bounded_id},
    )


def keywords() -> dict[str, str]:
    """Anonymous keyword terminals of the grammar: terminal name → the word."""
    out = {}
    for term in _parser().terminals:
        pattern = term.pattern
        if isinstance(pattern, lark.lexer.PatternStr) and pattern.value.isidentifier():
            out[term.name] = pattern.value
    return out


def describe_expected(names) -> list[str]:
    words = keywords()
    described = set()
    for name in names:
        if name in words:
            described.add(f"'{words[name]}'")
        else:
            described.add(TERMINAL_WORDS.get(name, _terminal_words(name) if _has_terminal(name) else name))
    return sorted(described)


def _terminal_words(name: str) -> str:
    """A terminal as the words it matches: a literal as itself, a keyword alternation such as
    `(ft|pole)\\b` as 'ft' or 'pole', any other pattern by its name (never a raw regular expression)."""
    pattern = _parser().get_terminal(name).pattern
    if pattern.type == "str":
        return f"'{pattern.value}'"
    words = re.fullmatch(r"\(?((?:\w+\|)*\w+)\)?(?:\\b)?", pattern.value)
    if words:
        return " or ".join(f"'{w}'" for w in words.group(1).split("|"))
    return name.lower().replace("_", " ")


def _has_terminal(name: str) -> bool:
    try:
        _parser().get_terminal(name)
        return True
    except KeyError:
        return False


def decode(data: bytes, path: str) -> str:
    """UTF-8 text of a file, or a diagnostic pointing at the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise DiagnosticError([error(
            "T001", f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
            Span.point(path, line, column),
            hint="save the file as UTF-8",
        )]) from None
    return text.removeprefix("\ufeff")


def parse_tree(text: str, path: str) -> lark.Tree:
    """Parse source text; raise DiagnosticError with one positioned diagnostic on failure.

    Every line break (dsl/lines.py) reaches the lexer as `\n`, so positions agree with the renderer.
    """
    text = normalize(text)
    if not text.endswith("\n"):
        text += "\n"
    try:
        return _parser().parse(text)
    except NumberOutOfBounds as exc:
        raise DiagnosticError([_number_out_of_bounds(exc.token, path)]) from None
    except lark.exceptions.UnexpectedCharacters as exc:
        raise DiagnosticError([_with_example_hint(exc, _unexpected_character(exc, text, path))]) from None
    except lark.exceptions.UnexpectedToken as exc:
        raise DiagnosticError([_with_example_hint(exc, _unexpected_token(exc, text, path))]) from None
    except lark.exceptions.UnexpectedEOF as exc:
        lines = split_lines(text) or [""]
        raise DiagnosticError([error(
            "T105", "the file ends in the middle of a statement",
            Span.point(path, len(lines), len(lines[-1]) + 1),
            f"expected {', '.join(describe_expected(exc.expected))}",
        )]) from None
    except DedentError as exc:
        raise DiagnosticError([_dedent(exc, text, path)]) from None


def _with_example_hint(exc: lark.exceptions.UnexpectedInput, diagnostic: Diagnostic) -> Diagnostic:
    """The diagnostic with the hint of the example that fails the same way (dsl/syntax_examples.py),
    when it has no hint of its own."""
    if diagnostic.hint is not None or getattr(exc, "state", None) is None:
        return diagnostic
    from tariffc.dsl.syntax_examples import EXAMPLES

    hint = exc.match_examples(_parse_example, EXAMPLES)
    return diagnostic if hint is None else attrs.evolve(diagnostic, hint=hint)


def _parse_example(text: str) -> None:
    """Parse an example (expected to raise lark's UnexpectedInput); other refusals count as no match."""
    try:
        _parser().parse(text)
    except (NumberOutOfBounds, DedentError):
        pass


def _number_out_of_bounds(token: lark.Token, path: str) -> Diagnostic:
    if token.type == "SCHEDULE_ID":
        return error("T107", f"the schedule id {token[:20]}… is {len(token)} characters long",
                     Span.point(path, token.line, token.column, len(token)),
                     f"a schedule id has at most {MAX_ID_LENGTH} characters (it names files of the site)",
                     hint="use the id the sheet prints, e.g. E-4-TOU")
    digits = len(token.lstrip("-").rstrip("%"))
    shown = token if len(token) <= 24 else f"{token[:10]}…{token[-6:]} ({digits} characters)"
    return error("T107", f"the number {shown} is out of bounds", Span.point(path, token.line, token.column, len(token)),
                 f"a number has at most {MAX_INTEGER_DIGITS} digits before the decimal point and "
                 f"{MAX_FRACTION_DIGITS} after it",
                 hint="write the value as the sheet prints it")


def _line_text(text: str, line: int) -> str:
    lines = split_lines(text)
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _unexpected_character(exc, text: str, path: str) -> Diagnostic:
    line_text = _line_text(text, exc.line)
    char = line_text[exc.column - 1] if exc.column - 1 < len(line_text) else "\n"
    span = Span.point(path, exc.line, exc.column)
    before = line_text[: exc.column - 1]
    if char == '"':
        return error("T102", "unterminated string", Span(path, exc.line, exc.column, exc.line, len(line_text) + 1),
                     "a string must end with \" on the same line",
                     hint='close the string with "')
    # Numbers are ASCII digits (the grammar's [0-9]); a lookalike digit (fullwidth, Arabic-Indic, ...)
    # is named at its own column, including one just after a decimal point (`0.١`).
    after = line_text[exc.column] if exc.column < len(line_text) else ""
    candidates = [(char, exc.column)] + ([(after, exc.column + 1)] if char == "." else [])
    lookalike, column = next(((c, col) for c, col in candidates if c.isdigit() and not c.isascii()), (None, 0))
    if lookalike is not None:
        return error("T101", f"unexpected character {lookalike!r} (U+{ord(lookalike):04X}), a digit that is not 0-9",
                     Span.point(path, exc.line, column),
                     "numbers, dates and hours are written with the ASCII digits 0-9",
                     hint=f"retype it as {unicodedata.digit(lookalike, '?')}")
    if char == "." and before[-1:].isdigit():
        start = len(before.rstrip("0123456789.")) + 1
        rest = line_text[exc.column - 1:]
        end = exc.column + len(rest) - len(rest.lstrip(".0123456789"))
        number = line_text[start - 1:end - 1]
        if number.count(".") < 2:  # one decimal point where the grammar takes only a whole number
            return error("T101", f"expected a whole number here, not {number}", Span(path, exc.line, start, exc.line, end),
                         "this place takes a whole number (a count, minutes, a line number, a divisor)",
                         hint=f"write it without a decimal point, e.g. {number.split('.')[0] or '0'}")
        return error("T103", f"the number {number} has two decimal points", Span(path, exc.line, start, exc.line, end),
                     "a flattened redline holds two values side by side; write the one this version adopts",
                     hint="see seeds/README.md: decode the redline with the row's arithmetic")
    expected = describe_expected(exc.allowed or ())
    shown = "a tab" if char == "\t" else repr(char)
    return error("T101", f"unexpected character {shown}", span,
                 f"expected {', '.join(expected)}" if expected else "this character has no meaning here")


def _unexpected_token(exc, text: str, path: str) -> Diagnostic:
    token = exc.token
    expected = set(exc.expected) | set(getattr(exc, "accepts", None) or ())
    if token.type == "$END":
        lines = split_lines(text) or [""]
        return error("T105", "the file ends in the middle of a statement",
                     Span.point(path, len(lines), len(lines[-1]) + 1),
                     f"expected {', '.join(describe_expected(expected))}")
    if token.type == "_DEDENT" and not text[getattr(token, "end_pos", None) or len(text):].strip():
        lines = split_lines(text) or [""]
        return error("T105", "the file ends in the middle of a statement",
                     Span.point(path, len(lines), len(lines[-1]) + 1),
                     f"expected {', '.join(describe_expected(expected))}")
    if token.type in ("_INDENT", "_DEDENT"):
        line = token.end_line or token.line or 1
        return error("T106", "unexpected indentation" if token.type == "_INDENT" else "a block ends too early",
                     Span.point(path, line, 1, len(_line_text(text, line)) - len(_line_text(text, line).lstrip()) or 1),
                     f"expected {', '.join(describe_expected(expected))}",
                     hint="indent the lines of a block by the same amount under the line that opens it")
    value = str(token).strip()
    width = len(value) if token.type != "_NL" else 1
    span = Span.point(path, token.line, token.column, width)
    words = keywords()
    expected_words = {words[name] for name in expected if name in words}
    if {"kWh", "therm", "month"} <= expected_words:
        close = difflib.get_close_matches(value, UNIT_WORDS, n=1, cutoff=0.3)
        return error("T110", f"unknown unit '{value}'", span,
                     f"units are: {', '.join(UNIT_WORDS)} (and 'lamp per month', '1000 kWh')",
                     hint=f"did you mean '{close[0]}'?" if close else None)
    described = ", ".join(describe_expected(expected))
    if token.type == "_NL":
        return error("T100", "the line ends too early", span, f"expected {described}")
    close = difflib.get_close_matches(value, sorted(expected_words), n=1, cutoff=0.6)
    if close:
        return error("T104", f"unknown keyword '{value}'", span, f"expected {described}",
                     hint=f"did you mean '{close[0]}'?")
    return error("T100", f"unexpected {_kind(token)} '{value}'", span, f"expected {described}")


def _kind(token) -> str:
    return {"NAME": "name", "NUMBER": "number", "STRING": "string", "INT": "number"}.get(token.type, "word")


def _dedent(exc, text: str, path: str) -> Diagnostic:
    # lark's message does not carry a position; find the first line whose indentation is not
    # one of the open block levels.
    levels = [0]
    for number, raw in enumerate(split_lines(text), start=1):
        stripped = raw.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw[: len(raw) - len(stripped)].expandtabs(8))
        if indent > levels[-1]:
            levels.append(indent)
            continue
        while indent < levels[-1]:
            levels.pop()
        if indent != levels[-1]:
            return error("T106", "this line's indentation matches no enclosing block",
                         Span.point(path, number, 1, len(raw) - len(stripped) or 1),
                         f"open blocks are indented {', '.join(map(str, levels))} columns; this line {indent}",
                         hint="indent the lines of a block by the same amount")
    return error("T106", "inconsistent indentation", Span.whole_file(path))
