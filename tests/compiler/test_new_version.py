"""`tariffc new-version`: the analyst's yearly update (docs/yearly-update.md).

A new version copies the latest one with every rate cell `?`; `check` names each cell (T220) until it
is entered; nothing bills from it meanwhile; the command writes only the schedule's file and refuses
a file that does not check clean or a date that is not after the latest version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.api import ScheduleError, Tariffs
from tariffc.compiler.checks.entered import rate_values
from tariffc.compiler.cli import main
from tariffc.compiler.rates.new_version import appended, new_version_text
from tariffc.compiler.project import load

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "schedules"
CELL = re.compile(r"(?<=\s)\?(?=\s|$)", re.M)


def invoke(*args):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture()
def tree(tmp_path) -> Path:
    shutil.copytree(SCHEDULES, tmp_path / "schedules")
    return tmp_path / "schedules"


def digests(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_e1_new_version_then_check_names_each_cell(tree):
    before = digests(tree)
    code, out = invoke("new-version", "E-1", "--effective", "2026-07-01", "--schedules", str(tree))
    assert code == 0, out
    after = digests(tree)
    assert {k for k in after if after[k] != before.get(k)} == {"electric/E-1.tariff"}  # only its own file
    text = (tree / "electric" / "E-1.tariff").read_text(encoding="utf-8")
    assert "\nversion 2026-07-01 supersedes 2025-07-01\n" in text
    assert text.startswith((SCHEDULES / "electric" / "E-1.tariff").read_text(encoding="utf-8"))  # appended only

    assert invoke("fmt", "--check", str(tree / "electric" / "E-1.tariff"))[0] == 0  # laid out as `fmt` does
    code, out = invoke("check", str(tree / "electric" / "E-1.tariff"), str(tree / "calendars"))
    assert code == 1
    # E-1 (003 Sheet E-1-1): two tier rows of commodity, distribution, public benefits and total, and
    # the customer charge: 2 * 4 + 1 = 9 cells to enter, and no other error.
    assert out.count("error[T220]") == 9
    assert len(re.findall(r"error\[T\d+\]", out)) == 9
    for cell in ("charge energy row tier1 column commodity", "charge energy row tier1 column distribution",
                 "charge energy row tier1 column public_benefits", "charge energy row tier1 total",
                 "charge energy row tier2 column commodity", "charge energy row tier2 total",
                 "charge customer is not yet entered"):
        assert cell in out, cell


def test_nothing_bills_from_a_version_with_unentered_cells(tree):
    assert invoke("new-version", "E-1", "--effective", "2026-07-01", "--schedules", str(tree))[0] == 0
    with pytest.raises(ScheduleError, match="does not check clean"):
        Tariffs.load(tree).bill("E-1", start="2026-07-01", end="2026-07-31", kwh=600)
    code, out = invoke("bill", "E-1", "--start", "2026-07-01", "--end", "2026-07-31", "--kwh", "600",
                       "--schedules", str(tree))
    assert code != 0 and "Traceback" not in out
    site = tree.parent / "site-src"
    code, out = invoke("docs", "--schedules", str(tree), "--out", str(site))
    assert code == 1 and "T220" in out and not site.exists()  # the site is not built from it either


def test_a_schedule_referring_to_a_version_being_written_is_not_billed(tree):
    # E-16 C.2 prices kWh at E-2's energy rates: a new E-2 version of `?` cells makes E-16 not
    # check clean (T220 at E-16's reference), and its bills are refused by name, not an internal error
    assert invoke("new-version", "E-2", "--effective", "2026-07-01", "--schedules", str(tree))[0] == 0
    code, out = invoke("check", str(tree / "electric" / "E-16.tariff"))
    assert code == 1 and "error[T220]: charge 'energy' refers to E-2 energy of version 2026-07-01" in out
    code, out = invoke("bill", "E-16", "--start", "2026-07-01", "--end", "2026-07-31", "--kwh", "100",
                       "--schedules", str(tree))
    assert code == 1 and "does not check clean" in out and "internal error" not in out


def test_filled_in_version_checks_clean_and_diffs(tree):
    assert invoke("new-version", "E-1", "--effective", "2026-07-01", "--schedules", str(tree))[0] == 0
    path = tree / "electric" / "E-1.tariff"
    text = path.read_text(encoding="utf-8")
    # A made-up FY 2027 sheet: tier 1 commodity 0.11000 (was 0.10373), everything else as FY 2026.
    values = iter(["0.11000", "0.09593", "0.00604", "0.21197",   # 0.11000 + 0.09593 + 0.00604 = 0.21197
                   "0.13372", "0.08968", "0.00604", "0.22944", "5.15"])
    head, _, tail = text.partition("version 2026-07-01")
    path.write_text(head + "version 2026-07-01" + CELL.sub(lambda m: next(values), tail), encoding="utf-8")
    code, out = invoke("check", str(path), str(tree / "calendars"))
    assert code == 0, out
    code, out = invoke("diff", "E-1", "--from", "2025-07-01", "--to", "2026-07-01", "--format", "json",
                       "--schedules", str(tree))
    assert code == 0, out
    import json

    records = {(r["charge"], tuple(r["row"])): r for r in json.loads(out) if r["kind"] == "rate"}
    tier1 = records[("energy", ("tier1",))]
    # 0.21197 - 0.20570 = 0.00627; 0.00627 / 0.20570 = 3.048...% -> 3.0
    assert (tier1["current"], tier1["proposed"], tier1["change"], tier1["pct_change"]) == \
        ("0.20570", "0.21197", "0.00627", "3.0")
    assert records[("energy", ("tier2",))]["change"] == "0.00000"
    assert [r for r in json.loads(out) if r["kind"] == "rule"] == []  # the rules were copied unchanged


@pytest.mark.parametrize("effective", ["2025-07-01", "2024-01-01"])
def test_a_date_not_after_the_latest_version_is_refused(tree, effective):
    before = digests(tree)
    code, out = invoke("new-version", "E-1", "--effective", effective, "--schedules", str(tree))
    assert code == 2 and "not after the latest version of E-1 (2025-07-01)" in out
    assert digests(tree) == before


def test_a_file_that_does_not_check_clean_is_refused(tree):
    path = tree / "electric" / "E-1.tariff"
    path.write_text(path.read_text(encoding="utf-8").replace("= 0.20570", "= 0.20571"), encoding="utf-8")
    before = digests(tree)
    code, out = invoke("new-version", "E-1", "--effective", "2026-07-01", "--schedules", str(tree))
    assert code == 1 and "T201" in out and "does not check clean" in out
    assert digests(tree) == before


def test_a_second_new_version_before_the_first_is_filled_in_is_refused(tree):
    assert invoke("new-version", "E-1", "--effective", "2026-07-01", "--schedules", str(tree))[0] == 0
    before = digests(tree)
    code, out = invoke("new-version", "E-1", "--effective", "2027-07-01", "--schedules", str(tree))
    assert code == 1 and "T220" in out
    assert digests(tree) == before


def test_unknown_schedule_and_bad_date():
    code, out = invoke("new-version", "E1", "--effective", "2026-07-01", "--schedules", str(SCHEDULES))
    assert code == 1 and "did you mean E-1?" in out
    code, out = invoke("new-version", "E-1", "--effective", "2026-13-01", "--schedules", str(SCHEDULES))
    assert code == 2 and "not a date" in out


PROJECT = load([SCHEDULES])


@pytest.mark.parametrize("schedule", PROJECT.schedules, ids=lambda s: s.id)
def test_every_schedule_copies_to_a_new_version_that_reenters_to_the_same_rates(schedule, tmp_path):
    """For every schedule: the new version has exactly the latest version's rate cells as `?`, and
    entering the latest values back gives the same charges, pass-throughs and rules."""
    source = PROJECT.sources[schedule.path]
    latest = max(schedule.versions, key=lambda v: v.effective)
    block, count = new_version_text(schedule, source, dt.date(2030, 7, 1))
    originals = [n.text for _, n in sorted(rate_values(latest), key=lambda c: (c[1].span.line, c[1].span.column))
                 if n.span.path == schedule.path and latest.span.line <= n.span.line]
    assert len(CELL.findall(block)) == count == len(originals)

    directory = tmp_path / "s"
    shutil.copytree(SCHEDULES / "calendars", directory / "calendars")
    for other in sorted({r.schedule for v in schedule.versions for r in v.references}):  # E-16 C.2 prices by E-2
        shutil.copy(SCHEDULES.parent / PROJECT.schedule(other).path, directory)
    target = directory / Path(schedule.path).name
    target.write_text(appended(source, block), encoding="utf-8")
    pending = load([directory])
    assert {d.code for d in pending.errors} <= {"T220"} and len(pending.errors) == count

    values = iter(originals)
    target.write_text(appended(source, CELL.sub(lambda m: next(values), block)), encoding="utf-8")
    filled = load([directory])
    # A printed total the old version kept by a declared `discrepancy sum` is not declared in the copy:
    # check reports it again (T201) until the analyst declares it for the new sheet or it adds up.
    declared = sum(1 for d in latest.declared if d.kind == "sum")
    assert [d.code for d in filled.errors] == ["T201"] * declared, [d.message for d in filled.errors]
    copy = filled.schedule(schedule.id).version_on(dt.date(2030, 7, 1))
    assert copy.charges == latest.charges
    assert copy.passthroughs == latest.passthroughs
    assert copy.rules == latest.rules
    assert [(r.name, r.schedule, r.charge) for r in copy.references] == [
        (r.name, r.schedule, r.charge) for r in latest.references]
    assert copy.fees == latest.fees
    assert copy.supersedes == latest.effective and copy.declared == ()
