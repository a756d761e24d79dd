"""Which tree of `.tariff` files a command or `Tariffs.load()` reads.

The CPAU schedules ship inside the package (`tariffc.schedules`, the repository's `schedules/`
directory, found with `importlib.resources`), so an installed `tariffc` bills from any directory.
`--schedules DIR` on the command line, else the `TARIFFC_SCHEDULES` environment variable, names
another tree. A tree is a directory holding `calendars/` (shared calendars) beside the schedule
files and `published/` (staff-report tables).
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

import attrs

ENV_VAR = "TARIFFC_SCHEDULES"
PACKAGE = "tariffc.schedules"


class NoSchedules(LookupError):
    """The packaged schedules cannot be found (a broken install, or a zipped one)."""


def packaged_schedules() -> Path:
    """The directory of the schedules shipped with tariffc. In a source checkout whose editable
    install predates the `tariffc.schedules` package, the `schedules/` beside `compiler/`.

    Raises NoSchedules when neither is a directory on disk."""
    try:
        root = importlib.resources.files(PACKAGE)
    except ModuleNotFoundError:
        root = None
    if isinstance(root, Path) and root.is_dir():
        return root
    checkout = Path(__file__).resolve().parents[1] / "schedules"
    if (checkout / "calendars").is_dir():
        return checkout
    raise NoSchedules(f"the schedules shipped with tariffc are missing (package {PACKAGE}); reinstall "
                      f"tariffc, or name a tree with --schedules DIR or {ENV_VAR}")


@attrs.frozen
class Tree:
    """A schedules tree and where its name came from: "packaged", "environment" or "option"."""

    path: Path
    origin: str

    @property
    def is_default(self) -> bool:
        if self.origin == "packaged":
            return True
        try:
            return self.path.resolve() == packaged_schedules().resolve()
        except NoSchedules:
            return False

    def describe(self) -> str:
        """One line saying which tree was read and why (shown when it is not the packaged one)."""
        how = {"environment": f"from {ENV_VAR}", "option": "from --schedules"}.get(self.origin, "shipped with tariffc")
        return f"schedules: {self.path} ({how})"


def resolve(given: Path | str | None = None) -> Tree:
    """The tree to read: `given` (the --schedules option), else $TARIFFC_SCHEDULES, else the
    packaged schedules. Raises NoSchedules only for the packaged default."""
    if given is not None:
        return Tree(Path(given), "option")
    env = os.environ.get(ENV_VAR)
    if env:
        return Tree(Path(env), "environment")
    return Tree(packaged_schedules(), "packaged")


def tree_root(path: Path) -> Path | None:
    """The tree a `.tariff` file (or a directory inside a tree) belongs to: the nearest directory at
    or above it that holds `calendars/`. None when there is none."""
    start = path.resolve()
    for directory in ([start] if start.is_dir() else []) + list(start.parents):
        if (directory / "calendars").is_dir():
            return directory
    return None
