"""Issue 13, kind 4: holidays relative to another holiday (or with an offset), checked against the
`holidays` package for every named day of the CPAU calendar, 2019-2030; and the bill on a day the
old `fourth fri of nov` got wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import holidays as holidays_package
import pytest
from click.testing import CliRunner

from tariffc.compiler.runtime import calendar as bill_calendar
from tariffc.compiler.cli import main
from tariffc.compiler.project import load

ROOT = Path(__file__).resolve().parents[2]
CALENDAR = ROOT / "schedules" / "calendars" / "cpau.tariff"
YEARS = range(2019, 2031)

# Our holiday -> the name the `holidays` package gives the same day. The CPAU calendar's days are the
# US federal holidays it lists, plus the Day after Thanksgiving, a California state holiday.
FEDERAL = {"new_years_day": "New Year's Day", "mlk_day": "Martin Luther King Jr. Day",
           "presidents_day": "Washington's Birthday", "memorial_day": "Memorial Day",
           "independence_day": "Independence Day", "labor_day": "Labor Day", "veterans_day": "Veterans Day",
           "thanksgiving": "Thanksgiving Day", "christmas": "Christmas Day"}
CALIFORNIA = {"day_after_thanksgiving": "Day After Thanksgiving"}


def cpau_holidays():
    project = load([CALENDAR])
    assert not project.errors
    (calendar,) = project.calendars
    return calendar.holidays


def package_dates(name: str, country) -> set[dt.date]:
    """The dates the package gives a holiday in YEARS, each moved to its observed date when the
    package lists one ("X (observed)", a weekday next to a weekend date)."""
    actual = sorted(d for d, n in country.items() if n == name)
    observed = sorted(d for d, n in country.items() if n == f"{name} (observed)")
    out = set()
    for day in actual:
        if day.year not in YEARS:
            continue
        moved = [o for o in observed if abs((o - day).days) <= 2]
        out.add(moved[0] if moved else day)
    return out


@pytest.mark.parametrize(("ours", "theirs", "subdiv"), [(k, v, None) for k, v in FEDERAL.items()]
                         + [(k, v, "CA") for k, v in CALIFORNIA.items()])
def test_calendar_matches_the_holidays_package(ours, theirs, subdiv):
    cal = cpau_holidays()
    country = holidays_package.US(subdiv=subdiv, years=range(YEARS.start - 1, YEARS.stop + 1), observed=True)
    (holiday,) = [h for h in cal if h.name == ours]
    mine = {bill_calendar.holiday_date(holiday, year, cal) for year in YEARS}
    assert mine == package_dates(theirs, country)


def test_day_after_thanksgiving_in_years_when_november_starts_on_friday():
    cal = cpau_holidays()
    (after,) = [h for h in cal if h.name == "day_after_thanksgiving"]
    # Nov 1 2019 and Nov 1 2024 are Fridays: Thanksgiving is Nov 28, the fourth Friday Nov 22.
    assert dt.date(2019, 11, 1).weekday() == 4 and dt.date(2024, 11, 1).weekday() == 4
    assert bill_calendar.holiday_date(after, 2019, cal) == dt.date(2019, 11, 29)
    assert bill_calendar.holiday_date(after, 2024, cal) == dt.date(2024, 11, 29)
    assert bill_calendar.is_holiday(cal, dt.date(2024, 11, 29)) and not bill_calendar.is_holiday(cal, dt.date(2024, 11, 22))


CASE = '''calendar test "Test calendar"
  timezone "America/Los_Angeles"
  holiday thanksgiving "Thanksgiving Day" fourth thu of nov
  holiday friday "Friday after" fourth thu of nov + 1 day
  holiday saturday "Day after the Friday" day after friday
  holiday eve "Christmas Eve" dec 25 - 1 day observed nearest_weekday
  holiday wednesday "Day before Thanksgiving" day before thanksgiving
'''


def test_offsets_and_chains(tmp_path):
    path = tmp_path / "cal.tariff"
    path.write_text(CASE)
    project = load([path])
    assert not project.errors, project.errors
    cal = project.calendars[0].holidays
    dates = {h.name: bill_calendar.holiday_date(h, 2024, cal) for h in cal}
    assert dates == {"thanksgiving": dt.date(2024, 11, 28), "friday": dt.date(2024, 11, 29),
                     "saturday": dt.date(2024, 11, 30), "wednesday": dt.date(2024, 11, 27),
                     # Dec 24 2022 is a Saturday in 2022; in 2024 a Tuesday
                     "eve": dt.date(2024, 12, 24)}
    (eve,) = [h for h in cal if h.name == "eve"]
    assert bill_calendar.holiday_date(eve, 2022, cal) == dt.date(2022, 12, 23)  # Saturday -> Friday


@pytest.mark.parametrize(("line", "message"), [
    ("  holiday x \"X\" day after nobody\n", "holiday 'x' is relative to 'nobody', which this calendar does not define"),
    ("  holiday x \"X\" day after y\n  holiday y \"Y\" day before x\n", "holiday 'x' is relative to itself (x -> y -> x)"),
])
def test_bad_relative_holidays_are_t311(tmp_path, line, message):
    path = tmp_path / "cal.tariff"
    path.write_text('calendar test "T"\n  timezone "America/Los_Angeles"\n' + line)
    project = load([path])
    assert [d.code for d in project.errors][:1] == ["T311"]
    assert project.errors[0].message == message


def test_bill_on_the_day_after_thanksgiving_2024(tmp_path):
    """E-4-TOU, 2024-11-29, 10 kWh every 15 minutes, 50 kWh at 17:00 (200 kW): as a holiday every
    hour is off-peak. 2024-07-01 sheet, winter: off-peak energy 0.09574 $/kWh, maximum demand
    12.03 $/kW, customer charge 113.73 $/bill.
    95 x 10 + 50 = 1000 kWh; 1000 x 0.09574 + 200 x 12.03 + 113.73 = 95.74 + 2406 + 113.73 = 2615.47."""
    rows, t = ["start,kwh"], dt.datetime(2024, 11, 29)
    while t < dt.datetime(2024, 11, 30):
        rows.append(f"{t:%Y-%m-%d %H:%M},{50 if (t.hour, t.minute) == (17, 0) else 10}")
        t += dt.timedelta(minutes=15)
    path = tmp_path / "day.csv"
    path.write_text("\n".join(rows) + "\n")
    result = CliRunner().invoke(main, ["bill", "E-4-TOU", "--start", "2024-11-29", "--end", "2024-11-30",
                                       "--intervals", str(path), "--schedules", str(ROOT / "schedules")])
    assert result.exit_code == 0, result.output
    assert "$2615.47" in result.output
