"""Every command that writes × every hostile output path (issue 14, "output paths"): nothing outside
the path given ever changes, and a path that cannot be the output is exit 2 with a message naming it.

The rule (compiler/outpaths.py, docs/reliability.md): a writing option's path is resolved part by
part before anything is made (`work/a/../out` makes `work/out`, never `work/a`); missing folders on
the way are made; a folder on the way that is a file, an output folder that is a symbolic link, an
output folder holding files the command did not write, an existing output file (a link or not), a
directory where a file is wanted and a read-only place are refused, exit 2, before any work.

Each case snapshots the whole scratch tree (folders, files' bytes, links' targets) before and after:
a refusal changes nothing at all; a write changes only what lies below the output path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import click
import pytest

from tariffc.compiler.cli import COMMANDS, main
from tariffc.compiler.cli.common import OutputPath
from tariffc.compiler.cli.group import LazyGroup

from .conftest import SCHEDULES, _run

IMPACT = ("impact", "E-1", "--from", "2024-07-01", "--to", "2025-07-01", "--kwh", "200,400")


@pytest.fixture(scope="module")
def place():
    """A scratch folder every user can enter (the read-only case runs the command as `nobody`), with a
    small schedules tree, a meter file and a synthetic dataset that the commands read."""
    top = Path(tempfile.mkdtemp(prefix="tariffc-outtable-"))
    top.chmod(0o755)
    (top / "mpl").mkdir()  # HOME and matplotlib caches for `nobody`: outside the snapshot
    (top / "mpl").chmod(0o777)
    root = top / "place"
    root.mkdir(mode=0o755)
    inputs = root / "inputs"
    shutil.copytree(SCHEDULES / "calendars", inputs / "schedules" / "calendars")
    (inputs / "schedules" / "electric").mkdir()
    for name in ("E-1", "E-7-TOU"):
        shutil.copy(SCHEDULES / "electric" / f"{name}.tariff", inputs / "schedules" / "electric")
    (inputs / "july.csv").write_text("start,end,kwh\n" + "".join(
        f"2025-07-{d:02d} {h:02d}:00,2025-07-{d:02d} {h + 1:02d}:00,0.5\n" if h < 23 else
        f"2025-07-{d:02d} 23:00,{'2025-08-01' if d == 31 else f'2025-07-{d + 1:02d}'} 00:00,0.5\n"
        for d in range(1, 32) for h in range(24)))
    try:
        import numpy  # noqa: F401
        import pyarrow  # noqa: F401
    except ModuleNotFoundError:
        pass
    else:
        from tariffc.compiler.bulk.synth import synthesize

        synthesize(inputs / "data", customers=2, seed=3, months=12)
    for path in [inputs, *inputs.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
    yield root
    shutil.rmtree(top, ignore_errors=True)


def _needs(*modules: str) -> None:
    for module in modules:
        pytest.importorskip(module)


# command → (kind, the arguments with {p} for the output path, modules it needs, output files of a file kind)
WRITERS = {
    "build": ("dir", ("build", "--schedules", "{i}/schedules", "--out", "{p}"), ()),
    "docs": ("dir", ("docs", "--schedules", "{i}/schedules", "--out", "{p}", "--today", "2025-08-01"),
             ("matplotlib", "mkdocs", "pygments")),
    "export urdb --all": ("dir", ("export", "urdb", "--all", "--schedules", "{i}/schedules", "--out", "{p}"), ()),
    "synth": ("dir", ("synth", "--customers", "1", "--months", "1", "--out", "{p}"), ("numpy", "pyarrow")),
    "ingest": ("dir", ("ingest", "{i}/july.csv", "--out", "{p}"), ("pyarrow",)),
    "impact --data": ("dir", ("impact", "--data", "{i}/data", "--schedule", "E-1", "--from", "2024-07-01", "--to",
                              "2025-07-01", "--schedules", "{i}/schedules", "--out", "{p}"),
                      ("numpy", "pyarrow", "matplotlib")),
    "export urdb": ("file", ("export", "urdb", "E-1", "--schedules", "{i}/schedules", "--out", "{p}"), ()),
    "impact --chart": ("file", (*IMPACT, "--schedules", "{i}/schedules", "--chart", "{p}"), ("matplotlib",)),
    "compare --plot": ("file", ("compare", "E-1", "E-7-TOU", "--intervals", "{i}/july.csv", "--start", "2025-07-01",
                                "--end", "2025-08-01", "--schedules", "{i}/schedules", "--plot", "{p}"),
                       ("matplotlib",)),
}
FILE_NAMES = {"export urdb": "out.json", "impact --chart": "out.svg", "compare --plot": "out.svg"}


def _snapshot(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[name] = "link:" + os.readlink(path)
        elif path.is_dir():
            out[name] = "dir"
        else:
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _case(work: Path, kind: str, case: str, file_name: str) -> tuple[Path, str, Path | None]:
    """(the path given, the path the message must name, what may change: None for a refusal)."""
    victim = work / "victim.txt"
    victim.write_text("keep me")
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "page.md").write_text("keep me")
    name = file_name if kind == "file" else "out"
    if case == "wrong kind":  # a file given as --out DIR; a directory given as --out FILE
        if kind == "dir":
            return victim, str(victim), None
        (work / name).mkdir()
        return work / name, str(work / name), None
    if case == "missing parent":
        return work / "new" / "deeper" / name, "", work / "new"
    if case == "dot-dot segments":
        return Path(f"{work}/a/../{name}"), "", work / name
    if case == "below a file":
        return victim / name, str(victim), None
    if case == "symlink":  # a link to a folder elsewhere (dir), or to a file elsewhere (file)
        link = work / name
        link.symlink_to(elsewhere if kind == "dir" else victim)
        return link, str(link), None
    if case == "existing without --force":  # a folder of someone else's files; a file already there
        if kind == "dir":
            (work / name).mkdir()
            (work / name / "notes.txt").write_text("my notes")
        else:
            (work / name).write_text("my picture")
        return work / name, str(work / name), None
    if case == "read-only folder":
        folder = work / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        return folder / name, str(folder), None
    raise AssertionError(case)


CASES = ["wrong kind", "missing parent", "dot-dot segments", "below a file", "symlink", "existing without --force",
         "read-only folder"]


def _run_unprivileged(args: list[str], cwd: Path) -> tuple[int, str]:
    """`tariffc ARGS` as the user `nobody` (root writes into a read-only folder: its mode does not stop it)."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and no setpriv to run the command as another user")
    done = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-P", "-m",
                           "tariffc.compiler.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "MPLCONFIGDIR": str(cwd.parents[1] / "mpl"), "HOME": str(cwd.parents[1] / "mpl")})
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", list(WRITERS))
def test_no_command_writes_outside_the_path_given(place, command, case):
    kind, args, modules = WRITERS[command]
    _needs(*modules)
    if command == "impact --data" and not (place / "inputs" / "data").is_dir():
        pytest.skip("needs the bulk extra")
    work = Path(tempfile.mkdtemp(dir=place, prefix="case-"))
    work.chmod(0o777)  # `nobody` writes here in the read-only case's write attempts
    try:
        given, named, allowed = _case(work, kind, case, FILE_NAMES.get(command, ""))
        argv = [a.format(i=place / "inputs", p=given) for a in args]
        before = _snapshot(place)
        if case == "read-only folder" and os.geteuid() == 0:
            code, text = _run_unprivileged(argv, work)
        else:
            code, text = _run(*argv)
        after = _snapshot(place)
        if allowed is None:
            assert code == 2, f"{command} {case}: exit {code}\n{text}"
            assert named in text, f"{command} {case}: the message does not name {named}\n{text}"
            assert after == before, f"{command} {case} changed {set(after.items()) ^ set(before.items())}"
        else:
            assert code == 0, f"{command} {case}: exit {code}\n{text}"
            prefix = allowed.relative_to(place).as_posix()
            changed = {n for n in set(before) | set(after) if before.get(n) != after.get(n)}
            outside = {n for n in changed if n != prefix and not n.startswith(prefix + "/")}
            if kind == "file" and command == "export urdb":  # the loss report goes beside the file: NAME.loss.md
                outside -= {n for n in outside if n.endswith("out.loss.md")}
            assert not outside, f"{command} {case} changed {sorted(outside)} outside {prefix}"
            assert changed, f"{command} {case} wrote nothing"
            assert not (work / "a").exists()  # `a/..`: the folder before a `..` is never made
    finally:
        for path in (work, *work.rglob("*")):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(work, ignore_errors=True)


