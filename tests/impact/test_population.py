"""Population impact over a Parquet dataset: results equal the scalar bill functions for every
customer of a sample; bad customers are refused with their reason and counted, the others billed;
Dask gives the same results as one process; synth is seeded, DST-correct and says it is synthetic.

Expected bills come from `Tariffs.bill` on monthly totals that this test sums itself from the
dataset's rows (local dates by zoneinfo, row by row), not from the population code."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

from click.testing import CliRunner  # noqa: E402

from tariffc.compiler.bulk import dataset, driver, population  # noqa: E402
from tariffc.compiler.bulk.synth import synthesize  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "schedules"
LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def pop(tmp_path_factory):
    out = tmp_path_factory.mktemp("pop") / "data"
    synthesize(out, customers=12, seed=7, kind="mixed")
    return out


def _plan(tariffs, schedules=("E-1",), current=dt.date(2024, 7, 1), proposed=dt.date(2025, 7, 1), **kw):
    return population.make_plan(tariffs, schedules_dir=str(SCHEDULES), schedules=list(schedules), current=current,
                                proposed=proposed, **kw)


def _monthly_kwh(root: Path) -> dict[str, dict[tuple[int, int], int]]:
    """customer -> (year, month) of the local start -> Wh, summed row by row."""
    out: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for part in dataset.part_paths(root):
        for row in dataset.read_part(part).to_pylist():
            local = row["start"].astimezone(LA)
            out[row["customer"]][(local.year, local.month)] += row["value"]
    return out


def test_results_equal_scalar_bills_for_every_customer(tariffs, pop):
    plan = _plan(tariffs)
    results, refusals = driver.run(plan, pop)
    assert refusals == [] and len(results) == 12
    monthly = _monthly_kwh(pop)
    for result in results:
        current = proposed = Decimal(0)
        for offset in range(12):
            year, month = (2024, 7 + offset) if offset < 6 else (2025, offset - 5)
            wh = monthly[result.customer][(year, month)]
            start = dt.date(year, month, 1)
            end = dt.date(year + (month == 12), month % 12 + 1, 1)
            current += tariffs.bill("E-1", start=start, end=end, kwh=Fraction(wh, 1000)).total
            later = (start.replace(year=year + 1), end.replace(year=end.year + 1))
            proposed += tariffs.bill("E-1", start=later[0], end=later[1], kwh=Fraction(wh, 1000)).total
        assert result.totals == (current, proposed), result.customer
        assert result.usage == sum(monthly[result.customer].values())


def test_scalar_and_default_backend_agree(tariffs, pop):
    """The backend in use (vectorised when installed) against the scalar reference, on the sample."""
    scalar, _ = driver.run(_plan(tariffs, backend="scalar"), pop)
    default, _ = driver.run(_plan(tariffs), pop)
    assert scalar == default


def test_dask_gives_the_same_results_as_one_process(tariffs, pop):
    pytest.importorskip("dask.bag")
    plan = _plan(tariffs)
    assert driver.run(plan, pop, workers=2) == driver.run(plan, pop)


def test_rate_options(tariffs, pop):
    plan = _plan(tariffs, schedules=("E-1", "E-2"), current=dt.date(2024, 7, 1), proposed=dt.date(2025, 7, 1))
    results, refusals = driver.run(plan, pop)
    assert not refusals and len(results) == 12
    monthly = _monthly_kwh(pop)
    first = results[0]
    wh = monthly[first.customer][(2024, 7)]
    july = tariffs.bill("E-2", start="2025-07-01", end="2025-08-01", kwh=Fraction(wh, 1000)).total
    assert plan.columns[1].year_start == dt.date(2025, 7, 1)
    assert first.totals[1] >= july  # the year's E-2 bills include July's


# -- bad input: each refused with its reason, the rest billed ---------------------------------------

def _write_dataset(root: Path, customers: dict[str, list[tuple[int, int, int, str]]], info=None):
    """customers: id -> [(utc epoch start, seconds, value, unit)]"""
    dataset.write_description(root, origin="test")
    rows = [(c, s, sec, v, u) for c, items in customers.items() for s, sec, v, u in items]
    table = pa.table({
        "customer": pa.array([r[0] for r in rows]).dictionary_encode(),
        "start": pa.array([r[1] for r in rows], type=pa.int64()).cast(pa.timestamp("s", tz="UTC")),
        "seconds": pa.array([r[2] for r in rows], type=pa.int32()),
        "value": pa.array([r[3] for r in rows], type=pa.int64()),
        "unit": pa.array([r[4] for r in rows]).dictionary_encode(),
        "direction": pa.array(["delivered"] * len(rows)).dictionary_encode(),
        "quality": pa.array([0] * len(rows), type=pa.int32()),
    })
    dataset.write_part(root, "00000", table)
    if info:
        dataset.append_csv(root / "customers.csv", list(next(iter(info.values())).keys()), [list(v.values())
                                                                                            for v in info.values()])


def _year(step=3600, start=dt.date(2024, 7, 1), value=500, unit="Wh"):
    t0 = int(dt.datetime.combine(start, dt.time(0), tzinfo=LA).timestamp())
    t1 = int(dt.datetime.combine(start.replace(year=start.year + 1), dt.time(0), tzinfo=LA).timestamp())
    return [(t, step, value, unit) for t in range(t0, t1, step)]


def test_bad_customers_are_refused_with_reasons(tariffs, tmp_path):
    good = _year()
    mixed = _year()[:100] + [(t, 900, 100, "Wh") for t, _, _, _ in _year()[100:101]] + _year()[101:]
    overlap = sorted(_year() + [(_year()[50][0] + 1800, 3600, 10, "Wh")])
    outside = _year(start=dt.date(2022, 7, 1))
    missing = _year()[:-24]
    gas = _year(unit="mtherm")
    _write_dataset(tmp_path, {"good": good, "mixed": mixed, "overlap": overlap, "outside": outside,
                              "missing": missing, "gas": gas})
    results, refusals = driver.run(_plan(tariffs), tmp_path)
    assert [r.customer for r in results] == ["good"]
    reasons = {r.customer: r.reason for r in refusals}
    assert reasons == {"mixed": "mixed_intervals", "overlap": "overlap", "outside": "outside_year",
                       "missing": "missing_data", "gas": "unit"}
    messages = {r.customer: r.message for r in refusals}
    assert "900 s, 3600 s" in messages["mixed"]
    assert "24 of 8760 intervals missing" in messages["missing"]
    # good: 500 Wh every hour; the year's bills by hand: July 2024 = 744 h x 0.5 = 372 kWh < 465 (15 x 31)
    # -> 372 x 0.19461 + 4.64 = 77.03492 -> 77.03 (the first of twelve bills)
    july = tariffs.bill("E-1", start="2024-07-01", end="2024-08-01", kwh="372").total
    assert july == Decimal("77.03")


def test_daily_reads_meeting_an_hour_apart_at_dst_changes_are_not_overlaps(tariffs, tmp_path):
    """24 h reads from each local midnight meet an hour apart where DST starts (the 23 h day of March
    read as 24 h overlaps the next read by 1 h) and ends (a 1 h gap in November). The one rule
    (meterdata/collisions.py), which `inspect`, `ingest` and bills from a file follow, calls both DST
    seams, not overlaps; each read is its local day, so the year is billed month by month. (Before
    the rule had one home, bulk refused the March seam as an overlap.) A day read twice still is one."""
    days = [dt.date(2024, 7, 1) + dt.timedelta(days=d) for d in range(365)]
    daily = [(int(dt.datetime.combine(d, dt.time(0), tzinfo=LA).timestamp()), 86400, 12_000, "Wh") for d in days]
    twice = daily[:10] + [daily[10]] + daily[10:]
    _write_dataset(tmp_path, {"daily": daily, "twice": twice})
    results, refusals = driver.run(_plan(tariffs, backend="scalar"), tmp_path)
    assert [(r.customer, r.reason, r.message) for r in refusals] == [
        ("twice", "overlap", "overlapping readings: 2024-07-11T07:00Z (86400 s) and 2024-07-11T07:00Z")]
    (result,) = results
    # 12 kWh a day: each calendar month's bill on 12 kWh x its days, under both versions
    current = proposed = Decimal(0)
    for offset in range(12):
        year, month = (2024, 7 + offset) if offset < 6 else (2025, offset - 5)
        start, end = dt.date(year, month, 1), dt.date(year + (month == 12), month % 12 + 1, 1)
        kwh = 12 * (end - start).days
        current += tariffs.bill("E-1", start=start, end=end, kwh=kwh).total
        proposed += tariffs.bill("E-1", start=start.replace(year=year + 1), end=end.replace(year=end.year + 1),
                                 kwh=kwh).total
    assert result.usage == 365 * 12_000
    assert result.totals == (current, proposed)


def test_demand_schedule_refuses_hourly_data(tariffs, tmp_path):
    _write_dataset(tmp_path, {"hourly": _year(), "quarter": _year(step=900, value=125)})
    plan = _plan(tariffs, schedules=("E-4",), backend="scalar")
    assert plan.needs_grid and plan.demand_minutes == 15
    results, refusals = driver.run(_plan(tariffs, schedules=("E-4",)), tmp_path)
    assert [(r.customer, r.reason) for r in refusals] == [("hourly", "demand_resolution")]
    assert "15-minute maximum demand" in refusals[0].message
    assert [r.customer for r in results] == ["quarter"]


def test_missing_named_input_is_a_refusal_per_customer(tariffs, tmp_path):
    _write_dataset(tmp_path, {"a": _year(), "b": _year()},
                   info={"a": {"customer": "a", "class": "commercial", "source": "t", "green_option": "renewable_100"},
                         "b": {"customer": "b", "class": "commercial", "source": "t", "green_option": ""}})
    results, refusals = driver.run(_plan(tariffs, schedules=("E-2-G",)), tmp_path)
    assert [r.customer for r in results] == ["a"]
    assert [(r.customer, r.reason) for r in refusals] == [("b", "bill_input")]
    assert "green_option" in refusals[0].message


def test_unknown_version_is_a_plan_error(tariffs):
    with pytest.raises(population.PlanError, match="no version in effect on 2022-07-01"):
        _plan(tariffs, current=dt.date(2022, 7, 1))


def test_leap_year_mismatch_is_refused(tariffs):
    with pytest.raises(population.PlanError, match="Feb 29"):
        _plan(tariffs, current=dt.date(2019, 7, 1), proposed=dt.date(2020, 7, 1))  # 2019-07..2020-07 holds Feb 29


# -- synth ------------------------------------------------------------------------------------------

def test_synth_is_seeded_dst_correct_and_says_synthetic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    synthesize(a, customers=3, seed=3)
    synthesize(b, customers=3, seed=3)
    part_a, part_b = dataset.part_paths(a)[0], dataset.part_paths(b)[0]
    assert dataset.read_part(part_a).equals(dataset.read_part(part_b))
    assert "no real customer data" in json.loads((a / "dataset.json").read_text())["note"]
    rows = dataset.read_part(part_a).to_pylist()
    per_day = defaultdict(int)
    for row in rows:
        if row["customer"] == "SYN-000001":
            per_day[row["start"].astimezone(LA).date()] += 1
    assert per_day[dt.date(2024, 11, 3)] == 25  # fall back: 25 local hours
    assert per_day[dt.date(2025, 3, 9)] == 23  # spring forward: 23
    assert per_day[dt.date(2025, 1, 15)] == 24
    assert len(per_day) == 365


def test_synth_refuses_a_non_empty_directory(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(dataset.DatasetError, match="not empty"):
        synthesize(tmp_path, customers=1)
    assert (tmp_path / "keep.txt").read_text() == "mine"


# -- the command ------------------------------------------------------------------------------------

def test_cli_prints_distribution_and_writes_pictures(pop, tmp_path):
    from tariffc.compiler.cli import main

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["impact", "--data", str(pop), "--schedule", "E-1", "--from", "2024-07-01",
                                       "--to", "2025-07-01", "--out", str(out), "--schedules-dir", str(SCHEDULES)])
    assert result.exit_code == 0, result.output
    assert "customers billed: 12" in result.output and "% change" in result.output
    for name in ("results.csv", "refused.csv", "summary.json", "change_percent_histogram.svg", "change_vs_usage.svg"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["customers_billed"] == 12 and summary["change_percent"]["count"] == 12


def test_cli_unknown_version_exits_1(pop):
    from tariffc.compiler.cli import main

    result = CliRunner().invoke(main, ["impact", "--data", str(pop), "--schedule", "E-1", "--from", "2022-07-01",
                                       "--to", "2025-07-01", "--schedules-dir", str(SCHEDULES)])
    assert result.exit_code == 1 and "no version in effect" in result.output


def test_read_date_periods(tariffs, pop):
    """Bills between meter-read dates 2024-07-05, 2024-08-06, 2024-09-04 (and the same dates a year later
    under the proposed version), each on the Wh this test sums from the rows between local midnights."""
    reads = [dt.date(2024, 7, 5), dt.date(2024, 8, 6), dt.date(2024, 9, 4)]
    plan = _plan(tariffs, read_dates=reads)
    assert plan.months == 2 and plan.columns[1].periods[0] == (dt.date(2025, 7, 5), dt.date(2025, 8, 6))
    results, refusals = driver.run(plan, pop)
    assert not refusals
    daily: dict = defaultdict(lambda: defaultdict(int))
    for part in dataset.part_paths(pop):
        for row in dataset.read_part(part).to_pylist():
            daily[row["customer"]][row["start"].astimezone(LA).date()] += row["value"]
    for result in results:
        current = proposed = Decimal(0)
        for a, b in zip(reads, reads[1:]):
            wh = sum(v for day, v in daily[result.customer].items() if a <= day < b)
            current += tariffs.bill("E-1", start=a, end=b, kwh=Fraction(wh, 1000)).total
            proposed += tariffs.bill("E-1", start=a.replace(year=2025), end=b.replace(year=2025),
                                     kwh=Fraction(wh, 1000)).total
        assert result.totals == (current, proposed), result.customer
        assert result.usage == sum(v for day, v in daily[result.customer].items() if reads[0] <= day < reads[-1])


def test_cli_read_dates(pop, tmp_path):
    from tariffc.compiler.cli import main

    result = CliRunner().invoke(main, ["impact", "--data", str(pop), "--schedule", "E-1", "--to", "2025-07-01",
                                       "--read-dates", "2024-07-05,2024-08-06", "--out", str(tmp_path / "o"),
                                       "--schedules-dir", str(SCHEDULES)])
    assert result.exit_code == 0, result.output
    assert "bills between meter-read dates" in result.output and "2024-07-05..2024-08-06" in result.output


def test_rows_out_of_time_order_are_billed_like_sorted_ones(tariffs, tmp_path):
    """A part written by another tool need not be sorted in time within a customer."""
    ordered, shuffled = tmp_path / "ordered", tmp_path / "shuffled"
    year = [(t, s, (i % 7) * 100, u) for i, (t, s, _, u) in enumerate(_year())]
    _write_dataset(ordered, {"a": year, "b": year})
    _write_dataset(shuffled, {"a": year[::-1], "b": year[4000:] + year[:4000]})
    first, _ = driver.run(_plan(tariffs), ordered)
    second, refused = driver.run(_plan(tariffs), shuffled)
    assert not refused and first == second


def test_cli_every_customer_refused_is_exit_1_with_the_reasons_written(tmp_path):
    """A run that bills nobody is not a success: exit 1, and refused.csv still says why (hourly data
    cannot show E-4's 15-minute maximum demand)."""
    from tariffc.compiler.cli import main

    data = tmp_path / "data"
    _write_dataset(data, {"hourly": _year()})
    result = CliRunner().invoke(main, ["impact", "--data", str(data), "--schedule", "E-4", "--from", "2024-07-01",
                                       "--to", "2025-07-01", "--out", str(tmp_path / "o"),
                                       "--schedules-dir", str(SCHEDULES)])
    assert result.exit_code == 1, result.output
    assert "no customer could be billed (1 refused" in result.output
    assert "demand_resolution" in (tmp_path / "o" / "refused.csv").read_text()


# -- A. Applicability over each customer's year (compiler/bulk/eligibility.py) ----------------------

def _months_at(kw_by_month: dict[int, int], default: int, start=dt.date(2024, 7, 1)):
    """15-minute rows for the year from `start`, flat at kW per local month (Wh per 15 min = kW x 250)."""
    t0 = int(dt.datetime.combine(start, dt.time(0), tzinfo=LA).timestamp())
    t1 = int(dt.datetime.combine(start.replace(year=start.year + 1), dt.time(0), tzinfo=LA).timestamp())
    return [(t, 900, kw_by_month.get(dt.datetime.fromtimestamp(t, LA).month, default) * 250, "Wh")
            for t in range(t0, t1, 900)]


def test_e7_eligibility_judged_over_each_customers_year(tariffs, tmp_path):
    # E-7 A. (003 lines 2013-2014): "at least 1,000KW per month per site, who have sustained this Demand
    # level at least 3 consecutive months during the last twelve months"
    root = tmp_path / "data"
    _write_dataset(root, {"three": _months_at({7: 1200, 8: 1000, 9: 1200}, 800),   # Jul-Sep 2024: met
                          "two": _months_at({7: 1200, 8: 1200, 10: 1200}, 800)})  # never 3 in a row
    plan = _plan(tariffs, schedules=("E-7",))
    assert plan.judged == (0, 1)
    results, refusals = driver.run(plan, root)
    assert refusals == []
    verdicts = {r.customer: r.applicability for r in results}
    assert verdicts["three"][0][0] == "met"
    assert "3 consecutive months (2024-07 to 2024-09)" in verdicts["three"][0][1]
    assert verdicts["two"][0] == ("not met", "demand at least 1000 kW for 3 consecutive months in 12: no 3 "
                                  "consecutive months inside at least 1000 kW among the most recent 12 "
                                  "(3 inside, at most 2 in a row)")
    out = tmp_path / "out"
    from tariffc.compiler.cli import main

    result = CliRunner().invoke(main, ["impact", "--data", str(root), "--schedule", "E-7", "--from", "2024-07-01",
                                       "--to", "2025-07-01", "--out", str(out), "--schedules-dir", str(SCHEDULES)])
    assert result.exit_code == 0, result.output
    assert "A. Applicability over the year, current: met 1, not met 1" in result.output
    header = (out / "results.csv").read_text().splitlines()[0].split(",")
    assert header[-4:] == ["current_applicability", "current_applicability_reason",
                           "proposed_applicability", "proposed_applicability_reason"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["applicability"]["proposed"] == {"met": 1, "not met": 1}
