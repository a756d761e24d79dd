"""Writing the generated tree safely: a manifest of what the generator wrote; an output directory
holding files the generator did not write is refused unless forced; stale generated files removed."""

from __future__ import annotations

import os
from pathlib import Path

MANIFEST = ".tariffc-docs-manifest"  # mkdocs ignores dot files: it never reaches the site
HEADER = "# files written by `tariffc docs`; everything else in this directory is not ours\n"


class ForeignOutput(Exception):
    """The output directory holds files the generator did not write."""


def _existing(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() or p.is_symlink()}


def read_manifest(out: Path) -> set[str]:
    path = out / MANIFEST
    if not path.is_file():
        return set()
    return {line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}


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
    if out.exists() and not out.is_dir():
        raise ForeignOutput(f"{out} exists and is not a directory")
    foreign = foreign_files(out)
    if foreign and not force:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ForeignOutput(f"{out} holds files `tariffc docs` did not write ({shown}); "
                            "choose an empty or new directory, or pass --force to write into it anyway")
    return foreign


def write_tree(out: Path, files: dict[str, bytes]) -> None:
    """Write every file (through a temporary name, then rename), remove stale ones, then the manifest."""
    old = read_manifest(out) if out.is_dir() else set()
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_file() and target.read_bytes() == data:
            continue
        temp = target.with_name(f".{target.name}.tmp")
        temp.write_bytes(data)
        os.replace(temp, target)
    for name in sorted(old - set(files)):
        stale = out / name
        if stale.is_file():
            stale.unlink()
            _prune(stale.parent, out)
    (out / MANIFEST).write_text(HEADER + "".join(f"{name}\n" for name in sorted(files)), encoding="utf-8")


def _prune(directory: Path, root: Path) -> None:
    while directory != root and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
