"""A seeded synthetic population of interval data, for tests, benchmarks and the docs' worked example.

No real customer data exists in this project: every number here is made up by this module, from a
seed, so that the same command gives the same dataset byte for byte.

    synthesize(out, customers=2000, seed=1, start=date(2024, 7, 1), months=12, minutes=60,
               kind="residential")

Shapes (local time, America/Los_Angeles via zoneinfo; the grid is regular in UTC and starts at local
midnight, so a spring-forward day has 23 hours and a fall-back day 25, as a meter records them):
- residential: a morning bump (7-9) and an evening peak (17-22), more at weekends in the day, summer
  air conditioning (a per-customer share of customers) and winter electric heating (another share);
  monthly usage lognormal with median ~400 kWh (seed 003 Table 17 prints a 408 kWh median).
- commercial: weekday business hours (8-18), a low night and weekend base; median ~1,000 kWh/month
  (seed 003 Table 18's small commercial level).
Interval values are whole Wh (the dataset's unit), drawn around the shape with multiplicative noise.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from tariffc.compiler.bulk import dataset

TIMEZONE = "America/Los_Angeles"
KINDS = ("residential", "commercial", "mixed")
CUSTOMERS_PER_PART = 1000


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def grid(start: dt.date, months: int, minutes: int, timezone: str = TIMEZONE):
    """(UTC epoch seconds of each interval start, local hour (float), weekday, month, day-of-year) arrays
    for the regular UTC grid from local midnight of `start` to local midnight `months` later."""
    import numpy as np  # noqa: PLC0415

    tz = ZoneInfo(timezone)
    first = dt.datetime.combine(start, dt.time(0), tzinfo=tz)
    last = dt.datetime.combine(add_months(start, months), dt.time(0), tzinfo=tz)
    step = minutes * 60
    t0, t1 = int(first.timestamp()), int(last.timestamp())
    utc = np.arange(t0, t1, step, dtype=np.int64)
    # Local fields per distinct hour (a few thousand zoneinfo calls), spread to every interval.
    hours = np.arange(t0 - t0 % 3600, t1 + 3600, 3600, dtype=np.int64)
    fields = np.array([_local_fields(int(h), tz) for h in hours], dtype=np.float64)
    index = (utc - hours[0]) // 3600
    local_hour = fields[index, 0] + (utc % 3600) / 3600.0
    return utc, local_hour, fields[index, 1].astype(np.int8), fields[index, 2].astype(np.int8), fields[index, 3]


def _local_fields(epoch: int, tz: ZoneInfo) -> tuple[float, float, float, float]:
    local = dt.datetime.fromtimestamp(epoch, tz)
    return (local.hour + local.minute / 60.0, local.weekday(), local.month, local.timetuple().tm_yday)


def shapes(local_hour, weekday, month, day_of_year):
    """Relative load per interval for the two customer kinds (mean 1 over a day-ish, unitless)."""
    import numpy as np  # noqa: PLC0415

    h = local_hour
    weekend = weekday >= 5
    morning = np.exp(-0.5 * ((h - 7.5) / 1.2) ** 2)
    evening = np.exp(-0.5 * ((h - 19.0) / 2.0) ** 2)
    midday = np.exp(-0.5 * ((h - 13.0) / 3.0) ** 2)
    residential = 0.35 + 0.5 * morning + 1.1 * evening + np.where(weekend, 0.45, 0.15) * midday
    summer = np.clip(np.cos((day_of_year - 200) / 365.0 * 2 * np.pi), 0, None) ** 2  # peaks in July
    winter = np.clip(np.cos((day_of_year - 15) / 365.0 * 2 * np.pi), 0, None) ** 2  # peaks in January
    cooling = summer * np.exp(-0.5 * ((h - 16.5) / 3.0) ** 2) * 2.0
    heating = winter * (0.6 * morning + 0.8 * evening + 0.3)
    business = np.where(weekend, 0.0, 1.0) * (1 / (1 + np.exp(-(h - 8) * 2)) - 1 / (1 + np.exp(-(h - 18) * 2)))
    commercial = 0.25 + 1.6 * business + 0.4 * cooling
    return residential, cooling, heating, commercial


FIRST_YEAR = 1900
LAST_END = dt.date(9999, 12, 1)


def synthesize(out: Path, *, customers: int, seed: int = 1, start: dt.date = dt.date(2024, 7, 1), months: int = 12,
               minutes: int = 60, kind: str = "residential", progress=None) -> dict:
    """Write a dataset of `customers` synthetic customers to `out` (a new or empty directory).
    Returns the dataset description. Raises DatasetError if `out` holds anything else."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    if kind not in KINDS:
        raise dataset.DatasetError(f"kind {kind!r}: one of {', '.join(KINDS)}")
    if minutes not in (5, 15, 30, 60):
        raise dataset.DatasetError(f"interval {minutes} minutes: one of 5, 15, 30, 60")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise dataset.DatasetError(f"seed {seed!r}: a whole number 0 or more")
    # Intervals are stamped in epoch seconds and the last one ends `months` after `start`: keep both
    # inside the years a datetime can hold (1-9999), with room for the time-zone offset.
    end_index = start.year * 12 + start.month - 1 + months  # months since year 0 of the end's month
    if start.year < FIRST_YEAR or end_index > LAST_END.year * 12 + LAST_END.month - 1:
        raise dataset.DatasetError(f"start {start.isoformat()} + {months} months: synthetic data run from "
                                   f"{FIRST_YEAR}-01-01 to {LAST_END.isoformat()} at the latest")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise dataset.DatasetError(f"{out}: exists and is not a directory; synth writes a new dataset directory")
    if out.exists() and any(out.iterdir()):
        raise dataset.DatasetError(f"{out}: not empty; synth writes a new dataset (choose an empty or new directory)")
    utc, hour, weekday, month, yday = grid(start, months, minutes)
    residential, cooling, heating, commercial = shapes(hour, weekday, month, yday)
    per_hour = minutes / 60.0
    rng = np.random.default_rng(seed)
    # Customer parameters, drawn once for the whole population (so chunking does not change them).
    is_commercial = {"residential": np.zeros(customers, bool), "commercial": np.ones(customers, bool),
                     "mixed": rng.random(customers) < 0.15}[kind]
    median_kwh_month = np.where(is_commercial, 1000.0, 400.0)
    monthly = median_kwh_month * rng.lognormal(0.0, 0.55, customers)
    has_ac = rng.random(customers) < 0.45
    has_heat = rng.random(customers) < 0.25
    described = {
        "origin": "synthetic", "generator": "tariffc synth", "seed": seed, "customers": customers,
        "start": start.isoformat(), "end": add_months(start, months).isoformat(), "interval_minutes": minutes,
        "kind": kind, "timezone": TIMEZONE,
        "note": "Synthetic data made by tariffc from a seed; no real customer data exists in this project.",
    }
    dataset.write_description(out, **described)
    ids = [f"SYN-{i + 1:06d}" for i in range(customers)]
    dataset.append_csv(out / "customers.csv", ["customer", "class", "source"],
                       ([ids[i], "commercial" if is_commercial[i] else "residential", "synthetic"]
                        for i in range(customers)))
    count = len(utc)
    days = count * per_hour / 24.0
    start_column = pa.array(utc, type=pa.int64()).cast(pa.timestamp("s", tz="UTC"))
    for first in range(0, customers, CUSTOMERS_PER_PART):
        chunk = range(first, min(first + CUSTOMERS_PER_PART, customers))
        n = len(chunk)
        sel = np.fromiter(chunk, dtype=np.int64, count=n)
        shape = np.where(is_commercial[sel, None], commercial[None, :],
                         residential[None, :] + has_ac[sel, None] * cooling[None, :]
                         + has_heat[sel, None] * heating[None, :])
        shape = shape / shape.mean(axis=1, keepdims=True)
        # kWh per interval: the customer's mean interval energy x shape x noise, as whole Wh.
        mean_wh = monthly[sel] * 12 / 365.0 * days / count * 1000.0
        noise = rng.lognormal(-0.08, 0.4, (n, count))
        wh = np.rint(mean_wh[:, None] * shape * noise).astype(np.int64)
        rows = n * count
        table = pa.table({
            "customer": pa.DictionaryArray.from_arrays(np.repeat(np.arange(n, dtype=np.int32), count),
                                                       pa.array([ids[i] for i in chunk])),
            "start": pa.chunked_array([start_column] * n),
            "seconds": pa.array(np.full(rows, minutes * 60, dtype=np.int32)),
            "value": pa.array(wh.reshape(-1)),
            "unit": _constant(rows, dataset.WH),
            "direction": _constant(rows, "delivered"),
            "quality": pa.array(np.zeros(rows, dtype=np.int32)),
        })
        dataset.write_part(out, f"{first // CUSTOMERS_PER_PART:05d}", table)
        if progress is not None:
            progress(n)
    return described


def _constant(rows: int, text: str):
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    return pa.DictionaryArray.from_arrays(np.zeros(rows, dtype=np.int8), pa.array([text]))
