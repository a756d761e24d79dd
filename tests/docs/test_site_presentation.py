"""The site's presentation: gas bills at stated supply prices, sources by title, each TOU picture
once, chart text readable at the page's width. Scans the session's generated site (conftest.py)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HASHED = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")
# The mkdocs theme's content column (Bootstrap 5 `container` at the 992-1199 px breakpoint: 960 px
# less 2 x 12 px padding, `col-md-9` = 75 % less a 24 px gutter): 936 * 0.75 - 24 = 678 px.
PAGE_CONTENT_PX = Decimal(678)
MIN_TEXT_PX = Decimal(11)


def _cent(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _bill_rows(page: str, version: str) -> dict[str, list[str]]:
    section = page.split(f"## Version {version}", 1)[1].split("## Version", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        if cells:
            rows[cells[0]] = cells[1:]
    return rows


def test_gas_bills_use_the_stated_supply_prices(site):
    page = (site.src / "bills" / "G-1.md").read_text(encoding="utf-8")
    # The page states the assumption, with its source (staff report Table 13, its footnote 11).
    assert "Assumed supply prices" in page
    assert "$0.859/therm" in page and "$0.9024/therm" in page
    assert "Table 13" in page and "line 3881" in page and "line 3909" in page
    assert "lowest price" not in page
    rows = _bill_rows(page, "2025-07-01")
    # G-1 2025-07-01 (003 lines 4156-4176, D.3 line 4210): service 19.52; tier 1 1.2093 up to 23 therms
    # per 30 days in summer, 60 in winter; tier 2 1.8792. 50 therms:
    summer = Decimal("19.52") + 23 * Decimal("1.2093") + 27 * Decimal("1.8792") + 50 * Decimal("0.859")
    winter = Decimal("19.52") + 50 * Decimal("1.2093") + 50 * Decimal("0.9024")
    assert _cent(summer) == Decimal("141.02") and _cent(winter) == Decimal("125.11")
    assert rows["50 therms"][:2] == ["141.02", "125.11"], rows["50 therms"]


def test_sources_are_cited_by_title_and_line_not_by_file_name(site):
    shown = 0
    for page in sorted(site.src.rglob("*.md")):
        if page.parent.name == "reference":  # hand-written docs; language.md shows `source "…"` syntax
            continue
        text = page.read_text(encoding="utf-8")
        # The `.tariff` file itself is shown verbatim at the end of a schedule page: its comments
        # name the extracted text files, and that is the file's content, not the page's citation.
        cited = text.split("## Source file", 1)[0]
        found = HASHED.findall(cited)
        assert not found, f"{page.relative_to(site.src)}: cites {found[0]}"
        shown += cited.count("Finance Committee")
    assert shown > 50
    page = (site.src / "schedules" / "E-1.md").read_text(encoding="utf-8")
    assert "Staff Report 11212, FY 2021 Electric Rates and Financial Plan (Finance Committee, 5 May 2020)" in page
    assert "Attachment D, Sheet No E-1-1" in page and "line 2329" in page


def test_e4_tou_page_shows_each_distinct_tou_picture_once(site, project):
    schedule = project.schedule("E-4-TOU")
    distinct = {tuple((ps.season, tuple((p.name, p.clauses) for p in ps.periods))
                      for ps in v.rules.periods if ps.partition) for v in schedule.versions}
    page = (site.src / "schedules" / "E-4-TOU.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\((\.\./img/E-4-TOU-periods-[^)]+)\)", page)
    assert len(pictures) == len(set(pictures)) == len(distinct) == 2  # FY 2020/2021 and FY 2025/2026
    contents = {(site.src / "img" / Path(p).name).read_bytes() for p in pictures}
    assert len(contents) == len(pictures)
    assert not [p for p in (site.src / "img").glob("E-4-TOU-periods-*.svg") if f"../img/{p.name}" not in pictures]


def _svg_text_px(svg: str) -> tuple[Decimal, list[tuple[Decimal, str]]]:
    """(the picture's displayed width in px on the page, [(text size in displayed px, text)])."""
    width_pt = Decimal(re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', svg).group(1))
    view = [Decimal(x) for x in re.search(r'viewBox="([\d.\s-]+)"', svg).group(1).split()]
    natural_px = width_pt * 4 / 3  # 1 pt = 4/3 CSS px
    shown_px = min(natural_px, PAGE_CONTENT_PX)  # `img { max-width: 100% }` shrinks a wider picture
    scale = shown_px / view[2]
    sizes = []
    for style, body in re.findall(r'<text[^>]*style="([^"]*)"[^>]*>(.*?)</text>', svg, re.S):
        size = re.search(r"font-size:\s*([\d.]+)px", style) or re.search(r"font:[^;]*?([\d.]+)px", style)
        assert size, style
        sizes.append((Decimal(size.group(1)) * scale, re.sub(r"<[^>]+>", "", body)))
    return shown_px, sizes


def test_chart_text_is_readable_at_the_page_width(site):
    checked = 0
    for svg_file in sorted((site.src / "img").glob("*.svg")):
        svg = svg_file.read_text(encoding="utf-8")
        _, sizes = _svg_text_px(svg)
        assert sizes, f"{svg_file.name}: no text kept as text"
        small = [(round(px, 1), text) for px, text in sizes if px < MIN_TEXT_PX]
        assert not small, f"{svg_file.name}: text below {MIN_TEXT_PX} px at {PAGE_CONTENT_PX} px: {small[:5]}"
        checked += len(sizes)
    assert checked > 100


def test_yearly_update_page_is_in_the_navigation(site):
    nav = (site.src / ".nav.yml").read_text(encoding="utf-8")
    assert '"reference/yearly-update.md"' in nav
    assert (site.html / "reference" / "yearly-update.html").is_file()
