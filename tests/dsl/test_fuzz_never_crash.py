"""Mutated real schedules (deleted, duplicated, swapped tokens, random bytes) end in diagnostics,
never an exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tariffc.compiler.project import load

ROOT = Path(__file__).resolve().parents[2]
REAL = sorted((ROOT / "schedules").rglob("*.tariff"))
CALENDAR = ROOT / "schedules" / "calendars" / "cpau.tariff"


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(REAL)).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "bytes"]))
        tokens = bytes(data).split(b" ")
        if kind == "delete" and len(tokens) > 1:
            del tokens[draw(st.integers(0, len(tokens) - 1))]
        elif kind == "duplicate":
            i = draw(st.integers(0, len(tokens) - 1))
            tokens.insert(i, tokens[i])
        elif kind == "swap" and len(tokens) > 1:
            i, j = draw(st.integers(0, len(tokens) - 1)), draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        data = bytearray(b" ".join(tokens))
        if kind == "bytes":
            at = draw(st.integers(0, len(data)))
            data[at:at] = draw(st.binary(min_size=1, max_size=6))
    return bytes(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutations_end_in_diagnostics(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("mut")
    (folder / "cpau.tariff").write_bytes(CALENDAR.read_bytes())
    (folder / "x.tariff").write_bytes(data)
    project = load([folder])  # must not raise
    for diagnostic in project.diagnostics:
        assert diagnostic.code.startswith("T") and diagnostic.span.line >= 1
