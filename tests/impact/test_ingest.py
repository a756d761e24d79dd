"""`tariffc ingest`: files → Parquet dataset; bad files refused with reasons and never stop the rest;
re-running skips what is done; a run killed between writing a part and listing it is repaired."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("pyarrow")

from click.testing import CliRunner  # noqa: E402

from tariffc.compiler.bulk import dataset, ingest  # noqa: E402

SAMPLES = Path("/work/shared/data/greenbutton")
LA = ZoneInfo("America/Los_Angeles")


def _csv(path: Path, values, start=dt.datetime(2025, 1, 1)):
    lines = ["start,kwh"] + [f"{(start + dt.timedelta(hours=i)):%Y-%m-%d %H:%M},{v}" for i, v in enumerate(values)]
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture
def meters(tmp_path):
    folder = tmp_path / "meters"
    folder.mkdir()
    _csv(folder / "m1.csv", ["0.5", "0.25", "1.125"])
    _csv(folder / "m2.csv", ["2", "3"])
    _csv(folder / "finer.csv", ["0.0005", "1"])  # 0.5 Wh: not a whole Wh
    (folder / "broken.xml").write_text("<feed><entry>")  # malformed XML
    (folder / "notes.txt").write_text("not meter data")  # not *.xml / *.csv: not read
    return folder


def _rows(root: Path):
    out = []
    for part in dataset.part_paths(root):
        out += dataset.read_part(part).to_pylist()
    return sorted(out, key=lambda r: (r["customer"], r["start"]))


def test_ingest_good_files_and_refuse_bad_ones(meters, tmp_path):
    out = tmp_path / "ds"
    summary = ingest.ingest([meters], out)
    assert (summary.files, summary.ingested, summary.refused) == (4, 2, 2)
    rows = _rows(out)
    assert [(r["customer"], r["value"], r["seconds"], r["unit"], r["direction"]) for r in rows] == [
        ("m1", 500, 3600, "Wh", "delivered"), ("m1", 250, 3600, "Wh", "delivered"), ("m1", 1125, 3600, "Wh", "delivered"),
        ("m2", 2000, 3600, "Wh", "delivered"), ("m2", 3000, 3600, "Wh", "delivered")]
    # local midnight 2025-01-01 in Los Angeles is 08:00 UTC
    assert rows[0]["start"].astimezone(dt.timezone.utc) == dt.datetime(2025, 1, 1, 8, tzinfo=dt.timezone.utc)
    refused = {Path(r["file"]).name: r["reason"] for r in csv.DictReader(open(out / "refused.csv"))}
    assert set(refused) == {"finer.csv", "broken.xml"}
    assert "finer than 1/1000 kWh" in refused["finer.csv"]
    customers = {r["customer"]: r for r in csv.DictReader(open(out / "customers.csv"))}
    assert set(customers) == {"m1", "m2"} and customers["m1"]["id_from"] == "file name"


def test_rerun_is_idempotent(meters, tmp_path):
    out = tmp_path / "ds"
    ingest.ingest([meters], out)
    before = _rows(out)
    again = ingest.ingest([meters], out)
    assert (again.ingested, again.skipped, again.refused, again.refused_before) == (0, 2, 0, 2)
    assert _rows(out) == before


def test_resume_after_a_kill_between_part_and_manifest(meters, tmp_path, monkeypatch):
    out = tmp_path / "ds"
    real = dataset.append_csv

    def killed(path, header, rows):
        if path.name == "done.csv":
            raise KeyboardInterrupt  # the process dies after the part's rename, before done.csv
        return real(path, header, rows)

    monkeypatch.setattr(dataset, "append_csv", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest.ingest([meters], out)
    monkeypatch.setattr(dataset, "append_csv", real)
    (dataset.parts_dir(out) / ".part-x.parquet.tmp-1").write_bytes(b"half")  # a temporary left by a kill
    summary = ingest.ingest([meters], out)
    assert summary.removed_partial_parts == 1 and summary.ingested == 2
    assert not list(dataset.parts_dir(out).glob(".part-*"))
    assert len([r for r in _rows(out) if r["customer"] == "m1"]) == 3  # once, not twice


def test_same_customer_twice_is_refused(meters, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    _csv(other / "m1.csv", ["9", "8"])
    out = tmp_path / "ds"
    ingest.ingest([meters], out)
    summary = ingest.ingest([other], out)
    assert summary.refused == 1
    reasons = [r["reason"] for r in csv.DictReader(open(out / "refused.csv"))]
    assert any("already in the dataset" in r for r in reasons)


def test_green_button_samples(tmp_path):
    if not SAMPLES.is_dir():
        pytest.skip("shared Green Button samples not present")
    out = tmp_path / "ds"
    summary = ingest.ingest([SAMPLES], out)
    assert summary.refused == 0 and summary.ingested == 4
    rows = [r for r in _rows(out) if r["customer"].startswith("Coastal")]
    # the README of the samples: one Pacific-time year, hourly, Wh (uom 72, multiplier 0), delivered
    assert len(rows) == 8760 and {r["seconds"] for r in rows} == {3600} and {r["unit"] for r in rows} == {"Wh"}
    gas = [r for r in _rows(out) if r["customer"].startswith("ngma")]
    assert gas and {r["unit"] for r in gas} == {"mtherm"}


def test_refuses_a_directory_that_is_not_a_dataset(meters, tmp_path):
    from tariffc.compiler.cli import main

    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("keep")
    result = CliRunner().invoke(main, ["ingest", str(meters), "--out", str(foreign)])
    assert result.exit_code == 2 and "not a tariffc dataset" in result.output
    assert sorted(p.name for p in foreign.iterdir()) == ["mine.txt"]


def test_cli_ingest_then_impact(meters, tmp_path):
    from tariffc.compiler.cli import main

    out = tmp_path / "ds"
    result = CliRunner().invoke(main, ["ingest", str(meters), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 ingested" in result.output and "2 refused now" in result.output


def test_a_reader_failure_refuses_that_file_and_ingests_the_rest(meters, tmp_path, monkeypatch):
    """An unexpected exception in one file's reader is that file's refusal, never the run's end."""
    from tariffc.compiler import meterdata

    real = meterdata.read_csv_intervals

    def flaky(path, *args, **kwargs):
        if Path(path).name == "m2.csv":
            raise RuntimeError("simulated reader bug")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(meterdata, "read_csv_intervals", flaky)
    out = tmp_path / "ds"
    summary = ingest.ingest([meters], out)
    assert (summary.ingested, summary.refused) == (1, 3)
    refused = {Path(r["file"]).name: r["reason"] for r in csv.DictReader(open(out / "refused.csv"))}
    assert "reader failed unexpectedly (RuntimeError: simulated reader bug)" in refused["m2.csv"]
    assert {r["customer"] for r in _rows(out)} == {"m1"}


