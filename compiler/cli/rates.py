"""`tariffc rates` (the rates in effect on a date) and `tariffc diff` (the staff report's change table)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

import click

from tariffc.compiler.cli.common import note_tree, parse_date, schedules_option, warn_newer_rates
from tariffc.compiler.project import Project, load, unknown_schedule_message
from tariffc.compiler.rates.rules import rule_changes, rule_records
from tariffc.compiler.rates import NoVersion, changes, rate_cells, version_on
from tariffc.dsl.diagnostics import render_all



def load_clean(directory: Path) -> Project:
    project = load([directory])
    if project.errors:
        click.echo(render_all(project.errors, project.sources), err=True)
        click.echo(f"tariffc: {len(project.errors)} errors in {directory}; run `tariffc check {directory}`", err=True)
        sys.exit(1)
    return project


def pick(project: Project, ids) -> list:
    if not ids:
        return sorted(project.schedules, key=lambda s: (s.utility, s.id))
    known = [s.id for s in project.schedules]
    out = []
    for schedule_id in ids:
        if schedule_id not in known:
            click.echo(f"tariffc: {unknown_schedule_message(schedule_id, known)}", err=True)
            sys.exit(1)
        out.append(project.schedule(schedule_id))
    return out


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--on", "on", default=None, help="Date (YYYY-MM-DD); default today.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@schedules_option()
def rates(ids, on, fmt, schedules):
    """The rates in effect on a date: every cell, its components, printed total, unit and source,
    then the rules (tier allowances, seasons, TOU periods, discounts, minimum bill, pass-through
    ranges, limits ...) with their values and sources (JSON and table; CSV has the cells only)."""
    day = parse_date(on, "--on") if on else dt.date.today()
    project = load_clean(schedules.path)
    note_tree(schedules, text=fmt == "table")
    cells, rules, problems, shown = [], [], [], []
    for schedule in pick(project, ids):
        try:
            version = version_on(schedule, day)
        except NoVersion as exc:
            problems.append(str(exc))
            continue
        cells.extend(rate_cells(schedule, version))
        shown.append(schedule)
        rules.extend(rule_records(schedule, version))
    for problem in problems:
        click.echo(f"tariffc: {problem}", err=True)
    warn_newer_rates(shown, day)
    if problems and (ids or not cells):
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps({"on": day.isoformat(), "rates": [c.as_dict() for c in cells],
                               "rules": [r.as_dict() for r in rules]}, indent=2))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        names = sorted({n for c in cells for n, _ in c.components})
        writer.writerow(["schedule", "version", "charge", "row", "unit", *names, "total", "source"])
        for c in cells:
            comp = dict(c.components)
            writer.writerow([c.schedule, c.version, c.charge, " ".join(c.keys), c.unit,
                             *[comp.get(n) or "" for n in names], c.total, c.source])
        click.echo(buffer.getvalue(), nl=False)
    else:
        for sid in dict.fromkeys([c.schedule for c in cells] + [r.schedule for r in rules]):
            mine = [c for c in cells if c.schedule == sid]
            version = (mine or [r for r in rules if r.schedule == sid])[0].version
            click.echo(f"\n{sid} (version {version}, rates in effect on {day})")
            for c in mine:
                comps = "  ".join(f"{n} {v or '-'}" for n, v in c.components if n != c.charge)
                row = " ".join(k for k in c.keys if k != "all")
                click.echo(f"  {c.charge:<13} {row:<18} {c.total:>10} {c.unit:<16} {comps}   [{c.source}]")
            click.echo("  rules:")
            for r in rules:
                if r.schedule == sid:
                    click.echo(f"  {r.rule:<15} {' '.join(r.key):<28} {r.value_text()}   [{r.source}]")


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--from", "start", required=True, help="Date of the current rates (YYYY-MM-DD).")
@click.option("--to", "end", required=True, help="Date of the proposed rates (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@schedules_option()
def diff(ids, start, end, fmt, schedules):
    """The change table (current, proposed, change, % change) between the rates on two dates."""
    old_day, new_day = parse_date(start, "--from"), parse_date(end, "--to")
    project = load_clean(schedules.path)
    note_tree(schedules, text=fmt == "table")
    records, rule_records_ = [], []
    compared = 0
    for schedule in pick(project, ids):
        try:
            old, new = version_on(schedule, old_day), version_on(schedule, new_day)
        except NoVersion as exc:
            click.echo(f"tariffc: {exc}", err=True)
            if ids:
                sys.exit(1)
            continue
        compared += 1
        for ch in changes(schedule, old, new):
            records.append((schedule.id, old.label, new.label, ch))
        rule_records_.extend((schedule.id, old.label, new.label, ch) for ch in rule_changes(schedule, old, new))
    if not compared:
        # Every schedule was skipped: an empty table with exit 0 would read as "nothing changed".
        click.echo(f"tariffc: no schedule has versions in effect on both {old_day} and {new_day}; nothing compared",
                   err=True)
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps([{
            "kind": "rate", "schedule": sid, "from_version": a, "to_version": b, "charge": ch.cell.charge,
            "row": list(ch.cell.keys), "unit": ch.cell.unit,
            "current": _s(ch.current), "proposed": _s(ch.proposed), "change": _s(ch.change),
            "pct_change": _s(ch.percent)} for sid, a, b, ch in records] +
            [{"kind": "rule", **ch.as_dict(sid, a, b)} for sid, a, b, ch in rule_records_], indent=2))
        return
    click.echo(f"{'Rate schedule':<10} {'charge':<13} {'row':<18} {'current':>10} {'proposed':>10} "
               f"{'change':>10} {'change %':>9}  unit")
    for sid, _, _, ch in records:
        row = " ".join(k for k in ch.cell.keys if k != "all")
        pct = f"{ch.percent}%" if ch.percent is not None else "-"
        click.echo(f"{sid:<10} {ch.cell.charge:<13} {row:<18} {_s(ch.current) or '-':>10} "
                   f"{_s(ch.proposed) or '-':>10} {_s(ch.change) or '-':>10} {pct:>9}  {ch.cell.unit}")
    if rule_records_:
        click.echo("\nRule changes")
    for sid, _, _, ch in rule_records_:
        record = ch.record
        before = ch.old.value_text() if ch.old else "(none)"
        after = ch.new.value_text() if ch.new else "(none)"
        click.echo(f"{sid:<10} {record.rule:<15} {' '.join(record.key):<28} {before}  ->  {after}   [{record.source}]")


def _s(value) -> str | None:
    return None if value is None else str(value)
