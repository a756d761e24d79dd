"""CSV interval layouts: which column holds the start, the end, the usage and its unit.

A layout is detected from the header, or named by the caller:
  start_kwh  `start,kwh`: local start date and time, kWh (tariffc's own form)
  cpau       `date,export_kwh,import_kwh,net_kwh`: the output of the community jsinnott/cpau
             downloader for MyCPAU (import = delivered, export = received; net is derived, unused)
  opower     `TYPE,DATE,START TIME,END TIME,USAGE,UNITS,COST,NOTES` (PG&E-style Green Button CSV
             from Opower portals; `USAGE (kWh)` without a UNITS column also matches; end times
             are the last minute of the interval, e.g. 00:14)
  sdge       `"Meter Number","Date","Start Time","Duration","Consumed","Generated","Net"` (SDG&E
             style, below a preamble with `UOM: kWh`; Duration in minutes)
Column names compare case-insensitively, with `_` as a space and a trailing "(unit)" read as
the unit: `Usage (kWh)` is the usage column in kWh, `usage (Wh)` one in Wh (see units.py).
A usage column may be delivered energy (kWh, Usage, Consumed, Import, ...), received energy
(Generated, Export, Received, ...) or net energy (Net: delivered minus received, per interval).
"""

from __future__ import annotations

import re

import attrs

from tariffc.compiler.meterdata.units import is_unit_word


@attrs.frozen(kw_only=True)
class CsvLayout:
    name: str
    start: str  # local date, or local date and time, of each interval's start
    delivered: str | None = None  # usage delivered to the customer
    time: str | None = None  # local start time of day, when `start` holds only the date
    end: str | None = None  # end time of day, or end date and time
    received: str | None = None  # usage received from the customer (export)
    net: str | None = None  # delivered minus received, when there is no delivered column
    duration: str | None = None  # the interval's length (minutes when a bare number)
    unit_column: str | None = None
    unit: str | None = "kWh"  # the unit's name when there is no unit column (None: not stated)

    def required(self) -> tuple[str, ...]:
        return tuple(c for c in (self.start, self.time, self.end, self.duration, self.delivered, self.received,
                                 self.net, self.unit_column) if c)


NAMED_LAYOUTS: dict[str, CsvLayout] = {
    "start_kwh": CsvLayout(name="start_kwh", start="start", delivered="kwh"),
    "cpau": CsvLayout(name="cpau", start="date", delivered="import_kwh", received="export_kwh"),
    "opower": CsvLayout(name="opower", start="date", time="start time", end="end time", delivered="usage",
                        unit_column="units", unit=None),
    "sdge": CsvLayout(name="sdge", start="date", time="start time", duration="duration", delivered="consumed",
                      received="generated", unit=None),
}

# Header words by role, in order of preference.
DATES = ("date", "read date", "usage date", "interval date", "day")
TIMES = ("start time", "time", "interval start time", "interval start", "start", "hour")
STARTS = ("start", "start time", "start date time", "start datetime", "start date", "interval start",
          "interval start time", "interval start date time", "datetime", "date time", "timestamp", "time stamp",
          "read start", "local time", "time (local)")
ENDS = ("end time", "end", "interval end", "interval end time", "end date time", "end datetime", "end date",
        "read end")
DURATIONS = ("duration", "interval length", "interval", "interval minutes", "minutes")
DELIVERED = ("import kwh", "kwh delivered", "delivered kwh", "kwh", "usage", "consumed", "consumption", "delivered",
             "import", "imported", "energy consumed", "energy delivered", "usage kwh", "value", "energy", "reading",
             "therms", "therm")
RECEIVED = ("export kwh", "kwh received", "received kwh", "generated", "generation", "received", "export",
            "exported", "energy received", "energy generated")
NET = ("net", "net kwh", "net usage", "net energy", "net consumption")
UNITS = ("units", "unit", "uom", "unit of measure")

_PARENTHESIS = re.compile(r"^(.*?)\s*[(\[]\s*([^)\]]*?)\s*[)\]]$")


def normalize_column(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("\ufeff", "").casefold().split())


def split_unit(name: str) -> tuple[str, str | None]:
    """`Usage (kWh)` -> ("usage", "kWh"); `Energy [Wh]` -> ("energy", "Wh"): the base compared
    case-insensitively, the unit kept as written (messages name it so)."""
    match = _PARENTHESIS.match(" ".join(name.replace("\ufeff", "").split()))
    if match:
        return normalize_column(match.group(1)), match.group(2)
    return normalize_column(name), None


