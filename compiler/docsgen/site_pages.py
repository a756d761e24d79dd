"""Site-wide pages: the home page (every schedule by utility and class with today's key rates), the
"rates effective on" page of each version date, and the index of those dates."""

from __future__ import annotations

import datetime as dt

from tariffc.compiler import ir
from tariffc.compiler.docsgen.html import CLASS_WORDS, UTILITY_WORDS, esc, md_escape, table, td_html
from tariffc.compiler.docsgen.schedule_page import source_line
from tariffc.compiler.docsgen.tables import key_rates, version_rates
from tariffc.compiler.rates import newer_rates_note

UTILITY_ORDER = ("electric", "gas")
CLASS_ORDER = ("residential", "non_residential", "street_lighting", "unmetered", "export")


def id_key(schedule_id: str):
    """E-1 < E-2 < E-2-G < E-4 < E-14 < E-EEC-1: numbers as numbers, words after them."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in schedule_id.split("-"))


def ordered(schedules) -> list[ir.Schedule]:
    return sorted(schedules, key=lambda s: (UTILITY_ORDER.index(s.utility) if s.utility in UTILITY_ORDER else 9,
                                            id_key(s.id)))


def home_page(project, today: dt.date, has_bills: bool, bills_reason: str) -> str:
    schedules = ordered(project.schedules)
    dates = sorted({v.effective for s in schedules for v in s.versions})
    out = ["# City of Palo Alto Utilities: effective rates", "",
           f"Rates in effect on **{today}** (the date this site was built), generated from the checked "
           f"`.tariff` schedules: {len(schedules)} schedules, {sum(len(s.versions) for s in schedules)} versions. "
           "Every value is shown exactly as printed on the Council-adopted rate sheet, with its source.", "",
           "Rates effective on: " + ", ".join(f"[{d}](effective/{d}.md)" for d in dates) + ". "
           + ("Typical bills are on each schedule's bills page." if has_bills else
              f"Typical bills are unavailable in this build ({md_escape(bills_reason)})."), ""]
    stale = [s.id for s in schedules if newer_rates_note(s, today)]
    if stale:
        out += [f"**Newer rates may have been adopted** for {', '.join(stale)}: CPAU adopts new rates every "
                f"July 1, and on {today} the latest version known here for these schedules is more than a July 1 "
                "old (see each schedule's page).", ""]
    for utility in UTILITY_ORDER + tuple(sorted({s.utility for s in schedules} - set(UTILITY_ORDER))):
        group = [s for s in schedules if s.utility == utility]
        if not group:
            continue
        out += [f"## {UTILITY_WORDS.get(utility, utility)}", ""]
        for cls in sorted({s.customer_class for s in group},
                         key=lambda c: (CLASS_ORDER.index(c) if c in CLASS_ORDER else 9, c)):
            out += [f"### {CLASS_WORDS.get(cls, cls)}", ""]
            rows = []
            for s in [s for s in group if s.customer_class == cls]:
                version = s.version_on(today)
                rows.append([td_html(f'<a href="schedules/{esc(s.id)}.html">{esc(s.id)}</a>'), s.title,
                             version.label if version else "none in effect",
                             td_html(key_rates(s, version)) if version else "-"])
            out += [table(["Schedule", "Title", "Version in effect", "Key rates (printed totals)"], rows, "home"), ""]
    out += ["## About these pages", "",
            "- [Language reference](reference/language.md): the `.tariff` language the schedules are written in.",
            "- [Diagnostics](reference/diagnostics.md): every message `tariffc check` can print.",
            "- [Architecture](reference/architecture.md): how this site and the bill functions are produced.", ""]
    return "\n".join(out)


def effective_index(project) -> str:
    dates = sorted({v.effective for s in project.schedules for v in s.versions})
    out = ["# Rates effective on", "", "One page per date on which a version of some schedule takes effect.", ""]
    for d in dates:
        starting = sorted(s.id for s in project.schedules for v in s.versions if v.effective == d)
        out.append(f"- [{d}]({d}.md): new versions of {', '.join(starting)}")
    return "\n".join(out + [""])


def effective_page(project, day: dt.date) -> str:
    out = [f"# Rates effective on {day}", "",
           "Every schedule with a version in effect on this date; versions that take effect on this date "
           "are marked **new**. Values exactly as printed; *Source* links to the `.tariff` line.", ""]
    missing = []
    for s in ordered(project.schedules):
        version = s.version_on(day)
        if version is None:
            missing.append(s.id)
            continue
        new = " (**new**)" if version.effective == day else f" (version {version.label})"
        out += [f"## [{s.id}](../schedules/{s.id}.md): {md_escape(s.title)}{new}", "", source_line(version), ""]
        out += version_rates(s, version, f"../schedules/{s.id}.html")
    if missing:
        out += ["## Not in effect on this date", "",
                "No version in the documents covers this date for: " + ", ".join(missing) + ".", ""]
    return "\n".join(out)