def _all_commands() -> list[click.Command]:
    out = []
    for name in COMMANDS:
        command = LazyGroup.get_command(main, None, name)
        out += list(command.commands.values()) if isinstance(command, click.Group) else [command]
    return out


def test_every_writing_option_is_an_output_path():
    """The table above names every writer: each option that names a path to write (`--out`, `--chart`,
    `--plot`) is read by the one OutputPath type, so it is resolved before anything is made."""
    writing = {(command.name, param.name) for command in _all_commands() for param in command.params
               if isinstance(param, click.Option) and {"--out", "--chart", "--plot"} & set(param.opts)}
    assert len(writing) >= 8
    for command in _all_commands():
        for param in command.params:
            if (command.name, param.name) in writing:
                assert isinstance(param.type, OutputPath), f"{command.name} {param.opts}: not an OutputPath"


@pytest.mark.parametrize("command", ["fmt", "new-version"])
def test_a_file_rewritten_in_place_may_lie_below_a_linked_folder(run, tmp_path, command):
    """`fmt` and `new-version` rewrite the file they are given: a link on the way to its folder (a
    schedules tree reached through a link, `/tmp` on macOS) is followed, as for every path given; only
    a file that is itself a link is refused (tests/hostile/test_writers.py)."""
    real = tmp_path / "real"
    shutil.copytree(SCHEDULES / "calendars", real / "calendars")
    (real / "electric").mkdir()
    original = (SCHEDULES / "electric" / "E-1.tariff").read_text(encoding="utf-8")
    (real / "electric" / "E-1.tariff").write_text(original + "\n\n", encoding="utf-8")  # fmt drops the blank lines
    link = tmp_path / "tree"
    link.symlink_to(real, target_is_directory=True)
    if command == "fmt":
        code, text = run("fmt", link / "electric" / "E-1.tariff")
    else:
        code, text = run("new-version", "E-1", "--effective", "2031-07-01", "--schedules", link)
    assert code == 0, text
    after = (real / "electric" / "E-1.tariff").read_text(encoding="utf-8")
    assert after != original + "\n\n" and link.is_symlink() and sorted(p.name for p in tmp_path.iterdir()) == [
        "real", "tree"]
    if command == "new-version":
        assert "effective 2031-07-01" in after or "2031-07-01" in after