@attrs.frozen(kw_only=True)
class HeaderMatch:
    """What a candidate header row names: the column of each role (header text), and the rest."""

    roles: dict[str, str]  # role -> the header cell (start, time, end, duration, delivered, received, net, unit_column)
    unit: str | None  # the usage column's unit, as written (`Wh` from `usage (Wh)`, `kWh` from a `kWh` column)
    unknown: tuple[str, ...]  # cells that are none of the roles

    @property
    def usable(self) -> bool:
        return "start" in self.roles and any(r in self.roles for r in ("delivered", "received", "net"))

    @property
    def score(self) -> int:
        return len(self.roles)

    def layout(self) -> CsvLayout:
        r = self.roles
        return CsvLayout(name="detected", start=r["start"], time=r.get("time"), end=r.get("end"),
                         duration=r.get("duration"), delivered=r.get("delivered"), received=r.get("received"),
                         net=r.get("net") if "delivered" not in r else None, unit_column=r.get("unit_column"),
                         unit=self.unit)


def match_header(header: list[str]) -> HeaderMatch:
    """The columns a header row names, by role; unit words (kWh, Wh, therms) name a usage column."""
    names: dict[str, str] = {}
    hints: dict[str, str | None] = {}
    for cell in header:
        base, hint = split_unit(cell)
        if base and base not in names:
            names[base] = cell
            hints[base] = hint
    used: set[str] = set()

    def pick(candidates) -> str | None:
        found = next((c for c in candidates if c in names and c not in used), None)
        if found is not None:
            used.add(found)
        return found

    roles: dict[str, str] = {}
    date = pick(DATES)
    if date is not None:
        roles["start"] = date
        time = pick(TIMES)
        if time is not None:
            roles["time"] = time
    else:
        start = pick(STARTS)
        if start is not None:
            roles["start"] = start
    for role, words in (("end", ENDS), ("duration", DURATIONS), ("received", RECEIVED), ("net", NET),
                        ("unit_column", UNITS)):
        found = pick(words)
        if found is not None:
            roles[role] = found
    delivered = pick(DELIVERED)
    if delivered is None:  # a column named after its unit (`Wh`, `kW`) or with one (`demand (kW)`)
        delivered = next((n for n in names if n not in used and (is_unit_word(n) or (
            hints[n] is not None and is_unit_word(hints[n])))), None)
        if delivered is not None:
            used.add(delivered)
    if delivered is not None:
        roles["delivered"] = delivered
    usage = roles.get("delivered") or roles.get("net") or roles.get("received")
    unit = None
    if usage is not None:
        written = names[usage].strip()
        unit = hints[usage] or (written if is_unit_word(usage) else None)
        if unit is None and usage in ("import kwh", "export kwh", "kwh delivered", "delivered kwh", "net kwh",
                                      "kwh received", "received kwh", "usage kwh"):
            unit = "kWh"
    unknown = tuple(names[n] for n in names if n not in used)
    return HeaderMatch(roles={role: names[base] for role, base in roles.items()}, unit=unit, unknown=unknown)


def detect_layout(header: list[str]) -> CsvLayout | None:
    """The layout a header row describes, or None if it names no start or no usage column."""
    found = match_header(header)
    return found.layout() if found.usable else None


def column_index(header: list[str], wanted: str) -> int | None:
    target = normalize_column(wanted)
    for index, cell in enumerate(header):
        if normalize_column(cell) == target or split_unit(cell)[0] == target:
            return index
    return None


_PREAMBLE_UNIT = re.compile(r"^\s*(uom|unit of measure|units?)\s*[:=]\s*(\S.*?)\s*$", re.IGNORECASE)


def preamble_unit(cells: list[str]) -> str | None:
    """The unit a preamble line states: `"UOM: kWh"`, `UOM,kWh`, `Unit of Measure = therms`."""
    texts = [c.strip() for c in cells if c.strip()]
    if len(texts) == 1:
        match = _PREAMBLE_UNIT.match(texts[0])
        return match.group(2) if match else None
    if len(texts) == 2 and normalize_column(texts[0].rstrip(":")) in UNITS:
        return texts[1]
    return None
