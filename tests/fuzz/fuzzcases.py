"""Fuzzing cases and oracles for tariffc (issue 14), shared by the short property tests in this folder
and the long run `benchmarks/fuzz_long.py`.

Each `*_case(rng)` draws one hostile input from a seeded `random.Random` (cheap and reproducible:
the long run prints its seed); each `check_*` runs the input through the project and returns the
outcome kind — "handled" (a diagnostic, a refusal, a result) — or raises `Defect` naming what broke
a promise. Any other exception escaping a `check_*` is itself a defect ("unexpected exception").

The promises (docs/reliability.md):
- a `.tariff` file, however damaged, ends in positioned diagnostics whose excerpt is the line named;
- `fmt` of a file that parses gives text that parses to the same AST and is a fixed point;
- a schedule that checks clean bills or refuses with BillInputError, by the compiled functions and
  by the reference interpreter;
- a meter file, however damaged, is read or refused with MeterDataError; its quality report renders;
- a bill input through the API is billed or refused with BillInputError / ScheduleError;
- the docs writer never writes or deletes outside its output directory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import atexit
import contextlib
import os
import random
import re
import shutil
import tempfile
from collections import OrderedDict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "schedules"
CALENDAR = SCHEDULES / "calendars" / "cpau.tariff"
TARIFF_SEEDS = sorted(p for p in SCHEDULES.rglob("*.tariff") if p != CALENDAR)
XML_SEEDS = sorted((ROOT / "tests" / "fuzz" / "seeds").glob("*.xml"))
GREENBUTTON = Path(os.environ.get("TARIFFC_GREENBUTTON", "/work/shared/data/greenbutton"))


def _scratch() -> str | None:
    """Where cases write their files: $TARIFFC_FUZZ_TMP, else /dev/shm when it is a writable memory
    file system (making and removing a folder on a loaded disk took ~6 ms, more than reading a small
    meter file; what is written and read is the same), else the system's temporary folder."""
    chosen = os.environ.get("TARIFFC_FUZZ_TMP")
    if chosen:
        return chosen
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


SCRATCH = _scratch()


class Defect(Exception):
    """A broken promise; `kind` groups defects in the long run's counts."""

    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


# ------------------------------------------------------------------ hostile pieces
BREAKS = ["\r", "\r\n", "\f", "\v", "\x85", "\u2028", "\u2029", "\x1c"]
NUMBERS = ["0", "-0", "-1", "1" * 12, "9" * 40, "0." + "0" * 15 + "1", "0." + "1" * 5000, "2147483648",
           "9223372036854775808", "1e30", "1e400", "1e999999", "NaN", "inf", "-inf", "0.000000000001",
           "999999999.999999999999", "00000000000000000001", "1.2.3", "٣", "1_000"]
WORDS = ["schedule", "version", "charge", "tiers", "rest", "up_to", "per", "columns", "=", "-", "published",
         "calendar", "timezone", "holiday", "billing", "rounding", "demand", "periods", "windows", "seasons",
         "supersedes", "ends", "inf", "[", ")", "when", "not", "is", "#", '"', "\t", "  ", "\\", "%"]
STRINGS = ['"<script>alert(1)</script>"', '"' + "x" * 300 + '"', '"\\"', '"Mars/Base"', '"../../etc/passwd"',
           '"\u202eevil"', '""', '"a\\nb"']
DATES = ["9999-12-31", "0001-01-01", "0000-00-00", "2025-02-30", "2024-02-29", "9999-99-99"]
IDS = ["E-" + "X" * 250, "E-1", "G-1", "E-99", "E-<B>", "E-1-TOU"]


def _tokens(text: str) -> list[str]:
    return re.split(r"( +|\n)", text)


