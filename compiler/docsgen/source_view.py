"""The "view the source" block: a `.tariff` file highlighted with `TariffLexer`, one anchor per line
(`#L12`) so every rate cell can link to the line it was written on; and the Pygments stylesheet."""

from __future__ import annotations

from pygments import highlight
from pygments.formatters import HtmlFormatter

from tariffc.dsl.lexer import TariffLexer

STYLE = "default"


def source_html(text: str) -> str:
    """Raw HTML for a Markdown page (a block that Markdown passes through untouched)."""
    formatter = HtmlFormatter(cssclass="codehilite tariff-source", linenos="inline", lineanchors="L",
                              anchorlinenos=True, style=STYLE, wrapcode=True)
    body = highlight(text, TariffLexer(), formatter)
    # Markdown ends a raw HTML block at a blank line only outside tags; keep it one block anyway.
    return body.strip()


def stylesheet() -> str:
    css = HtmlFormatter(style=STYLE).get_style_defs(".codehilite")
    extra = """
.codehilite .linenos { color: #999; padding-right: 1em; user-select: none; }
.codehilite .linenos a { color: #999; text-decoration: none; }
.tariff-source pre { max-height: 40em; overflow: auto; font-size: 0.8em; }
table.rates td.rate, table.history td.rate, table.history td.change, table.history td.pct,
table.bills td.amount { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.rates, table.history, table.bills { margin-bottom: 1.2em; font-size: 0.9em; width: auto !important; }
table.rates th, table.rates td, table.history th, table.history td, table.bills th, table.bills td {
  padding: 0.2em 0.6em; border-bottom: 1px solid #ddd; }
table.home td { vertical-align: top; padding: 0.3em 0.6em; border-bottom: 1px solid #ddd; font-size: 0.9em; }
td.source { white-space: nowrap; font-size: 0.85em; }
sup.flag { color: #b00; cursor: help; }
img.chart { max-width: 100%; }
"""
    return css + extra
