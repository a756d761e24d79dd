"""`tariffc rates` and `tariffc diff`, checked against the staff reports' own tables."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main
from tariffc.compiler.project import load
from tariffc.compiler.rates import changes

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "schedules"


def run(*args):
    result = CliRunner().invoke(main, [*args, "--schedules", str(SCHEDULES)])
    return result.exit_code, result.output


def diff_records(schedule_id: str, old: str, new: str) -> list[dict]:
    code, out = run("diff", schedule_id, "--from", old, "--to", new, "--format", "json")
    assert code == 0, out
    return json.loads(out)


def test_diff_cli_and_api_agree():
    keys = ("charge", "row", "current", "proposed", "change", "pct_change")
    cli = [{k: r[k] for k in keys} for r in diff_records("E-1", "2024-07-01", "2025-07-01")]
    assert cli == diff_via_api("E-1", "2024-07-01", "2025-07-01")


def test_e1_diff_prints_table_14():
    # Table 14 (003_0151a6ffdf35ceb2.txt, lines 1236-1239): current 7/1/24, proposed 7/1/25.
    records = {(r["charge"], tuple(r["row"])): r for r in diff_records("E-1", "2024-07-01", "2025-07-01")}
    assert [records[("energy", ("tier1",))][k] for k in ("current", "proposed", "change", "pct_change")] == \
        ["0.19461", "0.20570", "0.01109", "5.7"]
    assert [records[("energy", ("tier2",))][k] for k in ("current", "proposed", "change", "pct_change")] == \
        ["0.21868", "0.22944", "0.01076", "4.9"]
    customer = next(r for (charge, _), r in records.items() if charge == "customer")
    assert [customer[k] for k in ("current", "proposed", "change", "pct_change")] == ["4.64", "5.15", "0.51", "11.0"]


PROJECT = load([SCHEDULES])


def diff_via_api(schedule_id: str, old: str, new: str) -> list[dict]:
    """What `tariffc diff --format json` prints (same function), without a process per row."""
    import datetime as dt

    schedule = PROJECT.schedule(schedule_id)
    a = schedule.version_on(dt.date.fromisoformat(old))
    b = schedule.version_on(dt.date.fromisoformat(new))
    return [{"charge": c.cell.charge, "row": list(c.cell.keys),
             "current": None if c.current is None else str(c.current),
             "proposed": None if c.proposed is None else str(c.proposed),
             "change": None if c.change is None else str(c.change),
             "pct_change": None if c.percent is None else str(c.percent)} for c in changes(schedule, a, b)]


def _published_rows():
    project = PROJECT
    for table in project.published:
        dates = [c for c in table.columns if c[:1].isdigit()]
        if len(dates) != 2:
            continue
        declared = {(d.path[:-1] if d.path[-1] in table.columns else d.path) for d in table.discrepancies}
        for row in table.rows:
            path = (row.schedule, row.charge, *row.keys, row.column)
            yield pytest.param(table.title, dates, row, path in declared,
                               id=f"{table.title}:{row.span.line}:{' '.join(path)}")


@pytest.mark.parametrize("title,dates,row,declared", list(_published_rows()))
def test_every_staff_table_row_matches_diff_or_is_declared(title, dates, row, declared):
    """Each encoded current-vs-proposed row equals `tariffc diff`, unless its disagreement is declared."""
    if row.column != "total" and row.charge != "minimum":
        pytest.skip("diff compares totals; component cells are compared by `tariffc check`")
    records = diff_via_api(row.schedule, dates[0], dates[1])
    keys = list(row.keys)
    match = [r for r in records if r["charge"] == row.charge and (r["row"] == keys or r["row"] == ["all"])]
    assert match, f"{row.schedule} {row.charge} {keys} not in diff output"
    record = match[0]
    printed = {column: Decimal(value.text) for column, value in row.values}
    computed = {dates[0]: Decimal(record["current"]), dates[1]: Decimal(record["proposed"])}
    if record["change"] is not None:
        computed["change"] = Decimal(record["change"])
    if record["pct_change"] is not None:
        computed["pct_change"] = Decimal(record["pct_change"])
    agrees = all(computed.get(column) == value for column, value in printed.items())
    assert agrees or declared, f"{title} prints {printed}; diff gives {computed}"
    if declared:
        assert not agrees, "a declared discrepancy that no longer exists"


def test_rates_on_a_date_before_any_version_names_the_first_date():
    code, out = run("rates", "E-1", "--on", "2001-01-01")
    assert code == 1
    assert "first version in the documents is effective 2019-07-01" in out


def test_rates_json_has_components_total_unit_and_source():
    code, out = run("rates", "E-1", "--on", "2025-07-01", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    tier1 = next(r for r in data["rates"] if r["charge"] == "energy" and r["row"] == ["tier1"])
    assert tier1["components"] == {"commodity": "0.10373", "distribution": "0.09593", "public_benefits": "0.00604"}
    assert tier1["total"] == "0.20570" and tier1["unit"] == "$/kWh"
    assert tier1["source"].startswith("schedules/electric/E-1.tariff:") or "E-1.tariff:" in tier1["source"]


def test_unknown_schedule_gets_did_you_mean():
    code, out = run("rates", "E1")
    assert code == 1 and "did you mean E-1?" in out


def test_a_date_no_version_in_the_documents_covers_is_refused():
    """The FY 2021 sheets declare `ends 2021-07-01`; the next sheet in the documents is 2024-07-01."""
    code, out = run("rates", "E-1", "--on", "2022-01-01")
    assert code == 1 and "no version in effect on 2022-01-01" in out


def test_diff_of_all_schedules_where_none_has_both_versions_fails():
    """Without ids, schedules lacking a version are skipped; when that is every schedule the table would
    be empty and read as "no change", so the command fails (exit 1) and says nothing was compared."""
    code, out = run("diff", "--from", "2001-01-01", "--to", "2025-07-01", "--format", "json")
    assert code == 1, out
    assert "nothing compared" in out


def test_diff_of_all_schedules_skips_those_without_a_version():
    """2019-07-01 -> 2025-07-01: the G schedules (first version 2024-11-01) are skipped, E-1 compared."""
    code, out = run("diff", "--from", "2019-07-01", "--to", "2025-07-01")
    assert code == 0, out
    assert "G-1 has no version in effect on 2019-07-01" in out and "E-1 " in out