def mutate_tariff(data: str, rng: random.Random, rounds: int | None = None) -> str:
    """A damaged `.tariff` text: token edits, hostile values, line breaks, indentation, bytes."""
    for _ in range(rounds or rng.randint(1, 4)):
        parts = _tokens(data)
        words = [i for i, p in enumerate(parts) if p.strip()]
        if not words:
            return data + rng.choice(WORDS)
        i = rng.choice(words)
        kind = rng.randrange(12)
        if kind == 0:
            parts[i] = ""
        elif kind == 1:
            parts[i] = parts[i] + " " + parts[i]
        elif kind == 2:
            j = rng.choice(words)
            parts[i], parts[j] = parts[j], parts[i]
        elif kind == 3:
            numbers = [k for k in words if re.fullmatch(r"-?\d[\d.]*%?", parts[k])] or words
            parts[rng.choice(numbers)] = rng.choice(NUMBERS) + rng.choice(["", "", "%"])
        elif kind == 4:
            parts[i] = rng.choice(WORDS)
        elif kind == 5:
            strings = [k for k in words if parts[k].startswith('"')] or words
            parts[rng.choice(strings)] = rng.choice(STRINGS)
        elif kind == 6:
            dates = [k for k in words if re.fullmatch(r"\d{4}-\d{2}-\d{2}", parts[k])] or words
            parts[rng.choice(dates)] = rng.choice(DATES)
        elif kind == 7:
            ids = [k for k in words if re.fullmatch(r"[EG]-[A-Z0-9-]+", parts[k])] or words
            parts[rng.choice(ids)] = rng.choice(IDS)
        elif kind == 8:
            parts[i] = rng.choice(BREAKS).join([parts[i][:1], parts[i][1:]])
        elif kind == 9:
            lines = "".join(parts).split("\n")
            k = rng.randrange(len(lines))
            lines[k] = rng.choice(["", " ", "\t", "   ", "        "]) + lines[k].lstrip(" ")
            data = "\n".join(lines)
            continue
        elif kind == 10:
            text = "".join(parts)
            at = rng.randrange(len(text) + 1)
            junk = "".join(chr(rng.choice([0, 9, 10, 13, 32, 35, 34, 0x7f, 0xa0, 0xfeff, 0x2028, 0x10ffff,
                                           rng.randrange(32, 127)])) for _ in range(rng.randint(1, 5)))
            data = text[:at] + junk + text[at:]
            continue
        else:  # duplicate or drop a whole line (blocks, rows, statements twice or missing)
            lines = "".join(parts).split("\n")
            k = rng.randrange(len(lines))
            if rng.random() < 0.5:
                lines.insert(k, lines[k])
            else:
                del lines[k]
            data = "\n".join(lines)
            continue
        data = "".join(parts)
    return data


def _blocks(text: str) -> list[str]:
    """Top-level blocks (a line at column 0 and the indented lines under it), comment lines dropped."""
    blocks: list[list[str]] = []
    for line in text.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace() or not blocks:
            blocks.append([])
        blocks[-1].append(line)
    return ["\n".join(b) + "\n" for b in blocks]


_SEED_CACHE: list[tuple[str, str]] = []


def tariff_seeds() -> list[tuple[str, str]]:
    """(file name, text) seeds: every file whole, and each schedule's header with one or two of its
    versions (comment lines dropped), so that most cases are small and a run covers many of them."""
    if not _SEED_CACHE:
        for path in TARIFF_SEEDS:
            text = path.read_text(encoding="utf-8")
            _SEED_CACHE.append((path.name, text))
            blocks = _blocks(text)
            head = [b for b in blocks if b.startswith("schedule")]
            rest = [b for b in blocks if not b.startswith("schedule")]
            for i in range(len(rest)):
                _SEED_CACHE.append((path.name, "".join(head + rest[i:i + 1])))
                if i + 1 < len(rest):
                    _SEED_CACHE.append((path.name, "".join(head + rest[i:i + 2])))
    return _SEED_CACHE


def calendar_text() -> str:
    return "".join(_blocks(CALENDAR.read_text(encoding="utf-8")))


