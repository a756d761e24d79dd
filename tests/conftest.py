"""Shared pytest options and fixtures. Golden files are rewritten only with an explicit switch.

Fixtures for the meter-data and compare tests: the shared Green Button samples and a synthetic ESPI
writer (`gb`), and `write` (a file under tmp_path). The repository's schedules, loaded once per
session (tests/support/schedules.py): `tariffs` and `pacific`; a test module that parametrizes over
the schedules at collection time imports the same objects (`from ..support.schedules import CLEAN`).

The synthetic writer builds small feeds in any of the three namespace styles seen in real files:
per-element default namespace (`<UsagePoint xmlns="http://naesb.org/espi">`), `espi:` prefixes, and
`ns0:`/`ns1:` prefixes (as in PG&E's exports). Everything it writes is synthetic test data.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

ATOM = "http://www.w3.org/2005/Atom"
ESPI = "http://naesb.org/espi"

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "data" / "greenbutton"


@pytest.fixture(scope="session")
def tariffs():
    """`Tariffs.load(<repo>/schedules)`, shared by the session (its generated modules built once)."""
    from .support.schedules import TARIFFS  # imported here: loading the schedules is not free

    return TARIFFS


@pytest.fixture(scope="session")
def pacific():
    """ZoneInfo("America/Los_Angeles"), the zone of the CPAU calendar."""
    from .support.schedules import PACIFIC

    return PACIFIC


@pytest.fixture(scope="session")
def samples() -> Path:
    if not (SAMPLES / "README.md").is_file():
        pytest.skip(f"shared Green Button samples not found at {SAMPLES} (expected <repo>/../shared)")
    return SAMPLES


class El:
    """An element in the Atom ('atom') or ESPI ('espi') namespace."""

    def __init__(self, ns: str, tag: str, *children, **attributes):
        self.ns, self.tag, self.children, self.attributes = ns, tag, children, attributes

    def write(self, style: str, top_espi: bool = True) -> str:
        if style == "default":
            name = self.tag
            declare = f' xmlns="{ESPI}"' if self.ns == "espi" and top_espi else ""
        else:
            prefix = {"espi": {"espi": "espi", "ns0": "ns1"}, "atom": {"espi": None, "ns0": "ns0"}}[self.ns][style]
            name = f"{prefix}:{self.tag}" if prefix else self.tag
            declare = ""
        attributes = "".join(f" {key}={quoteattr(str(value))}" for key, value in self.attributes.items())
        inner = "".join(child.write(style, top_espi=self.ns != "espi") if isinstance(child, El) else escape(str(child))
                        for child in self.children)
        return f"<{name}{declare}{attributes}>{inner}</{name}>"


def atom(tag, *children, **attributes):
    return El("atom", tag, *children, **attributes)


def espi(tag, *children, **attributes):
    return El("espi", tag, *children, **attributes)


def entry(resource: El | None, *, self_href=None, up=None, related=(), title=None) -> El:
    links = []
    if self_href:
        links.append(atom("link", rel="self", href=self_href))
    if up:
        links.append(atom("link", rel="up", href=up))
    links += [atom("link", rel="related", href=href) for href in related]
    parts = links + ([atom("title", title)] if title else []) + ([atom("content", resource)] if resource else [])
    return atom("entry", *parts)


def usage_point(href, kind=0, related=()):
    return entry(espi("UsagePoint", espi("ServiceCategory", espi("kind", kind))), self_href=href,
                 related=(f"{href}/MeterReading", *related))


def meter_reading(href, reading_type_href, up=None):
    return entry(espi("MeterReading"), self_href=href, up=up or href.rsplit("/", 1)[0],
                 related=(f"{href}/IntervalBlock", reading_type_href))


def reading_type(href, **fields):
    names = {"uom": "uom", "multiplier": "powerOfTenMultiplier", "flow": "flowDirection",
             "interval": "intervalLength", "commodity": "commodity", "currency": "currency",
             "kind": "kind", "accumulation": "accumulationBehaviour", "qualifier": "dataQualifier"}
    return entry(espi("ReadingType", *(espi(names[key], value) for key, value in fields.items())), self_href=href)


def interval_block(meter_href, number, readings):
    """readings: (start, duration, value) or (start, duration, value, cost) tuples."""
    items = []
    for reading in readings:
        start, duration, value, *cost = reading
        parts = ([espi("cost", cost[0])] if cost else []) + [
            espi("timePeriod", espi("duration", duration), espi("start", start)), espi("value", value)]
        items.append(espi("IntervalReading", *parts))
    first = readings[0][0] if readings else 0
    block = espi("IntervalBlock", espi("interval", espi("duration", 86400), espi("start", first)), *items)
    return entry(block, self_href=f"{meter_href}/IntervalBlock/{number}", up=f"{meter_href}/IntervalBlock")


def local_time(href="/espi/LocalTimeParameters/1", tz=-28800, dst=3600, start="360E2000", end="B40E2000"):
    return entry(espi("LocalTimeParameters", espi("dstEndRule", end), espi("dstOffset", dst),
                      espi("dstStartRule", start), espi("tzOffset", tz)), self_href=href)


def feed(*entries: El, style: str = "default") -> bytes:
    """A complete document; `style` is 'default', 'espi' or 'ns0'."""
    body = "".join(e.write(style) for e in entries)
    if style == "default":
        root = f'<feed xmlns="{ATOM}">{body}</feed>'
    elif style == "espi":
        root = f'<feed xmlns="{ATOM}" xmlns:espi="{ESPI}">{body}</feed>'
    else:
        root = f'<ns0:feed xmlns:ns0="{ATOM}" xmlns:ns1="{ESPI}">{body}</ns0:feed>'
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + root).encode()


@pytest.fixture
def write(tmp_path):
    """write(name, bytes_or_text) -> Path of a file in the test's temp dir."""
    def _write(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path
    return _write


@pytest.fixture(scope="session")
def gb():
    """The synthetic ESPI writer (test modules cannot import conftest under importlib mode)."""
    from types import SimpleNamespace
    return SimpleNamespace(atom=atom, espi=espi, entry=entry, usage_point=usage_point, meter_reading=meter_reading,
                           reading_type=reading_type, interval_block=interval_block, local_time=local_time,
                           feed=feed)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files (tests/golden/**) from the current output; review the diff")
