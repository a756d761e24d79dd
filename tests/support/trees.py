"""A copy of the repository's schedules/ tree with one text change, for the mutation tests of the
checks (tests/compiler/checks): change one rate and expect a diagnostic at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

from .schedules import SCHEDULES


def mutated(tmp_path: Path, rel: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of schedules/ under `tmp_path` with `old` replaced by `new` once in the file `rel`
    (relative to schedules/); returns (the copied tree, the 1-based line of the change)."""
    tree = tmp_path / "schedules"
    shutil.copytree(SCHEDULES, tree)
    path = tree / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return tree, text[: text.index(old)].count("\n") + 1
