"""Fixtures for the lowering stage: a `.tariff` snippet → IR (compiler/lower/), nothing else run."""

from __future__ import annotations

import textwrap

import pytest

from tariffc.compiler.lower import Lowered, lower_files
from tariffc.dsl.transform import parse_text


@pytest.fixture
def lower():
    """lower(*snippets) → Lowered: each snippet (dedented) is one file `snippetN.tariff`, parsed and
    lowered together, without the checks."""

    def run(*snippets: str) -> Lowered:
        trees = [parse_text(textwrap.dedent(text).lstrip("\n"), f"snippet{i}.tariff")
                 for i, text in enumerate(snippets)]
        return lower_files(trees)

    return run


@pytest.fixture
def codes():
    """codes(lowered) → the diagnostic codes lowering recorded, in order."""
    return lambda lowered: [d.code for d in lowered.diagnostics]
