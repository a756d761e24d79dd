"""Where the readings of one stream fail to meet: gaps, duplicates, overlaps, DST seams. The one rule,
used by `tariffc inspect` (quality.py), by `bill --intervals` and `compare` (fitness.py: a file with
duplicates or overlaps is not billed) and by `impact --data` over a dataset (bulk/population.py: the
`overlap` refusal).

A stream is the readings of one flow direction sorted by start, each a start and a length in whole
seconds. Reading i (i ≥ 1) is judged against what came before it: the previous reading (i - 1) and
the time covered so far, up to the latest end of readings 0 … i-1 (a long reading can cover several
later ones). Its *seam* is `start - covered`: positive is time nobody read, negative time read twice.
In this order, the first that holds:

- **duplicate**: it starts when the previous reading starts;
- **DST seam**: it and the previous reading are both daily or longer reads (`LONG_READ`, 23 h or
  more) and the seam is, either way, exactly the change of the zone's UTC offset between the two
  readings' starts (`offset_change`: 1 h across a Pacific change; 0, so never a seam, where the
  offset does not change). Reads of local dates stored as UTC days meet an hour apart where daylight
  saving time starts or ends: a 23 h or 25 h local day read as 24 h from local midnight (a gap in
  November, an overlap in March), or billing periods stored from UTC midnight with their local length
  (NGMA's gas bills: an overlap in November): not a gap or an overlap, and the same energy is not
  billed twice. The same hour on an ordinary date is a gap or an overlap;
- **gap**: the seam is positive (`seconds` missing);
- **overlap**: the seam is negative (`-seconds` read twice);
- otherwise the readings meet and nothing is reported.

Duplicates and overlaps are *clashes*: the same energy would be billed twice, so bills refuse them.
`seam_kinds` states the rule once, on plain numbers or elementwise on numpy arrays; `find_seams`
walks a stream in pure Python (the readers: the core install has no numpy) and `clash_mask` applies
the same rule to whole arrays at once (bulk, which needs numpy anyway).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from typing import Any, NamedTuple

import attrs

from zoneinfo import ZoneInfo

from tariffc.compiler.meterdata.localtime import transitions_between, utc_from_epoch
from tariffc.compiler.meterdata.model import IntervalReading

LONG_READ = 23 * 3600  # a read this long or longer is a daily or billing-period read


class Kind(enum.Enum):
    """How a reading meets the stream before it (only the four that are reported)."""

    DUPLICATE = "duplicate"
    DST_SEAM = "dst_seam"
    GAP = "gap"
    OVERLAP = "overlap"


_KINDS = tuple(Kind)  # in the order of the fields of Kinds


class Kinds(NamedTuple):
    """The rule's verdicts for one reading, or elementwise for arrays of them; at most one holds."""

    duplicate: Any
    dst_seam: Any
    gap: Any
    overlap: Any


def seam_kinds(previous_start, previous_seconds, covered, start, seconds, shift=0) -> Kinds:
    """The rule of this module for a reading (`start`, `seconds`) after a previous reading
    (`previous_start`, `previous_seconds`) with the stream covered until `covered`; `shift` is the
    zone's `offset_change` from `previous_start` to `start` (all in seconds: ints, exact numbers, or
    numpy integer arrays of one shape, judged elementwise)."""
    seam = start - covered
    moved = start != previous_start
    long_pair = (previous_seconds >= LONG_READ) & (seconds >= LONG_READ)
    at_change = (abs(seam) == abs(shift)) & (shift != 0)
    dst_seam = moved & long_pair & at_change
    plain = moved & ((previous_seconds < LONG_READ) | (seconds < LONG_READ) | (abs(seam) != abs(shift)) | (shift == 0))
    return Kinds(duplicate=start == previous_start, dst_seam=dst_seam, gap=plain & (seam > 0),
                 overlap=plain & (seam < 0))


def offset_change(earlier, later, tz: ZoneInfo) -> int:
    """The zone's UTC offset at `earlier` minus its offset at `later` (Unix seconds; whole seconds
    are enough, zones change offset on the second), in seconds: the seam two local-date reads
    stored as UTC days leave between them (+3600 across CPAU's November change, -3600 across
    March, 0 when no change lies between). From `localtime.transitions_between`."""
    first, last = utc_from_epoch(math.floor(earlier)), utc_from_epoch(math.floor(later) + 1)  # a change at `later` counts
    return sum(t.offset_before - t.offset_after for t in transitions_between(first, last, tz))


