"""The generated rates site: builds with `mkdocs build --strict`; every rate it shows is the schedule's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from tariffc.compiler import ir
from tariffc.compiler.rates import text_of


def test_site_builds_strict(site):
    assert site.build.returncode == 0, site.build.stdout + site.build.stderr
    assert (site.html / "index.html").is_file()


def expected_text(schedule: ir.Schedule, address: str) -> str:
    """The value the IR holds at `schedule|version|charge|row keys|column`, as printed."""
    _, version_label, charge_name, keys, column = address.split("|")
    version = next(v for v in schedule.versions if v.label == version_label)
    keys = tuple(keys.split(" ")) if keys else ()
    if charge_name == "minimum":  # row key: `all` or the minimum's condition (ir.Minimum.key)
        (key,) = keys
        minimum = next((m for m in version.rules.minimums if m.key == key), None)
        assert minimum is not None and minimum.amount is not None and column == "total", address
        return minimum.amount.text
    fee = version.fee(charge_name)
    if fee is not None:  # E-16 E. fees, E-14 D.6: one amount per row
        row = next((r for r in fee.rows if (r.key,) == keys), None)
        assert row is not None and column in ("total", "fee"), address
        return row.rate.text
    charge = version.charge(charge_name)
    assert charge is not None, address
    band = next((b for b in charge.bands if (b.key,) == keys), None)
    if band is not None:
        return band.value.text
    row = charge.row(keys)
    assert row is not None, address
    if column == "total":
        if row.total is not None:
            return row.total.text
        if len(row.components) == 1:
            value = row.components[0][1]
            return value.text if value is not None else "-"
        return text_of(row.rate())
    value = dict(row.components)[column]
    return value.text if value is not None else "-"


def test_every_rate_cell_shown_equals_the_schedule(site, project, scan):
    assert site.build.returncode == 0
    by_id = {s.id: s for s in project.schedules}
    checked = 0
    for page in sorted(site.html.rglob("*.html")):
        for address, text, _ in scan(page).cells:
            schedule = by_id[address.split("|")[0]]
            want = expected_text(schedule, address)
            # history tables show Decimal(total): the same digits as printed
            assert text == want or Decimal(text) == Decimal(want), f"{page.name}: {address}: shows {text}, IR {want}"
            checked += 1
    assert checked > 1000


def test_schedule_page_shows_every_value_of_the_version_in_effect(site, project, scan):
    today = dt.date.today()
    for schedule in project.schedules:
        version = schedule.version_on(today)
        if version is None:
            continue
        shown = {a for a, _, _ in scan(site.html / "schedules" / f"{schedule.id}.html").cells}
        for charge in version.charges:
            for row in charge.rows:
                for column, _ in row.components:
                    col = "total" if charge.columns == (charge.name,) else column
                    assert f"{schedule.id}|{version.label}|{charge.name}|{' '.join(row.keys)}|{col}" in shown
            for band in charge.bands:
                assert f"{schedule.id}|{version.label}|{charge.name}|{band.key}|total" in shown


def test_history_change_is_proposed_minus_current(site, scan):
    rows = 0
    for page in (site.html / "schedules").glob("*.html"):
        for row in scan(page).history:
            if len(row) != 6 or "(none)" in row[2:4]:
                continue
            current, proposed, change, pct = Decimal(row[2]), Decimal(row[3]), row[4], row[5]
            assert Decimal(change) == proposed - current, row
            if current:
                assert Decimal(pct.rstrip("%")) == ((proposed - current) / current * 100).quantize(Decimal("0.1"),
                                                                                                  "ROUND_HALF_UP")
            rows += 1
    assert rows > 100


def test_pages_and_pictures(site, project):
    src = site.src
    for schedule in project.schedules:
        assert (site.html / "schedules" / f"{schedule.id}.html").is_file()
        assert (site.html / "bills" / f"{schedule.id}.html").is_file()
        page = (src / "schedules" / f"{schedule.id}.md").read_text(encoding="utf-8")
        assert 'class="codehilite tariff-source"' in page  # the source view, highlighted by TariffLexer
        if any(ps.partition for v in schedule.versions for ps in v.rules.periods):
            assert f"../img/{schedule.id}-periods-" in page
        if any(v.rules.tiers for v in schedule.versions):
            assert f"../img/{schedule.id}-bill-vs-usage.svg" in page
    for version_date in {v.effective for s in project.schedules for v in s.versions}:
        assert (site.html / "effective" / f"{version_date}.html").is_file()
    for name in ("language", "diagnostics", "architecture"):
        assert (site.html / "reference" / f"{name}.html").is_file()
    language = (site.html / "reference" / "language.html").read_text(encoding="utf-8")
    assert '<span class="kd">schedule</span>' in language  # ```tariff blocks highlighted through the entry point
    svg = next((src / "img").glob("*.svg")).read_text(encoding="utf-8")
    assert "<dc:date>" not in svg


def test_generation_is_deterministic(project):
    import attrs

    from tariffc.compiler.docsgen import generate
    from tariffc.compiler.docsgen.bills import BillSource

    repo = Path(__file__).resolve().parents[2]
    some = attrs.evolve(project, schedules=tuple(s for s in project.schedules if s.id in ("E-1", "E-4-TOU", "G-1")))
    no_bills = BillSource.unavailable("not needed in this test")  # bills: the bill API's business
    kwargs = dict(today=dt.date(2025, 8, 1), schedules_dirs=[repo / "schedules"], docs_dir=repo / "docs",
                  bills=no_bills)
    first = generate(some, **kwargs)
    assert any(name.startswith("img/E-4-TOU-periods-") for name in first)
    assert first == generate(some, **kwargs)


@pytest.mark.parametrize("schedule_id", ["E-1", "G-1"])
def test_tier_worked_example_is_computed_from_the_rule(site, project, schedule_id):
    schedule = project.schedule(schedule_id)
    version = schedule.version_on(dt.date.today()) or schedule.versions[-1]
    rule = version.rules.tiers[0]
    allowance = rule.tiers[0].allowances[0]
    page = (site.src / "schedules" / f"{schedule_id}.md").read_text(encoding="utf-8")
    assert f"{allowance.amount} × 30 / {allowance.per_days}" in page or \
        f"{Decimal(allowance.amount.numerator) / allowance.amount.denominator} × 30" in page


def test_every_internal_link_and_picture_resolves(site):
    """Raw HTML links are not checked by mkdocs: every href/src in the built site must exist, anchors too."""
    import re
    from urllib.parse import unquote, urlsplit

    ids: dict[Path, set[str]] = {}

    def anchors(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))
        return ids[page]

    broken, checked = [], 0
    for page in sorted(site.html.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for attr, target in re.findall(r'\b(href|src)="([^"]*)"', text):
            parts = urlsplit(target)
            if parts.scheme or target.startswith(("//", "mailto:")) or not target:
                continue
            base = site.html if parts.path.startswith("/") else page.parent  # 404.html links from the root
            path = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else page
            if path.is_dir():
                path = path / "index.html"
            checked += 1
            if not path.exists():
                broken.append(f"{page.relative_to(site.html)}: {target}")
            elif parts.fragment and path.suffix == ".html" and parts.fragment not in anchors(path):
                broken.append(f"{page.relative_to(site.html)}: {target} (no such anchor)")
    assert not broken, "\n".join(broken[:20])
    assert checked > 500


def test_source_links_point_at_the_line_holding_the_value(site, project):
    """Each rate row links to `#L-n`; line n of the schedule file must hold the values shown in the row."""
    import re

    checked = 0
    for schedule in project.schedules:
        lines = project.sources[schedule.path].splitlines()
        page = (site.src / "schedules" / f"{schedule.id}.md").read_text(encoding="utf-8")
        for row in re.findall(r"<tr>(.*?)</tr>", page):
            link = re.search(r'href="#L-(\d+)"', row)
            if not link:
                continue
            text = lines[int(link.group(1)) - 1]
            for value in re.findall(r'data-rate="[^"]*">(?:<span class="value">)?([^<]+)<', row):
                if value != "-":
                    assert value in text, f"{schedule.id}: {value} not on line {link.group(1)}: {text!r}"
                    checked += 1
    assert checked > 500
