"""The line map: a bill refused or failing inside a generated bill function names the `.tariff`
line and sheet section of the rule it was computing (the generated module's LINE_MAP → LOC, read
back from the traceback as Jinja's debug support does)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler import runtime as rt
from tariffc.compiler.api import Tariffs
from tariffc.compiler.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "schedules"


def tariff_line(path: Path, version: str, pattern: str) -> int:
    """The line number of the first line matching `pattern` after `version <date>` in a file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"version {version}"))
    return next(i + 1 for i in range(start, len(lines)) if re.match(pattern, lines[i]))


@pytest.fixture(scope="module")
def tariffs():
    return Tariffs.load(SCHEDULES)


def test_cli_missing_demand_names_the_demand_charge_line():
    line = tariff_line(SCHEDULES / "electric/E-4.tariff", "2025-07-01", r"\s+charge demand ")
    result = CliRunner().invoke(main, ["bill", "E-4", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "1000",
                                       "--schedules", str(SCHEDULES)])
    assert result.exit_code == 1
    assert f"E-4.tariff:{line} " in result.output, result.output
    assert "kw = not given" in result.output and "Demand Charge" in result.output
    assert "Traceback" not in result.output


def test_api_error_carries_a_loc(tariffs):
    with pytest.raises(rt.BillInputError) as caught:
        tariffs.bill("E-4", start="2025-07-01", end="2025-07-31", kwh="1000")
    loc = caught.value.loc
    assert loc is not None and loc.path.endswith("electric/E-4.tariff")
    assert loc.line == tariff_line(SCHEDULES / "electric/E-4.tariff", "2025-07-01", r"\s+charge demand ")
    assert loc.section.startswith("C. Unbundled rates")


def test_missing_price_names_the_pass_through_line(tariffs):
    with pytest.raises(rt.BillInputError) as caught:
        tariffs.bill("G-1", start="2025-07-01", end="2025-07-31", therms="30")
    loc = caught.value.loc
    assert loc is not None and loc.path.endswith("gas/G-1.tariff")
    text = (SCHEDULES / "gas/G-1.tariff").read_text(encoding="utf-8").splitlines()[loc.line - 1]
    assert caught.value.field in text  # the line that declares that pass-through


def test_unexpected_exception_is_located(tariffs, monkeypatch):
    """A defect inside a generated function (here: the runtime's sum of the tier allowance over the
    bill's parts made to fail) is a BillError naming the .tariff line of the statement that was
    running, with the original as its cause."""
    def broken(self, quantity, own):
        raise ZeroDivisionError("made to fail")

    monkeypatch.setattr(rt.Run, "allowance", broken)
    with pytest.raises(rt.BillError) as caught:
        tariffs.bill("E-1", start="2025-07-01", end="2025-07-31", kwh="600")
    line = tariff_line(SCHEDULES / "electric/E-1.tariff", "2025-07-01", r"\s+tiers kwh")
    assert caught.value.loc.line == line and "tiers kwh" in caught.value.loc.section
    assert f"E-1.tariff:{line}" in str(caught.value)
    assert isinstance(caught.value.__cause__, ZeroDivisionError)
    # the traceback reads back to the sheet: an entry in the .tariff file right below the generated line
    import traceback  # noqa: PLC0415

    text = "".join(traceback.format_exception(caught.value.__cause__))
    assert f'E-1.tariff", line {line}, in tiers kwh' in text, text
    assert text.index("<tariffc:") < text.index(f'E-1.tariff", line {line}')


class Unorderable:
    """A quantity no number compares with: the tier split's `min` fails on it."""

    def __lt__(self, other):
        raise TypeError("made to fail")

    __gt__ = __le__ = __ge__ = __lt__


