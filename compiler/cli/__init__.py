"""`tariffc`: check | fmt | rates | diff | new-version | bill | build | docs | inspect | compare | impact | ingest | synth | export.

Each command lives in its own module of this package and is imported only when it runs: COMMANDS
maps a command name to "module:function". To add a command, write `compiler/cli/<group>.py` with a
click command and add one line here (see docs/architecture.md, "Adding a command").

Exit codes (cli/common.py): 0 clean, 1 errors found (in schedules, bill input or meter data),
2 usage or I/O error, 3 internal error (one line asking for a report; traceback only with --debug).
"""

from __future__ import annotations

import click

from tariffc.compiler.cli.group import LazyGroup

COMMANDS: dict[str, str] = {
    "check": "tariffc.compiler.cli.check:check",
    "fmt": "tariffc.compiler.cli.fmt:fmt",
    "rates": "tariffc.compiler.cli.rates:rates",
    "diff": "tariffc.compiler.cli.rates:diff",
    "bill": "tariffc.compiler.cli.bill:bill",
    "build": "tariffc.compiler.cli.bill:build",
    "docs": "tariffc.compiler.cli.docs:docs",
    "inspect": "tariffc.compiler.cli.inspect:inspect",
    "compare": "tariffc.compiler.cli.compare:compare",
    "impact": "tariffc.compiler.cli.impact:impact",
    "ingest": "tariffc.compiler.cli.ingest:ingest",
    "synth": "tariffc.compiler.cli.synth:synth",
    "new-version": "tariffc.compiler.cli.new_version:new_version",
    "export": "tariffc.compiler.cli.export:export",
}


@click.group(cls=LazyGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def main(ctx, debug):
    """tariffc: CPAU rate schedules as checked code."""
    ctx.ensure_object(dict)["debug"] = debug


__all__ = ["COMMANDS", "main"]
