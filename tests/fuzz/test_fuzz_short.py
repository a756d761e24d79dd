"""The fuzzing harness on a short budget (the long run is benchmarks/fuzz_long.py; see
docs/reliability.md). Hypothesis drives the seeded generators of fuzzcases.py through
`st.randoms()`, so a failing case shrinks to a small sequence of mutation choices.

Each property is a promise of issue 14: a damaged `.tariff` file ends in positioned diagnostics (and
a clean one formats to the same AST and bills or refuses); a damaged meter file is read or refused
with MeterDataError; a bill input is billed or refused with BillInputError; the docs writer never
touches a path outside its output directory.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import fuzzcases as F  # the package import pytest's importlib mode gives tests/fuzz/ (no sys.path edit)

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


@settings(FAST, max_examples=40)
@given(st.randoms(use_true_random=False))
def test_damaged_tariff_files_end_in_positioned_diagnostics(rng):
    F.check_tariff(*F.tariff_case(rng), bill_every=4, rng=rng)


@settings(FAST, max_examples=60)
@given(st.randoms(use_true_random=False))
def test_damaged_meter_files_are_read_or_refused(rng):
    F.check_meter(*F.meter_case(rng))


@settings(FAST, max_examples=60)
@given(st.randoms(use_true_random=False))
def test_bill_inputs_bill_or_refuse(rng):
    F.check_bill(F.bill_case(rng))


@settings(FAST, max_examples=60)
@given(st.randoms(use_true_random=False))
def test_the_docs_writer_never_touches_a_path_outside_out(rng):
    F.check_output(F.output_case(rng))


def test_every_real_schedule_formats_to_itself_and_checks_clean():
    """The seeds: the real files are fixed points of fmt and check clean with their calendar."""
    for path in F.TARIFF_SEEDS:
        published = path.name in F.PUBLISHED_SEEDS  # checked with the schedules its rows name
        assert F.check_tariff(path.name, path.read_bytes(), False, published) in ("clean", "clean, billed"), path
