"""The repository's schedules, loaded once per test session, for the tests that need them at
collection time: `@pytest.mark.parametrize("schedule_id", CLEAN)` runs before any fixture exists,
so the schedule ids (and the `Tariffs` that tell which load clean) must be importable values.

`TARIFFS` is `Tariffs.load(SCHEDULES)` (tariffc.compiler.api): every schedule under schedules/,
generated modules compiled on first use. `CLEAN` lists, in `TARIFFS.ids` order, the ids whose
generated module builds (a schedule with an error diagnostic raises `ScheduleError` and is left
out). `PACIFIC` is the zone CPAU bills in (`timezone "America/Los_Angeles"` in
schedules/calendars/cpau.tariff). The same objects are the session fixtures `tariffs` and `pacific`
of tests/conftest.py, for tests that need them only when they run.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from tariffc.compiler.api import ScheduleError, Tariffs

REPO = Path(__file__).resolve().parents[2]
SCHEDULES = REPO / "schedules"
PACIFIC = ZoneInfo("America/Los_Angeles")
TARIFFS = Tariffs.load(SCHEDULES)


def clean_ids(tariffs: Tariffs) -> tuple[str, ...]:
    """The ids of `tariffs` whose generated module builds, in `tariffs.ids` order."""
    out = []
    for schedule_id in tariffs.ids:
        try:
            tariffs.module(schedule_id)
        except ScheduleError:
            continue
        out.append(schedule_id)
    return tuple(out)


CLEAN = clean_ids(TARIFFS)
