"""What every `tariffc` command shares: the exit codes and the option helpers.

Exit codes (documented in README.md and docs/architecture.md):

    EXIT_OK        0  done; for `check`, no errors
    EXIT_ERRORS    1  errors found: in the schedules, the bill input or the meter data
    EXIT_USAGE     2  usage or I/O error: a bad option, date or path; a missing extra
    EXIT_INTERNAL  3  an unexpected exception (a bug): one line asking for a report

This module imports only click and the standard library, so that every command can use it without
loading anything it does not need.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from pathlib import Path
from typing import NoReturn

import click

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


def fail(command: str, message: str, code: int = EXIT_ERRORS) -> NoReturn:
    """Print `tariffc COMMAND: message` on stderr and exit with `code` (EXIT_ERRORS by default)."""
    prefix = f"tariffc {command}:" if command else "tariffc:"
    click.echo(f"{prefix} {cut_long_words(message)}", err=True)
    sys.exit(code)


LONG_WORD = 120  # characters: longer than any path or value a message needs to show whole


def cut_long_words(message: str) -> str:
    """A message with every run of more than LONG_WORD non-space characters cut, saying how long it
    was: a 400-digit number or a pasted file given as an argument is not echoed whole."""
    return re.sub(rf"\S{{{LONG_WORD + 1},}}",
                  lambda m: f"{m.group()[:60]}…({len(m.group()):,} characters)", message)


# The optional extras of pyproject.toml and the importable modules each one brings.
EXTRAS: dict[str, tuple[str, ...]] = {
    "docs": ("matplotlib", "pygments", "mkdocs"),
    "plot": ("matplotlib",),
    "bulk": ("numpy", "pyarrow", "dask", "distributed"),
}


def missing_extra_message(extra: str, module: str, what: str) -> str:
    """One wording for every missing extra: what needs it, which module is absent, how to install."""
    return f"{what} needs the '{extra}' extra ({module} is not installed): pip install 'tariffc[{extra}]'"


def require_extra(extra: str, what: str, modules: tuple[str, ...] | None = None) -> None:
    """Exit 2 with `pip install 'tariffc[EXTRA]'` when a module of `extra` cannot be imported.
    Checked before any work, so nothing is half done. `what` names the command or option."""
    for module in modules or EXTRAS[extra]:
        if importlib.util.find_spec(module) is None:
            fail("", missing_extra_message(extra, module, what), EXIT_USAGE)


def extra_of(module: str | None) -> str | None:
    """The extra that provides a top-level module, if any (for an ImportError raised mid-command)."""
    top = (module or "").partition(".")[0]
    return next((extra for extra, modules in EXTRAS.items() if top in modules), None)


def schedules_option(*, multiple: bool = False, must_exist: bool = True,
                     help: str = "The schedules tree (a directory holding calendars/); default: the schedules "
                                 "shipped with tariffc, or $TARIFFC_SCHEDULES."):
    """`--schedules DIR` (one name in every command; `--schedules-dir` is kept as a hidden older
    spelling). The command receives `schedules`: a resolved `schedules_tree.Tree` (the option, else
    $TARIFFC_SCHEDULES, else the packaged tree), or with `multiple=True` a list of paths. A tree that
    is not a directory exits 2 here, before any work, unless `must_exist=False`."""

    def decorate(function):
        @functools.wraps(function)
        def command(*args, **kwargs):
            given, legacy = kwargs.pop("schedules_given"), kwargs.pop("schedules_legacy")
            kwargs["schedules"] = _resolve(given or legacy, multiple=multiple, must_exist=must_exist)
            return function(*args, **kwargs)

        default = () if multiple else None
        command = click.option("--schedules-dir", "schedules_legacy", type=click.Path(path_type=Path),
                               multiple=multiple, default=default, hidden=True)(command)
        return click.option("--schedules", "schedules_given", type=click.Path(path_type=Path), multiple=multiple,
                            default=default, metavar="DIR", help=help)(command)

    return decorate


def resolve_schedules(given: Path | None):
    """The schedules tree for `--schedules DIR` (None: $TARIFFC_SCHEDULES, else the packaged tree);
    exits 2 when it is not a directory."""
    return _resolve(given, multiple=False, must_exist=True)


def _resolve(given, *, multiple: bool, must_exist: bool):
    from tariffc.compiler.schedules_tree import ENV_VAR, NoSchedules, resolve

    try:
        if multiple:
            return list(given) if given else [resolve(None).path]
        tree = resolve(given)
    except NoSchedules as exc:
        fail("", str(exc), EXIT_USAGE)
    if must_exist and not tree.path.is_dir():
        named = {"environment": f"{ENV_VAR}={tree.path}", "option": f"--schedules {tree.path}"}[tree.origin]
        fail("", f"{named}: no such schedules directory", EXIT_USAGE)
    if must_exist and next(tree.path.rglob("*.tariff"), None) is None:  # a mistyped tree, not "unknown E-1"
        named = {"environment": f"{ENV_VAR}={tree.path}", "option": f"--schedules {tree.path}",
                 "packaged": str(tree.path)}[tree.origin]
        fail("", f"{named}: no .tariff file in this directory (a schedules tree holds schedule files and "
                 f"calendars/)", EXIT_USAGE)
    return tree


def note_tree(tree, *, text: bool) -> None:
    """Say, as the first line of a text output, which schedules tree was read when it is not the one
    shipped with tariffc. Machine formats (JSON, CSV) stay as they are: their caller named the tree."""
    if text and not tree.is_default:
        click.echo(tree.describe())


def warn_newer_rates(schedules, day) -> None:
    """On stderr: for the schedules shown or billed for `day` from a latest version that is more than
    a July 1 old, that newer rates may have been adopted (rates.newer_rates_note); several
    schedules in one line."""
    from tariffc.compiler.rates import newer_rates_note

    stale = [(s, note) for s in schedules if (note := newer_rates_note(s, day))]
    if len(stale) == 1:
        click.echo(f"tariffc: warning: {stale[0][1]}", err=True)
    elif stale:
        by_version: dict[str, list[str]] = {}
        for schedule, _ in stale:
            latest = max(schedule.versions, key=lambda v: v.effective)
            by_version.setdefault(latest.label, []).append(schedule.id)
        listing = "; ".join(f"{', '.join(ids)} ({label})" for label, ids in sorted(by_version.items()))
        click.echo(f"tariffc: warning: newer rates may have been adopted: on {day} the latest versions known here "
                   f"are more than a July 1 old for {listing}; CPAU adopts new rates every July 1", err=True)


# An integer option's value: an optional sign and the digits 0-9, nothing else. click's INT (and
# IntRange) take whatever Python's int() takes: `3_0`, Arabic-Indic or full-width digits, spaces around.
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")


def plain_integer(text: str) -> int | None:
    """`text` as an int when it is written in the digits 0-9 (an optional sign, at most 18 digits;
    spaces around it are dropped), else None: the one reading of an integer typed on the command line
    (integer options, `--months 7,3`, $COLUMNS)."""
    if not isinstance(text, str) or not _INTEGER.fullmatch(text.strip()):
        return None
    return int(text.strip())


class Integer(click.ParamType):
    """An integer option (`--days`, `--workers`, `--customers`, `--seed`, `--months`), written in the
    digits 0-9 and within [low, high] (None: unbounded). Anything else — `3_0`, `٣`, `３`, `1e3`, `2.0` —
    is refused naming the option and the value, exit 2, as runtime/inputs.number refuses a bill input
    that is not plainly a number. Every integer option of the CLI uses this type
    (tests/hostile/test_integer_options.py checks that none uses click's INT or IntRange)."""

    name = "integer"

    def __init__(self, low: int | None = None, high: int | None = None):
        self.low, self.high = low, high

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int) and not isinstance(value, bool):  # a default written in the code
            number = value
        else:
            number = plain_integer(str(value))
            if number is None:
                self.fail(f"{_cut(str(value))!r} is not a whole number written in the digits 0-9 (no '_', "
                          "',', '.', exponent or other digits)", param, ctx)
        if (self.low is not None and number < self.low) or (self.high is not None and number > self.high):
            self.fail(f"{number} is not in {self._range()}", param, ctx)
        return number

    def _range(self) -> str:
        if self.high is None:
            return f"{self.low} or more"
        if self.low is None:
            return f"{self.high} or less"
        return f"{self.low} to {self.high}"

    def __repr__(self) -> str:
        return f"Integer({self.low}, {self.high})"


