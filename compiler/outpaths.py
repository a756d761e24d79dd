"""Output paths: every file a command writes or deletes lies inside the directory it was given.

    out = output_dir(Path("build/site-src"))     # resolved, then made if missing; a link, a file → UsageError
    check_fresh(out, OWN_NAMES, force)            # refuses a folder holding other files, unless --force
    write_file(out, "schedules/E-1.md", data)     # atomic; refuses `..`, absolute and symlinked escapes
    with writing(out, "results.parquet") as temp: # for libraries that write to a path (pyarrow, matplotlib)
        pq.write_table(table, temp)
    remove_file(out, "old/page.md")               # same confinement; never follows a link out
    write_output_file(Path("chart.svg"), data, force=False)  # a single output file; an existing one
                                                             # is replaced only with --force

The rule for a path a command is given (`--out`, `--chart`, `--plot`; `resolve_output`, before
anything is made): it is made absolute and resolved part by part as the kernel would — a `..` undoes
the folder before it *after* that folder's links are followed, so `--out ../a/../x` makes only `x`,
never `a` — and a link on the way to it (`/tmp` on macOS, a home on another disk) is followed, as
every program follows it, unless it leads nowhere. The path itself is never followed: an output
*folder* that is a symbolic link is refused (give the folder it leads to), and an output *file* that
exists — a link or not — is replaced only with `--force`, and then as a file (its link is replaced,
its target never opened). A folder on the way that is a file is refused.

A name is a relative POSIX path of plain parts (no `..`, `.`, empty part, backslash or NUL); no
directory on its way below `out` may be a symbolic link; the target itself, when a link, is replaced
or removed as a link (its target is never opened). Missing folders are made, for a directory and for
a single file alike. A file replaced keeps its permission bits; a new one gets the user's default
(0666 less the umask), not the 0600 of a temporary file. Every refusal is a `UsageError` (exit 2).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from tariffc.compiler.project import UsageError


NAME_MAX = 255  # bytes in one file name on Linux, macOS and Windows file systems


class UnsafePath(UsageError):
    """A name that would reach outside the output directory."""


def resolve_output(path: Path, option: str = "--out") -> Path:
    """`path` as an absolute path whose folders are all real (links on the way followed, each `..`
    applied after the folder before it is resolved), its last part kept as given and not followed.
    Makes nothing. UsageError naming `option` and the path when a folder on the way is a file or a
    link on the way leads nowhere.

    `os.path.abspath` would undo `a/..` by text (wrong when `a` is a link) and `mkdir(parents=True)`
    on the unresolved path would make `a`; this walks the parts one at a time instead."""
    given = Path(path)
    here = Path.cwd() if not given.is_absolute() else Path(given.anchor)  # getcwd() is already real
    parts = [part for part in given.parts[1 if given.is_absolute() else 0:] if part not in ("", ".")]
    for index, part in enumerate(parts):
        if part == "..":
            here = here.parent
            continue
        step = here / part
        try:
            info = step.lstat()
        except FileNotFoundError:
            here = step  # missing: so is everything below it; a later `..` just comes back up
            continue
        except OSError as exc:
            raise UsageError(f"{option} {given}: cannot read {step} ({exc.strerror or exc})") from None
        if index == len(parts) - 1:
            here = step  # the path itself: never followed (output_dir and output_file judge it)
        elif stat.S_ISLNK(info.st_mode):
            try:
                here = Path(os.path.realpath(step, strict=True))
            except OSError:
                raise UsageError(f"{option} {given}: the symbolic link {step} on its way leads nowhere "
                                 f"({os.readlink(step)}); nothing was made") from None
            if not here.is_dir():
                raise UsageError(f"{option} {given}: {step} leads to the file {here}, not a folder")
        elif not stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{option} {given}: {step} is not a directory (it is a file); choose a path in a folder")
        else:
            here = step
    return here


def _resolved_dir(out: Path, option: str = "--out") -> Path:
    """`resolve_output(out)`, refused when it is a symbolic link or a file (the rule for a folder)."""
    real = resolve_output(out, option)
    if real.is_symlink():
        raise UnsafePath(f"{option} {out} is a symbolic link (to {os.readlink(real)}); tariffc does not write "
                         f"through a link: give the folder it leads to ({os.path.realpath(real)}) or another one")
    if real.exists() and not real.is_dir():
        raise UsageError(f"{option} {out} exists and is not a directory; choose a directory for {option}")
    return real


def check_output_dir(out: Path, option: str = "--out") -> Path:
    """The resolved `out` (resolve_output), or UsageError unless it is a directory or can be made
    (checked before any work; makes nothing)."""
    real = _resolved_dir(out, option)
    existing = real
    while not existing.exists():
        existing = existing.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"cannot make or write the output directory {out}: {existing} is not writable")
    return real


def output_dir(out: Path, option: str = "--out") -> Path:
    """Make the resolved `out` (and its missing parents: only the folders the path names) and return
    it; UsageError saying why it cannot be the output."""
    real = _resolved_dir(out, option)
    try:
        real.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the output directory {out}: {exc.strerror or exc}") from None
    if not os.access(real, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write in the output directory {out}: permission denied")
    return real


def confined(out: Path, name: str) -> Path:
    """`out / name` (with `out` resolved: resolve_output), or UnsafePath if the name, or a link on its
    way, leads outside `out`, or `out` itself is a link."""
    pure = PurePosixPath(name)
    if (not name or "\\" in name or "\0" in name or pure.is_absolute()
            or any(part in ("", ".", "..") for part in name.split("/"))):
        raise UnsafePath(f"refusing the path {name!r}: not a plain relative path inside {out}")
    long = next((part for part in pure.parts if len(part.encode("utf-8", "surrogatepass")) > NAME_MAX), None)
    if long is not None:
        raise UnsafePath(f"refusing the path {name[:60]!r}…: a file name of {len(long)} characters is longer "
                         f"than file systems allow ({NAME_MAX} bytes)")
    out = _resolved_dir(out)  # so `out/a/../x` or a linked `out` never makes or writes anything elsewhere
    here = out
    try:
        for part in pure.parts[:-1]:
            here = here / part
            if here.is_symlink():
                raise UnsafePath(f"refusing to write through the symbolic link {here} (it may lead outside {out})")
            if here.exists() and not here.is_dir():
                raise UnsafePath(f"refusing the path {name!r}: {here} is a file, not a directory")
        target = out / pure
        parent = target.parent.resolve()
    except OSError as exc:
        raise UnsafePath(f"refusing the path {name[:80]!r}: {exc.strerror or exc}") from None
    if not parent.is_relative_to(out.resolve()):
        raise UnsafePath(f"refusing the path {name!r}: it resolves outside {out}")
    return target


def check_fresh(out: Path, own: Iterable[str], force: bool, option: str = "--out") -> None:
    """UsageError unless `out` is missing, empty, or holds only files named in `own` (what this writer
    writes: a rerun replaces them; shell patterns such as `tariff_*.py` allowed) and temporary files it
    left (`.NAME.*`) — or `force` is given. Checked before any work, so a folder of someone else's
    files is never written into by mistake."""
    if not out.is_dir():
        return
    own = list(own)

    def ours(name: str) -> bool:
        return any(fnmatchcase(name, n) or fnmatchcase(name, f".{n}.*") for n in own)

    foreign = sorted(p.name for p in out.iterdir() if not ours(p.name))
    if foreign and not force:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise UsageError(f"{option} {out} holds files this command did not write ({shown}); choose a new or "
                         "empty directory, or pass --force to write into it anyway")


def _default_mode() -> int:
    """0666 less the process's umask (read without changing it where /proc says it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _mode_for(target: Path) -> int:
    try:
        info = target.lstat()
    except OSError:
        return _default_mode()
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else _default_mode()