def test_a_device_is_not_read(tmp_path):
    with pytest.raises(dataset.DatasetError, match="not a regular file"):
        ingest.input_files([Path("/dev/zero")])


# -- the same meter twice: a copy is one customer, not two ----------------------------------------

T0 = 1735718400  # 2025-01-01T08:00Z


def _feed(gb, points: dict[str, list[int]]) -> bytes:
    """A Green Button feed: UsagePoint href -> hourly Wh values from T0 (uom 72, delivered)."""
    entries = [gb.reading_type("/rt/1", uom=72, flow=1)]
    for href, values in points.items():
        meter = f"{href}/MeterReading/1"
        entries += [gb.usage_point(href), gb.meter_reading(meter, "/rt/1"),
                    gb.interval_block(meter, 1, [(T0 + 3600 * i, 3600, v) for i, v in enumerate(values)])]
    return gb.feed(*entries)


def _verdicts(out: Path) -> dict[str, str]:
    return {Path(r["file"]).name: r["verdict"] for r in csv.DictReader(open(out / "done.csv"))}


def _refused(out: Path) -> dict[str, str]:
    return {Path(r["file"]).name: r["reason"] for r in csv.DictReader(open(out / "refused.csv"))}


def test_a_copy_of_a_green_button_file_is_refused_naming_the_first(gb, tmp_path):
    """The breaker's case: ok.xml and ok_copy.xml, byte for byte the same, became two customers (and
    two bills). The same UsagePoint href with the same readings is one meter: the copy is refused,
    naming the file it copies, in this run and in a later one (points.csv keeps the fingerprints)."""
    meters = tmp_path / "meters"
    meters.mkdir()
    feed = _feed(gb, {"/espi/RetailCustomer/9/UsagePoint/1": [500, 250, 125]})
    (meters / "ok.xml").write_bytes(feed)
    (meters / "ok_copy.xml").write_bytes(feed)
    out = tmp_path / "ds"
    summary = ingest.ingest([meters], out)
    assert (summary.ingested, summary.refused, summary.customers) == (1, 1, 1)
    reason = _refused(out)["ok_copy.xml"]
    assert f"a copy of customer 'ok' (from {(meters / 'ok.xml').resolve()})" in reason
    assert "the same UsagePoint /espi/RetailCustomer/9/UsagePoint/1 and the same 3 readings" in reason
    later = tmp_path / "later"
    later.mkdir()
    (later / "again.xml").write_bytes(feed)
    summary = ingest.ingest([later], out)
    assert (summary.ingested, summary.refused, summary.customers) == (0, 1, 1)
    assert "a copy of customer 'ok'" in _refused(out)["again.xml"]
    assert [r["value"] for r in _rows(out)] == [500, 250, 125]


def test_a_file_of_several_usage_points_keeps_those_that_are_not_copies(gb, tmp_path):
    meters = tmp_path / "meters"
    meters.mkdir()
    (meters / "a_one.xml").write_bytes(_feed(gb, {"/espi/UsagePoint/1": [500, 250]}))
    (meters / "b_two.xml").write_bytes(_feed(gb, {"/espi/UsagePoint/1": [500, 250], "/espi/UsagePoint/2": [7, 8]}))
    out = tmp_path / "ds"
    summary = ingest.ingest([meters], out)
    assert (summary.ingested, summary.refused, summary.customers) == (2, 0, 2)
    assert sorted({r["customer"] for r in _rows(out)}) == ["a_one", "b_two/2"]
    assert "b_two/1: a copy of customer 'a_one'" in _verdicts(out)["b_two.xml"]


def test_same_readings_without_one_usage_point_are_kept_with_a_warning(gb, tmp_path):
    """Other readings under the same UsagePoint (another period of one meter), or the same readings
    in CSV files (which name no usage point: two empty flats read all zeros alike): kept, warned."""
    meters = tmp_path / "meters"
    meters.mkdir()
    (meters / "a.xml").write_bytes(_feed(gb, {"/espi/UsagePoint/1": [500, 250]}))
    (meters / "b.xml").write_bytes(_feed(gb, {"/espi/UsagePoint/1": [600, 250]}))
    _csv(meters / "c.csv", ["0", "0"])
    _csv(meters / "d.csv", ["0", "0"])
    out = tmp_path / "ds"
    summary = ingest.ingest([meters], out)
    assert (summary.ingested, summary.refused, summary.customers) == (4, 0, 4)
    verdicts = _verdicts(out)
    assert "UsagePoint /espi/UsagePoint/1 is also customer 'a'" in verdicts["b.xml"]
    assert "the same 2 readings as customer 'c'" in verdicts["d.csv"]
