"""`TariffLexer`: registered with Pygments under `tariff`; reads every schedule without an error token."""

from __future__ import annotations

from pathlib import Path

import pytest
from pygments import lex
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Number, String

from tariffc.dsl.lexer import TariffLexer

REPO = Path(__file__).resolve().parents[2]
FILES = sorted((REPO / "schedules").rglob("*.tariff"))


def test_registered_through_the_entry_point():
    assert isinstance(get_lexer_by_name("tariff"), TariffLexer)
    assert isinstance(get_lexer_for_filename("E-1.tariff"), TariffLexer)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_error_tokens_and_text_round_trips(path):
    text = path.read_text(encoding="utf-8")
    tokens = list(lex(text, TariffLexer()))
    assert not [v for t, v in tokens if t in Error]
    expected = text if text.endswith("\n") else text + "\n"
    assert "".join(v for _, v in tokens) == expected


def test_token_kinds():
    line = 'version 2025-07-01 supersedes 2024-07-01  # note\n  summer peak 0.17208 0.02817 - = 0.20629 "x"\n'
    kinds = {v: t for t, v in lex(line, TariffLexer())}
    assert kinds["version"] in Keyword and kinds["supersedes"] in Keyword
    assert kinds["2025-07-01"] in Number and kinds["0.17208"] in Number
    assert kinds["# note"] in Comment and kinds['"x"'] in String
