"""Each check family on its own: `.tariff` snippets with the diagnostics expected beside the lines
they point at (`#! T201`), one fixture file per family in cases/ (sqlglot's fixtures layout).

A case is the text after a `=== title` line. It is parsed and lowered (which must report nothing),
then only its family's checks run; the (line, code) pairs they yield must be exactly the case's
`#!` markers. Every code a family's module can emit is expected by at least one case, and every
check of checks.SCHEDULE_CHECKS / PROJECT_CHECKS belongs to a family here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tariffc.compiler import checks
from tariffc.compiler.checks import (applicability, bounds, coverage, credits, demand_option, entered, examples,
                                     fees, partition, published, ranges, references, sums, tiers)
from tariffc.compiler.lower import lower_files
from tariffc.compiler.project import Project
from tariffc.dsl.transform import parse_text

CASES = Path(__file__).parent / "cases"
FAMILIES = {
    "entered": (entered, [entered.cells_entered]),
    "sums": (sums, [sums.components_sum_to_total]),
    "partition": (partition, [partition.seasons_partition_year, partition.periods_partition_week]),
    "tiers": (tiers, [tiers.tiers_contiguous]),
    "references": (references, [references.references_exist, references.units_agree,
                                references.passthrough_ranges, references.bands_partition,
                                references.declarations_resolve]),
    "coverage": (coverage, [coverage.rows_cover_keys]),
    "fees": (fees, [fees.fee_units_agree, fees.yearly_fees_declared, fees.indexed_fees_exist,
                    fees.index_ratio_is_a_number, fees.fee_amounts_positive]),
    "bounds": (bounds, [bounds.bounds_agree]),
    "published": (published, [published.published_tables_agree]),
    "applicability": (applicability, [applicability.limit_conditions_declared]),
    "examples": (examples, [examples.examples_agree]),
    "credits": (credits, [credits.credits_resolve]),
    "demand_option": (demand_option, [demand_option.demand_option_declared]),
    "ranges": (ranges, [ranges.amounts_not_negative, ranges.percents_in_range, ranges.ranges_ordered,
                        ranges.units_belong]),
}
MARK = re.compile(r"#!\s*((?:T\d{3}\s*)+)$")


def cases(family: str) -> list[tuple[str, str]]:
    text = (CASES / f"{family}.tariff").read_text(encoding="utf-8")
    parts = re.split(r"^=== (.+)\n", text, flags=re.M)[1:]
    return list(zip(parts[::2], parts[1::2]))


def expected(text: str) -> list[tuple[int, str]]:
    return sorted((number, code) for number, line in enumerate(text.splitlines(), start=1)
                  for match in [MARK.search(line)] if match for code in match.group(1).split())


def found(family: str, text: str) -> list[tuple[int, str]]:
    lowered = lower_files([parse_text(text, f"{family}.tariff")])
    assert not lowered.diagnostics, [d.message for d in lowered.diagnostics]
    project = Project(files=(), sources={}, calendars=lowered.calendars, schedules=lowered.schedules,
                      published=lowered.published, diagnostics=())
    out = []
    for check in FAMILIES[family][1]:
        for schedule in ([project] if family == "published" else project.schedules):
            out.extend((d.span.line, d.code) for d in check(schedule))
    return sorted(out)


def test_every_check_has_a_family_and_a_fixture_file():
    listed = {c for _, family in FAMILIES.values() for c in family}
    assert listed == {*checks.SCHEDULE_CHECKS, *checks.PROJECT_CHECKS}
    assert {p.stem for p in CASES.glob("*.tariff")} == set(FAMILIES)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_code_of_the_family_is_expected_by_a_case(family):
    module = FAMILIES[family][0]
    emitted = set(re.findall(r'"(T\d{3})"', Path(module.__file__).read_text(encoding="utf-8")))
    marked = {code for _, text in cases(family) for _, code in expected(text)}
    assert emitted <= marked, f"no case expects {sorted(emitted - marked)}"
    assert any(not expected(text) for _, text in cases(family)), "no clean case"


@pytest.mark.parametrize(("family", "title"), [(f, t) for f in sorted(FAMILIES) for t, _ in cases(f)])
def test_case(family, title):
    text = dict(cases(family))[title]
    assert found(family, text) == expected(text)
