"""The shape of a set of billing periods under a schedule: which version and season each day is in,
the *kinds* (version, season) that occur, each bill's days per kind and its segments in order, and
the refusals the scalar path makes for a period (no version in effect, too long, crossing a version
change or a season without the declared proration). Depends only on the periods and the schedule,
never on the usage, so it is computed once per call (and is the same for every customer)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from tariffc.compiler.vector import _scalar
from tariffc.compiler.vector._scalar import BillInputError
from tariffc.compiler.runtime.demand_interval import check_offered
from tariffc.compiler.vector.language import refuse_unsupported
from tariffc.compiler.runtime.vector import date_of, daynum, month_day


@dataclass
class Segment:
    kind: int
    start: int  # day number
    days: int


@dataclass
class BillShape:
    start: dt.date
    end: dt.date
    days: int
    parts: list[tuple[int, list[Segment]]]  # (version index, its segments in day order)
    values: dict = field(default_factory=dict)  # the named inputs, typed for this bill's versions


@dataclass
class Structure:
    schedule: object
    bills: list[BillShape]
    kinds: list[tuple[int, str | None]]  # (version index, season name)
    days_k: np.ndarray  # int64 (K, B): days of each kind in each bill
    n: np.ndarray  # int64 (B,): days of each bill
    first_day: int  # day number of the earliest bill start
    kind_of_day: np.ndarray  # int32 per day from first_day (-1: in no bill)
    bill_of_day: np.ndarray  # int32 per day from first_day (-1: in no bill)
    overlapping: bool = False  # some day is in two bills (allowed from totals only)
    memo: dict = field(default_factory=dict)  # what the evaluation derives from the structure alone

    @property
    def versions(self):
        return self.schedule.versions

    def version_present(self, v: int) -> np.ndarray:
        """bool (B,): bills with days under version `v`."""
        mask = np.zeros(len(self.bills), dtype=bool)
        for k, (kv, _) in enumerate(self.kinds):
            if kv == v:
                mask |= self.days_k[k] > 0
        return mask


def season_index(seasons, days: np.ndarray) -> np.ndarray:
    """Index of the first season containing each day (as `calendar.season_of`); -1 with no seasons.
    A day in no declared season is refused as the scalar path refuses it (LookupError)."""
    if not seasons:
        return np.full(days.size, -1, dtype=np.int16)
    month, dom = month_day(days)
    out = _season_table(seasons)[month * 100 + dom]
    if (out < 0).any():
        day = days[int(np.argmax(out < 0))]
        raise LookupError(f"{(dt.date(1970, 1, 1) + dt.timedelta(days=int(day))).isoformat()} is in no season")
    return out


def _season_table(seasons) -> np.ndarray:
    """int16 (1300,): for month * 100 + day of month, the index of the first declared season
    containing that date (-1: none), by `calendar.season_of`'s rule (inclusive (month, day) ends,
    a season may wrap the new year)."""
    md = np.arange(1300)
    out = np.full(md.size, -1, dtype=np.int16)
    for i in range(len(seasons) - 1, -1, -1):  # the first containing season wins
        s = seasons[i]
        a, b = s.start[0] * 100 + s.start[1], s.end[0] * 100 + s.end[1]
        inside = (md >= a) & (md <= b) if a <= b else (md >= a) | (md <= b)
        out[inside] = i
    return out


@dataclass
class _Facts:
    """What `build` reads off a schedule's versions, whatever the periods: each version's days
    [effective, ends), its season table, its billing rule's longest period and its proration."""

    schedule: object
    effective: list[int]
    ends: list[int | None]
    seasons: np.ndarray  # int16 (V, 1300): season index by version and month * 100 + day (-1: none)
    seasonal: list[bool]
    max_days: list[int]
    prorate: list[set]
    changes: list[list[tuple[int, int]]]  # per version: the (month, day) where its season table changes
    season_of: list[list[int]]  # per version: the season index by month * 100 + day (-1: none)


_FACTS: dict[int, _Facts] = {}  # id(schedule) -> its facts (the schedule kept: the id stays its own)


