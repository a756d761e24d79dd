"""The loss report of a URDB export: every rule of the sheet that the URDB form cannot hold.

A `Loss` names the rule (with the sheet's words and where it was written), says how tariffc bills it,
what the URDB entry (and NREL SAM / REopt reading it) does instead, and which bills differ because
of it. `kind` is a stable key (the test that bills the export in PySAM uses it to compute the
difference a loss explains); `differs` tells whether a calendar-month bill of a customer who has
none of the optional inputs can differ (False: the rule only matters for other billing periods or
other customers).
"""

from __future__ import annotations

import attrs

# Kinds, in the order the report lists them.
KINDS = (
    "holidays", "seasons_by_day", "season_proration", "version_proration", "tier_allowance",
    "minimum_per_day", "fixed_per_day", "components", "option", "adjustment", "demand_credit", "demand_interval",
    "applicability_history", "conditional_rule",
    "excluded_charge", "exports", "billing_period", "clock",
)


@attrs.frozen(kw_only=True)
class Loss:
    """One rule the URDB form cannot hold, stated concretely for one schedule version."""

    kind: str  # one of KINDS
    rule: str  # the rule, in a few words
    tariffc: str  # how tariffc (the sheet) bills it
    urdb: str  # what the export holds instead, and what SAM/REopt then bill
    effect: str  # which bills differ, and by how much
    differs: bool  # can a calendar-month bill (no optional inputs) differ?
    source: str | None = None  # the sheet's words or section, when the rule is written there
    detail: dict = attrs.field(factory=dict)  # machine-readable facts (e.g. the periods a holiday moves)

    def to_json(self) -> dict:
        out = {"kind": self.kind, "rule": self.rule, "tariffc": self.tariffc, "urdb": self.urdb,
               "effect": self.effect, "calendar_month_bills_differ": self.differs}
        if self.source:
            out["source"] = self.source
        if self.detail:
            out["detail"] = self.detail
        return out


def ordered(losses) -> tuple[Loss, ...]:
    """Losses in report order (by kind, then as found)."""
    return tuple(sorted(losses, key=lambda loss: KINDS.index(loss.kind)))


def render_text(schedule_id: str, version: str, losses) -> str:
    """The loss report as plain text (printed beside an export)."""
    out = [f"URDB export of {schedule_id} version {version}: what the URDB form cannot hold"]
    if not losses:
        out.append("  nothing: every rule of this version is held exactly.")
    for loss in losses:
        mark = "bills differ" if loss.differs else "calendar-month bills unaffected"
        out.append(f"- {loss.rule} [{loss.kind}; {mark}]")
        out.append(f"    tariffc: {loss.tariffc}")
        out.append(f"    URDB/SAM: {loss.urdb}")
        out.append(f"    effect: {loss.effect}")
        if loss.source:
            out.append(f"    source: {loss.source}")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(schedule_id: str, version: str, losses) -> str:
    """The loss report as a Markdown table (the docs page and `*.loss.md` beside an export)."""
    out = [f"### {schedule_id} {version}", ""]
    if not losses:
        return "\n".join(out + ["Nothing lost: every rule of this version is held exactly.", ""])
    out += ["| Rule | tariffc bills | URDB / SAM bills | Calendar-month bills |", "|---|---|---|---|"]
    for loss in losses:
        mark = "**differ**: " if loss.differs else "same: "
        out.append(f"| {_cell(loss.rule)} | {_cell(loss.tariffc)} | {_cell(loss.urdb)} | "
                   f"{mark}{_cell(loss.effect)} |")
    return "\n".join(out + [""])
