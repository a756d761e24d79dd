"""Writing the generated tree safely: a manifest of what the generator wrote; an output directory
holding files the generator did not write is refused unless forced; stale generated files removed.

Nothing outside `--out` is ever written or deleted: every path, ours or the manifest's, goes through
compiler/outpaths.py (no `..`, no absolute path, no symbolic link on the way), and a manifest naming
such a path is refused before anything is touched.
"""

from __future__ import annotations

from pathlib import Path

from tariffc.compiler.outpaths import UnsafePath, check_output_dir, confined, output_dir, remove_file, write_file
from tariffc.compiler.project import UsageError

MANIFEST = ".tariffc-docs-manifest"  # mkdocs ignores dot files: it never reaches the site
HEADER = "# files written by `tariffc docs`; everything else in this directory is not ours\n"


class ForeignOutput(Exception):
    """The output directory holds files the generator did not write, or cannot be the output."""


def _existing(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() or p.is_symlink()}


def read_manifest(out: Path) -> set[str]:
    """The names an earlier run wrote; ForeignOutput if one of them lies outside `out`."""
    path = out / MANIFEST
    if path.is_symlink() or not path.is_file():
        return set()
    names = {line for line in path.read_text(encoding="utf-8", errors="replace").split("\n")
             if line and not line.startswith("#")}
    for name in sorted(names):
        try:
            confined(out, name)
        except UnsafePath as exc:
            raise ForeignOutput(f"{path} is not one `tariffc docs` wrote: {exc}; nothing was written or "
                                "deleted (remove the manifest or choose another --out)") from None
    return names


def foreign_files(out: Path) -> list[str]:
    """Files in `out` that no earlier run wrote (empty if `out` does not exist)."""
    if not out.exists():
        return []
    if not out.is_dir():
        return [out.name]
    ours = read_manifest(out) | {MANIFEST}
    return sorted(_existing(out) - ours)


def check_output(out: Path, force: bool) -> list[str]:
    """Raise ForeignOutput unless `force`; return the foreign files that will be left in place."""
    try:
        check_output_dir(out)
    except UsageError as exc:
        raise ForeignOutput(str(exc)) from None
    foreign = foreign_files(out)
    if foreign and not force:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ForeignOutput(f"{out} holds files `tariffc docs` did not write ({shown}); "
                            "choose an empty or new directory, or pass --force to write into it anyway")
    return foreign


def write_tree(out: Path, files: dict[str, bytes]) -> None:
    """Write every file (through a temporary name, then rename), remove stale ones, then the manifest.

    Every name is checked before the first file is written. Raises UsageError (exit 2) when a path
    cannot be written."""
    old = read_manifest(out) if out.is_dir() else set()
    output_dir(out)
    for name in files:
        confined(out, name)
    for name, data in files.items():
        write_file(out, name, data)
    for name in sorted(old - set(files)):
        if remove_file(out, name):
            _prune(confined(out, name).parent, out)
    write_file(out, MANIFEST, (HEADER + "".join(f"{name}\n" for name in sorted(files))).encode("utf-8"))


def _prune(directory: Path, root: Path) -> None:
    while directory != root and directory.is_dir() and not directory.is_symlink() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
