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
    click.echo(f"{prefix} {message}", err=True)
    sys.exit(code)


def schedules_option(*, multiple: bool = False, hidden_aliases: tuple[str, ...] = (),
                     help: str = "The schedules tree (a directory holding calendars/).") -> click.Option:
    """`--schedules DIR`: the tree of .tariff files a command reads. `hidden_aliases` are older
    spellings still accepted (e.g. `--schedules-dir`)."""
    decorator = click.option(
        "--schedules", "schedules_dir", *hidden_aliases,
        type=click.Path(path_type=Path), multiple=multiple,
        default=[Path("schedules")] if multiple else Path("schedules"), show_default=True, help=help)
    return decorator


def format_option(*choices: str, default: str | None = None):
    """`--format CHOICE` with the first choice as the default."""
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default or choices[0],
                        show_default=True, help="Output format.")


def out_option(*, default: Path | None = None, required: bool = False, help: str = "Where to write the output."):
    """`--out PATH`: the one path a writing command writes under."""
    return click.option("--out", "out", type=click.Path(path_type=Path), default=default, required=required,
                        show_default=default is not None, help=help)
