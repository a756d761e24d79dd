"""The one thing every lowering pass shares: where its diagnostics go.

Lowering never stops at the first problem: a pass records a Diagnostic here and carries on with what
it can build, so one `tariffc check` run shows everything that is wrong.
"""

from __future__ import annotations

from tariffc.dsl.diagnostics import Diagnostic, Span, error


class Lowering:
    """The diagnostics of one lowering run (one `project.load`), in the order they were found."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def err(self, code: str, message: str, span: Span, *notes: str, hint: str | None = None) -> None:
        """Record an error at `span` (`code` is a T3xx/T4xx code of docs/diagnostics.md)."""
        self.diagnostics.append(error(code, message, span, *notes, hint=hint))