def _facts(schedule) -> _Facts:
    found = _FACTS.get(id(schedule))
    if found is not None and found.schedule is schedule:
        return found
    versions = schedule.versions
    table = np.full((max(len(versions), 1), 1300), -1, dtype=np.int16)
    for i, v in enumerate(versions):
        if v.rules.seasons:
            table[i] = _season_table(v.rules.seasons)
    dates = [(m, d) for m in range(1, 13) for d in range(1, 32)]
    season_of = [table[i].tolist() for i in range(len(versions))]
    changes = []
    for row in season_of:  # where the season differs from the calendar day before (Jan 1: from Dec 31)
        changes.append([(m, d) for i, (m, d) in enumerate(dates)
                        if row[m * 100 + d] != row[dates[i - 1][0] * 100 + dates[i - 1][1]]])
    found = _Facts(schedule, [daynum(v.effective) for v in versions],
                   [None if v.ends is None else daynum(v.ends) for v in versions], table,
                   [bool(v.rules.seasons) for v in versions], [v.rules.billing.max_days for v in versions],
                   [{what for what, _ in v.rules.prorate} for v in versions], changes, season_of)
    if len(_FACTS) > 64:
        _FACTS.clear()
    _FACTS[id(schedule)] = found
    return found


def _date(name: str, value) -> dt.date:
    if type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime):
        raise BillInputError(name, value, "expected a date YYYY-MM-DD, not a date and time")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BillInputError(name, value, "expected a date YYYY-MM-DD") from None


