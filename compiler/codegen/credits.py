"""Scalar codegen of a demand charge's kW terms and of the standby sections' Maximum Demand credit
(`credit CHARGE [in WINDOW] by INPUT`; the rule: `compiler/ir.py:DemandCredit`).

A demand row's kW is written out as its terms: the Maximum Demand of a window (or of the whole bill,
'*') times the share of the bill's days in the part's season segment. The credit row's kW is the same
terms with each demand taken down to at most the input's kW (d(1): "reduced by the sum of the Maximum
Generation ... but in no event ... below zero"), for the credit's window only when it names one; the
credit lines follow the charge's own lines at that kW negated, at the row's rates (the same entries
of the version's rate table), with a note naming the rule. A credit the sheet's words cannot decide
(`refused "reason"`) writes one call that refuses the bill when the input is given.
"""

from __future__ import annotations

from tariffc.compiler import ir
from tariffc.compiler.codegen.names import py_ident, safe_comment

RULES = "D. Special notes"


def demand_terms(terms) -> str:
    """Python for a row's billing demand from (window or None for the whole bill, share) terms."""
    if not terms:
        return "0"
    return " + ".join(f"{_kw(window)} * {share}" for window, share in terms)


def _kw(window) -> str:
    return "kw['*']" if window is None else f"kw.get({window!r}, 0)"


def credit_terms(terms, credit: ir.DemandCredit) -> str:
    """Python for the kW the credit takes off a row: each term's demand at most `off` kW."""
    kept = [(w, share) for w, share in terms if w is None or credit.window in (None, w)]
    if not kept:
        return "0"
    return " + ".join(f"min({_kw(window)}, off) * {share}" for window, share in kept)


def credits_on(rules: ir.Rules, charge: str) -> list[tuple[int, ir.DemandCredit]]:
    return [(i, c) for i, c in enumerate(rules.credits) if charge in c.charges]


def branch_vars(em, c: ir.Charge, per_key: dict, keys: list) -> None:
    """Inside one branch of conditional demand windows: each credit's kW per row key, as a variable."""
    for i, credit in credits_on(em.rules, c.name):
        if credit.refused is not None:
            continue
        em.w.line(f"off = b.value({credit.input!r})  # kW the credit may take off (line {credit.span.line})",
                  em.loc(credit.span, f"{RULES} › credit {c.name}"))
        for k in keys:
            name = em._var(f"credit_{i}_" + "_".join(k or ("all",)))
            em.w.line(f"{name} = {credit_terms(per_key.get(k, []), credit)}", em.loc(credit.span, f"{RULES} › "
                                                                                          f"credit {c.name}"))


def rows(em, c: ir.Charge, single_terms: dict | None, keys: list) -> None:
    """After the charge's own lines: each credit's lines (or its refusal). `single_terms`: the rows'
    terms when the windows do not depend on a condition, else None (branch_vars wrote variables)."""
    w = em.w
    for i, credit in credits_on(em.rules, c.name):
        here = em.loc(credit.span, f"{RULES} › credit {c.name}")
        w.line(f"# Maximum Demand credit on {safe_comment(c.name)} (line {credit.span.line})", here)
        if credit.refused is not None:
            w.line(f"rt.undecided_credit(b, {credit.input!r}, {credit.refused!r})  # line {credit.span.line}", here)
            continue
        w.line(f"off = b.value({credit.input!r})  # kW the credit may take off", here)
        test = "off" + (f" and {_cond(credit.condition)}" if credit.condition is not None else "")
        w.line(f"if {test}:  # line {credit.span.line}", here)
        w.indent()
        for row in c.rows:
            key = () if row.keys == ("all",) else row.keys
            if key not in keys:
                continue
            expr = credit_terms(single_terms[key], credit) if single_terms is not None else \
                em._var(f"credit_{i}_" + "_".join(key or ("all",)))
            if expr == "0":
                continue
            w.line(f"q = {expr}", here)
            w.line("if q:", here)
            w.indent()
            note = f"Maximum Demand credit: {credit.input} kW taken off the billing demand (line {credit.span.line})"
            for component, ref in _refs(em, c, row):
                w.line(f"lines.append(({c.name!r}, {component!r}, -q, {c.unit!r}, {ref}, -(q * {ref}), {here}, V, "
                       f"{tuple(row.keys)!r}, {note!r}))  # line {credit.span.line}", here)
            w.dedent()
        w.dedent()


def _cond(condition) -> str:
    from tariffc.compiler.codegen.scalar import _cond_expr  # noqa: PLC0415 (scalar imports this module)

    return _cond_expr(condition)


def _refs(em, c: ir.Charge, row: ir.Row) -> list[tuple[str, str]]:
    """(component, `r.<attr>`) of the rate-table entries the row's own lines use, in their order."""
    out = []
    names = [component for component, value in row.components if value is not None] + ["discrepancy"]
    for component in names:
        base = py_ident(f"{c.name}_{'_'.join(row.keys)}_{component}", set())
        attr = next((a for a, _, line in em.rates if line == row.span.line and (a == base or a.startswith(base + "_"))),
                    None)
        if attr is not None:
            out.append((component, f"r.{attr}"))
    return out
