"""The interval dataset on disk: a directory of Parquet parts (pyarrow), one customer never split
across parts, so each part can be billed on its own (one Dask task per part). `layout.py` checks a
dataset against this before it is billed (columns, types, units, ids in several parts).

    DATASET/
      dataset.json        what it is: schema version, origin ("ingest" or "synthetic"), notes
      parts/part-*.parquet  the interval rows (schema below), each part sorted by customer, start
      customers.csv       one line per customer: customer, class, source (file or "synthetic")
      done.csv            ingest manifest: every input file finished (path, size, mtime, customers, part)
      refused.csv         ingest: files refused, with the reason
      points.csv          ingest: per customer, its UsagePoint href and a SHA-256 of its readings (copies)

Row schema (`SCHEMA`):
    customer   string (dictionary)  customer/meter id: the file name's stem, or file stem + "/" + UsagePoint id when a
                        Green Button file holds several usage points (ingest says which in customers.csv)
    start      timestamp[s, UTC]  start of the interval
    seconds    int32    interval length
    value      int64    energy: Wh for electricity, millitherms for gas (exact; finer values are refused)
    unit       string   "Wh" or "mtherm"
    direction  string   "delivered" (utility to customer) or "received" (customer to utility)
    quality    int32    ESPI ReadingQuality codes of the interval as bits (bit k = code k), 0 when none

Parts are written to a temporary name and renamed, so a part is either whole or absent (a killed
run leaves no half part); `done.csv` is appended only after the rename. Needs pyarrow (`bulk` extra).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from tariffc.compiler.outpaths import open_for_append, output_dir, remove_file, write_file, writing

SCHEMA_VERSION = 1
WH, MTHERM = "Wh", "mtherm"
PARTS = "parts"


class DatasetError(ValueError):
    """A path that is not a dataset, or a dataset that cannot be read (names the path)."""


def require_pyarrow():
    try:
        import pyarrow  # noqa: F401, PLC0415
        import pyarrow.parquet  # noqa: F401, PLC0415
    except ModuleNotFoundError:
        from tariffc.compiler.project import UsageError  # noqa: PLC0415

        raise UsageError("this command needs pyarrow: pip install 'tariffc[bulk]'") from None


def schema():
    import pyarrow as pa  # noqa: PLC0415

    return pa.schema([
        pa.field("customer", pa.dictionary(pa.int32(), pa.string()), nullable=False),
        pa.field("start", pa.timestamp("s", tz="UTC"), nullable=False),
        pa.field("seconds", pa.int32(), nullable=False),
        pa.field("value", pa.int64(), nullable=False),
        pa.field("unit", pa.dictionary(pa.int8(), pa.string()), nullable=False),
        pa.field("direction", pa.dictionary(pa.int8(), pa.string()), nullable=False),
        pa.field("quality", pa.int32(), nullable=False),
    ])


def parts_dir(root: Path) -> Path:
    return Path(root) / PARTS


def part_paths(root: Path) -> list[Path]:
    """The finished parts, sorted by name (temporary files are skipped)."""
    root = Path(root)
    if not (root / "dataset.json").is_file():
        raise DatasetError(f"{root}: not a tariffc dataset (no dataset.json); make one with `tariffc ingest` "
                           "or `tariffc synth`")
    return sorted(p for p in parts_dir(root).glob("part-*.parquet"))


def write_part(root: Path, name: str, table) -> Path:
    """Write `table` as parts/part-NAME.parquet through a temporary file and a rename (atomic on POSIX)."""
    import pyarrow.parquet as pq  # noqa: PLC0415

    folder = output_dir(parts_dir(root))
    with writing(folder, f"part-{name}.parquet") as temporary:
        pq.write_table(table.cast(schema()), temporary, compression="zstd", row_group_size=1 << 20)
    return folder / f"part-{name}.parquet"


def read_part(path: Path, columns: list[str] | None = None):
    """One part as a pyarrow Table; DatasetError naming the part when it cannot be read (a damaged or
    foreign file, a missing column), in this process or in a Dask worker alike."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    try:
        return pq.read_table(path, columns=columns)
    except (pa.ArrowException, OSError) as exc:
        raise DatasetError(f"{path}: this part of the dataset cannot be read ({type(exc).__name__}: "
                           f"{str(exc)[:200]}); the dataset is damaged: make it again (`tariffc ingest` or `synth`) in a "
                           "new folder") from None


def clean_temporaries(root: Path) -> int:
    """Remove temporary part files a killed run left behind (only names this module writes)."""
    count = 0
    for stale in parts_dir(root).glob(".part-*.parquet.*tmp*"):  # outpaths.writing's and older names
        count += remove_file(parts_dir(root), stale.name)
    return count


def write_description(root: Path, **fields) -> None:
    root = output_dir(Path(root))
    path = root / "dataset.json"
    described = json.loads(path.read_text()) if path.is_file() else {}
    described.update({"schema_version": SCHEMA_VERSION, **fields})
    write_file(root, "dataset.json", (json.dumps(described, indent=2, sort_keys=True) + "\n").encode())


def read_description(root: Path) -> dict:
    path = Path(root) / "dataset.json"
    if not path.is_file():
        raise DatasetError(f"{root}: not a tariffc dataset (no dataset.json)")
    return json.loads(path.read_text())


def append_csv(path: Path, header: list[str], rows: Iterable[list]) -> None:
    """Append rows (with the header when the file is new); flushed and fsynced so a kill loses at most
    the line being written."""
    new = not path.is_file()
    with open_for_append(path.parent, path.name) as stream:
        writer = csv.writer(stream)
        if new:
            writer.writerow(header)
        for row in rows:
            writer.writerow(row)
        stream.flush()
        os.fsync(stream.fileno())


def read_csv(path: Path) -> Iterator[dict]:
    if not path.is_file():
        return iter(())
    with open(path, newline="", encoding="utf-8") as stream:
        return iter(list(csv.DictReader(stream)))


def customers(root: Path) -> dict[str, dict]:
    """customer id → its customers.csv record (class, source, …)."""
    return {row["customer"]: row for row in read_csv(Path(root) / "customers.csv")}