def build(schedule, periods, raw_values: dict | None) -> Structure:
    """Refuses (BillInputError, as the scalar path) a period that cannot be billed.

    Per day of the periods (vectorised): version (the last in effect wins), season (a table by
    month and day), bill (where periods overlap, the first listed); then the runs of one (version,
    season) cut at every bill edge, read into each bill's parts in one pass over the runs."""
    refuse_unsupported(schedule, raw_values)  # fees, demand credit, 5-minute demand: the scalar path bills them
    periods = [(_date("start", s), _date("end", e)) for s, e in periods]
    if not periods:
        raise BillInputError("periods", "[]", "give at least one billing period (start, end)")
    for start, end in periods:
        if end <= start:
            raise BillInputError("end", end.isoformat(), f"the period must end after it starts "
                                                         f"({start.isoformat()}); days = end - start")
    versions = schedule.versions
    facts = _facts(schedule)
    day_spans = [(daynum(start), daynum(end)) for start, end in periods]
    first = min(a for a, _ in day_spans)
    last = max(z for _, z in day_spans)
    # the days [first, last) cut wherever a version starts or ends, a season changes or a bill
    # starts or ends: a few dozen runs, each of one version, season and bill, found in Python
    cuts = {first, last}
    cuts.update(x for pair in day_spans for x in pair)
    cuts.update(x for x in facts.effective + facts.ends if x is not None and first < x < last)
    y0, y1 = date_of(first).year, date_of(last - 1).year
    for v, changes in enumerate(facts.changes):
        if not facts.seasonal[v] or (facts.ends[v] is not None and facts.ends[v] <= first) or facts.effective[v] >= last:
            continue
        for year in range(y0, y1 + 1):
            for m, d in changes:
                x = _daynum_on_or_after(year, m, d)
                if first < x < last:
                    cuts.add(x)
    edges = sorted(cuts)
    run_start, run_len = edges[:-1], [z - a for a, z in zip(edges, edges[1:])]
    run_version = []
    for day in run_start:  # the last version in effect wins
        v = -1
        for i, (a, z) in enumerate(zip(facts.effective, facts.ends)):
            if a <= day and (z is None or day < z):
                v = i
        run_version.append(v)
    run_season = []
    for day, v in zip(run_start, run_version):
        if v >= 0 and facts.seasonal[v]:
            date = date_of(day)
            k = facts.season_of[v][date.month * 100 + date.day]
            if k < 0:
                raise LookupError(f"{date.isoformat()} is in no season")
            run_season.append(k)
        else:
            run_season.append(-1)
    run_code = [v * 64 + k + 1 if v >= 0 else -64 for v, k in zip(run_version, run_season)]
    spans = [(a - first, z - first) for a, z in day_spans]
    ordered_spans = sorted(spans)
    # overlapping periods are fine from totals; interval data are refused (each day in one bill)
    overlapping = any(b[0] < a[1] for a, b in zip(ordered_spans, ordered_spans[1:]))
    run_bill = []
    if overlapping:  # where periods overlap, the first one listed has the day
        for day in run_start:
            run_bill.append(next((b for b, (a, z) in enumerate(day_spans) if a <= day < z), -1))
    else:  # the runs in time order: each bill's runs follow its start
        begins = {a: b for b, (a, _) in enumerate(day_spans)}
        bill, end = -1, None
        for day in run_start:
            if day in begins:
                bill = begins[day]
                end = day_spans[bill][1]
            elif end is not None and day >= end:
                bill, end = -1, None
            run_bill.append(bill)
    if -1 in run_version:
        for b, (a, z) in enumerate(day_spans):  # the first bill, as listed, with a day under no version
            gone = next((day for day, v in zip(run_start, run_version) if v < 0 and a <= day < z), None)
            if gone is not None:
                _check_versions(schedule, date_of(gone), periods[b][0], periods[b][1])
    # kinds: the (version, season) pairs of the billed days, numbered in time order
    number: dict[int, int] = {}
    for c, b in zip(run_code, run_bill):
        if b >= 0 and c not in number:
            number[c] = len(number)
    kinds = [(c // 64, None if c % 64 == 0 else versions[c // 64].rules.seasons[c % 64 - 1].name) for c in number]
    run_kind = [number[c] if b >= 0 else -1 for c, b in zip(run_code, run_bill)]
    kind_of_day = np.repeat(np.array(run_kind, dtype=np.int32), run_len)
    bill_of_day = np.repeat(np.array(run_bill, dtype=np.int32), run_len)
    edges = [x - first for x in edges]
    at = {x: i for i, x in enumerate(edges)}  # each bill's first run, and the run its end starts
    kind_version = [v for v, _ in kinds]
    days_k = [[0] * len(periods) for _ in kinds]
    bills: list[BillShape] = []
    typed_cache: dict[tuple, dict] = {}
    for b, (start, end) in enumerate(periods):
        parts: list[tuple[int, list[Segment]]] = []
        row = None
        for i in range(at[spans[b][0]], at[spans[b][1]]):
            k = run_kind[i]
            v = kind_version[k]
            days_k[k][b] += run_len[i]
            seg = Segment(k, edges[i] + first, run_len[i])
            if row is not None and parts[-1][0] == v:
                row.append(seg)
            else:
                row = [seg]
                parts.append((v, row))
        n = (end - start).days
        if n > facts.max_days[parts[0][0]]:
            raise BillInputError("end", end.isoformat(), f"the period is {n} days; the billing rule allows at most "
                                                         f"{facts.max_days[parts[0][0]]} days")
        prorate = [facts.prorate[v] for v, _ in parts]
        if len(parts) > 1 and not all("versions" in p for p in prorate):
            change = dt.date(1970, 1, 1) + dt.timedelta(days=parts[1][1][0].start)
            raise BillInputError("end", end.isoformat(),
                                 f"the period crosses the change to version {change.isoformat()} and schedule "
                                 f"{schedule.id} does not declare `prorate versions by days`; bill the days before "
                                 f"and after the change separately (end one bill on {change.isoformat()})")
        key = tuple(v for v, _ in parts)
        if key not in typed_cache:
            typed_cache[key] = _scalar.typed_values(schedule, [versions[v] for v in key],
                                                    dict(raw_values or {}))
            check_offered([(versions[v].rules.demand_minutes, versions[v].rules.demand_option,
                            versions[v].rules.demand_input) for v in key], typed_cache[key])
        for (v, segs), rule in zip(parts, prorate):
            if len(segs) > 1 and "seasons" not in rule:
                seasons = {kinds[s.kind][1] for s in segs}
                if len(seasons) > 1:
                    raise BillInputError("end", end.isoformat(),
                                         f"the period spans seasons ({', '.join(sorted(seasons))}) and schedule "
                                         f"{schedule.id} does not declare `prorate seasons by days`")
        bills.append(BillShape(start, end, n, parts, typed_cache[key]))
    return Structure(schedule, bills, kinds, np.array(days_k, dtype=np.int64).reshape(len(kinds), len(bills)),
                     np.array([b.days for b in bills], dtype=np.int64), first, kind_of_day, bill_of_day, overlapping)


def _daynum_on_or_after(year: int, month: int, day: int) -> int:
    """The day number of (year, month, day), or of the first day after it that exists (29 February
    in a common year: 1 March)."""
    try:
        return daynum(dt.date(year, month, day))
    except ValueError:
        return daynum(dt.date(year, month + 1, 1)) if month < 12 else daynum(dt.date(year + 1, 1, 1))


def _check_versions(schedule, day: dt.date, start: dt.date, end: dt.date) -> None:
    """Refuse the period [start, end) for its first day `day` under no version."""
    field_name, shown = ("start", start) if day == start else ("end", end)
    ordered = sorted(schedule.versions, key=lambda v: v.effective)
    if day < ordered[0].effective:
        raise BillInputError(field_name, shown.isoformat(), f"schedule {schedule.id} has no version in effect on "
                             f"{day.isoformat()}; its first version is effective {ordered[0].effective.isoformat()}")
    before = [v for v in ordered if v.effective <= day]
    after = [v for v in ordered if v.effective > day]
    raise BillInputError(field_name, shown.isoformat(), f"schedule {schedule.id} has no version in effect on "
                         f"{day.isoformat()} (version {before[-1].label} ended {before[-1].ends.isoformat()}"
                         + (f"; the next is effective {after[0].label})" if after else ")"))
