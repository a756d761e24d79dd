"""Errors a bill can raise, carrying where in the `.tariff` file the rule that raised them is.

A generated bill function runs with a line map (generated line → `Loc`); when a `BillInputError`
or an unexpected exception leaves it, the loader attaches the `Loc` of the statement that was
running (see `codegen.loader`), so the message names `schedules/…/X.tariff:LINE` and the sheet
section, as Catala's `CatalaError(source_positions, …)` does.
"""

from __future__ import annotations

import contextvars
import sys
from dataclasses import dataclass

# Who reads the messages: "api" (Python callers: `kwh=`, `green_option=VALUE`) or "cli" (`--kwh`,
# `--set green_option=VALUE`). The command line sets it for the command it runs.
WORDING: contextvars.ContextVar[str] = contextvars.ContextVar("tariffc_wording", default="api")
MEASURED_OPTIONS = {"kwh": "--kwh", "kw": "--kw", "therms": "--therms", "exported_kwh": "--exported-kwh",
                    "intervals": "--intervals"}


#: The running command's name and options (`tariffc impact`, {"--kwh", "--kw", …}), set by the command
#: line once it knows the command; None: any option may be named (a caller outside a command).
COMMAND: contextvars.ContextVar[tuple[str, frozenset[str]] | None] = contextvars.ContextVar("tariffc_command",
                                                                                           default=None)
#: What a command that cannot take an input may point to instead (said after "has no option for it").
ELSEWHERE = {"intervals": "interval data is billed by `tariffc bill --intervals FILE`, or for every customer of "
                          "a dataset by `tariffc impact --data DATASET`"}


def ask_for(name: str) -> str | None:
    """How to give input `name`, in the words of the caller (WORDING): `kwh=` or `--kwh`;
    a named input `green_option=VALUE` or `--set green_option=VALUE`. None when the running
    command (`COMMAND`) has no such option."""
    cli = WORDING.get() == "cli"
    if not cli:
        return f"{name}=" if name in MEASURED_OPTIONS else f"{name}=VALUE (or values={{{name!r}: VALUE}})"
    option = MEASURED_OPTIONS.get(name, "--set")
    command = COMMAND.get()
    if command is not None and option not in command[1]:
        return None
    return option if name in MEASURED_OPTIONS else f"--set {name}=VALUE"


def ask_for_any(names: tuple[str, ...]) -> str:
    """"give --kw or --intervals" in the caller's words, naming only what the running command takes;
    when it takes none of them, says so (and where the input can be given)."""
    asks = [ask for ask in (ask_for(name) for name in names) if ask]
    if asks:
        return "give " + " or ".join(asks)
    command = COMMAND.get()
    label = command[0] if command else "this command"
    missing = " or ".join(MEASURED_OPTIONS.get(name, name) for name in names)
    elsewhere = [ELSEWHERE[name] for name in names if name in ELSEWHERE]
    return f"{label} has no {missing} option" + (f" ({'; '.join(elsewhere)})" if elsewhere else "")


@dataclass(frozen=True)
class Loc:
    """A place in a `.tariff` file: its path as given to the compiler, the line, the sheet section."""

    path: str
    line: int
    section: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" + (f" ({self.section})" if self.section else "")


class BillInputError(ValueError):
    """Bill input that cannot be billed: names the field and the value and, once known, the
    `.tariff` line whose rule refused it (`loc`)."""

    def __init__(self, field_name: str, value, message: str, loc: Loc | None = None, *, give: tuple[str, ...] = ()):
        self.field = field_name
        self.value = value
        self.message = message
        self.loc = loc
        self.give = give  # inputs that would settle it, named when shown in the caller's words (`ask_for`)
        super().__init__(self._text())

    def _text(self) -> str:
        text = f"{self.field} = {self.value}: {self.message}"
        if self.give:
            text += "; " + ask_for_any(self.give)
        return text + (f" [{self.loc}]" if self.loc is not None else "")

    def at(self, loc: Loc | None) -> BillInputError:
        """This error located at `loc` (kept if already located)."""
        if loc is not None and self.loc is None:
            self.loc = loc
            self.args = (self._text(),)
        return self

    def __str__(self) -> str:
        return self._text()

    def __reduce__(self):
        # pickled as its fields (dask ships errors between processes): Exception's default would call
        # BillInputError(text) with the one message argument and fail
        return _bill_input_error, (type(self), self.field, self.value, self.message, self.loc, self.give)


