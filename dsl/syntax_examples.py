"""Syntax errors chosen from examples (lark's `match_examples`, examples/advanced/error_reporting_lalr.py).

Each hint below comes with broken snippets showing the mistake it explains. When a file fails to
parse, the parser state and token of its error are compared with those of the examples; the hint of
the example that fails the same way is added to the diagnostic (its code and message stay those of
dsl/parse.py). To teach the parser a new mistake: add a snippet that makes it, under its hint.
"""

from __future__ import annotations

HEAD = 'schedule X-1 "X"\n  utility electric\n'
VERSION = HEAD + "\nversion 2025-07-01\n"

EXAMPLES: dict[str, tuple[str, ...]] = {
    "an allowance is an amount, a unit and `per day` (`tier1 up_to 11 kWh per day`)": (
        HEAD + "  tiers kwh\n    tier1 up_to kWh per day\n    tier2 rest\n",
        HEAD + "  tiers kwh\n    tier1 up_to 11 kWh\n    tier2 rest\n",
    ),
    "hours are written HH:MM-HH:MM (`16:00-21:00`, 24:00 for midnight), days as `mon-fri`, `sat-sun`, "
    "`every day` or `holidays`": (
        HEAD + "  periods energy\n    peak mon-fri 4pm-9pm\n    off otherwise\n",
        HEAD + "  periods energy\n    peak mon-fri 16-21\n    off otherwise\n",
        HEAD + "  periods energy\n    peak weekdays 16:00-21:00\n    off otherwise\n",
    ),
    "a discount or surcharge is a percentage of charges with its condition "
    "(`discount rate_assist 25% of energy when low_income`)": (
        VERSION + "  discount d 25 of energy when x\n",
        VERSION + "  discount d 25% energy when x\n",
        VERSION + "  surcharge s 5 of energy when x\n",
    ),
    "a condition is `when NAME`, `when not NAME` or `when NAME is VALUE`": (
        VERSION + "  charge c 1 per month if x\n",
        VERSION + "  exempt c if x\n",
        VERSION + "  minimum c if x\n",
    ),
    "a date is written YYYY-MM-DD (`version 2025-07-01`)": (
        HEAD + "\nversion 2025-7-1\n  charge c 1 per month\n",
        HEAD + "\nversion 7/1/2025\n  charge c 1 per month\n",
    ),
    "a season is a name and its first and last day (`summer jun 1 to sep 30`)": (
        HEAD + "  seasons\n    summer jun 1 - sep 30\n",
        HEAD + "  seasons\n    summer june 1 to sep 30\n",
    ),
}
