"""Green Button XML and CSV interval files → one Parquet dataset (see `dataset.py` for the layout).

    summary = ingest(["meters/"], Path("pop"), progress=bar.update)

Each file is read by the project's own readers (`tariffc.compiler.meterdata`), judged, and either
added or refused:
- customer id: the file name without its extension; when a Green Button file holds several
  UsagePoints, the file name + "/" + the UsagePoint's id (the last part of its href, else its
  position). `customers.csv` records which rule named each customer (`id_from`).
- values: kWh → whole Wh, therms → whole millitherms, exactly; a value finer than that is refused
  (the dataset stores integers), as is any unit other than kWh or therm.
- verdict: `ok`, or `ok; warnings: …` (gaps, mixed interval lengths, DST seams, identical duplicate
  readings: kept, and the billing step refuses the customer if it cannot bill them), or refused:
  unreadable or malformed (the reader's message), no readings, overlapping readings with different
  values, a customer id already in the dataset, or a copy: a Green Button UsagePoint whose href and
  readings (every start, length, value, unit, direction) are those of a customer already in the
  dataset (the same meter's data saved twice would otherwise be billed as two customers) is not
  added again; a file of only such copies is refused naming the file it copies, a file of several
  UsagePoints keeps the others and says which one it left out in its verdict. The
  same readings without that href (CSV files name no usage point), or the same UsagePoint with other
  readings, are kept with a warning naming the other customer and file.
- `points.csv` keeps, per customer, the UsagePoint href (empty for CSV) and a SHA-256 of its
  readings, so a copy is found across runs too.

Idempotent and resumable: a file is done when `done.csv` lists it with the same size and mtime (a
changed file is read again only if its customer is not in the dataset yet); a refused file is skipped
while it is unchanged. Parts are written whole through a rename, then listed in `done.csv`; a part
that `done.csv` does not list (a run killed between the two) is removed at the next start and its
files read again. A bad file never stops the run or touches another file's rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import attrs

from tariffc.compiler.bulk import dataset
from tariffc.compiler.inpaths import open_input
from tariffc.compiler.outpaths import output_dir, remove_file, write_file

DONE, REFUSED, CUSTOMERS, POINTS = "done.csv", "refused.csv", "customers.csv", "points.csv"
POINTS_HEADER = ["customer", "file", "href", "readings_sha256", "readings"]
DONE_HEADER = ["file", "size", "mtime_ns", "part", "customers", "rows", "verdict"]
REFUSED_HEADER = ["file", "size", "mtime_ns", "reason"]
SUFFIXES = (".xml", ".csv")
ROWS_PER_PART = 2_000_000


@attrs.frozen
class Summary:
    files: int
    ingested: int
    skipped: int
    refused: int
    refused_before: int
    customers: int
    rows: int
    removed_partial_parts: int


def input_files(paths: Iterable[Path]) -> list[Path]:
    """Files named, and *.xml / *.csv under directories named (recursively), sorted, each once."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found += [p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in SUFFIXES]
        elif path.is_file():
            found.append(path)
        elif path.exists():
            raise dataset.DatasetError(f"{path}: not a regular file (a device, pipe or socket); name a file or a folder")
        else:
            raise dataset.DatasetError(f"{path}: no such file or directory")
    seen, out = set(), []
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _identity(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


def _complete(rows, header) -> list[dict]:
    """Rows with every field (a line cut by a kill is ignored)."""
    return [r for r in rows if all(r.get(h) not in (None, "") or h in ("customers", "verdict") for h in header)]


def prepare(out: Path) -> int:
    """Make `out` a dataset (or check it is an ingest dataset); remove temporaries and unlisted parts."""
    out = Path(out)
    if out.exists() and not (out / "dataset.json").is_file() and any(out.iterdir()):
        raise dataset.DatasetError(f"{out}: exists and is not a tariffc dataset; give a new or empty directory")
    if (out / "dataset.json").is_file():
        origin = dataset.read_description(out).get("origin")
        if origin != "ingest":
            raise dataset.DatasetError(f"{out}: a {origin} dataset; ingest into a new directory")
    dataset.write_description(out, origin="ingest", generator="tariffc ingest",
                              customer_id="file name without extension; file name/UsagePoint id when a Green "
                                          "Button file holds several UsagePoints (customers.csv: id_from)",
                              units={"electricity": dataset.WH, "gas": dataset.MTHERM})
    output_dir(dataset.parts_dir(out))
    dataset.clean_temporaries(out)
    listed = {r["part"] for r in _complete(dataset.read_csv(out / DONE), DONE_HEADER)}
    removed = 0
    for part in dataset.parts_dir(out).glob("part-*.parquet"):
        if part.name not in listed:
            removed += remove_file(dataset.parts_dir(out), part.name)
    return removed


def ingest(paths: Iterable[Path], out: Path, *, progress=None, rows_per_part: int = ROWS_PER_PART) -> Summary:
    """Ingest files into the dataset at `out`; returns counts. Raises DatasetError for a bad `out` or path."""
    out = Path(out)
    files = input_files(paths)
    removed = prepare(out)
    done_rows = _complete(dataset.read_csv(out / DONE), DONE_HEADER)
    done = {(r["file"], int(r["size"]), int(r["mtime_ns"])) for r in done_rows}
    known_customers = {c: r["file"] for r in done_rows for c in r["customers"].split(";") if c}
    known_points = Fingerprints.read(out, known_customers)
    refused_before = {(r["file"], int(r["size"]), int(r["mtime_ns"]))
                      for r in _complete(dataset.read_csv(out / REFUSED), REFUSED_HEADER)}
    counts = {"ingested": 0, "skipped": 0, "refused": 0, "refused_before": 0, "rows": 0}
    batch: list[tuple[tuple, list, str, list]] = []  # (identity, customers, verdict, rows)
    batch_rows = 0
    for path in files:
        identity = _identity(path)
        if identity in done:
            counts["skipped"] += 1
        elif identity in refused_before:
            counts["refused_before"] += 1
        else:
            try:
                verdict = judge(path, known_customers, known_points)
            except Exception as exc:  # noqa: BLE001 - one file's reader failure never stops the others
                verdict = (f"the reader failed unexpectedly ({type(exc).__name__}: {str(exc)[:200]}); "
                           "please report it with this file")
            if isinstance(verdict, str):
                dataset.append_csv(out / REFUSED, REFUSED_HEADER, [[*identity, verdict]])
                counts["refused"] += 1
            else:
                customers, note, rows = verdict
                for point in customers:
                    known_customers[point.customer] = identity[0]
                    known_points.add(attrs.evolve(point, file=identity[0]))
                batch.append((identity, customers, note, rows))
                batch_rows += len(rows)
                if batch_rows >= rows_per_part:
                    counts["rows"] += _flush(out, batch)
                    counts["ingested"] += len(batch)
                    batch, batch_rows = [], 0
        if progress is not None:
            progress(1)
    if batch:
        counts["rows"] += _flush(out, batch)
        counts["ingested"] += len(batch)
    customers = _write_customers(out)
    return Summary(files=len(files), customers=customers, removed_partial_parts=removed, **counts)


@attrs.frozen
class Point:
    """One customer of a file: its id, the rule that named it, its UsagePoint href (None for CSV) and
    the SHA-256 of its readings (`readings_digest`); `file` is filled in once the file is accepted."""

    customer: str
    id_from: str
    href: str | None
    digest: str
    readings: int
    file: str = ""


def readings_digest(rows) -> str:
    """SHA-256 over a customer's rows without the id: (start, seconds, value, unit, direction), sorted."""
    ordered = sorted(rows, key=lambda r: (r[1], r[5], r[2], r[3]))
    text = "\n".join(f"{r[1]},{r[2]},{r[3]},{r[4]},{r[5]}" for r in ordered)
    return hashlib.sha256(text.encode()).hexdigest()


@attrs.define
class Fingerprints:
    """The dataset's customers by readings digest: finds a file that is a copy of one already in it."""

    by_digest: dict = attrs.Factory(dict)  # digest -> [Point]

    @classmethod
    def read(cls, out: Path, known_customers: dict[str, str]) -> Fingerprints:
        found = cls()
        for row in dataset.read_csv(Path(out) / POINTS):
            if known_customers.get(row.get("customer")) == row.get("file") and row.get("readings_sha256"):
                found.add(Point(customer=row["customer"], id_from="", href=row.get("href") or None,
                                digest=row["readings_sha256"], readings=int(row.get("readings") or 0),
                                file=row["file"]))
        return found

    def add(self, point: Point) -> None:
        self.by_digest.setdefault(point.digest, []).append(point)

    def copy_of(self, point: Point) -> Point | None:
        """A customer already in the dataset with the same UsagePoint href and the same readings."""
        return next((p for p in self.by_digest.get(point.digest, ()) if point.href and p.href == point.href), None)

    def same_readings(self, point: Point) -> Point | None:
        """A customer already in the dataset with the same readings (whatever its href)."""
        return next(iter(self.by_digest.get(point.digest, ())), None)

    def same_point(self, href: str | None) -> Point | None:
        """A customer already in the dataset read from the UsagePoint `href` (None for no href)."""
        return next((p for group in self.by_digest.values() for p in group if href and p.href == href), None)


def judge(path: Path, known: dict[str, str], seen: Fingerprints | None = None):
    """([Point] (one per customer), verdict note, rows) for a good file, or the reason (str) to refuse it.
    `known`: customer id -> file of the customers already in the dataset; `seen`: their readings
    fingerprints (a copy of one of them is refused)."""
    from tariffc.compiler.meterdata import MeterDataError, quality_report, read_csv_intervals  # noqa: PLC0415
    from tariffc.compiler.meterdata.greenbutton import read_green_button  # noqa: PLC0415

    try:
        with open_input(path) as stream:
            head = stream.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"<"):
            data = read_green_button(path)
            points = [p for p in data.usage_points if p.series.readings]
            if not points:
                return "no interval readings in the file"
            if len(points) == 1:
                named = [(path.stem, "file name", points[0].series, points[0].href)]
            else:
                named = [(f"{path.stem}/{_point_id(p, i)}", "file name/UsagePoint", p.series, p.href)
                         for i, p in enumerate(points, start=1)]
        else:
            named = [(path.stem, "file name", read_csv_intervals(path), None)]
    except MeterDataError as exc:
        return exc.render() if hasattr(exc, "render") else str(exc)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror}"
    rows, customers, notes, copies = [], [], [], []
    seen = seen if seen is not None else Fingerprints()
    for customer, id_from, series, href in named:
        if customer in known:
            return f"customer id {customer!r} is already in the dataset (from {known[customer]})"
        if not series.readings:
            return f"{customer}: no readings"
        report = quality_report(series)
        if report.overlaps:
            return (f"{customer}: {len(report.overlaps)} overlapping readings (first at "
                    f"{report.overlaps[0].first_start:%Y-%m-%dT%H:%MZ}); which one the meter meant cannot be known")
        same_start: dict = {}
        for reading in series.readings:
            key = (reading.start, reading.direction)
            if key in same_start and (same_start[key].value, same_start[key].duration) != (reading.value,
                                                                                          reading.duration):
                return (f"{customer}: two different readings start at {reading.start:%Y-%m-%dT%H:%MZ} "
                        f"({same_start[key].value} and {reading.value} {reading.unit}); which one the meter "
                        "meant cannot be known")
            same_start[key] = reading
        first = len(rows)
        for reading in series.readings:
            if reading.unit not in ("kWh", "therm"):
                return f"{customer}: readings in {reading.unit}; the dataset holds kWh (as Wh) or therms (as millitherms)"
            scaled = reading.value * 1000
            if scaled != scaled.to_integral_value():
                return (f"{customer}: {reading.value} {reading.unit} at {reading.start:%Y-%m-%dT%H:%MZ} is finer than "
                        f"1/1000 {reading.unit}; the dataset stores whole Wh / millitherms")
            rows.append((customer, int(reading.start.timestamp()), reading.duration, int(scaled),
                         dataset.WH if reading.unit == "kWh" else dataset.MTHERM, reading.direction.value,
                         _quality_bits(reading.quality)))
        own = rows[first:]
        point = Point(customer=customer, id_from=id_from, href=href, digest=readings_digest(own), readings=len(own))
        copy = seen.copy_of(point)
        if copy is not None:  # the same meter's readings again: one customer, so not added twice
            copies.append(f"{customer}: a copy of customer {copy.customer!r} (from {copy.file}): the same UsagePoint "
                          f"{href} and the same {len(own):,} readings; not added again")
            del rows[first:]
            continue
        customers.append(point)
        notes += _warnings(customer, report, len(named) > 1)
        same = seen.same_readings(point)
        if same is not None:
            notes.append(f"{customer}: the same {len(own):,} readings as customer {same.customer!r} (from "
                         f"{same.file}); kept as its own customer (no UsagePoint href in both to say it is one "
                         "meter): remove the file if it is a copy")
        elif (other := seen.same_point(href)) is not None:
            notes.append(f"{customer}: UsagePoint {href} is also customer {other.customer!r} (from {other.file}) "
                         "with other readings; kept as its own customer")
    if not customers:  # every UsagePoint of the file is a copy: the file adds nothing
        return "; ".join(copies) + " (remove one of the two files)"
    notes = copies + notes  # a file of several UsagePoints keeps those that are not copies
    return customers, "ok" + ("; warnings: " + "; ".join(notes) if notes else ""), rows


