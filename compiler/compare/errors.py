"""The refusals of a comparison as a whole (a single option's refusal is a `Refusal` in its result)."""

from __future__ import annotations


class CompareError(ValueError):
    """A candidate list, period choice or input that cannot be compared at all (exit 1, nothing billed)."""


class InputError(CompareError):
    """A `--set NAME=VALUE` that no candidate declares, or a value of the wrong type (a usage error)."""
