"""The loss tables of every electric schedule, for the SAM/REopt users' page (docs/urdb.md).

One table per schedule: each rule the URDB form cannot hold, the versions it applies to, how tariffc
bills it, what SAM/REopt bill instead, and whether a calendar-month bill can differ. Refused
schedules are listed with the reason. `tests/export/test_urdb_docs.py` keeps docs/urdb.md equal to
this output (rewrite with `pytest --update-golden`).
"""

from __future__ import annotations

from tariffc.compiler.export.loss import KINDS
from tariffc.compiler.export.urdb import Unrepresentable, export, refusal


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def loss_tables(project) -> str:
    """Markdown: a loss table per exportable electric schedule, then the refused schedules."""
    out, refused = [], []
    for schedule in sorted(project.schedules, key=lambda s: s.id):
        if schedule.utility != "electric":
            continue
        reason = refusal(schedule)
        if reason:
            refused.append((schedule.id, reason))
            continue
        rows: dict[tuple[str, str], list] = {}
        for version in schedule.versions:
            try:
                result = export(schedule, version)
            except Unrepresentable as exc:
                refused.append((f"{schedule.id} {version.label}", exc.reason))
                continue
            for loss in result.losses:
                rows.setdefault((loss.kind, loss.rule), [loss, []])
                rows[(loss.kind, loss.rule)][0] = loss  # the latest version's wording
                rows[(loss.kind, loss.rule)][1].append(version.label)
        every = [v.label for v in schedule.versions]
        out += [f"### {schedule.id} {schedule.title}", "",
                "| Rule | Versions | tariffc bills | URDB / SAM / REopt bill | Calendar-month bills |",
                "|---|---|---|---|---|"]
        for (_kind, _rule), (loss, versions) in sorted(rows.items(), key=lambda r: KINDS.index(r[0][0])):
            which = "all" if versions == every else ", ".join(versions)
            mark = "**differ**: " if loss.differs else "same: "
            out.append(f"| {_cell(loss.rule)} | {which} | {_cell(loss.tariffc)} | {_cell(loss.urdb)} | "
                       f"{mark}{_cell(loss.effect)} |")
        out.append("")
    out += ["### Not exported", "", "| Schedule | Why the URDB form cannot hold it |", "|---|---|"]
    out += [f"| {name} | {_cell(reason)} |" for name, reason in refused]
    return "\n".join(out) + "\n"