@contextlib.contextmanager
def writing(out: Path, name: str) -> Iterator[Path]:
    """A temporary path beside `out/name` (confined like `write_file`) for a library that writes to a
    path; renamed over `out/name` when the block ends, removed if it raises."""
    target = confined(out, name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:40]}.", suffix=".tmp")
        os.close(handle)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        yield Path(temp)
        os.chmod(temp, _mode_for(target))
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_file(out: Path, name: str, data: bytes) -> Path:
    """Write `data` to `out/name` through a fresh temporary file and a rename (never a partial file)."""
    target = confined(out, name)
    try:
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            return target
    except OSError:
        pass
    with writing(out, name) as temp:
        temp.write_bytes(data)
    return target


def open_for_append(out: Path, name: str):
    """`out/name` opened to append text (a journal: `done.csv`, `refused.csv`), made if missing; a
    symbolic link at the name is refused (`O_NOFOLLOW`), never appended through."""
    target = confined(out, name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(target, flags, _default_mode())
    except OSError as exc:
        if target.is_symlink():
            raise UnsafePath(f"refusing to append through the symbolic link {target}") from None
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    return open(fd, "a", newline="", encoding="utf-8")


def output_file(path: Path, option: str = "--out", *, force: bool = False) -> tuple[Path, str]:
    """(directory, name) for a command's single output file, its folder resolved (resolve_output) and
    made if missing (the rule of every writer). UsageError if the path is a directory, a folder on its
    way is a file, or it exists (a file or a link) and `force` is not given: an output file is replaced
    only when asked. Call it before the work, with the same `force`, to refuse before anything is done."""
    real = resolve_output(Path(path), option)
    if real.is_dir() and not real.is_symlink():
        raise UsageError(f"{option} {path} is a directory; name the file to write")
    if not Path(path).name or Path(path).name in (".", ".."):
        raise UsageError(f"{option} {path}: name the file to write")
    if os.path.lexists(real) and not force:
        raise UsageError(f"{option} {path} exists; pass --force to replace it (or name a new file)")
    return output_dir(real.parent, option), real.name


def check_output_file(path: Path, option: str = "--out", *, force: bool = False) -> None:
    """The refusals of `output_file` (a directory, a file on the way, an existing file without --force,
    an unwritable folder), checked before any work; makes nothing."""
    real = resolve_output(Path(path), option)
    if real.is_dir() and not real.is_symlink():
        raise UsageError(f"{option} {path} is a directory; name the file to write")
    if os.path.lexists(real) and not force:
        raise UsageError(f"{option} {path} exists; pass --force to replace it (or name a new file)")
    check_output_dir(real.parent, option)


def write_output_file(path: Path, data: bytes, option: str = "--out", *, force: bool = False) -> Path:
    """Write a command's single output file (`--chart FILE`, `export urdb --out FILE`): missing folders
    made, through a temporary file and a rename; an existing file (or a link: replaced, not followed)
    only with `force`."""
    folder, name = output_file(path, option, force=force)
    return write_file(folder, name, data)


def rewrite_file(path: Path, data: bytes, what: str = "the file") -> Path:
    """Rewrite the file a command was given to change in place (`fmt`, `new-version`), atomically and
    keeping its mode: links on the way to its folder are followed (resolve_output), as for every path
    given; the file itself must not be a link (UnsafePath: neither written through nor cut)."""
    real = resolve_output(Path(path), what)
    if real.is_symlink():
        raise UnsafePath(f"refusing to write {path}: a symbolic link to {os.readlink(real)}")
    return write_file(real.parent, real.name, data)


def remove_file(out: Path, name: str) -> bool:
    """Remove `out/name` if it is a file or a link (the link itself); True if something was removed."""
    target = confined(out, name)
    if not (target.is_symlink() or target.is_file()):
        return False
    try:
        target.unlink()
    except OSError as exc:
        raise UsageError(f"cannot remove {target}: {exc.strerror or exc}") from None
    return True
