"""Rates as tables: the cells of a version, changes between versions, the version for a date, the
rules as records, bills at another version's rates, and the yearly new version.

    cells.py        rate cells of a version (components, printed total, unit, section)
    changes.py      the staff change table between two versions (`tariffc diff`, the site)
    versions.py     the version in effect on a date (NoVersion), the "newer rates" warning
    rules.py        the rules of a version as records; rule changes (`tariffc rates`, `diff`)
    at.py           bills at the rates of the version in effect on a chosen date (`compare --at`)
    new_version.py  the yearly update: a new version copying the latest, every rate `?`
"""

from tariffc.compiler.rates.cells import RateCell, decimal, rate_cells, text_of
from tariffc.compiler.rates.changes import Change, changes
from tariffc.compiler.rates.versions import NoVersion, newer_rates_note, next_adoption, version_on

__all__ = ["Change", "NoVersion", "RateCell", "changes", "decimal", "newer_rates_note", "next_adoption",
           "rate_cells", "text_of", "version_on"]