def name_values(pairs, option: str = "--set") -> dict[str, str]:
    """`NAME=VALUE` option values (`--set`, `--option`, repeatable) as {name: value}. UsageError (exit
    2) for an item that is not NAME=VALUE, and for a name given twice: the last would silently win."""
    from tariffc.compiler.project import UsageError  # noqa: PLC0415 - this module imports only click

    out: dict[str, str] = {}
    for item in pairs:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"{option} {_cut(item)!r}: write NAME=VALUE")
        if name in out:
            raise UsageError(f"{option} {_cut(name)} is given twice ({_cut(out[name])!r}, then "
                             f"{_cut(value.strip())!r}); give it once")
        out[name] = value.strip()
    return out


def _cut(text: str, width: int = 40) -> str:
    """A value echoed in a message, cut to `width` characters."""
    return text if len(text) <= width else text[:width - 3] + "..."


def format_option(*choices: str, default: str | None = None):
    """`--format CHOICE` with the first choice as the default."""
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default or choices[0],
                        show_default=True, help="Output format.")


class OutputPath(click.ParamType):
    """A path a command writes (`--out`, `--chart`, `--plot`): converted by outpaths.resolve_output, so
    the command only ever sees the path resolved as the kernel would — `--out ../a/../x` is `../x`
    and `a` is never made; a link on the way is followed unless it leads nowhere; the last part is not
    followed (the writers refuse an output folder that is a link, and replace an output file only with
    --force). A folder on the way that is a file is a UsageError (exit 2) naming the option and path.
    Every writing option of the CLI uses this type (tests/hostile/test_output_table.py checks it)."""

    name = "path"

    def convert(self, value, param, ctx) -> Path:
        from tariffc.compiler.outpaths import resolve_output  # noqa: PLC0415 - this module imports only click

        option = max(param.opts, key=len) if param is not None else "--out"
        return resolve_output(Path(value), option)  # UsageError: `tariffc: …`, exit 2 (cli/group.py)


