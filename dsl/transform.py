"""Parse tree → surface AST (dsl/ast.py), positions kept, literals kept as source text."""

from __future__ import annotations

import lark
from lark import Token, Transformer, v_args

from tariffc.dsl import ast
from tariffc.dsl.diagnostics import Span
from tariffc.dsl.parse import decode, parse_tree


def _unquote(raw: str) -> str:
    body = raw[1:-1]
    out, escaped = [], False
    for char in body:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    return "".join(out)


@v_args(meta=True)
class ToAst(Transformer):
    def __init__(self, path: str):
        super().__init__()
        self.path = path

    # -------------------------------------------------------------- helpers
    def span(self, meta) -> Span:
        if getattr(meta, "empty", True):
            return Span.whole_file(self.path)
        return Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def tok_span(self, tok: Token) -> Span:
        return Span(self.path, tok.line, tok.column, tok.end_line or tok.line,
                    tok.end_column or tok.column + len(tok))

    def lit(self, tok) -> ast.Lit:
        if isinstance(tok, ast.Lit):
            return tok
        return ast.Lit(text=str(tok), span=self.tok_span(tok))

    def text(self, tok) -> ast.Text:
        return ast.Text(value=_unquote(str(tok)), span=self.tok_span(tok))

    def split(self, children):
        """Children by kind: STRING tokens, other tokens, and nodes."""
        strings = [c for c in children if isinstance(c, Token) and c.type == "STRING"]
        tokens = [c for c in children if isinstance(c, Token) and c.type != "STRING"]
        nodes = [c for c in children if not isinstance(c, Token)]
        return strings, tokens, nodes

    def opt_text(self, strings, index=0):
        return self.text(strings[index]) if len(strings) > index else None

    # -------------------------------------------------------------- file
    def start(self, meta, children):
        return tuple(children)

    # -------------------------------------------------------------- calendars
    def calendar(self, meta, children):
        strings, tokens, nodes = self.split(children)
        timezone = next((n for n in nodes if isinstance(n, tuple) and n[0] == "timezone"), None)
        return ast.Calendar(
            name=self.lit(tokens[0]),
            title=self.opt_text(strings),
            timezone=timezone[1] if timezone else None,
            holidays=tuple(n for n in nodes if isinstance(n, ast.Holiday)),
            billing=next((n for n in nodes if isinstance(n, ast.Billing)), None),
            notes=tuple(n for n in nodes if isinstance(n, ast.Note)),
            span=self.span(meta),
        )

    def timezone(self, meta, children):
        return ("timezone", self.text(children[0]))

    def holiday(self, meta, children):
        strings, tokens, nodes = self.split(children)
        date = next(n for n in nodes if isinstance(n, (ast.FixedDate, ast.NthWeekday, ast.RelativeDate)))
        observed = next((n for n in nodes if isinstance(n, ast.Lit)), None)
        offset = next((n for n in nodes if isinstance(n, ast.HolidayOffset)), None)
        return ast.Holiday(name=self.lit(tokens[0]), label=self.opt_text(strings), date=date,
                           observed=observed, offset=offset, span=self.span(meta))

    def relative_date(self, meta, children):
        return ast.RelativeDate(relation=self.lit(children[0]), holiday=self.lit(children[1]))

    def holiday_offset(self, meta, children):
        sign = self.lit(children[0])
        return ast.HolidayOffset(sign=ast.Lit(text="-" if sign.text == "-" else "+", span=sign.span),
                                 days=self.lit(children[1]), span=self.span(meta))

    def fixed_date(self, meta, children):
        return ast.FixedDate(month=self.lit(children[0]), day=self.lit(children[1]))

    def nth_weekday(self, meta, children):
        return ast.NthWeekday(ordinal=self.lit(children[0]), weekday=self.lit(children[1]),
                              month=self.lit(children[2]))

    def observed(self, meta, children):
        return self.lit(children[0])

    def billing(self, meta, children):
        strings, _, nodes = self.split(children)
        return ast.Billing(doc=self.opt_text(strings), statements=tuple(nodes), span=self.span(meta))

    def billing_period(self, meta, children):
        return ast.BillingPeriod(convention=self.lit(children[0]), max_days=self.lit(children[1]),
                                 span=self.span(meta))

    def monthly_charges(self, meta, children):
        return ast.MonthlyCharges(mode=self.lit(children[0]),
                                  divisor=self.lit(children[1]) if len(children) > 1 else None,
                                  span=self.span(meta))

    def rounding(self, meta, children):
        what, mode, step = (self.lit(c) for c in children)
        return ast.Rounding(what=what, mode=mode, step=step, span=self.span(meta))

    # -------------------------------------------------------------- schedule header
    def schedule(self, meta, children):
        return ast.Schedule(id=self.lit(children[0]), title=self.text(children[1]),
                            statements=tuple(children[2:]), span=self.span(meta))

    def _header(name):
        def build(self, meta, children):
            value = children[0]
            item = self.text(value) if value.type == "STRING" else self.lit(value)
            return ast.Header(kind=name, value=item, span=self.span(meta))
        return build

    utility = _header("utility")
    customer_class = _header("class")
    calendar_ref = _header("calendar")
    applicability = _header("applicability")
    territory = _header("territory")
    del _header

    def limit(self, meta, children):
        strings, tokens, nodes = self.split(children)
        low, high = next(n for n in nodes if isinstance(n, tuple))
        unit = next(n for n in nodes if isinstance(n, str))
        return ast.Limit(quantity=self.lit(tokens[0]), low=low, high=high, unit=unit,
                         doc=self.opt_text(strings),
                         history=next((n for n in nodes if isinstance(n, ast.LimitHistory)), None),
                         condition=next((n for n in nodes if isinstance(n, ast.Condition)), None),
                         span=self.span(meta))

    def demand_credit(self, meta, children):
        strings, tokens, nodes = self.split(children)
        return ast.DemandCredit(
            charges=tuple(self.lit(t) for t in tokens),
            window=next((n[1] for n in nodes if isinstance(n, tuple) and n[0] == "window"), None),
            input=next(n[1] for n in nodes if isinstance(n, tuple) and n[0] == "input"),
            refused=next((n[1] for n in nodes if isinstance(n, tuple) and n[0] == "refused"), None),
            condition=next((n for n in nodes if isinstance(n, ast.Condition)), None),
            doc=self.opt_text(strings), span=self.span(meta))

    def credit_window(self, meta, children):
        return ("window", self.lit(children[0]))

    def credit_input(self, meta, children):
        return ("input", self.lit(children[0]))

    def credit_refused(self, meta, children):
        return ("refused", self.text(children[0]))

    def limit_sustained(self, meta, children):
        return ast.LimitHistory(kind="sustained", months=self.lit(children[0]), window=self.lit(children[1]),
                                span=self.span(meta))

    def limit_per_year(self, meta, children):
        return ast.LimitHistory(kind="per_year", span=self.span(meta))

    def range_between(self, meta, children):
        return (self.lit(children[0]), self.lit(children[1]))

    def range_at_least(self, meta, children):
        return (self.lit(children[0]), None)

    def range_up_to(self, meta, children):
        return (None, self.lit(children[0]))

    def input(self, meta, children):
        strings, tokens, nodes = self.split(children)
        kind, unit, choices = nodes[0]
        return ast.Input(name=self.lit(tokens[0]), type=kind, unit=unit, choices=choices,
                         doc=self.opt_text(strings), span=self.span(meta))

    def flag_type(self, meta, children):
        return ("flag", None, ())

    def count_type(self, meta, children):
        return ("count", None, ())

    def number_type(self, meta, children):
        return ("number", None, ())

    def choice_type(self, meta, children):
        return ("choice", None, tuple(self.lit(c) for c in children))

    def unit_type(self, meta, children):
        return ("unit", children[0], ())

    def source(self, meta, children):
        strings, tokens, _ = self.split(children)
        return ast.Source(document=self.text(strings[0]), sheet=self.opt_text(strings, 1),
                          line=self.lit(tokens[0]) if tokens else None, span=self.span(meta))

    def note(self, meta, children):
        return ast.Note(text=self.text(children[0]), span=self.span(meta))

    # -------------------------------------------------------------- rules
    def seasons(self, meta, children):
        strings, _, nodes = self.split(children)
        return ast.Seasons(doc=self.opt_text(strings), seasons=tuple(nodes), span=self.span(meta))

    def season(self, meta, children):
        strings, tokens, _ = self.split(children)
        name, m1, d1, m2, d2 = (self.lit(t) for t in tokens)
        return ast.Season(name=name, label=self.opt_text(strings), start_month=m1, start_day=d1,
                          end_month=m2, end_day=d2, span=self.span(meta))

    def prorate(self, meta, children):
        strings, tokens, nodes = self.split(children)
        return ast.Prorate(what=self.lit(tokens[0]), how=nodes[0] if nodes else None, doc=self.opt_text(strings),
                           span=self.span(meta))

    def prorate_how(self, meta, children):
        return self.lit(children[0])

    def tiers(self, meta, children):
        strings, tokens, nodes = self.split(children)
        return ast.Tiers(quantity=self.lit(tokens[0]), doc=self.opt_text(strings),
                         tiers=tuple(n for n in nodes if isinstance(n, ast.Tier)),
                         rounding=next((n for n in nodes if isinstance(n, ast.TierRound)), None),
                         examples=tuple(n for n in nodes if isinstance(n, ast.TierExample)),
                         span=self.span(meta))

    def tier_example(self, meta, children):
        strings, tokens, nodes = self.split(children)
        return ast.TierExample(tier=self.lit(tokens[0]), allowance=nodes[0], doc=self.opt_text(strings),
                               span=self.span(meta))

    def tier_bounded(self, meta, children):
        return ast.Tier(name=self.lit(children[0]), allowances=tuple(children[1:]), span=self.span(meta))

    def tier_rest(self, meta, children):
        return ast.Tier(name=self.lit(children[0]), allowances=(), span=self.span(meta))

    def tier_round(self, meta, children):
        strings, tokens, _ = self.split(children)
        return ast.TierRound(step=self.lit(tokens[0]), mode=self.lit(tokens[1]),
                             doc=self.opt_text(strings), span=self.span(meta))

    def allowance(self, meta, children):
        amount, unit = children[0], children[1]
        rest = children[2:]
        per_days = None
        season = None
        for item in rest:
            if isinstance(item, Token) and item.type == "INT":
                per_days = self.lit(item)
            elif isinstance(item, Token) and item.type == "NAME":
                season = self.lit(item)
        return ast.Allowance(amount=self.lit(amount), unit=unit, per_days=per_days, season=season,
                             span=self.span(meta))

    def day_word(self, meta, children):
        return str(children[0])

    def unit(self, meta, children):
        return " ".join(str(c) for c in children)

    limit_unit = unit

    def _period_set(partition):
        def build(self, meta, children):
            strings, tokens, nodes = self.split(children)
            return ast.Periods(
                partition=partition, charge=self.lit(tokens[0]),
                season=self.lit(tokens[1]) if len(tokens) > 1 else None,
                doc=self.opt_text(strings),
                condition=next((n for n in nodes if isinstance(n, ast.Condition)), None),
                lines=tuple(n for n in nodes if isinstance(n, ast.PeriodLine)),
                span=self.span(meta))
        return build

    periods = _period_set(True)
    windows = _period_set(False)
    del _period_set

    def period_line(self, meta, children):
        return ast.PeriodLine(name=self.lit(children[0]), clauses=tuple(children[1:]), span=self.span(meta))

    def clause(self, meta, children):
        days = next(c for c in children if isinstance(c, ast.Lit))
        hours = next((c for c in children if isinstance(c, tuple)), ())
        except_holidays = any(c == "except holidays" for c in children)
        return ast.Clause(kind="days", days=days, hours=hours, except_holidays=except_holidays,
                          span=self.span(meta))

    def otherwise(self, meta, children):
        return ast.Clause(kind="otherwise", span=self.span(meta))

    def always(self, meta, children):
        return ast.Clause(kind="always", span=self.span(meta))

    def day_set(self, meta, children):
        return ast.Lit(text=" ".join(str(c) for c in children), span=self.span(meta))

    def hours(self, meta, children):
        return tuple(self.lit(c) for c in children)

    def except_holidays(self, meta, children):
        return "except holidays"

    def demand(self, meta, children):
        strings, tokens, nodes = self.split(children)
        option = next((n for n in nodes if isinstance(n, tuple)), (None, None))
        return ast.Demand(minutes=self.lit(tokens[0]), doc=self.opt_text(strings), option=option[0],
                          option_input=option[1], span=self.span(meta))

    def demand_option(self, meta, children):
        return (self.lit(children[0]), self.lit(children[1]))

    def _adjustment(kind):
        def build(self, meta, children):
            strings, tokens, nodes = self.split(children)
            scaled = next((n for n in nodes if isinstance(n, tuple)), None)
            condition = next(n for n in nodes if isinstance(n, ast.Condition))
            return ast.Adjustment(kind=kind, name=self.lit(tokens[0]), percent=self.lit(tokens[1]),
                                  charges=tuple(self.lit(t) for t in tokens[2:]), scaled=scaled,
                                  condition=condition, doc=self.opt_text(strings), span=self.span(meta))
        return build

    discount = _adjustment("discount")
    surcharge = _adjustment("surcharge")
    del _adjustment

    def scaled(self, meta, children):
        return tuple(self.lit(c) for c in children)

    def exempt(self, meta, children):
        strings, tokens, nodes = self.split(children)
        return ast.Exempt(charge=self.lit(tokens[0]), condition=nodes[0], doc=self.opt_text(strings),
                          span=self.span(meta))

    def minimum_charge(self, meta, children):
        strings, tokens, nodes = self.split(children)
        return ast.Minimum(charge=self.lit(tokens[0]), amount=None, unit=None,
                           condition=next((n for n in nodes if isinstance(n, ast.Condition)), None),
                           doc=self.opt_text(strings), span=self.span(meta))

    def minimum_amount(self, meta, children):
        strings, tokens, nodes = self.split(children)
        return ast.Minimum(charge=None, amount=self.lit(tokens[0]),
                           unit=next(n for n in nodes if isinstance(n, str)),
                           condition=next((n for n in nodes if isinstance(n, ast.Condition)), None),
                           doc=self.opt_text(strings), span=self.span(meta))

    def when(self, meta, children):
        return children[0]

    def cond_flag(self, meta, children):
        return ast.Condition(kind="flag", name=self.lit(children[0]), span=self.span(meta))

    def cond_not(self, meta, children):
        return ast.Condition(kind="not", name=self.lit(children[0]), span=self.span(meta))

    def cond_is(self, meta, children):
        return ast.Condition(kind="is", name=self.lit(children[0]), value=self.lit(children[1]),
                             span=self.span(meta))

    # -------------------------------------------------------------- versions and charges
    def version(self, meta, children):
        dates = [c for c in children if isinstance(c, Token) and c.type == "DATE"]
        body = [c for c in children if not isinstance(c, Token)]
        return ast.Version(effective=self.lit(dates[0]),
                           supersedes=self.lit(dates[1]) if len(dates) > 1 else None,
                           statements=tuple(body), span=self.span(meta))

    def ends(self, meta, children):
        return ast.Ends(date=self.lit(children[0]), reason=self.text(children[1]), span=self.span(meta))

    def _charge_head(self, children):
        strings, tokens, nodes = self.split(children)
        unit = next(n for n in nodes if isinstance(n, tuple) and n[0] == "unit")[1]
        opts = next(n for n in nodes if isinstance(n, dict))
        return strings, tokens, nodes, unit, opts

    def table_charge(self, meta, children):
        strings, tokens, nodes, unit, opts = self._charge_head(children)
        columns, total_column, rows = next(n for n in nodes if isinstance(n, tuple) and n[0] == "table")[1:]
        return ast.Charge(name=self.lit(tokens[0]), label=self.opt_text(strings), unit=unit,
                          columns=columns, total_column=total_column, rows=rows,
                          span=self.span(meta), **opts)

    def fixed_charge(self, meta, children):
        strings, tokens, nodes, unit, opts = self._charge_head(children)
        return ast.Charge(name=self.lit(tokens[0]), label=self.opt_text(strings), unit=unit,
                          value=self.lit(tokens[1]), span=self.span(meta), **opts)

    def banded_charge(self, meta, children):
        strings, tokens, nodes, unit, opts = self._charge_head(children)
        return ast.Charge(name=self.lit(tokens[0]), label=self.opt_text(strings), unit=unit,
                          band_input=self.lit(tokens[1]),
                          bands=tuple(n for n in nodes if isinstance(n, ast.Band)),
                          span=self.span(meta), **opts)

    def charge_unit(self, meta, children):
        return ("unit", children[0])

    def charge_opts(self, meta, children):
        opts = {"on": None, "credit": False, "condition": None}
        for item in children:
            if isinstance(item, ast.Condition):
                opts["condition"] = item
            elif item == "credit":
                opts["credit"] = True
            else:
                opts["on"] = item
        return opts

    def on(self, meta, children):
        return self.lit(children[0])

    def credit(self, meta, children):
        return "credit"

    def table(self, meta, children):
        columns, total_column = children[0]
        return ("table", columns, total_column, tuple(children[1:]))

    def columns(self, meta, children):
        names = tuple(self.lit(c) for c in children if isinstance(c, Token))
        total = next((c for c in children if isinstance(c, ast.Lit)), None)
        return names, total

    def total_column(self, meta, children):
        return self.lit(children[1])

    def row(self, meta, children):
        keys, label, cells, total = [], None, [], None
        for item in children:
            if isinstance(item, Token) and item.type == "NAME" and not cells and label is None:
                keys.append(self.lit(item))
            elif isinstance(item, Token) and item.type == "STRING":
                label = self.text(item)
            elif isinstance(item, Token):
                cells.append(self.lit(item))
            else:
                total = item
        return ast.Row(keys=tuple(keys), label=label, cells=tuple(cells), total=total, span=self.span(meta))

    def total_cell(self, meta, children):
        return self.lit(children[0])

    def band(self, meta, children):
        strings, tokens, nodes = self.split(children)
        open_low, low, high, open_high = nodes[0]
        return ast.Band(key=self.lit(tokens[0]), label=self.opt_text(strings), open_low=open_low,
                        low=low, high=high, open_high=open_high, value=self.lit(tokens[1]),
                        span=self.span(meta))

    def interval(self, meta, children):
        return (str(children[0]) == "(", self.lit(children[1]), self.lit(children[2]), str(children[3]) == ")")

    def passthrough(self, meta, children):
        strings, tokens, nodes = self.split(children)
        return ast.PassThrough(name=self.lit(tokens[0]), label=self.opt_text(strings), unit=nodes[0],
                               low=self.lit(tokens[1]) if len(tokens) > 1 else None,
                               high=self.lit(tokens[2]) if len(tokens) > 2 else None, span=self.span(meta))

    def unresolved(self, meta, children):
        return ast.Declared(kind="unresolved", path=tuple(self.lit(c) for c in children[:-1]),
                            reason=self.text(children[-1]), span=self.span(meta))

    def discrepancy(self, meta, children):
        return ast.Declared(kind=str(children[0]), path=tuple(self.lit(c) for c in children[1:-1]),
                            reason=self.text(children[-1]), span=self.span(meta))

    # -------------------------------------------------------------- fees (E-16 E., E-14 D.6)
    def fixed_fee(self, meta, children):
        strings, tokens, nodes = self.split(children)
        unit = next(t for t in tokens if t.type == "FEE_UNIT")
        on = next((n for n in nodes if isinstance(n, ast.Lit)), None)
        term = next(n for n in nodes if isinstance(n, str))
        return ast.Fee(kind="fixed", name=self.lit(tokens[0]), label=self.opt_text(strings),
                       amount=self.lit(tokens[1]), unit=self.lit(unit), term=term, on=on, span=self.span(meta))

    def table_fee(self, meta, children):
        strings, tokens, nodes = self.split(children)
        unit = next(t for t in tokens if t.type == "FEE_UNIT")
        term = next(n for n in nodes if isinstance(n, str))
        return ast.Fee(kind="table", name=self.lit(tokens[0]), label=self.opt_text(strings), unit=self.lit(unit),
                       term=term, rows=tuple(n for n in nodes if isinstance(n, ast.FeeRow)), span=self.span(meta))

    def percent_fee(self, meta, children):
        strings, tokens, _ = self.split(children)
        return ast.Fee(kind="percent", name=self.lit(tokens[0]), label=self.opt_text(strings),
                       amount=self.lit(tokens[1]), term="per month", on=self.lit(tokens[2]), span=self.span(meta))

    def refused_fee(self, meta, children):
        strings, tokens, _ = self.split(children)
        return ast.Fee(kind="refused", name=self.lit(tokens[0]),
                       label=self.text(strings[0]) if len(strings) > 1 else None,
                       reason=self.text(strings[-1]), span=self.span(meta))

    def fee_term(self, meta, children):
        return " ".join(str(c) for c in children)

    def fee_on(self, meta, children):
        return self.lit(children[0])

    def fee_row(self, meta, children):
        strings, tokens, _ = self.split(children)
        return ast.FeeRow(key=self.lit(tokens[0]), label=self.opt_text(strings), amount=self.lit(tokens[-1]),
                          span=self.span(meta))

    def index(self, meta, children):
        strings, tokens, _ = self.split(children)
        return ast.Index(fees=tuple(self.lit(t) for t in tokens[:-1]), input=self.lit(tokens[-1]),
                         doc=self.opt_text(strings), span=self.span(meta))

    def yearly_fees(self, meta, children):
        strings, tokens, _ = self.split(children)
        return ast.YearlyFees(divisor=self.lit(tokens[0]), doc=self.opt_text(strings), span=self.span(meta))

    # -------------------------------------------------------------- references and estimates (E-16)
    def reference_charge(self, meta, children):
        strings, tokens, nodes = self.split(children)
        unit = next(n for n in nodes if isinstance(n, tuple) and n[0] == "unit")[1]
        gaps = next((n for n in nodes if isinstance(n, ast.Text)), None)
        target = next(t for t in tokens if t.type == "SCHEDULE_ID")
        names = [t for t in tokens if t.type == "NAME"]
        return ast.Reference(name=self.lit(names[0]), label=self.opt_text(strings), unit=unit,
                             schedule=self.lit(target), charge=self.lit(names[1]), gaps=gaps, span=self.span(meta))

    def reference_gaps(self, meta, children):
        return self.text(children[0])

    def estimate(self, meta, children):
        strings, tokens, nodes = self.split(children)
        return ast.Estimate(quantity=self.lit(tokens[0]), doc=self.opt_text(strings), steps=tuple(nodes),
                            span=self.span(meta))

    def _estimate_step(kind):
        def build(self, meta, children):
            strings, tokens, nodes = self.split(children)
            return ast.EstimateStep(kind=kind, operand=self.lit(tokens[0]), unit=nodes[0],
                                    doc=self.opt_text(strings), span=self.span(meta))
        return build

    estimate_input = _estimate_step("input")
    estimate_times = _estimate_step("times")
    estimate_divided = _estimate_step("divided_by")
    del _estimate_step

    def bound(self, meta, children):
        strings, tokens, nodes = self.split(children)
        return ast.Bound(input=self.lit(tokens[0]), high=self.lit(tokens[1]), unit=nodes[0],
                         doc=self.opt_text(strings), span=self.span(meta))

    def est_unit(self, meta, children):
        return (self.lit(children[0]), self.lit(children[1]) if len(children) > 1 else None)

    # -------------------------------------------------------------- published tables
    def published(self, meta, children):
        strings, _, nodes = self.split(children)
        return ast.Published(
            title=self.text(strings[0]), caption=self.opt_text(strings, 1),
            source=next((n for n in nodes if isinstance(n, ast.Source)), None),
            columns=next((n for n in nodes if isinstance(n, tuple)), ()),
            rows=tuple(n for n in nodes if isinstance(n, ast.PublishedRow)),
            discrepancies=tuple(n for n in nodes if isinstance(n, ast.PublishedDiscrepancy)),
            notes=tuple(n for n in nodes if isinstance(n, ast.Note)),
            span=self.span(meta))

    def published_columns(self, meta, children):
        return tuple(children)

    def published_column(self, meta, children):
        return self.lit(children[0])

    def published_row(self, meta, children):
        names = [c for c in children if c.type == "NAME"]
        values = [c for c in children if c.type in ("NUMBER", "PERCENT")]
        return ast.PublishedRow(schedule=self.lit(children[0]), path=tuple(self.lit(c) for c in names),
                                values=tuple(self.lit(c) for c in values), span=self.span(meta))

    def published_discrepancy(self, meta, children):
        return ast.PublishedDiscrepancy(schedule=self.lit(children[0]),
                                        path=tuple(self.lit(c) for c in children[1:-1]),
                                        reason=self.text(children[-1]), span=self.span(meta))


def to_ast(tree: lark.Tree, path: str) -> ast.File:
    return ast.File(path=path, items=ToAst(path).transform(tree))


def parse_text(text: str, path: str) -> ast.File:
    """Source text → AST; raises DiagnosticError on a syntax error."""
    return to_ast(parse_tree(text, path), path)


def parse_bytes(data: bytes, path: str) -> tuple[str, ast.File]:
    text = decode(data, path)
    return text, parse_text(text, path)