def _bill_input_error(cls, field_name, value, message, loc, give):
    return cls(field_name, value, message, loc, give=give)


class BillError(RuntimeError):
    """An unexpected failure inside a generated bill function (a defect, not bad input), located
    at the `.tariff` rule being computed; the original exception is its `__cause__`."""

    def __init__(self, schedule: str, loc: Loc | None, error: BaseException):
        self.schedule = schedule
        self.loc = loc
        super().__init__(f"internal error billing {schedule} at {loc or 'an unknown line'}: "
                         f"{type(error).__name__}: {error}")

    def __reduce__(self):
        # pickled with its message (the original exception, its __cause__, may not pickle)
        return _bill_error, (type(self), self.schedule, self.loc, str(self))


def _bill_error(cls, schedule, loc, text):
    error = cls.__new__(cls)
    RuntimeError.__init__(error, text)
    error.schedule, error.loc = schedule, loc
    return error


def locate(error: BaseException, filename: str, line_map, loc_table) -> Loc | None:
    """The `Loc` of the innermost frame of `error`'s traceback that runs generated code from
    `filename`: its line number looked up in `line_map` ((generated line, LOC key) pairs, in order;
    a line belongs to the last entry at or before it) and `loc_table` (key → ("file:line", section)).
    Jinja's `get_corresponding_lineno`."""
    lineno = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            lineno = tb.tb_lineno
        tb = tb.tb_next
    if lineno is None:
        return None
    return _loc_of_line(lineno, line_map, loc_table)


def _fake_tb(loc: Loc, name: str):
    """A traceback entry that points at `loc` in the .tariff file (Jinja's `fake_traceback`): a
    `raise` compiled at that line number under that file name, run once to get its frame."""
    code = compile("\n" * (loc.line - 1) + "raise __error__", loc.path, "exec").replace(co_name=name)
    try:
        exec(code, {"__error__": _Marker()})  # noqa: S102 - a constant one-line raise
    except _Marker:
        return sys.exc_info()[2].tb_next
    return None


class _Marker(Exception):
    pass


def rewrite_traceback(error: BaseException, filename: str, line_map, loc_table) -> BaseException:
    """`error` with a `.tariff` entry after every traceback entry of generated code (Jinja's
    `rewrite_traceback_stack`): a traceback then reads 'File "schedules/electric/E-1.tariff",
    line 80, in tiers kwh' right below the generated line that computed that rule."""
    entries = []
    tb = error.__traceback__
    while tb is not None:
        entries.append(tb)
        if tb.tb_frame.f_code.co_filename == filename:
            loc = _loc_of_line(tb.tb_lineno, line_map, loc_table)
            fake = _fake_tb(loc, loc.section.rpartition(" › ")[2] or "rule") if loc and loc.line > 0 else None
            if fake is not None:
                entries.append(fake)
        tb = tb.tb_next
    for before, after in zip(entries, entries[1:]):
        before.tb_next = after
    if entries:
        entries[-1].tb_next = None
        error = error.with_traceback(entries[0])
    return error


def _loc_of_line(lineno: int, line_map, loc_table) -> Loc | None:
    key = 0
    for number, k in line_map:
        if number > lineno:
            break
        key = k
    if not key or key not in loc_table:
        return None
    where, section = loc_table[key]
    path, _, line = where.rpartition(":")
    return Loc(path, int(line) if line.isdigit() else 0, section)


def located(error: BaseException, schedule, filename: str, line_map) -> BaseException:
    """What a generated `bill()` raises when `error` leaves it: a `BillInputError` with the `Loc`
    of the rule that refused the input; any other exception (a defect) as a `BillError` located the
    same way, the original as its cause."""
    loc = locate(error, filename, line_map, schedule.loc or {})
    if isinstance(error, BillInputError):
        return error.at(loc)
    rewrite_traceback(error, filename, line_map, schedule.loc or {})
    wrapped = BillError(schedule.id, loc, error)
    wrapped.__cause__ = error
    return wrapped
