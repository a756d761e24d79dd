"""Refusals that were indirect (issue 14, the breaker's list): each names the field and the value and
says what to do.

- a gap in interval data named a time but not the file (`bill`, `compare`);
- `impact --from` later than `--to` was billed, the newer rates shown as the current ones;
- gas readings (therm) billed on an electric schedule, and the reverse: `a electric schedule`, no way out;
- `impact --data --workers N` worded a refusal for Python callers (`green_option=VALUE (or values=…)`),
  not as the same run without workers does (`--set green_option=VALUE`);
- `bill`'s amount column showed 4 decimals with nothing saying they are unrounded line amounts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from .conftest import SCHEDULES


def _hourly(path, *, skip=(), unit="kwh", value="0.5"):
    """Hourly readings for July 2025 (local time, no DST change in July), leaving out the hours in `skip`."""
    rows = [f"start,end,{unit}"]
    start = dt.datetime(2025, 7, 1)
    while start < dt.datetime(2025, 8, 1):
        end = start + dt.timedelta(hours=1)
        if start not in skip:
            rows.append(f"{start:%Y-%m-%d %H:%M},{end:%Y-%m-%d %H:%M},{value}")
        start = end
    path.write_text("\n".join(rows) + "\n")
    return path


GAP = {dt.datetime(2025, 7, 10, h) for h in (3, 4, 5)}
JULY = ("--start", "2025-07-01", "--end", "2025-08-01")
GAS_INPUTS = ("--set", "commodity=0.859", "--set", "cap_and_trade=0.10", "--set", "transportation=0.12",
              "--set", "carbon_offset=0.02")


def test_a_gap_in_interval_data_names_the_file_and_what_to_do(run, tmp_path):
    data = _hourly(tmp_path / "july.csv", skip=GAP)
    code, text = run("bill", "E-1", "--intervals", data, *JULY)
    assert code == 1, text
    assert f"intervals = {data}: 2025-07-10 06:00 PDT: gap: no data from 2025-07-10 03:00 PDT" in text, text
    assert f"tariffc inspect {data}" in text and "--start/--end" in text
    code, text = run("compare", "E-1", "E-2", "--intervals", data, *JULY)
    assert code == 1, text
    assert f"{data}: no billing period has complete data" in text and f"tariffc inspect {data}" in text, text


@pytest.mark.parametrize("schedule, unit, other, extra", [
    ("E-1", "therms", "a gas", ()),
    ("G-1", "kwh", "an electric", GAS_INPUTS),
])
@pytest.mark.parametrize("command", ["bill", "compare"])
def test_readings_of_the_other_utility_are_refused_saying_what_to_do(run, tmp_path, command, schedule, unit, other,
                                                                    extra):
    data = _hourly(tmp_path / f"{unit}.csv", unit=unit)
    code, text = run(command, schedule, "--intervals", data, *JULY, *extra)
    assert code == 1, text
    shown = "therm (gas)" if unit == "therms" else "kWh (electricity)"
    assert str(data) in text and f"the readings are in {shown}" in text, text
    assert f"bill these readings on {other} schedule" in text and "a electric" not in text, text


@pytest.mark.parametrize("levels", [("--kwh", "200"), ("--data", "{data}", "--schedule", "E-1")])
def test_impact_from_later_than_to_is_refused_naming_both(run, tmp_path, levels):
    args = [a.format(data=tmp_path / "missing") for a in levels]
    code, text = run("impact", *(["E-1"] if "--kwh" in args else []), *args, "--from", "2025-07-01",
                     "--to", "2024-07-01")
    assert code == 2, text
    assert "--from 2025-07-01 is later than --to 2024-07-01" in text and "--from 2024-07-01 --to 2025-07-01" in text


def test_a_refusal_from_dask_workers_reads_as_the_local_one(run, population, tmp_path):
    pytest.importorskip("dask")
    shown = {}
    for name, extra in (("local", ()), ("workers", ("--workers", "1"))):
        code, text = run("impact", "--data", population, "--schedule", "E-2-G", "--from", "2024-07-01", "--to",
                         "2025-07-01", "--out", tmp_path / name, "--schedules", SCHEDULES, *extra)
        assert code == 1, text  # every customer refused: green_option is not given
        shown[name] = [line for line in text.splitlines() if line.strip().startswith("refused SYN")]
        assert (tmp_path / name / "refused.csv").is_file()
    assert len(shown["local"]) == 2 and shown["workers"] == shown["local"]
    assert all("give --set green_option=VALUE" in line and "values=" not in line for line in shown["workers"])
    assert (tmp_path / "workers" / "refused.csv").read_text() == (tmp_path / "local" / "refused.csv").read_text()


def test_the_bill_labels_its_amounts_as_exact_and_keeps_them(run):
    code, text = run("bill", "E-1", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "600")
    assert code == 0, text
    lines = text.splitlines()
    head = next(line for line in lines if line.startswith("charge"))
    assert "exact $" in head and "amount" not in head
    assert any(line.startswith("exact $: amounts not rounded") and "only the TOTAL is rounded" in line
               for line in lines)
    assert "By component (exact $):" in lines
    # E-1 2025-07-01, 30 days: tier 1 = 15 kWh/day x 30 = 450 kWh; commodity 0.10373/kWh (E-1.tariff:89)
    commodity = str((Decimal("450") * Decimal("0.10373")).normalize())
    assert any(line.split()[:3] == ["energy", "tier1", "commodity"] and line.split()[-2] == commodity for line in lines)
    assert "$132.13" in text  # the money is unchanged (tests/cli/test_install.py: 132.131 → $132.13)


def test_a_damaged_part_is_refused_by_name_locally_and_from_workers(run, population, tmp_path):
    """A part that is not Parquet was an internal error (ArrowInvalid), exit 3; now one line naming the
    part, exit 1, the same whether it is read here or in a Dask worker."""
    pytest.importorskip("dask")
    import shutil

    damaged = tmp_path / "damaged"
    shutil.copytree(population, damaged)
    part = sorted((damaged / "parts").glob("part-*.parquet"))[0]
    part.write_bytes(b"not parquet at all")
    shown = {}
    for name, extra in (("local", ()), ("workers", ("--workers", "1"))):
        code, text = run("impact", "--data", damaged, "--schedule", "E-1", "--from", "2024-07-01", "--to",
                         "2025-07-01", "--out", tmp_path / name, "--schedules", SCHEDULES, *extra)
        assert code == 1, text
        shown[name] = [line for line in text.splitlines() if line.startswith("tariffc impact:")]
    assert shown["local"] == shown["workers"] and len(shown["local"]) == 1
    assert str(part) in shown["local"][0]  # named by the layout check (bulk/layout.py) or read_part
