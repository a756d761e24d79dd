"""Small HTML/Markdown writers for the generated pages: escaping, names, rate cells, tables.

Rate tables are written as raw HTML inside the Markdown so that every rate cell carries the address
of the value it shows (`data-rate="E-1|2025-07-01|energy|tier1|total"`): the site test reads the built
HTML and compares each such cell with the IR.
"""

from __future__ import annotations

import html
from fractions import Fraction
from decimal import Decimal

from tariffc.compiler import ir

PERIOD_WORDS = {"peak": "Peak", "mid_peak": "Mid-peak", "off_peak": "Off-peak", "max": "Max demand",
                "all": "All", "tier1": "Tier 1", "tier2": "Tier 2", "tier3": "Tier 3",
                "summer": "Summer", "winter": "Winter"}
COLUMN_WORDS = {"commodity": "Commodity", "distribution": "Distribution", "public_benefits": "Public Benefits",
                "green": "Palo Alto Green", "total": "Total"}
UTILITY_WORDS = {"electric": "Electric", "gas": "Gas"}
CLASS_WORDS = {"residential": "Residential", "non_residential": "Non-residential",
               "street_lighting": "Street lighting", "export": "Export compensation", "unmetered": "Unmetered"}
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def words(name: str) -> str:
    """A row key or identifier in words: `mid_peak` → `Mid-peak`, `class_a_hps_100w` → `class a hps 100w`."""
    return PERIOD_WORDS.get(name, name.replace("_", " "))


def column_words(name: str) -> str:
    return COLUMN_WORDS.get(name, name.replace("_", " ").capitalize())


def decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def plain(value: Fraction) -> str:
    """An exact value as a decimal string (terminating decimals only; rates always are)."""
    d = decimal(value)
    return format(d.normalize(), "f") if d != d.to_integral_value() else str(d.to_integral_value())


def money(value, places: int = 2) -> str:
    d = value if isinstance(value, Decimal) else decimal(Fraction(value))
    return f"${d.quantize(Decimal(1).scaleb(-places)):,}"


def month_day(md: tuple[int, int]) -> str:
    return f"{MONTH_NAMES[md[0] - 1]} {md[1]}"


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def rate_address(schedule: str, version: str, charge: str, keys, column: str) -> str:
    return "|".join((schedule, version, charge, " ".join(keys), column))


def rate_td(schedule: str, version: str, charge: str, keys, column: str, number: ir.Number | None,
            flag: str = "") -> str:
    """A table cell showing one value as printed; a printed blank shows as `-` (as on the sheet)."""
    address = esc(rate_address(schedule, version, charge, keys, column))
    shown = number.text if number is not None else "-"
    mark = f'<sup class="flag" title="{esc(flag)}">†</sup>' if flag else ""
    return f'<td class="rate" data-rate="{address}">{esc(shown)}</td>' if not mark else \
        f'<td class="rate" data-rate="{address}"><span class="value">{esc(shown)}</span>{mark}</td>'


def table(headers: list[str], rows: list[list[str]], css: str = "rates") -> str:
    """A raw HTML table; `rows` hold ready `<td>` strings or plain text (escaped here)."""
    out = [f'<table class="{css}">', "<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in headers) + "</tr></thead>",
           "<tbody>"]
    for row in rows:
        cells = [c if c.startswith("<td") else f"<td>{esc(c)}</td>" for c in row]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def td_html(content: str, css: str = "") -> str:
    """A cell whose content is already HTML (a link)."""
    cls = f' class="{css}"' if css else ""
    return f"<td{cls}>{content}</td>"


def link(href: str, text: str) -> str:
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def md_escape(text: str) -> str:
    """Text placed in Markdown prose: escape what Markdown would read as markup."""
    out = html.escape(str(text), quote=False)
    for ch in ("\\", "`", "*", "_", "[", "]", "|"):
        out = out.replace(ch, "\\" + ch)
    return out


def code(text: str) -> str:
    """Text inside a Markdown code span: shown literally, so only backticks need care."""
    return str(text).replace("`", "'")
