"""The site's navigation, written as `.nav.yml` beside the pages and read by the root `mkdocs.yml`
through `INHERIT` (mkdocs skips dot files, so it never becomes a page)."""

from __future__ import annotations

import html
import json

from tariffc.compiler.docsgen.site_pages import ordered

NAV_FILE = ".nav.yml"


def _entry(title: str, path: str, indent: int) -> str:
    # mkdocs writes nav titles into the HTML unescaped (its Jinja has no autoescape), in the menu and
    # in the page's <title>: schedule text is escaped here, once.
    return f"{' ' * indent}- {json.dumps(html.escape(title, quote=False))}: {json.dumps(path)}\n"


def nav_yaml(project, reference: dict[str, str]) -> str:
    """`reference`: hand-written pages in order, path → title."""
    schedules = ordered(project.schedules)
    dates = sorted({v.effective for s in schedules for v in s.versions})
    out = ["# written by `tariffc docs`: the site navigation (mkdocs.yml INHERITs it)\n", "nav:\n",
           _entry("Home", "index.md", 2), "  - Schedules:\n"]
    out += [_entry(f"{s.id} {s.title}", f"schedules/{s.id}.md", 4) for s in schedules]
    out += ["  - Rates effective on:\n", _entry("All dates", "effective/index.md", 4)]
    out += [_entry(str(d), f"effective/{d}.md", 4) for d in dates]
    out += ["  - Typical bills:\n"]
    out += [_entry(s.id, f"bills/{s.id}.md", 4) for s in schedules]
    if reference:
        out += ["  - Reference:\n"] + [_entry(title, path, 4) for path, title in reference.items()]
    return "".join(out)