def tariff_case(rng: random.Random) -> tuple[str, bytes, bool, bool]:
    """(file name, bytes, damage the calendar instead of the schedule, a published table's seed)."""
    on_calendar = rng.random() < 0.1
    if on_calendar:
        seed_name, seed_text = CALENDAR.name, (CALENDAR.read_text(encoding="utf-8") if rng.random() < 0.3
                                               else calendar_text())
    else:
        seed_name, seed_text = rng.choice(tariff_seeds())
    text = mutate_tariff(seed_text, rng)
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.03:  # not UTF-8 at all
        at = rng.randrange(len(data) + 1)
        data = data[:at] + bytes([rng.choice([0x80, 0xc3, 0xff, 0xfe])]) + data[at:]
    name = seed_name if rng.random() < 0.8 else rng.choice(["x.tariff", "E-2.tariff", "a b.tariff"])
    return name, data, on_calendar, seed_name in PUBLISHED_SEEDS


# ------------------------------------------------------------------ .tariff oracle
_PARSED: OrderedDict = OrderedDict()  # (text, path) -> AST, the last few texts that parsed
_PARSED_SIZE = 32  # room for the calendar and the ten schedules a published table names
_WORK: dict[int, Path] = {}
PUBLISHED_SEEDS = {p.name for p in TARIFF_SEEDS if p.parent.name == "published"}


def _case_folder() -> Path:
    """An empty folder for one `.tariff` case, at the same path for every case this process runs until
    `clean_up()` (a diagnostic names the path, so the parse memo's keys repeat only if the path does)."""
    pid = os.getpid()
    if pid not in _WORK:
        _WORK[pid] = Path(tempfile.mkdtemp(prefix="fuzz-tariff-", dir=SCRATCH))
        atexit.register(shutil.rmtree, _WORK[pid], True)
    folder = _WORK[pid] / "case"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


