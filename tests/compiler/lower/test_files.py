"""The files of one load → IR (compiler/lower/files.py): the calendar registry, versions grouped
under the schedule written before them, one schedule per id, published tables cut to context."""

from __future__ import annotations

from fractions import Fraction

from tariffc.compiler import ir
from tariffc.compiler.lower import lower_files
from tariffc.dsl.transform import parse_text

CALENDAR = 'calendar cpau "CPAU"\n  holiday new_year "New Year" jan 1\n'


def test_calendar_defined_twice_is_t302_and_schedules_find_it_across_files(lower, codes):
    lowered = lower(CALENDAR, CALENDAR, 'schedule X-1 "X"\n  calendar cpau\n\nversion 2025-07-01\n'
                                        '  charge customer 1 per month\n')
    assert codes(lowered) == ["T302"]
    assert [c.name for c in lowered.calendars] == ["cpau"]
    assert lowered.schedules[0].calendar.path == "snippet1.tariff"  # the later definition is kept


def test_versions_belong_to_the_schedule_above_them(lower, codes):
    lowered = lower('''version 2024-07-01
  charge customer 1 per month

schedule A-1 "A"
  utility electric

version 2025-07-01
  charge customer 2 per month

schedule B-1 "B"
  utility electric

version 2025-07-01
  charge customer 3 per month
''')
    assert codes(lowered) == ["T303"]
    assert [(s.id, [v.charges[0].rows[0].components[0][1].value for v in s.versions])
            for s in lowered.schedules] == [("A-1", [Fraction(2)]), ("B-1", [Fraction(3)])]


def test_one_schedule_per_id_across_files(lower, codes):
    text = 'schedule A-1 "A"\n  utility electric\n\nversion 2025-07-01\n  charge customer 1 per month\n'
    lowered = lower(text, text)
    assert codes(lowered) == ["T302"]
    assert [s.path for s in lowered.schedules] == ["snippet0.tariff"]


PUBLISHED = '''published "Table 1" "Rates"
  columns 2024-07-01 2025-07-01 change
  A-1 customer all customer 1 2 1
  B-1 customer all customer 3 4 1
'''


def test_context_tables_are_cut_to_the_schedules_lowered():
    schedule = 'schedule A-1 "A"\n  utility electric\n\nversion 2025-07-01\n  charge customer 2 per month\n'
    trees = [parse_text(schedule, "a.tariff"), parse_text(PUBLISHED, "published.tariff")]
    given = lower_files(trees)
    context = lower_files(trees, context={"published.tariff"})
    assert [r.schedule for r in given.published[0].rows] == ["A-1", "B-1"]
    (table,) = context.published
    assert [(r.schedule, r.charge, r.keys, r.column, [(c, n.value) for c, n in r.values]) for r in table.rows] == [
        ("A-1", "customer", ("all",), "customer",
         [("2024-07-01", Fraction(1)), ("2025-07-01", Fraction(2)), ("change", Fraction(1))])]
    assert lower_files(trees[1:], context={"published.tariff"}).published == ()


def test_published_table_refusals(lower, codes):
    lowered = lower('''published "T"
  columns 2024-07-01 2024-07-01
  A-1 customer all customer 1 2
''', '''published "U"
  columns 2024-07-01 change
  A-1 customer 1 2
  A-1 customer all customer 1
''')
    assert codes(lowered) == ["T306", "T401", "T401"]
    assert [len(t.rows) for t in lowered.published] == [0, 1]
    assert isinstance(lowered.published[1], ir.PublishedTable)
