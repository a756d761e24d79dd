"""Rates shown or billed for a date on or past the first July 1 after the latest version known (or
more than a year after it) come with a warning that newer rates may have been adopted; CPAU adopts
new rates every July 1. E-1's latest version in schedules/ is 2025-07-01."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main
from tariffc.compiler.project import load
from tariffc.compiler.rates import next_adoption, newer_rates_note

REPO = Path(__file__).resolve().parents[2]
WARNING = "newer rates may have been adopted"


@pytest.fixture(scope="module")
def e1():
    return load([REPO / "schedules" / "electric" / "E-1.tariff"]).schedule("E-1")


def test_latest_version_of_e1_is_the_fy2026_sheet(e1):
    assert max(v.effective for v in e1.versions) == dt.date(2025, 7, 1)


@pytest.mark.parametrize("after, expected", [(dt.date(2025, 7, 1), dt.date(2026, 7, 1)),
                                             (dt.date(2024, 11, 1), dt.date(2025, 7, 1)),
                                             (dt.date(2025, 6, 30), dt.date(2025, 7, 1))])
def test_next_adoption_is_the_first_july_1_strictly_after(after, expected):
    assert next_adoption(after) == expected


def test_within_the_fiscal_year_no_warning(e1):
    assert newer_rates_note(e1, dt.date(2025, 7, 1)) is None
    assert newer_rates_note(e1, dt.date(2026, 6, 30)) is None
    assert newer_rates_note(e1, dt.date(2024, 1, 15)) is None  # an older version in effect: nothing newer missed


def test_from_the_next_july_1_the_warning_names_the_latest_version(e1):
    note = newer_rates_note(e1, dt.date(2026, 7, 1))
    assert note is not None and WARNING in note and "2025-07-01" in note and "every July 1" in note
    assert newer_rates_note(e1, dt.date(2027, 3, 1)) is not None


def test_rates_bill_and_compare_warn_on_stderr(tmp_path):
    runner = CliRunner()
    rates = runner.invoke(main, ["rates", "E-1", "--on", "2026-11-30"])
    assert rates.exit_code == 0 and WARNING in rates.stderr and WARNING not in rates.stdout
    assert WARNING not in runner.invoke(main, ["rates", "E-1", "--on", "2025-11-30"]).stderr
    bill = runner.invoke(main, ["bill", "E-1", "--start", "2026-07-01", "--end", "2026-07-31", "--kwh", "600"])
    assert bill.exit_code == 0 and WARNING in bill.stderr
    before = runner.invoke(main, ["bill", "E-1", "--start", "2026-06-01", "--end", "2026-07-01", "--kwh", "600"])
    assert before.exit_code == 0 and WARNING not in before.stderr  # last day billed: 2026-06-30
    csv = tmp_path / "use.csv"
    rows = [f"2026-07-{d:02d} {h:02d}:00,1" for d in range(1, 32) for h in range(24)]
    csv.write_text("start,kwh\n" + "\n".join(rows) + "\n", encoding="utf-8")
    compare = runner.invoke(main, ["compare", "E-1", "E-2", "--intervals", str(csv)])
    assert compare.exit_code == 0, compare.output
    assert compare.stderr.count(WARNING) == 1  # one line naming both
    assert "E-1, E-2 (2025-07-01)" in compare.stderr


def test_the_site_says_so(e1):
    from tariffc.compiler.docsgen.schedule_page import schedule_page

    text = (REPO / "schedules" / "electric" / "E-1.tariff").read_text(encoding="utf-8")
    stale = schedule_page(e1, text, dt.date(2026, 11, 30), {}, (), False)
    fresh = schedule_page(e1, text, dt.date(2025, 11, 30), {}, (), False)
    assert "Newer rates may have been adopted" in stale and "Newer rates may have been adopted" not in fresh