def _candidate(previous_seconds, seconds, seam) -> bool:
    """Whether a seam could be a DST seam: between two long reads, and not zero (zones change
    their offset by a few hours at most); only these ask the zone."""
    return previous_seconds >= LONG_READ and seconds >= LONG_READ and 0 < abs(seam) <= 4 * 3600


@attrs.frozen
class Found:
    """Reading `index` of the stream meets the stream before it as `kind`: the stream was covered until
    the end of reading `covering` (the latest end before it), `seconds` = start - that end."""

    kind: Kind
    index: int
    previous: int
    covering: int
    seconds: int

    @property
    def clash(self) -> bool:
        """A duplicate or an overlap: the same time read twice."""
        return self.kind in (Kind.DUPLICATE, Kind.OVERLAP)


def find_seams(starts: Sequence, seconds: Sequence, tz: ZoneInfo) -> list[Found]:
    """Every reading of a stream that does not meet the one before it, in stream order.

    `starts`, `seconds`: the readings' starts (Unix) and lengths in seconds (ints or exact numbers),
    one direction, sorted by start; `tz`: the zone the readings were taken in (a DST seam is only
    where its offset changes). Pure Python (no numpy): O(n)."""
    found: list[Found] = []
    covered = covering = previous_start = None
    for index, (start, length) in enumerate(zip(starts, seconds)):
        # a reading that starts where the stream ends, at a new start, is nothing under the rule:
        # skipping the rule for it keeps the walk as fast as the data are regular
        if index and (start != covered or start == previous_start):
            shift = offset_change(previous_start, start, tz) if _candidate(seconds[index - 1], length,
                                                                           start - covered) else 0
            kinds = seam_kinds(previous_start, seconds[index - 1], covered, start, length, shift)
            kind = next((k for k, holds in zip(_KINDS, kinds) if holds), None)
            if kind is not None:
                found.append(Found(kind=kind, index=index, previous=index - 1, covering=covering,
                                   seconds=start - covered))
        previous_start = start
        end = start + length
        if covered is None or end > covered:
            covered, covering = end, index
    return found


def clash_mask(starts, seconds, tz: ZoneInfo):
    """numpy: a boolean array, True at each reading that clashes (duplicate or overlap) with the
    stream before it; the same rule as `find_seams`, over whole arrays (`starts`, `seconds`: int64
    arrays of one stream sorted by start, Unix seconds; `seconds` may be a scalar for one interval
    length; `tz` the zone the readings were taken in)."""
    import numpy as np  # noqa: PLC0415  (numpy is the `fast`/`bulk` extra; the readers never call this)

    starts = np.asarray(starts, dtype=np.int64)
    seconds = np.broadcast_to(np.asarray(seconds, dtype=np.int64), starts.shape)
    mask = np.zeros(starts.shape, dtype=bool)
    if len(starts) > 1:
        covered = np.maximum.accumulate(starts + seconds)[:-1]
        seam = starts[1:] - covered
        shift = np.zeros(seam.shape, dtype=np.int64)
        for i in np.flatnonzero((seconds[:-1] >= LONG_READ) & (seconds[1:] >= LONG_READ) & (seam != 0)
                                & (np.abs(seam) <= 4 * 3600)):  # only the few that could be DST seams
            shift[i] = offset_change(int(starts[i]), int(starts[i + 1]), tz)
        kinds = seam_kinds(starts[:-1], seconds[:-1], covered, starts[1:], seconds[1:], shift)
        mask[1:] = kinds.duplicate | kinds.overlap
    return mask


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


def reading_seams(readings: Sequence[IntervalReading], tz: ZoneInfo) -> list[Found]:
    """`find_seams` of IntervalReadings (one direction, sorted by start) taken in zone `tz` (the
    series' zone): their UTC starts as exact seconds since 1970 (a Fraction only for a start with a
    fraction of a second)."""
    return find_seams([_seconds(reading.start) for reading in readings], [reading.duration for reading in readings],
                      tz)


def _seconds(moment: datetime) -> int | Fraction:
    whole, micro = divmod((moment - _EPOCH) // _MICROSECOND, 1_000_000)
    return whole if not micro else whole + Fraction(micro, 1_000_000)