def test_fault_in_the_written_out_tier_split_names_the_tier_line(tariffs, monkeypatch):
    """The tier split is arithmetic in the generated function: a fault in `min(kwh, allowance)`
    names the line of the tier (`tier1 up_to 15 kWh per day`), not the runtime."""
    monkeypatch.setattr(rt.Run, "total", lambda self, name, charge: Unorderable())
    with pytest.raises(rt.BillError) as caught:
        tariffs.bill("E-1", start="2025-07-01", end="2025-07-31", kwh="600")
    line = tariff_line(SCHEDULES / "electric/E-1.tariff", "2025-07-01", r"\s+tier1 up_to 15 kWh per day")
    assert caught.value.loc.line == line, caught.value
    assert caught.value.loc.section.endswith("tiers kwh › tier1")
    assert f"E-1.tariff:{line}" in str(caught.value)
    assert isinstance(caught.value.__cause__, TypeError)


def test_fault_in_the_written_out_tier_allowance_names_the_tier_line(tariffs, monkeypatch):
    """The tier allowance (15 kWh per day x the days) is arithmetic in the generated module's
    `allowances_…` function: a rate table entry that cannot multiply names the tier's line."""
    module = tariffs.module("E-1")
    monkeypatch.setattr(module.Rates_2025_07_01, "kwh_tier1_allowance", object())
    with pytest.raises(rt.BillError) as caught:
        tariffs.bill("E-1", start="2025-07-01", end="2025-07-31", kwh="600")
    line = tariff_line(SCHEDULES / "electric/E-1.tariff", "2025-07-01", r"\s+tier1 up_to 15 kWh per day")
    assert caught.value.loc.line == line, caught.value
    assert isinstance(caught.value.__cause__, TypeError)
    source = tariffs.source("E-1")
    assert "kwh_tier1 = r.kwh_tier1_allowance * part.days" in source
    assert "kwh_tier1 = min(kwh, allowance['tier1'])" in source


def test_fault_in_the_written_out_demand_names_the_demand_row(tariffs, monkeypatch):
    """Billing demand is arithmetic in the generated function (the window's Maximum Demand x the
    season's share of days): a Maximum Demand that cannot multiply names the row it prices."""
    monkeypatch.setattr(rt.Run, "max_demand", lambda self, name, charge, windowed: {"*": 1, "max": 1,
                                                                                    "peak": object()})
    with pytest.raises(rt.BillError) as caught:
        tariffs.bill("E-4-TOU", start="2025-07-01", end="2025-07-31", kwh="1000", kw="500")
    line = tariff_line(SCHEDULES / "electric/E-4-TOU.tariff", "2025-07-01", r"\s+summer peak \"Peak\"")
    assert caught.value.loc.line == line, caught.value
    assert caught.value.loc.section.endswith("summer peak")
    assert isinstance(caught.value.__cause__, TypeError)


def test_fault_in_the_rounding_names_the_billing_rule(tariffs, monkeypatch):
    """The one rounding is written out in the generated `bill_period` with the billing rule's
    constants; a fault there names the calendar's billing rule."""
    def broken(value, step, mode):
        raise ArithmeticError("made to fail")

    monkeypatch.setattr(rt, "round_total", broken)
    with pytest.raises(rt.BillError) as caught:
        tariffs.bill("E-1", start="2025-07-01", end="2025-07-31", kwh="600")
    line = next(i + 1 for i, text in enumerate((SCHEDULES / "calendars/cpau.tariff").read_text(
        encoding="utf-8").splitlines()) if text.lstrip().startswith("billing "))
    assert caught.value.loc.path.endswith("calendars/cpau.tariff") and caught.value.loc.line == line
    assert caught.value.loc.section == "billing › rounding"
    assert "rt.round_total(total_exact, D('0.01'), 'half_up')" in tariffs.source("E-1")


def test_every_generated_statement_maps_to_a_tariff_line(tariffs):
    """Every statement inside a version function lies under a LINE_MAP entry with a LOC, except
    the set-up lines before the first rule."""
    module = tariffs.module("E-4-TOU")
    source = tariffs.source("E-4-TOU").splitlines()
    entries = dict(module.LINE_MAP)
    for number, text in enumerate(source, 1):
        if text.startswith("        lines.append((") or text.lstrip().startswith(
                ("q = ", "kw = ", "kwh_by_period = ", "allowance = ", "kwh = ")):
            key = 0
            for n, k in module.LINE_MAP:
                if n > number:
                    break
                key = k
            assert key in module.LOC, (number, text)
    assert entries