def _point_id(point, index: int) -> str:
    href = (point.href or "").rstrip("/")
    tail = href.rsplit("/", 1)[-1] if href else ""
    return tail if tail and tail.replace("-", "").replace("_", "").isalnum() else str(index)


def _quality_bits(codes) -> int:
    bits = 0
    for code in codes or ():
        if 0 <= int(code) < 31:
            bits |= 1 << int(code)
    return bits


def _warnings(customer: str, report, several: bool) -> list[str]:
    prefix = f"{customer}: " if several else ""
    out = []
    if report.gaps:
        out.append(f"{prefix}{len(report.gaps)} gaps")
    if report.mixed_interval_lengths:
        out.append(f"{prefix}mixed interval lengths " + ", ".join(f"{s} s" for s, _ in report.interval_lengths))
    if report.dst_seams:
        out.append(f"{prefix}{len(report.dst_seams)} DST seams")
    if report.duplicates:
        out.append(f"{prefix}{len(report.duplicates)} identical duplicate readings (kept once)")
    if report.negative_values:
        out.append(f"{prefix}{len(report.negative_values)} negative values")
    return out


def _flush(out: Path, batch) -> int:
    """Write one part for the batch, then list its files in done.csv. Returns the rows written."""
    import pyarrow as pa  # noqa: PLC0415

    rows = []
    for _, _, _, file_rows in batch:
        seen = set()
        for row in file_rows:  # identical duplicates (same customer, start, direction, value) kept once
            key = (row[0], row[1], row[5])
            if key not in seen:
                seen.add(key)
                rows.append(row)
    rows.sort(key=lambda r: (r[0], r[1], r[5]))
    columns = list(zip(*rows))
    table = pa.table({
        "customer": pa.array(columns[0]).dictionary_encode(),
        "start": pa.array(columns[1], type=pa.int64()).cast(pa.timestamp("s", tz="UTC")),
        "seconds": pa.array(columns[2], type=pa.int32()),
        "value": pa.array(columns[3], type=pa.int64()),
        "unit": pa.array(columns[4]).dictionary_encode(),
        "direction": pa.array(columns[5]).dictionary_encode(),
        "quality": pa.array(columns[6], type=pa.int32()),
    })
    name = hashlib.sha256("\n".join(f"{i[0]}|{i[1]}|{i[2]}" for i, _, _, _ in batch).encode()).hexdigest()[:16]
    part = dataset.write_part(out, name, table)
    dataset.append_csv(out / POINTS, POINTS_HEADER, [  # before done.csv: read only for customers it lists
        [point.customer, identity[0], point.href or "", point.digest, point.readings]
        for identity, customers, _, _ in batch for point in customers])
    dataset.append_csv(out / DONE, DONE_HEADER, [
        [*identity, part.name, ";".join(point.customer for point in customers), len(file_rows), note]
        for identity, customers, note, file_rows in batch])
    return len(rows)


def _write_customers(out: Path) -> int:
    """customers.csv rebuilt from done.csv (so it is never ahead of the parts)."""
    import csv  # noqa: PLC0415
    import io  # noqa: PLC0415

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["customer", "class", "source", "id_from"])
    count = 0
    for row in _complete(dataset.read_csv(out / DONE), DONE_HEADER):
        names = [c for c in row["customers"].split(";") if c]
        for customer in names:
            writer.writerow([customer, "", row["file"], "file name/UsagePoint" if "/" in customer else "file name"])
            count += 1
    write_file(out, CUSTOMERS, buffer.getvalue().encode("utf-8"))
    return count
