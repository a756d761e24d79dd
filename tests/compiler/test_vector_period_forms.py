"""The vector backend takes billing periods as any iterable of (start, end) pairs, as `bill_totals`
always did (breaker2 on 440c530: `bill_grid`/`bill_intervals` raised `unhashable type: 'list'` for a
list of lists or a numpy array, and billed a generator as no periods at all, since its first cache
key had read it). Every form bills the same as a tuple of tuples, cached and not."""

from __future__ import annotations

import datetime as dt

import pytest

np = pytest.importorskip("numpy")

from tariffc.compiler import vector  # noqa: E402

PAIRS = ((dt.date(2028, 1, 1), dt.date(2028, 2, 1)), (dt.date(2028, 2, 1), dt.date(2028, 3, 1)))
FORMS = {
    "list of lists": lambda: [list(p) for p in PAIRS],
    "generator": lambda: (p for p in PAIRS),
    "numpy array": lambda: np.array(PAIRS, dtype=object),
    "list of tuples": lambda: list(PAIRS),
}


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("cache", [True, False])
def test_period_forms_bill_alike(tariffs, pacific, form, cache):
    schedule = tariffs.schedule("E-4-TOU")
    start = int(dt.datetime(2028, 1, 1, tzinfo=pacific).timestamp())
    wh = np.arange(60 * 96, dtype=np.int64) % 700  # Jan + Feb 2028 (leap year), 15-minute intervals
    expected = vector.bill_intervals(schedule, PAIRS, start=start, seconds=900, wh=wh, cache=False)
    for _ in range(2):  # the second call takes the cached (ready) path
        got = vector.bill_intervals(schedule, FORMS[form](), start=start, seconds=900, wh=wh, cache=cache)
        assert [(b.total, b.lines) for b in got] == [(b.total, b.lines) for b in expected]
