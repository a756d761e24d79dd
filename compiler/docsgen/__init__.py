"""The rates site: Markdown pages and SVG pictures generated from a checked `Project`, for mkdocs.

    files = generate(project, today=date.today(), schedules_dirs=[Path("schedules")], docs_dir=Path("docs"))
    # {relative path: bytes}; written by `docsgen.output.write_tree`, built by `mkdocs build --strict`

Everything is produced in memory first: a failure leaves no partial site.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tariffc.compiler import ir
from tariffc.compiler.docsgen import charts
from tariffc.compiler.docsgen.nav import NAV_FILE, nav_yaml
from tariffc.compiler.docsgen.bills import BillSource, bills_page, tier_curves
from tariffc.compiler.docsgen.schedule_page import schedule_page
from tariffc.compiler.docsgen.site_pages import effective_index, effective_page, home_page
from tariffc.compiler.docsgen.source_view import stylesheet

# Hand-written pages: every docs/*.md is copied to reference/ (these first in the navigation).
REFERENCE_ORDER = ("language.md", "yearly-update.md", "diagnostics.md", "architecture.md", "api.md")
HISTORY_UNITS = (("kWh", "$/kWh"), ("therm", "$/therm"), ("kW", "$/kW"), ("month", "$/month"))
MAX_SERIES = 10


def tou_pictures(schedule: ir.Schedule) -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """One period map per distinct set of energy periods (the periods, not the sheet's wording of
    them), shared by the versions that have it."""
    groups: dict[tuple, list[ir.Version]] = {}
    first_sets: dict[tuple, tuple] = {}
    for version in schedule.versions:
        sets = tuple(ps for ps in version.rules.periods if ps.partition)
        if sets:
            picture = tuple((ps.season, ps.condition, ps.periods) for ps in sets)
            groups.setdefault(picture, []).append(version)
            first_sets.setdefault(picture, sets)
    files, by_version = {}, {}
    for picture, versions in groups.items():
        sets = first_sets[picture]
        labels = ", ".join(v.label for v in versions)
        name = f"img/{schedule.id}-periods-{versions[0].label}.svg"
        files[name] = charts.tou_heatmap(schedule, versions[0], sets, labels)
        for version in versions:
            alt = f"{schedule.id} energy periods by day and hour (versions {labels})"
            by_version[version.label] = [(alt, "../" + name)]
    return files, by_version


def history_pictures(schedule: ir.Schedule, today: dt.date) -> tuple[dict[str, str], list[tuple[str, str]]]:
    files, shown = {}, []
    if len(schedule.versions) < 2:
        return files, shown
    for unit, label in HISTORY_UNITS:
        series: dict[str, list] = {}
        for version in schedule.versions:
            for charge in version.charges:
                if charge.unit != unit:
                    continue
                for row in charge.rows:
                    name = charge.name + (" " + " ".join(row.keys) if row.keys and row.keys != ("all",) else "")
                    end = version.ends or max(today, version.effective)
                    series.setdefault(name, []).append((version.effective, end, row.rate()))
        if not series or len(series) > MAX_SERIES:
            continue
        name = f"img/{schedule.id}-history-{unit.replace(' ', '-')}.svg"
        files[name] = charts.history_chart(schedule, series, label, today)
        shown.append((f"{schedule.id} rate history in {label}", "../" + name))
    return files, shown


def generate(project, *, today: dt.date, schedules_dirs: list[Path], docs_dir: Path,
             bills: BillSource | None = None) -> dict[str, bytes]:
    """Every page and picture of the site, by path. `bills`: where bills come from (default: the bill API)."""
    source = bills if bills is not None else BillSource(schedules_dirs)
    has_bills = source.tariffs is not None
    out: dict[str, str] = {"index.md": home_page(project, today, has_bills, source.reason),
                           "css/tariffc.css": stylesheet(),
                           "effective/index.md": effective_index(project)}
    for day in sorted({v.effective for s in project.schedules for v in s.versions}):
        out[f"effective/{day}.md"] = effective_page(project, day)
    for schedule in project.schedules:
        pictures: dict = {}
        files, pictures["periods"] = tou_pictures(schedule)
        out.update(files)
        files, pictures["history"] = history_pictures(schedule, today)
        out.update(files)
        curves = tier_curves(schedule, source)
        if curves is not None:
            name = f"img/{schedule.id}-bill-vs-usage.svg"
            out[name] = charts.tier_chart(schedule, curves[0], curves[1])
            pictures["tiers"] = (f"{schedule.id} bill against monthly usage", "../" + name, curves[2])
        text = project.sources.get(schedule.path, "")
        out[f"schedules/{schedule.id}.md"] = schedule_page(schedule, text, today, pictures, project.published,
                                                           True)
        out[f"bills/{schedule.id}.md"] = "\n".join(bills_page(schedule, source))
    pages = sorted(docs_dir.glob("*.md"), key=lambda p: (REFERENCE_ORDER.index(p.name) if p.name in
                                                          REFERENCE_ORDER else len(REFERENCE_ORDER), p.name))
    for path in pages:
        out[f"reference/{path.name}"] = path.read_text(encoding="utf-8")
    for picture in sorted(docs_dir.glob("img/*.svg")):  # pictures the hand-written pages show (img/NAME.svg)
        out[f"reference/img/{picture.name}"] = picture.read_text(encoding="utf-8")
    out[NAV_FILE] = nav_yaml(project, {f"reference/{p.name}": _title(p) for p in pages})
    return {name: text.encode("utf-8") for name, text in sorted(out.items())}


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip().replace("`", "")
    return path.stem.replace("-", " ").capitalize()
