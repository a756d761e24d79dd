"""The `tariffc` command group: commands load on first use (click's documented lazy-loading group),
an unexpected exception becomes one line asking for a report (its traceback only with --debug), and
a reader that closes the pipe early (`tariffc rates | head`) ends the command quietly with exit 0."""

from __future__ import annotations

import importlib
import os
import sys

import click

from tariffc.compiler.cli.common import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    cut_long_words,
    extra_of,
    missing_extra_message,
)


def refuse_repeated_options(command: click.Command, args: list[str]) -> None:
    """UsageError when an option that takes one value is given twice (`--kwh 500 --kwh 600`): click
    keeps the last one silently, and the bill would not be the one asked for. Options declared
    `multiple` (`--set`) and flags may repeat; the arguments after `--` are not options."""
    from tariffc.compiler.project import UsageError

    single = {}
    for param in command.params:
        if isinstance(param, click.Option) and not (param.multiple or param.count or param.is_flag):
            for name in (*param.opts, *param.secondary_opts):
                single[name] = param
    seen: dict[str, str] = {}
    index = 0
    while index < len(args):
        token = args[index]
        index += 1
        if token == "--":
            break
        name, has_value, value = token.partition("=")
        param = single.get(name) if name.startswith("--") else single.get(token)
        if param is None:
            continue
        if not (has_value and name.startswith("--")):
            value = " ".join(args[index:index + param.nargs])
            index += param.nargs  # its value(s) follow: never read as options
        shown = value if len(value) <= 40 else value[:37] + "..."
        label = max(param.opts, key=len)
        if param.name in seen:
            raise UsageError(f"{label} is given twice ({seen[param.name]!r}, then {shown!r}); give it once")
        seen[param.name] = shown


class CheckedGroup(click.Group):
    """A click group whose subcommands refuse an option given twice (`refuse_repeated_options`)."""

    def resolve_command(self, ctx, args):
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not isinstance(command, click.Group):
            refuse_repeated_options(command, rest)
            # a missing-input hint names only options this command has (runtime.errors.COMMAND; the
            # root group's invoke resets it)
            from tariffc.compiler.runtime.errors import COMMAND

            label = " ".join(["tariffc", *ctx.command_path.split()[1:], name])
            COMMAND.set((label, frozenset(opt for param in command.params for opt in getattr(param, "opts", ()))))
        return name, command, rest


class LazyGroup(CheckedGroup):
    """A click group whose subcommands are named in a table {name: "module:function"} and imported
    only when that command runs (or when `--help` lists them). See click's "Lazily Loading
    Subcommands"."""

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx, cmd_name):
        if cmd_name in self.lazy_commands:
            return self._load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def _load(self, cmd_name: str) -> click.Command:
        module_name, _, attribute = self.lazy_commands[cmd_name].partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy_commands[cmd_name]} is not a click command")
        return command

    def invoke(self, ctx):
        from tariffc.compiler.project import UsageError
        from tariffc.compiler.runtime.errors import COMMAND, WORDING

        wording = WORDING.set("cli")  # bill-input messages ask for `--kwh`, `--set NAME=VALUE`
        command = COMMAND.set(None)  # … naming only options of the command that runs (resolve_command)
        try:
            try:
                return super().invoke(ctx)
            finally:
                WORDING.reset(wording)
                COMMAND.reset(command)
                sys.stdout.flush()  # a reader that left early is found here, not at interpreter exit
        except BrokenPipeError:
            # `tariffc … | head`: the reader has what it wanted; end quietly, exit 0 (what the
            # Python docs advise: point stdout at devnull so the exit-time flush does not fail)
            _quiet_stdout()
            ctx.exit(EXIT_OK)
        except UsageError as exc:
            click.echo(f"tariffc: {cut_long_words(str(exc))}", err=True)
            ctx.exit(EXIT_USAGE)
        except click.ClickException as exc:  # click's own usage errors echo the value given: cut it
            exc.message = cut_long_words(exc.message)
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except ModuleNotFoundError as exc:
            extra = extra_of(exc.name)
            if extra is None or (ctx.obj and ctx.obj.get("debug")):
                raise
            what = f"tariffc {ctx.invoked_subcommand}" if ctx.invoked_subcommand else "tariffc"
            click.echo(missing_extra_message(extra, exc.name, what), err=True)
            ctx.exit(EXIT_USAGE)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"tariffc: internal error ({type(exc).__name__}: {cut_long_words(str(exc))}); please report it "
                       "with the command you ran (rerun with --debug for the traceback)", err=True)
            ctx.exit(EXIT_INTERNAL)


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (e.g. a test runner)
        pass
