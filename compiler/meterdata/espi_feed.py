"""Stream an ESPI Atom feed into flat entries: links plus the one resource each entry carries.

Uses `defusedxml.ElementTree.iterparse`, so entity declarations and external references are
refused before anything is expanded or fetched, and IntervalReadings are consumed and cleared as
they end: the tree of a multi-year 15-minute file is never held in memory. Namespaces are matched
by URI, so `espi:` prefixes, per-element default namespaces and `ns0:` prefixes all read alike.
Linking entries to each other is `espi_links`' job; this module only reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import attrs
import defusedxml
import defusedxml.ElementTree as safe_et

from tariffc.compiler.meterdata import bounds
from tariffc.compiler.meterdata.errors import MeterDataError
from tariffc.compiler.meterdata.espi_codes import ATOM_NS, ESPI_NS
from tariffc.compiler.meterdata.espi_dst import LocalTimeParameters


def _espi(name: str) -> str:
    return f"{{{ESPI_NS}}}{name}"


def _atom(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


FEED, ENTRY, LINK, TITLE, CONTENT = (_atom(n) for n in ("feed", "entry", "link", "title", "content"))
BLOCK, READING = _espi("IntervalBlock"), _espi("IntervalReading")
INTERVAL, TIME_PERIOD = _espi("interval"), _espi("timePeriod")
START, DURATION, VALUE, COST = (_espi(n) for n in ("start", "duration", "value", "cost"))
READING_QUALITY, QUALITY = _espi("ReadingQuality"), _espi("quality")
# Not in the ESPI schema; one utility export (UtilityAPI) puts it in every timePeriod.
NONSCHEMA_TIMEZONE = _espi("timezone")


@attrs.frozen
class Link:
    rel: str
    href: str


@attrs.frozen(kw_only=True)
class ReadingType:
    href: str | None
    uom: int | None
    power_of_ten_multiplier: int
    interval_length: int | None
    flow_direction: int | None
    commodity: int | None
    currency: int | None
    kind: int | None
    accumulation_behaviour: int | None
    data_qualifier: int | None = None


@attrs.frozen(kw_only=True)
class UsagePointResource:
    service_kind: int | None


@attrs.frozen(kw_only=True)
class MeterReadingResource:
    pass


# A reading as read: (start epoch s, duration s, value, cost or None, quality codes). Plain tuples
# because a year of 15-minute data makes 35,040 of them before they become IntervalReadings.
RawReading = tuple[int, int, "int | Decimal", "int | Decimal | None", tuple[int, ...]]


@attrs.frozen(kw_only=True)
class RawBlock:
    interval_start: int | None
    interval_duration: int | None
    readings: tuple[RawReading, ...]


Resource = UsagePointResource | MeterReadingResource | ReadingType | LocalTimeParameters | tuple[RawBlock, ...] | None


@attrs.frozen(kw_only=True)
class FeedEntry:
    number: int  # 1-based position among the feed's entries
    links: tuple[Link, ...]
    title: str | None
    kind: str | None  # local name of the ESPI resource in <content>, e.g. "IntervalBlock"
    resource: Resource

    def _hrefs(self, rel: str) -> tuple[str, ...]:
        return tuple(link.href for link in self.links if link.rel == rel)

    @property
    def self_href(self) -> str | None:
        found = self._hrefs("self")
        return found[0] if found else None

    @property
    def up_href(self) -> str | None:
        found = self._hrefs("up")
        return found[0] if found else None

    @property
    def related_hrefs(self) -> tuple[str, ...]:
        return self._hrefs("related")

    def describe(self) -> str:
        name = self.kind or "entry"
        return f"{name} {self.self_href}" if self.self_href else f"{name} (entry {self.number}, no self link)"


@attrs.frozen(kw_only=True)
class RawFeed:
    entries: tuple[FeedEntry, ...]
    timezones_seen: frozenset[str]  # values of the non-schema timePeriod/timezone element
    warnings: tuple[str, ...]


class _MeterDataXMLParser(safe_et.DefusedXMLParser):
    """defusedxml's parser (entities and external references forbidden), also refusing an
    external DTD: expat would not fetch it, but a Green Button file has no use for one."""

    def __init__(self) -> None:
        super().__init__(target=TreeBuilder(), forbid_dtd=False, forbid_entities=True, forbid_external=True)
        self.parser.StartDoctypeDeclHandler = self._refuse_external_dtd

    @staticmethod
    def _refuse_external_dtd(name, sysid, pubid, has_internal_subset) -> None:
        if sysid or pubid:
            raise defusedxml.ExternalReferenceForbidden(None, None, sysid, pubid)


FIRST_CHUNK = 64 * 1024
LAST_CHUNK = 64 * 1024 * 1024


def _iterparse(stream: BinaryIO, parser) -> Iterator[tuple[str, Element]]:
    """("start" | "end", element) events, read in linear time even through one huge token.

    expat 2.5 (Python 3.11) rescans an unfinished token from its beginning on every feed, so
    ElementTree.iterparse's fixed 16 KiB reads make a 20 MB attribute or comment quadratic (50 MB:
    55 s). While a feed yields no event the next read doubles (up to 64 MiB), so the rescans sum
    to a few times the token's size.
    """
    from xml.etree.ElementTree import XMLPullParser

    pull = XMLPullParser(events=("start", "end"), _parser=parser)
    size = FIRST_CHUNK
    while data := stream.read(size):
        pull.feed(data)
        produced = False
        for event in pull.read_events():
            produced = True
            yield event
        size = FIRST_CHUNK if produced else min(size * 2, LAST_CHUNK)
    pull.close()
    yield from pull.read_events()


def normalize_href(href: str) -> str:
    return href.strip().rstrip("/")


def read_feed(stream: BinaryIO, name: str) -> RawFeed:
    """Read the whole feed or raise MeterDataError; `stream` is a binary file object."""
    try:
        return _FeedReader(name).read(stream)
    except defusedxml.EntitiesForbidden as error:
        raise MeterDataError(
            f"refused: the XML declares entity {error.name!r}; entity declarations (the 'billion laughs' "
            "and external-entity attacks) are not allowed in meter data and nothing was expanded",
            file=name) from None
    except defusedxml.ExternalReferenceForbidden as error:
        raise MeterDataError(
            f"refused: the XML references an external resource ({error.sysid or error.pubid}); "
            "external DTDs and entities are not allowed in meter data and nothing was fetched", file=name) from None
    except defusedxml.DTDForbidden:
        raise MeterDataError("refused: the XML carries a DTD", file=name) from None
    except defusedxml.DefusedXmlException as error:
        raise MeterDataError(f"refused unsafe XML: {error}", file=name) from None
    except ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        if reason == "no element found" and (line, column) == (1, 0):
            raise MeterDataError("empty file: no XML element", file=name) from None
        hint = "the file is truncated" if reason in {"no element found", "unclosed token"} else "malformed XML"
        raise MeterDataError(f"{hint} ({reason} at line {line}, column {column}); not read", file=name,
                             line=line) from None


class _FeedReader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.entries: list[FeedEntry] = []
        self.pending_blocks: list[RawBlock] = []
        self.pending_readings: list[RawReading] = []
        self.timezones: set[str] = set()
        self.warnings: list[str] = []

    def read(self, stream: BinaryIO) -> RawFeed:
        events = _iterparse(stream, _MeterDataXMLParser())
        try:
            _, root = next(events)
        except StopIteration:  # pragma: no cover - expat reports an empty document as ParseError
            raise MeterDataError("empty file", file=self.name) from None
        if root.tag != FEED:
            raise MeterDataError(
                f"not a Green Button file: the root element is <{_show_tag(root.tag)}>, "
                f"expected an Atom <feed> ({ATOM_NS})", file=self.name)
        for event, element in events:
            if event == "start":
                continue
            tag = element.tag
            if tag == READING:
                self.pending_readings.append(self._reading(element))
                element.clear()  # its values are copied; drop the subtree now
            elif tag == BLOCK:
                self._end_block(element)
            elif tag == ENTRY:
                self._end_entry(root, element)
        if self.pending_blocks or self.pending_readings:
            raise MeterDataError("IntervalBlock data outside any Atom <entry>", file=self.name)
        return RawFeed(entries=tuple(self.entries), timezones_seen=frozenset(self.timezones),
                       warnings=tuple(self.warnings))

    # -- streamed interval data ---------------------------------------------------------------

    def _where_reading(self) -> str:
        return (f"IntervalReading {len(self.pending_readings) + 1} of IntervalBlock "
                f"{len(self.pending_blocks) + 1} in entry {len(self.entries) + 1}")

    def _reading(self, element: Element) -> RawReading:
        start = duration = value = cost = None
        quality: tuple[int, ...] = ()
        for child in element:
            tag = child.tag
            if tag == TIME_PERIOD:
                for part in child:
                    if part.tag == START:
                        start = part.text
                    elif part.tag == DURATION:
                        duration = part.text
                    elif part.tag == NONSCHEMA_TIMEZONE and part.text:
                        self.timezones.add(part.text.strip())
            elif tag == VALUE:
                value = child.text
            elif tag == COST:
                cost = child.text
            elif tag == READING_QUALITY:
                quality += tuple(self._int(q.text, "ReadingQuality/quality", self._where_reading)
                                 for q in child if q.tag == QUALITY)
        where = self._where_reading
        if start is None:
            raise MeterDataError("IntervalReading has no timePeriod/start", file=self.name, element=where())
        if duration is None:
            raise MeterDataError("IntervalReading has no timePeriod/duration", file=self.name, element=where())
        if value is None:
            raise MeterDataError("IntervalReading has no value", file=self.name, element=where())
        duration_s = self._int(duration, "timePeriod/duration", where)
        if duration_s <= 0:
            raise MeterDataError(f"timePeriod/duration {duration_s} is not positive", file=self.name,
                                 element=where())
        start_s = self._int(start, "timePeriod/start", where)
        problem = bounds.span_problem("IntervalReading", start_s, duration_s)
        if problem:
            raise MeterDataError(problem, file=self.name, element=where())
        return (start_s, duration_s,
                self._number(value, "value", where),
                None if cost is None else self._number(cost, "cost", where), quality)

    def _end_block(self, element: Element) -> None:
        interval = element.find(INTERVAL)
        where = lambda: f"IntervalBlock {len(self.pending_blocks) + 1} in entry {len(self.entries) + 1}"  # noqa: E731
        start = duration = None
        if interval is not None:
            start_text, duration_text = interval.findtext(START), interval.findtext(DURATION)
            start = None if start_text is None else self._int(start_text, "interval/start", where)
            duration = None if duration_text is None else self._int(duration_text, "interval/duration", where)
            problem = bounds.span_problem("IntervalBlock interval", start or 0, duration or 0)
            if problem:
                raise MeterDataError(problem, file=self.name, element=where())
        self.pending_blocks.append(RawBlock(interval_start=start, interval_duration=duration,
                                            readings=tuple(self.pending_readings)))
        self.pending_readings = []
        element.clear()

    # -- entries ------------------------------------------------------------------------------

    def _end_entry(self, root: Element, element: Element) -> None:
        number = len(self.entries) + 1
        if self.pending_readings:
            raise MeterDataError("IntervalReading outside an IntervalBlock", file=self.name,
                                 element=f"entry {number}")
        links = tuple(Link(rel=link.get("rel", "alternate").strip(), href=normalize_href(link.get("href", "")))
                      for link in element.findall(LINK) if link.get("href"))
        title = element.findtext(TITLE)
        kind, resource = None, None
        if self.pending_blocks:
            kind, resource = "IntervalBlock", tuple(self.pending_blocks)
            self.pending_blocks = []
        else:
            content = element.find(CONTENT)
            espi = next((child for child in content if child.tag.startswith(f"{{{ESPI_NS}}}")), None) \
                if content is not None else None
            if espi is not None:
                kind = espi.tag.split("}", 1)[1]
                self_href = next((link.href for link in links if link.rel == "self"), None)
                resource = self._resource(kind, espi, self_href, number)
        self.entries.append(FeedEntry(number=number, links=links, title=title, kind=kind, resource=resource))
        element.clear()
        _drop_finished_children(root, element)

    def _resource(self, kind: str, element: Element, href: str | None, number: int) -> Resource:
        where = lambda: f"{kind} {href or f'(entry {number})'}"  # noqa: E731
        if kind == "UsagePoint":
            service_kind = element.findtext(f"{_espi('ServiceCategory')}/{_espi('kind')}")
            return UsagePointResource(
                service_kind=None if service_kind is None else self._int(service_kind, "ServiceCategory/kind", where))
        if kind == "MeterReading":
            return MeterReadingResource()
        if kind == "ReadingType":
            def field(name: str) -> int | None:
                text = element.findtext(_espi(name))
                return None if text is None else self._int(text, name, where)
            multiplier = field("powerOfTenMultiplier")
            return ReadingType(
                href=href, uom=field("uom"), power_of_ten_multiplier=0 if multiplier is None else multiplier,
                interval_length=field("intervalLength"), flow_direction=field("flowDirection"),
                commodity=field("commodity"), currency=field("currency"), kind=field("kind"),
                accumulation_behaviour=field("accumulationBehaviour"), data_qualifier=field("dataQualifier"))
        if kind == "LocalTimeParameters":
            return self._local_time(element, href, where)
        return None  # summaries, ApplicationInformation, …: not interval data

    def _local_time(self, element: Element, href: str | None, where) -> LocalTimeParameters | None:
        names = ("tzOffset", "dstOffset", "dstStartRule", "dstEndRule")
        texts = {name: element.findtext(_espi(name)) for name in names}
        missing = [name for name, text in texts.items() if text is None]
        if missing:
            self.warnings.append(f"{where()} lacks {', '.join(missing)}; its time zone was not checked")
            return None
        values = {}
        for name, text in texts.items():
            rule = name.endswith("Rule")  # a 32-bit hexadecimal code; offsets are seconds within a day
            try:
                value = int(text.strip(), 16 if rule else 10) if bounds.written_plainly(text) else None
            except ValueError:
                value = None
            if value is None or not (0 <= value <= 0xFFFFFFFF if rule else abs(value) <= 86_400):
                shown = text.strip() if len(text.strip()) <= 20 else f"{text.strip()[:17]}… ({len(text.strip())} characters)"
                expected = "a hexadecimal DST rule of 32 bits" if rule else "seconds within a day (±86400)"
                self.warnings.append(f"{where()} {name} {shown!r} is not {expected}; its time zone was not checked")
                return None
            values[name] = value
        return LocalTimeParameters(href=href, tz_offset=values["tzOffset"], dst_offset=values["dstOffset"],
                                   dst_start_rule=values["dstStartRule"], dst_end_rule=values["dstEndRule"])

    # -- numbers ------------------------------------------------------------------------------

    def _int(self, text: str | None, what: str, where) -> int:
        try:
            if not bounds.written_plainly(text):
                raise ValueError
            value = int(text)
        except (TypeError, ValueError):
            shown = text if text is None or len(text) < 40 else f"{text[:20]}… ({len(text)} characters)"
            raise MeterDataError(f"{what} {shown!r} is not an integer", file=self.name, element=where()) from None
        problem = bounds.int_problem(what, value)
        if problem:
            raise MeterDataError(problem, file=self.name, element=where())
        return value

    def _number(self, text: str, what: str, where) -> int | Decimal:
        try:
            int(text)  # ESPI values are integers (Int48); the fast, common case
        except ValueError:
            pass
        else:
            return self._int(text, what, where)
        try:
            number = Decimal(text.strip()) if bounds.written_plainly(text) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            shown = text if len(text) < 40 else f"{text[:20]}… ({len(text)} characters)"
            raise MeterDataError(f"{what} {shown!r} is not a number", file=self.name, element=where())
        problem = bounds.decimal_problem(number)
        if problem:
            raise MeterDataError(f"{what} {text[:40]!r} {problem}", file=self.name, element=where())
        return number


def _drop_finished_children(root: Element, finished: Element) -> None:
    """Remove `finished` and everything before it from the root, so processed entries are freed."""
    for index, child in enumerate(root):
        if child is finished:
            del root[: index + 1]
            return


def _show_tag(tag: str) -> str:
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        return f"{local} xmlns={uri!r}"
    return tag


def iter_kinds(feed: RawFeed, kind: str) -> Iterator[FeedEntry]:
    return (entry for entry in feed.entries if entry.kind == kind)
