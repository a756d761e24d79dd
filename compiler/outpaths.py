"""Output paths: every file a command writes or deletes lies inside the directory it was given.

    out = output_dir(Path("build/site-src"))     # made if missing; a file or an unmakeable path → UsageError
    write_file(out, "schedules/E-1.md", data)     # atomic; refuses `..`, absolute and symlinked escapes
    remove_file(out, "old/page.md")               # same confinement; never follows a link out

A name is a relative POSIX path of plain parts (no `..`, `.`, empty part, backslash or NUL); no
directory on its way below `out` may be a symbolic link; the target itself, when a link, is replaced
or removed as a link (its target is never opened). Every refusal is a `UsageError` (exit 2).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath

from tariffc.compiler.project import UsageError


NAME_MAX = 255  # bytes in one file name on Linux, macOS and Windows file systems


class UnsafePath(UsageError):
    """A name that would reach outside the output directory."""


def check_output_dir(out: Path) -> None:
    """UsageError unless `out` is a directory or can be made (checked before any work; makes nothing)."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a directory; choose a directory for --out")
    existing = out.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"cannot make the output directory {out}: {existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"cannot make or write the output directory {out}: {existing} is not writable")


def output_dir(out: Path) -> Path:
    """Make `out` (and missing parents) or raise UsageError saying why it cannot be the output."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a directory; choose a directory for --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the output directory {out}: {exc.strerror or exc}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write in the output directory {out}: permission denied")
    return out


def confined(out: Path, name: str) -> Path:
    """`out / name`, or UnsafePath if the name, or a link on its way, leads outside `out`."""
    pure = PurePosixPath(name)
    if (not name or "\\" in name or "\0" in name or pure.is_absolute()
            or any(part in ("", ".", "..") for part in name.split("/"))):
        raise UnsafePath(f"refusing the path {name!r}: not a plain relative path inside {out}")
    long = next((part for part in pure.parts if len(part.encode("utf-8", "surrogatepass")) > NAME_MAX), None)
    if long is not None:
        raise UnsafePath(f"refusing the path {name[:60]!r}…: a file name of {len(long)} characters is longer "
                         f"than file systems allow ({NAME_MAX} bytes)")
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


def write_file(out: Path, name: str, data: bytes) -> Path:
    """Write `data` to `out/name` through a fresh temporary file and a rename (never a partial file)."""
    target = confined(out, name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            return target
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:40]}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


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
