"""Names in generated code: every identifier derived from `.tariff` text goes through `py_ident`,
every string through `repr`, and comments carry only `safe_comment` text."""

from __future__ import annotations

import keyword
import re


def py_ident(name: str, used: set[str] | None = None) -> str:
    """An ASCII, keyword-safe Python identifier for `name`, unique within `used` (which it extends)."""
    text = re.sub(r"[^0-9A-Za-z_]", "_", name.encode("ascii", "replace").decode("ascii")) or "_"
    if text[0].isdigit():
        text = "_" + text
    if keyword.iskeyword(text) or keyword.issoftkeyword(text):
        text += "_"
    if used is not None:
        base, n = text, 2
        while text in used:
            text, n = f"{base}_{n}", n + 1
        used.add(text)
    return text


def safe_comment(text: str, width: int = 80) -> str:
    """Text fit for a `#` comment: letters, digits and plain punctuation only (never a line break
    or anything a hostile name could use), at most `width` characters."""
    cleaned = re.sub(r"[^0-9A-Za-z_ .,:;%()$/=+\-]", "?", text)
    return cleaned if len(cleaned) <= width else cleaned[: width - 3] + "..."


def module_name(schedule_id: str) -> str:
    """The module (and file) name of a schedule's generated bill module: tariff_e_4_tou."""
    return py_ident("tariff_" + schedule_id.lower())