def clean_up() -> None:
    """Remove this process's case folder (the long run calls it after each chunk: pool workers end
    without running atexit)."""
    folder = _WORK.pop(os.getpid(), None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _named_schedules(text: str) -> list[Path]:
    """The real files of the schedules a published table's rows name (so that its rows are compared
    with them, not only refused as naming an unknown schedule, T401)."""
    ids = set(re.findall(r"^[ \t]+([EG]-[A-Z0-9-]+)[ \t]", text, re.M))
    return [p for p in TARIFF_SEEDS if p.stem in ids and p.parent.name != "published"]


@contextlib.contextmanager
def _parse_each_text_once():
    """Within a case, and across cases in one process, a text that parsed before is not parsed again:
    the calendar (undamaged in 9 cases in 10) and `fmt`'s re-parse of a text `load` just parsed. The
    AST is frozen and parsing is a function of (text, path), so the oracle sees what a fresh parse
    gives; a text that fails to parse is parsed every time (its diagnostic is what is checked)."""
    from tariffc.dsl import transform

    fresh = transform.parse_text

    def parse_text(text, path):
        key = (text, path)
        tree = _PARSED.get(key)
        if tree is None:
            tree = fresh(text, path)
            _PARSED[key] = tree
            if len(_PARSED) > _PARSED_SIZE:
                _PARSED.popitem(last=False)
        else:
            _PARSED.move_to_end(key)
        return tree

    transform.parse_text = parse_text
    try:
        yield
    finally:
        transform.parse_text = fresh


def check_tariff(name: str, data: bytes, on_calendar: bool, published_seed: bool = False, *,
                 bill_every: int = 1, rng=None) -> str:
    """Load the damaged file with the calendar (and, for a published table, the real schedules its
    rows name); diagnostics must be positioned and render the named line; a clean file must format
    to the same AST and bill or refuse properly."""
    from tariffc.compiler.project import load
    from tariffc.dsl.diagnostics import render
    from tariffc.dsl.lines import split_lines

    with _parse_each_text_once():
        folder = _case_folder()
        (folder / "calendars").mkdir()
        calendar = folder / "calendars" / "cpau.tariff"
        target = calendar if on_calendar else folder / name
        if on_calendar:
            (folder / "E-1.tariff").write_bytes((SCHEDULES / "electric" / "E-1.tariff").read_bytes())
        else:
            calendar.write_text(calendar_text(), encoding="utf-8")
        # undamaged real schedules beside the case, in named/ (never billed, never clashing with the
        # case's own file name): those a published table's rows name, and those a schedule refers to
        # with `charge … as E-2 energy` (E-16 C.2)
        context = (_named_schedules(data.decode("utf-8", "replace")) if published_seed else []) + _referenced(data)
        if context:
            (folder / "named").mkdir()
        for path in context:
            (folder / "named" / path.name).write_bytes(path.read_bytes())
        target.write_bytes(data)
        project = load([folder])
        for diagnostic in project.diagnostics:
            span = diagnostic.span
            if not (diagnostic.code.startswith("T") and span.line >= 1 and span.column >= 1):
                raise Defect("unpositioned diagnostic", f"{diagnostic.code} {span}")
            text = project.sources.get(span.path)
            shown = render(diagnostic, project.sources)
            lines = split_lines(text) if text is not None else []
            if 1 <= span.line <= len(lines) and f"{span.line} | " not in shown:
                raise Defect("excerpt not the named line", f"{diagnostic.code} {span}")
        if project.errors:
            return "diagnostics"
        _check_fmt(project)
        if rng is None or rng.randrange(bill_every) == 0:
            _check_bills(folder, project, named=folder / "named")
            return "clean, billed"
        return "clean"


def _referenced(data: bytes) -> list[Path]:
    """The real schedule files a (possibly damaged) file refers to with `per kWh as ID CHARGE`."""
    ids = {i.decode() for i in re.findall(rb"\bas\s+([A-Z]+(?:-[A-Z0-9]+)+)\s", data)}
    # matched against the real files, never made into a path: a 250-character id in the damaged text
    # made `rglob(f"{id}.tariff")` raise "file name too long" here (seed 15's 8 "defects")
    return [path for path in TARIFF_SEEDS if path.stem in ids and path.parent.name != "published"]


def _check_fmt(project) -> None:
    from tariffc.dsl.fmt import FormatRefused, format_checked, format_text
    from tariffc.dsl.transform import parse_text

    for path, text in project.sources.items():
        tree = parse_text(text, path)
        try:
            formatted = format_checked(text, path, tree)
        except FormatRefused as exc:
            raise Defect("fmt changes meaning", str(exc)[:200]) from None
        if format_text(formatted) != formatted:
            raise Defect("fmt not idempotent", path)


BILL_PERIODS = [("2025-07-01", "2025-07-31"), ("2019-12-20", "2020-01-20"), ("9999-12-01", "9999-12-31"),
                ("2025-01-01", "2025-01-02"), ("0001-01-01", "0001-01-31"), ("2025-03-01", "2025-05-31")]


def _check_bills(folder: Path, project, named: Path) -> None:
    """Every clean schedule bills or refuses with BillInputError, compiled and interpreted (not the
    undamaged schedules put beside a published table)."""
    from tariffc.compiler.api import ScheduleError, Tariffs
    from tariffc.compiler.interpret import interpret
    from tariffc.compiler.runtime import BillInputError

    tariffs = Tariffs.load(folder)
    for schedule in project.schedules:
        if Path(schedule.path).parent.resolve() == named.resolve():
            continue
        for start, end in BILL_PERIODS:
            values = {name: "1" for version in schedule.versions for name in _inputs(version)}
            for kwargs in ({"kwh": 600, "kw": 20, "therms": 40}, {"kwh": "0", "kw": "0", "therms": "0"}):
                try:
                    tariffs.bill(schedule.id, start=start, end=end, **kwargs, values=values)
                except (BillInputError, ScheduleError):
                    pass
                try:
                    from tariffc.compiler.api import make_inputs
                    interpret(schedule, make_inputs(start=start, end=end, **kwargs, values=values))
                except BillInputError:
                    pass


def _inputs(version) -> list[str]:
    names = []
    for charge in version.charges:
        if charge.band_input:
            names.append(charge.band_input)
    for p in version.passthroughs if hasattr(version, "passthroughs") else ():
        names.append(p.name)
    return names


# ------------------------------------------------------------------ meter files
CSV_HEADERS = ["start,end,kwh", "Date,Start Time,End Time,Usage (kWh)", "TYPE,DATE,START TIME,END TIME,USAGE,UNITS",
               "timestamp,value"]


def csv_seed(rng: random.Random) -> str:
    start = dt.datetime(2025, 3, 8, 0, 0) + dt.timedelta(minutes=15 * rng.randrange(96))
    rows = ["start,end,kwh"]
    for i in range(rng.randint(1, 200)):
        a = start + dt.timedelta(minutes=15 * i)
        rows.append(f"{a:%Y-%m-%d %H:%M},{a + dt.timedelta(minutes=15):%Y-%m-%d %H:%M},{rng.randrange(0, 400) / 100}")
    return "\n".join(rows) + "\n"


CSV_VALUES = ["1e400", "1e999999", "-1e30", "NaN", "Infinity", "0." + "0" * 30 + "1", "1" * 60, "1,234.5",
              "1,2,3", "", " ", '"', "0x10", "٣", "1e-400", "-0", "+5", "9" * 5000]
CSV_TIMES = ["0001-01-01 00:00", "9999-12-31 23:45", "9999-12-31 24:00", "10000-01-01 00:00", "2025-03-09 02:30",
             "2025-11-02 01:30", "13/45/2025 00:00", "2025-07-01T00:00+14:00", "2025-07-01T00:00-23:59",
             "1/1/1 0:00", "24:00", "2025-07-01 25:00", "2025-02-29 00:00"]


def mutate_csv(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        k = rng.randrange(len(lines))
        cells = lines[k].split(",")
        kind = rng.randrange(7)
        c = rng.randrange(len(cells))
        if kind == 0:
            cells[c] = rng.choice(CSV_VALUES)
        elif kind == 1:
            cells[c] = rng.choice(CSV_TIMES)
        elif kind == 2:
            del cells[c]
        elif kind == 3:
            cells.insert(c, rng.choice(CSV_VALUES + CSV_TIMES))
        elif kind == 4:
            lines.insert(k, lines[k])
        elif kind == 5:
            lines[0] = rng.choice(CSV_HEADERS)
        else:
            cells[c] = cells[c][: rng.randrange(len(cells[c]) + 1)] + rng.choice(BREAKS + ["\x00", '"', ";"])
        if kind not in (4, 5) and k < len(lines):
            lines[k] = ",".join(cells)
    return "\n".join(lines)


def _xml_small(rng: random.Random) -> bytes:
    return rng.choice(XML_SEEDS).read_bytes()


XML_TEXTS = ["1000000000000", "100000000000000000000", "-62135596801", "253402300800", "0", "-1", "2147483648",
             "99999999999999999999999", "1e400", "NaN", "x", "", " ", "30", "-30", "32767", "-32768", "1e999999",
             "0." + "0" * 40 + "1", "9" * 5000, "7FFFFFFF", "FFFFFFFF"]
XML_TAGS = ["start", "duration", "value", "powerOfTenMultiplier", "uom", "quality", "tzOffset", "dstOffset",
            "dstStartRule", "dstEndRule", "intervalLength", "flowDirection", "kind", "cost", "commodity"]


def mutate_xml(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(8)
        if kind <= 2:  # a field's text
            tag = rng.choice(XML_TAGS)
            hits = [m for m in re.finditer(rf"(<(?:espi:)?{tag}>)([^<]*)(</)", text)]
            if hits:
                m = rng.choice(hits)
                text = text[:m.start(2)] + rng.choice(XML_TEXTS) + text[m.end(2):]
        elif kind == 3:  # delete a random element's span of text
            a = rng.randrange(len(text))
            text = text[:a] + text[a + rng.randint(1, 200):]
        elif kind == 4:  # duplicate a block of text
            a = rng.randrange(len(text))
            b = min(len(text), a + rng.randint(1, 400))
            text = text[:b] + text[a:b] + text[b:]
        elif kind == 5:  # hostile XML constructs
            piece = rng.choice(['<!DOCTYPE x [<!ENTITY a "aaaa">]>', '<!DOCTYPE x SYSTEM "http://x/y.dtd">',
                                "<!-- " + "c" * rng.randint(1, 20000) + " -->", "&a;", "<![CDATA[ ]]>", "\x00",
                                f'<x a="{"v" * rng.randint(1, 20000)}"/>'])
            at = text.find(">", rng.randrange(len(text))) + 1 or len(text)
            text = text[:at] + piece + text[at:]
        elif kind == 6:  # truncate
            text = text[: rng.randrange(len(text) + 1)]
        else:  # rename a tag
            text = re.sub(rng.choice(XML_TAGS), rng.choice(XML_TAGS), text, count=1)
    return text.encode("utf-8", "surrogatepass")


def meter_case(rng: random.Random) -> tuple[str, bytes]:
    if rng.random() < 0.5 and XML_SEEDS:
        return "meter.xml", mutate_xml(_xml_small(rng), rng)
    return "meter.csv", mutate_csv(csv_seed(rng), rng).encode("utf-8", "surrogatepass")


def check_meter(name: str, data: bytes) -> str:
    """Read the file; a series gets its quality report rendered and its billing-period reads formed."""
    from tariffc.compiler.meterdata import MeterDataError, period_reads, quality_report, read_meter_data

    with tempfile.TemporaryDirectory(prefix="fuzz-meter-", dir=SCRATCH) as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            series = read_meter_data(path)
        except MeterDataError as exc:
            if not str(exc).strip():
                raise Defect("empty refusal", name) from None
            return "refused"
        if not series.readings:
            return "read (empty)"
        report = quality_report(series)
        text = report.render()
        report.as_dict()
        for line in text.split("\n"):
            if "total" not in line and "received energy" not in line:
                continue
            for number in re.findall(r"\d[\d,]*\.\d+", line):
                if len(number.partition(".")[2]) > 12:
                    raise Defect("total printed to too many digits", number)
        try:
            period_reads(series)
        except MeterDataError:
            pass
        return "read"


# ------------------------------------------------------------------ bill inputs (API)
API_VALUES = [None, 600, "600", Decimal("600"), 600.5, "1e30", "1e999999", "NaN", "-1", [1], {"a": 1}, b"600",
              True, 10**30, "", " 600 ", "6OO", Decimal("1e400"), Decimal("NaN"), float("inf"), 2**63, "0",
              "1_000", "\u0666\u0660\u0660", "\uff16\uff10\uff10", "1,000", "3/2", "1 / 2"]
API_DATES = ["2025-07-01", "2025-07-31", "9999-12-01", "9999-12-31", "0001-01-01", 20250701, None, "2025-13-01",
             dt.date(2025, 7, 1), dt.datetime(2025, 7, 1, 12), "2025-07-01T00:00", [2025, 7, 1], ""]
API_SETS = [{"power_factor": "92"}, {"power_factor": 0.92}, {"power_factor": "0.92"}, {"commodity": "1e30"},
            {"green_option": "<script>"}, {"x" * 300: "1"}, {"lamps.led_70w_eq": "1e20"}, {}]


VALID = {"E-1": {"kwh": "600"}, "E-2": {"kwh": "9000", "kw": "40"}, "E-4": {"kwh": "20000", "kw": "80"},
         "E-7-TOU": {"kwh": "60000", "kw": "300"}, "G-1": {"therms": "40", "commodity": "0.859",
                                                            "cap_and_trade": "0.10", "transportation": "0.12",
                                                            "carbon_offset": "0.02"}}


def bill_case(rng: random.Random) -> dict:
    """A valid bill of a real schedule with 0 to 2 fields made hostile (or, 1 in 5, all hostile)."""
    if rng.random() < 0.2:
        case = {"schedule": rng.choice(["E-1", "E-4", "E-7-TOU", "E-14", "G-1", "G-2", "E-99", "e-1", None, 5, ["E-1"]]),
                "start": rng.choice(API_DATES), "end": rng.choice(API_DATES), "values": rng.choice(API_SETS)}
        for key in ("kwh", "kw", "therms"):
            if rng.random() < 0.7:
                case[key] = rng.choice(API_VALUES)
        return case
    schedule = rng.choice(sorted(VALID))
    base = dict(VALID[schedule])
    case = {"schedule": schedule, "start": "2025-07-01", "end": "2025-07-31",
            **{k: v for k, v in base.items() if k in ("kwh", "kw", "therms")},
            "values": {k: v for k, v in base.items() if k not in ("kwh", "kw", "therms")}}
    for _ in range(rng.randint(0, 2)):
        field = rng.choice(["start", "end", "kwh", "kw", "therms", "values", "intervals", "pf"])
        if field in ("start", "end"):
            case[field] = rng.choice(API_DATES)
        elif field == "values":
            case["values"] = {**case["values"], **rng.choice(API_SETS)}
        elif field == "pf":
            case["values"] = {**case["values"], "power_factor": rng.choice(["92", "0.92", "1.5", "-1", "0"])}
        elif field == "intervals":
            case["intervals"] = rng.choice([5, "x", [(dt.datetime(2025, 7, 1, tzinfo=dt.timezone.utc), 900.5, "1")],
                                            [(dt.datetime(2025, 7, 1), 900, "1e30")], [], [None], [(1, 2, 3)]])
        else:
            case[field] = rng.choice(API_VALUES)
    return case


_TARIFFS = None


def check_bill(case: dict) -> str:
    """Bills, or refuses with BillInputError or ScheduleError; anything else is a defect."""
    global _TARIFFS
    from tariffc.compiler.api import ScheduleError, Tariffs
    from tariffc.compiler.runtime import BillInputError

    if _TARIFFS is None:
        _TARIFFS = Tariffs.load(SCHEDULES)
    case = dict(case)
    schedule = case.pop("schedule")
    try:
        bill = _TARIFFS.bill(schedule, **case)
    except (BillInputError, ScheduleError):
        return "refused"
    if isinstance(case.get("values", {}).get("power_factor"), str) and case["values"]["power_factor"] == "92":
        raise Defect("wrong but accepted", "power_factor=92 (a percent) billed")
    for key in ("kwh", "kw", "therms"):
        if isinstance(case.get(key), str) and not re.fullmatch(r"\s*[0-9.eE+-]+\s*(/[0-9]+)?", case[key]):
            raise Defect("wrong but accepted", f"{key}={case[key]!r} billed")
    str(bill.total)
    return "billed"


# ------------------------------------------------------------------ output paths
MANIFEST_LINES = ["../victim.txt", "/tmp/x", "a/../../victim.txt", "..", ".", "", "a//b", "a\\..\\b",
                  "sub/page.md", "page.md", "linked/page.md", "linked", "\x00", "x" * 300, "é/ü.md",
                  "sub/../../../victim.txt", "./page.md", "  ", "#", "a/b/c/d/e.md"]


OUTPUT_NAMES = ["page.md", "sub/page.md", "a/b/c/d/e.md", "img/x.svg", "linked/p.md", "linked", "../escape.md",
                "x" * 300 + ".md", "/tmp/abs.md", "a/../../victim.txt", "", ".", "..", "a\\b", "\x00", "é/ü.md",
                "victim_link", "a//b"]


def output_case(rng: random.Random) -> dict:
    """A writer (the docs site writer; the outpaths primitives every other writer calls — write_file,
    writing, remove_file, check_fresh; a single output file as --chart / export --out write it) and
    hostile names, manifests, links and --out kinds."""
    return {
        "writer": rng.choice(["docs", "docs", "files", "single"]),
        "manifest": [rng.choice(MANIFEST_LINES) for _ in range(rng.randint(0, 6))],
        "files": {rng.choice(OUTPUT_NAMES[:8]): b"data" for _ in range(rng.randint(1, 4))},
        "names": [(rng.choice(["write", "writing", "remove"]), rng.choice(OUTPUT_NAMES)) for _ in range(rng.randint(1, 4))],
        "single": rng.choice(["chart.svg", "victim_link", "sub/new/chart.svg", "../escape.svg", "linked/c.svg", "linked"]),
        "link": rng.random() < 0.4,
        "out_kind": rng.choice(["new", "existing", "file", "below_file", "nested_new"]),
    }


def _snapshot(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            out[path.relative_to(root).as_posix()] = "link:" + os.readlink(path)
        elif path.is_file():
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def check_output(case: dict) -> str:
    """write_tree with a hostile manifest and names; nothing outside `out` may change."""
    from tariffc.compiler.docsgen.output import MANIFEST, ForeignOutput, check_output as check_out, write_tree
    from tariffc.compiler.outpaths import write_output_file
    from tariffc.compiler.project import UsageError

    with tempfile.TemporaryDirectory(prefix="fuzz-out-", dir=SCRATCH) as tmp:
        root = Path(tmp)
        (root / "victim.txt").write_text("keep")
        elsewhere = root / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / "page.md").write_text("keep")
        (elsewhere / "p.md").write_text("keep")
        out = {"new": root / "out", "existing": root / "out", "file": root / "victim.txt",
               "below_file": root / "victim.txt" / "out", "nested_new": root / "n" / "e" / "w"}[case["out_kind"]]
        if case["out_kind"] == "existing":
            out.mkdir()
            try:
                (out / MANIFEST).write_text("# header\n" + "\n".join(case["manifest"]) + "\n", errors="replace")
            except ValueError:
                pass
            if case["link"]:
                (out / "linked").symlink_to(elsewhere, target_is_directory=True)
            if case["link"]:
                (out / "victim_link").symlink_to(root / "victim.txt")
        before = _snapshot(root)
        outcome = "written"
        try:
            if case.get("writer", "docs") == "docs":
                check_out(out, force=True)
                write_tree(out, dict(case["files"]))
            elif case["writer"] == "files":
                outcome = _outpaths_writes(out, case["names"])
            else:
                write_output_file(out / case["single"], b"picture")
        except (ForeignOutput, UsageError):
            outcome = "refused"
        after = _snapshot(root)
        prefix = out.relative_to(root).as_posix() + "/"
        allowed = set()
        if case.get("writer") == "single":  # the file named is the one path given, wherever it leads
            given = out / case["single"]
            for place in (Path(os.path.normpath(given)), Path(os.path.realpath(given.parent)) / given.name):
                base = next((b for b in (root, root.resolve()) if place.is_relative_to(b)), None)
                if base is not None:
                    allowed.add(place.relative_to(base).as_posix())
        for name in set(before) | set(after):
            if before.get(name) != after.get(name) and not name.startswith(prefix) and name not in allowed:
                raise Defect("wrote outside --out", f"{name} ({case})")
        return outcome


def _outpaths_writes(out: Path, names: list[tuple[str, str]]) -> str:
    """Write, write through `writing` or remove each name with the outpaths primitives every writer
    uses (bulk outputs, datasets, export, build, fmt); each refusal must be a UsageError."""
    from tariffc.compiler.outpaths import check_fresh, output_dir, remove_file, write_file, writing
    from tariffc.compiler.project import UsageError

    output_dir(out)
    check_fresh(out, [n for _, n in names], force=True)
    refused = 0
    for how, name in names:
        try:
            if how == "write":
                write_file(out, name, b"data")
            elif how == "writing":
                with writing(out, name) as temp:
                    temp.write_bytes(b"data")
            else:
                remove_file(out, name)
        except UsageError:
            refused += 1
    return "refused" if refused == len(names) else "written"
