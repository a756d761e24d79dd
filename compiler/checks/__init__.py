"""Symbolic checks over the IR. Each check is a pure function yielding Diagnostics.

Schedule checks take one `ir.Schedule`; project checks take the whole project (published tables
compare cells across schedules). The tuples below are applied in order, like sqlglot's rules.
"""

from __future__ import annotations

from tariffc.compiler.checks import (applicability, bounds, coverage, credits, demand_option, entered, examples,
                                     fees, partition, published, ranges, references, sums, tiers)

SCHEDULE_CHECKS = (
    entered.cells_entered,
    sums.components_sum_to_total,
    partition.seasons_partition_year,
    partition.periods_partition_week,
    tiers.tiers_contiguous,
    references.references_exist,
    references.units_agree,
    references.passthrough_ranges,
    references.bands_partition,
    references.declarations_resolve,
    coverage.rows_cover_keys,
    # lang: fees (E-16 E., E-14 D.6)
    fees.fee_units_agree,
    fees.yearly_fees_declared,
    fees.indexed_fees_exist,
    fees.index_ratio_is_a_number,
    fees.fee_amounts_positive,
    bounds.bounds_agree,  # E-14 D.3 burning hours
    # ranges: amounts, percentages, ranges and units no sheet prints
    ranges.amounts_not_negative,
    ranges.percents_in_range,
    ranges.ranges_ordered,
    ranges.units_belong,
    applicability.limit_conditions_declared,
    examples.examples_agree,
    credits.credits_resolve,
    demand_option.demand_option_declared,
)

PROJECT_CHECKS = (
    published.published_tables_agree,
)


def run_checks(project) -> list:
    out = []
    for schedule in project.schedules:
        for check in SCHEDULE_CHECKS:
            out.extend(check(schedule))
    for check in PROJECT_CHECKS:
        out.extend(check(project))
    return out


def cells_proven(project) -> int:
    """Rate rows whose printed total was proven equal to the sum of its components."""
    return sum(sums.proven_rows(schedule) for schedule in project.schedules)
