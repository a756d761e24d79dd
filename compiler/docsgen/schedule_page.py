"""One page per schedule: rates in effect, special notes in sentences, history, declared discrepancies
and unresolved values, sources, pictures, and the `.tariff` file itself."""

from __future__ import annotations

import datetime as dt

from tariffc.compiler import ir
from tariffc.compiler.docsgen.documents import cite
from tariffc.compiler.docsgen.html import CLASS_WORDS, UTILITY_WORDS, code, md_escape, plain
from tariffc.compiler.docsgen.source_view import source_html
from tariffc.compiler.docsgen.tables import history_table, version_rates
from tariffc.compiler.docsgen.words import billing_sentences, rules_markdown
from tariffc.compiler.rates import newer_rates_note


def source_line(version: ir.Version) -> str:
    s = version.source
    if s is None:
        return "Source: not stated."
    return f"Source: {md_escape(cite(s.document, s.sheet, s.line))}."


def declared_items(schedule: ir.Schedule, published: tuple[ir.PublishedTable, ...]) -> list[str]:
    out = []
    for version in schedule.versions:
        for d in version.declared:
            what = "Unresolved value" if d.kind == "unresolved" else "Declared discrepancy"
            path = " ".join(d.path)
            out.append(f"- **{what}**, version {version.label}, `{code(path)}` "
                       f"([line {d.span.line}](#L-{d.span.line})): {md_escape(d.reason)}")
    for table in published:
        for d in table.discrepancies:
            if d.path and d.path[0] == schedule.id:
                out.append(f"- **Staff table disagrees** ({md_escape(table.title)}), `{code(' '.join(d.path[1:]))}`"
                           f" (`{code(table.path)}` line {d.span.line}): {md_escape(d.reason)}")
    return out


def version_status(version: ir.Version, today: dt.date) -> str:
    if version.effective > today:
        return f"takes effect {version.effective}"
    if version.ends is not None and version.ends <= today:
        return f"in effect {version.effective} to {version.ends - dt.timedelta(days=1)}"
    return f"in effect since {version.effective}"


def _not_in_effect(schedule: ir.Schedule, today: dt.date) -> str:
    versions = ", ".join(v.label for v in schedule.versions)
    last = schedule.versions[-1] if schedule.versions else None
    if last is not None and last.ends is not None and last.ends <= today:
        return f"**No longer in effect since {last.ends}.** Versions: {versions}."
    if last is not None and today < schedule.versions[0].effective:
        return f"**Not yet in effect:** its first version takes effect on {schedule.versions[0].effective}."
    return f"No version in the documents is in effect on {today} (run date). Versions: {versions}."


