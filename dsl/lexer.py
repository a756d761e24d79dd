"""Pygments lexer for `.tariff` files (syntax highlighting on the rates site and in editors).

Registered as the entry point `tariffc.dsl.lexer:TariffLexer` under `pygments.lexers`, alias `tariff`:

    pygmentize -l tariff schedules/electric/E-1.tariff
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

# Statement keywords (first word of a line: what the line declares).
DECLARATIONS = (
    "schedule", "version", "calendar", "published", "utility", "class", "applicability", "territory",
    "limit", "input", "seasons", "prorate", "tiers", "periods", "windows", "demand", "discount",
    "surcharge", "exempt", "minimum", "charge", "columns", "source", "unresolved", "discrepancy",
    "passthrough", "note", "holiday", "billing", "timezone", "period", "monthly_charges", "rounding",
    "round", "example",
)
# Words inside a statement.
OPERATORS = (
    "supersedes", "when", "not", "is", "per", "on", "credit", "up_to", "at_least", "rest", "to", "except",
    "otherwise", "always", "of", "by", "in", "for", "each", "below", "every", "observed", "line",
    "allowance", "change", "pct_change", "inf", "first", "second", "third", "fourth", "fifth", "last",
    "nearest_weekday", "none", "after", "before", "end_exclusive", "per_bill", "prorated", "half_up", "half_even", "down", "up",
    "consecutive",
)
TYPES = ("flag", "count", "number", "choice", "kWh", "kW", "therm", "therms", "month", "day", "days",
         "lamp", "scfh", "minutes", "holidays", "months", "year")


class TariffLexer(RegexLexer):
    """The `.tariff` language of tariffc (CPAU rate schedules as checked code)."""

    name = "Tariff"
    aliases = ["tariff"]
    filenames = ["*.tariff"]
    mimetypes = ["text/x-tariff"]
    url = "https://github.com/"  # no public home yet; pygments requires nothing here
    version_added = ""

    tokens = {
        "root": [
            (r"\n", Whitespace),
            (r"[ \t\f]+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"(?:[^"\\\n]|\\.)*"', String.Double),
            # schedule ids as printed: E-4-TOU, E-EEC-1, G-10
            (r"\b[EG](?:-[A-Z0-9]+)+\b", Name.Class),
            (r"\d{4}-\d{2}-\d{2}\b", Number.Other),  # ISO dates (versions)
            (r"(\d{1,2}:\d{2})(-)(\d{1,2}:\d{2})", bygroups(Number.Other, Operator, Number.Other)),
            (r"-?\d+(?:\.\d+)?%", Number.Float),
            (r"-?\d+\.\d+", Number.Float),
            (r"-?\d+", Number.Integer),
            (words(DECLARATIONS, prefix=r"\b", suffix=r"\b"), Keyword.Declaration),
            (words(OPERATORS, prefix=r"\b", suffix=r"\b"), Keyword),
            (words(TYPES, prefix=r"\b", suffix=r"\b"), Keyword.Type),
            (r"\b(?:mon|tue|wed|thu|fri|sat|sun)(?:-(?:mon|tue|wed|thu|fri|sat|sun))?\b", Name.Builtin),
            (r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b", Name.Builtin),
            (r"[A-Za-z_][A-Za-z0-9_.]*", Name),
            (r"=", Operator),
            (r"[-$/]", Operator),
            (r"[\[\](),]", Punctuation),
            (r".", Text),
        ],
    }
