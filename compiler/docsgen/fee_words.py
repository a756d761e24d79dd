"""Fees, references to another schedule and estimated usage in sentences (E-16 C.2, D.a, E., F.;
E-14 D.6), for the D. Special notes section of a schedule page: what each bills, on which input, and
why a refused fee is refused."""

from __future__ import annotations

from tariffc.compiler import ir
from tariffc.compiler.docsgen.html import md_escape


def _words(text: str | None) -> str:
    return f" The sheet: “{md_escape(text)}”" if text else ""


def fee_sentences(version: ir.Version) -> list[str]:
    out = []
    rules = version.rules
    for fee in version.fees:
        label = md_escape(fee.label)
        if fee.kind == "refused":
            out.append(f"- **{label}**: not billed here, refused with its reason: {md_escape(fee.reason)} "
                       f"(a bill that gives `{fee.refused_input}` is refused).")
            continue
        for row in fee.rows:
            what = f"{label}" + (f", {md_escape(row.label or row.key)}" if row.key != "all" else "")
            if fee.kind == "percent":
                out.append(f"- **{what}**: {row.rate.text}% a month of the amount `{row.input}` (dollars).")
                continue
            per = {"year": "a year", "month": "a month", "once": "once"}[fee.term]
            howto = ""
            if fee.term == "year" and rules.yearly_fees is not None:
                howto = f", billed as 1/{rules.yearly_fees.divisor} of it a month"
            out.append(f"- **{what}**: ${row.rate.text} per {fee.unit} {per}{howto}; billed on `{row.input}`.")
    if rules.yearly_fees is not None and any(f.term == "year" for f in version.fees):
        out.append(f"- Yearly fees on a monthly bill:{_words(rules.yearly_fees.doc)}")
    for index in rules.indexes:
        out.append(f"- {', '.join(f'`{n}`' for n in index.fees)} are adjusted by the ratio `{index.input}` "
                   f"(a bill with such a fee needs it; 1 in the base year).{_words(index.doc)}")
    return out


def reference_sentences(version: ir.Version) -> list[str]:
    out = []
    for ref in version.references:
        versions = ", ".join(t.version for t in ref.targets) or "none"
        gaps = f" Days no {ref.schedule} version covers are refused: {md_escape(ref.gaps)}." if ref.gaps else ""
        out.append(f"- **{md_escape(ref.label)}**: each day's kWh at the {ref.schedule} `{ref.charge}` rates of the "
                   f"{ref.schedule} version in effect that day, in its season ({ref.schedule} versions used: "
                   f"{versions}).{gaps}")
    for bound in version.rules.bounds:
        out.append(f"- **{bound.input}** up to {bound.high.text} {bound.unit_text}: a bill giving more is refused."
                   f"{_words(bound.doc)}")
    est = version.rules.estimate
    if est is not None:
        steps = []
        for step in est.steps:
            unit = step.unit[0] + (f" per {step.unit[1]}" if step.unit[1] else "")
            verb = {"input": "", "times": "× ", "divided_by": "÷ "}[step.kind]
            steps.append(f"{verb}`{step.operand}` {unit}")
        out.append(f"- **Estimated kWh** (when the bill gives no kWh): {' '.join(steps)} = kWh a month, times the "
                   f"bill's months.{_words(est.doc)}")
    return out