def out_option(*, default: Path | None = None, required: bool = False, help: str = "Where to write the output."):
    """`--out PATH`: the one path a writing command writes under (an OutputPath)."""
    return click.option("--out", "out", type=OutputPath(), default=default, required=required,
                        show_default=default is not None, help=help)


def force_option(help: str = "Replace an existing output file, or write into a folder holding files this "
                              "command did not write."):
    """`--force`: the one way to let a command replace or mix with what it did not write."""
    return click.option("--force", is_flag=True, help=help)


def parse_settings(pairs) -> dict[str, str]:
    """`--set NAME=VALUE` options (repeatable) → {NAME: VALUE}, both stripped; a NAME given twice is refused.
    Raises UsageError (exit 2) for an item without `=` or a name. Typing the values is the one
    input layer's job (runtime/inputs.py), not this one's."""
    from tariffc.compiler.project import UsageError  # noqa: PLC0415 - keeps this module light

    del UsageError
    return name_values(pairs, "--set")  # a NAME given twice is refused: the last would silently win


def parse_date(value: str, option: str):
    """An option's `YYYY-MM-DD` → datetime.date; UsageError (exit 2) naming the option otherwise."""
    from tariffc.compiler.project import UsageError  # noqa: PLC0415
    from tariffc.compiler.runtime.inputs import iso_date  # noqa: PLC0415

    try:
        return iso_date(value)
    except ValueError as exc:  # says why: "is not a day: February 2025 has 28 days"
        raise UsageError(f"{option} '{cut_long_words(value.strip())[:60]}' {exc}") from None