def schedule_page(schedule: ir.Schedule, source_text: str, today: dt.date, pictures: dict,
                  published: tuple[ir.PublishedTable, ...], has_bills: bool) -> str:
    """`pictures`: {"periods": {version label: [(alt, src)]}, "tiers": (alt, src, note) | None, "history": [...]}"""
    current = schedule.version_on(today)
    util = UTILITY_WORDS.get(schedule.utility, schedule.utility)
    out = [f"# {schedule.id}: {md_escape(schedule.title)}", "",
           f"{util} · {CLASS_WORDS.get(schedule.customer_class, schedule.customer_class)} · "
           f"file `{code(schedule.path)}` · "
           + (f"[typical bills](../bills/{schedule.id}.md)" if has_bills else "typical bills unavailable"), "",
           "## A. Applicability", "", md_escape(schedule.applicability), ""]
    for limit in schedule.limits:
        low = plain(limit.low) if limit.low is not None else None
        high = plain(limit.high) if limit.high is not None else None
        rng = f"{low} to {high}" if low and high else (f"at least {low}" if low else f"up to {high}")
        over = (f", for {limit.months} consecutive months among the most recent {limit.window}"
                if limit.history == "sustained" else ", the most recent 12 months added up"
                if limit.history == "per_year" else "")
        when = f", when {md_escape(limit.condition.describe())}" if limit.condition is not None else ""
        out += [f"- Applicability bound on {limit.quantity}: {rng} {limit.unit}{over}{when}"
                + (f" ({md_escape(limit.doc)})" if limit.doc else "") + ".", ""]
    out += ["## B. Territory", "", md_escape(schedule.territory), ""]
    out += ["## C. Rates in effect", ""]
    if current is None:
        out += [_not_in_effect(schedule, today), ""]
    else:
        out += [f"Version **{current.label}**, {version_status(current, today)} (today is {today}). "
                + source_line(current), ""]
        newer = newer_rates_note(schedule, today)
        if newer:
            out += [f"**Newer rates may have been adopted.** {newer[0].upper()}{newer[1:]}.", ""]
        out += [
                "Values exactly as printed on the sheet; `-` is a cell the sheet leaves blank; "
                "† marks a declared discrepancy or unresolved value (hover for the reason). "
                "*Source* links to the line of the `.tariff` file below.", ""]
        out += version_rates(schedule, current, "")
        if pictures.get("periods", {}).get(current.label):
            out += ["When each energy rate applies: the period map under "
                    f"[D. Special notes, version {current.label}](#version-{current.label}).", ""]
    if schedule.inputs:
        out += ["**Bill inputs** this schedule declares:", ""]
        for i in schedule.inputs:
            kind = f"one of {', '.join(f'`{c}`' for c in i.choices)}" if i.choices else (i.unit or i.type)
            out.append(f"- `{i.name}` ({kind})" + (f": {md_escape(i.doc)}" if i.doc else ""))
        out.append("")

    out += ["## D. Special notes", ""]
    billings = {v.rules.billing for v in schedule.versions}
    shared_billing = len(billings) == 1
    if shared_billing:
        out += ["**Billing conventions** (every version):", "", *billing_sentences(next(iter(billings))), ""]
    shown: dict[str, str] = {}  # picture → the version under which it is shown (each picture once)
    for version in reversed(schedule.versions):
        out += [f"### Version {version.label}", "", f"{version_status(version, today).capitalize()}. "
                + source_line(version), ""]
        if version.applicability:
            out += [f"Applicability as worded on this sheet: {md_escape(version.applicability)}", ""]
        pics = {alt: src for alt, src in pictures.get("periods", {}).get(version.label, []) if src not in shown}
        same = sorted({shown[src] for _, src in pictures.get("periods", {}).get(version.label, []) if src in shown})
        shown.update({src: version.label for src in pics.values()})
        out += rules_markdown(version, schedule, pics, billing=not shared_billing, same_picture_as=same)
    if schedule.notes:
        out += ["### Notes for every version", "", *[f"- {md_escape(n)}" for n in schedule.notes], ""]
    if pictures.get("tiers"):
        alt, src, note = pictures["tiers"]
        out += ["## Bill against monthly usage", "", f"![{alt}. {md_escape(note)}]({src})", "", md_escape(note), ""]

    out += ["## History", ""]
    for alt, src in pictures.get("history", []):
        out += [f"![{alt}]({src})", ""]
    for old, new in zip(schedule.versions, schedule.versions[1:]):
        gap = old.ends is not None and old.ends < new.effective
        out += [f"### {old.label} → {new.label}", ""]
        if gap:
            out += [f"The documents hold no version between these two (version {new.label} supersedes "
                    f"{new.supersedes or 'an earlier sheet'}): the change spans the missing years.", ""]
        out += [history_table(schedule, old, new), ""]
    for version in reversed(schedule.versions):
        if version is current:
            continue
        out += [f"### Rates of version {version.label}", "", source_line(version), ""]
        out += version_rates(schedule, version, "")

    declared = declared_items(schedule, published)
    out += ["## Discrepancies and unresolved values", ""]
    out += declared + [""] if declared else ["None declared: every printed total is the sum of its parts.", ""]

    out += ["## Sources", ""]
    for version in schedule.versions:
        out.append(f"- Version {version.label}: " + source_line(version))
    out += ["", f"## Source file `{code(schedule.path)}`", "", source_html(source_text), ""]
    return "\n".join(out)

