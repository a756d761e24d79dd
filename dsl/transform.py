"""Parse tree → surface AST (dsl/ast.py): handlers are constructors.

The grammar (dsl/grammar.lark) gives each rule's children a fixed place: an optional part written
`[x]` arrives as None when absent (parse.py builds the parser with lark's `maybe_placeholders`), a
one-child `?rule` hands its child to the rule above (`?when: "when" condition` is the condition), a
`_rule` lends its children to the rule above, and an alias (`-> fixed_charge`) names each form of a
statement. So a rule's handler only says which AST field each child fills, a row of `RULES` (after
lark's `ast_utils.create_transformer` and python-hcl2's transformer):

    "holiday": node(ast.Holiday, "name label date offset observed"),

Tokens are made literals first, in whatever rule they stand: a STRING is an `ast.Text` (unquoted),
any other token an `ast.Lit` (its source text and span). The kinds of row:

- `node(cls, places, **fixed)`: the AST node. `places` names the children in order: `_` drops one,
  `*x` takes the run of children between the fixed places as a tuple, `(a b)` takes a `part` (below)
  or, when that part is absent, leaves its fields absent. `fixed` fields are constants
  (`kind="discount"`). An absent optional part leaves its field at the class's default (`Clause.hours`
  is `()`, `Charge.credit` False) or None. The node's span is the rule's.
- `part(places, **fixed)`: some fields of the node above, given by one rule (a `limit`'s range, an
  `input`'s type, a charge table's columns, a band's interval, `demand`'s alternative interval).
- `block(cls, places, **kinds)`: a node whose indented block holds statements in any order, which the
  AST keeps gathered by kind (calendar, tiers, published).
- `items`, `words`, `phrase`, `present`: the children as a tuple; a `!rule`'s words as one string
  (a unit, a fee term); as one literal spanning them (`every day`); True (the word `credit` written).

The handlers that remain, because a constructor cannot do their job: `interval` (its brackets are
booleans, open or closed) and `discrepancy` (its kind is a word of the source kept as a str).
"""

from __future__ import annotations

import re
from typing import Any, Callable

import attrs
import lark
from lark import Token, Transformer

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


class ToAst(Transformer):
    """Parse tree of one file → its items (Calendar, Schedule, Version, Published nodes) by `RULES`.

    A rule with no row in `RULES` (a grammar change without its constructor) fails with a KeyError,
    which lark wraps in a VisitError; tests/dsl/test_transform_optional_parts.py checks every rule
    that makes a tree node has a row."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def span(self, meta) -> Span:
        if getattr(meta, "empty", True):
            return Span.whole_file(self.path)
        return Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def STRING(self, token: Token) -> ast.Text:  # noqa: N802 - lark calls a token's handler by its type
        return ast.Text(value=_unquote(str(token)), span=self._token_span(token))

    def __default_token__(self, token: Token) -> ast.Lit:
        return ast.Lit(text=str(token), span=self._token_span(token))

    def __default__(self, data, children, meta):
        return RULES[data](self, children, meta)

    def _token_span(self, token: Token) -> Span:
        return Span(self.path, token.line, token.column, token.end_line or token.line,
                    token.end_column or token.column + len(token))


Handler = Callable[[ToAst, list, Any], Any]
_PLACE = re.compile(r"\(([^)]*)\)|(\S+)")


def _places(spec: str) -> tuple:
    """`"name (low high) *rest _"` → ("name", ("low", "high"), "*rest", "_")."""
    return tuple(tuple(group.split()) if group is not None else word for group, word in
                 (m.groups() for m in _PLACE.finditer(spec)))


def _fields(places: tuple) -> list[str]:
    """The field names a layout fills."""
    out = []
    for place in places:
        if isinstance(place, tuple):
            out.extend(place)
        elif place != "_":
            out.append(place.lstrip("*"))
    return out


def _assign(places: tuple, children: list) -> dict:
    """Children → {field: value} by their places (see the module docstring)."""
    star = next((i for i, p in enumerate(places) if isinstance(p, str) and p.startswith("*")), None)
    if star is None:
        pairs = zip(places, children, strict=True)
    else:
        cut = len(children) - (len(places) - star - 1)
        pairs = [*zip(places[:star], children[:star], strict=True), (places[star], tuple(children[star:cut])),
                 *zip(places[star + 1:], children[cut:], strict=True)]
    fields = {}
    for place, child in pairs:
        if isinstance(place, tuple):
            if child is None:  # an optional part, absent
                fields.update(dict.fromkeys(place))
            elif set(child) != set(place):
                raise TypeError(f"a part gives {sorted(child)}, its place names {sorted(place)}")
            else:
                fields.update(child)
        elif place != "_":
            fields[place.lstrip("*")] = child
    return fields


def _check_fields(cls, names) -> None:
    unknown = set(names) - set(attrs.fields_dict(cls))
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")


def node(cls: type, spec: str, **fixed) -> Handler:
    """The handler of a rule that is one `cls` node, its children placed by `spec` (module docstring)."""
    places = _places(spec)
    _check_fields(cls, [*_fields(places), *fixed])
    defaulted = {f.name for f in attrs.fields(cls) if f.default is not attrs.NOTHING}
    spanned = "span" in attrs.fields_dict(cls)

    def build(t: ToAst, children: list, meta) -> Any:
        fields = {name: value for name, value in _assign(places, children).items()
                  if value is not None or name not in defaulted}
        if spanned:
            fields["span"] = t.span(meta)
        return cls(**fields, **fixed)

    build.__qualname__ = f"node({cls.__name__}, {spec!r})"
    return build


def part(spec: str, **fixed) -> Handler:
    """The handler of a rule that gives some fields of the node above: {field: value}."""
    places = _places(spec)

    def build(t: ToAst, children: list, meta) -> dict:
        return {**_assign(places, children), **fixed}

    build.__qualname__ = f"part({spec!r})"
    return build


def every(kind: type) -> Callable[[tuple], tuple]:
    """A block's statements of one kind, in order."""
    return lambda body: tuple(item for item in body if isinstance(item, kind))


def first(kind: type, absent=None) -> Callable[[tuple], Any]:
    """A block's first statement of one kind (the checks refuse a second one), or `absent`."""
    return lambda body: next((item for item in body if isinstance(item, kind)), absent)


def block(cls: type, spec: str, **kinds: Callable[[tuple], Any]) -> Handler:
    """The handler of a rule `HEAD _NL _INDENT statement+ _DEDENT` whose node keeps the statements
    gathered by kind: the head's children placed by `spec`, each field of `kinds` from the block."""
    places = (*_places(spec), "*body")
    _check_fields(cls, [*_fields(places[:-1]), *kinds])

    def build(t: ToAst, children: list, meta) -> Any:
        fields = _assign(places, children)
        body = fields.pop("body")
        return cls(**fields, **{name: gather(body) for name, gather in kinds.items()}, span=t.span(meta))

    build.__qualname__ = f"block({cls.__name__}, {spec!r})"
    return build


def items(t: ToAst, children: list, meta) -> tuple:
    return tuple(children)


def words(t: ToAst, children: list, meta) -> str:
    """A `!rule`'s words as one string: `lamp per month`, `per year`."""
    return " ".join(child.text for child in children)


def phrase(t: ToAst, children: list, meta) -> ast.Lit:
    """A `!rule`'s words as one literal spanning them: `every day`."""
    return ast.Lit(text=words(t, children, meta), span=t.span(meta))


def present(t: ToAst, children: list, meta) -> bool:
    """A keyword rule that is there (`credit`, `except holidays`); absent, the field's default."""
    return True


def interval(t: ToAst, children: list, meta) -> dict:
    """`[0, 220]`, `(220, inf)`: a band's bounds; `(`/`)` is open (the bound excluded), `[`/`]` closed."""
    opening, low, high, closing = children
    return {"open_low": opening.text == "(", "low": low, "high": high, "open_high": closing.text == ")"}


def discrepancy(t: ToAst, children: list, meta) -> ast.Declared:
    """`discrepancy KIND PATH… "reason"`: the kind is the word as written (sum, rounding, …)."""
    kind, *path, reason = children
    return ast.Declared(kind=kind.text, path=tuple(path), reason=reason, span=t.span(meta))


RULES: dict[str, Handler] = {
    "start": items,
    # ------------------------------------------------------------ calendars
    "calendar": block(ast.Calendar, "name title", timezone=first(ast.Text), holidays=every(ast.Holiday),
                      billing=first(ast.Billing), notes=every(ast.Note)),
    "holiday": node(ast.Holiday, "name label date offset observed"),
    "fixed_date": node(ast.FixedDate, "month day"),
    "nth_weekday": node(ast.NthWeekday, "ordinal weekday month"),
    "relative_date": node(ast.RelativeDate, "relation holiday"),
    "holiday_offset": node(ast.HolidayOffset, "sign days _"),
    "billing": node(ast.Billing, "doc *statements"),
    "billing_period": node(ast.BillingPeriod, "convention max_days"),
    "monthly_charges": node(ast.MonthlyCharges, "mode divisor"),
    "rounding": node(ast.Rounding, "what mode step"),
    # ------------------------------------------------------------ schedule header
    "schedule": node(ast.Schedule, "id title *statements"),
    "utility": node(ast.Header, "value", kind="utility"),
    "customer_class": node(ast.Header, "value", kind="class"),
    "calendar_ref": node(ast.Header, "value", kind="calendar"),
    "applicability": node(ast.Header, "value", kind="applicability"),
    "territory": node(ast.Header, "value", kind="territory"),
    "limit": node(ast.Limit, "quantity (low high) unit history condition doc"),
    "range_between": part("low high"),
    "range_at_least": part("low", high=None),
    "range_up_to": part("high", low=None),
    "limit_unit": words,
    "limit_sustained": node(ast.LimitHistory, "months window", kind="sustained"),
    "limit_per_year": node(ast.LimitHistory, "", kind="per_year"),
    "demand_credit": node(ast.DemandCredit, "*charges window input refused condition doc"),
    "input": node(ast.Input, "name (type unit choices) doc"),
    "flag_type": part("", type="flag", unit=None, choices=()),
    "count_type": part("", type="count", unit=None, choices=()),
    "number_type": part("", type="number", unit=None, choices=()),
    "choice_type": part("*choices", type="choice", unit=None),
    "unit_type": part("unit", type="unit", choices=()),
    "source": node(ast.Source, "document sheet line"),
    "note": node(ast.Note, "text"),
    # ------------------------------------------------------------ rules
    "seasons": node(ast.Seasons, "doc *seasons"),
    "season": node(ast.Season, "name label start_month start_day end_month end_day"),
    "prorate": node(ast.Prorate, "what how doc"),
    "tiers": block(ast.Tiers, "quantity doc", tiers=every(ast.Tier), rounding=first(ast.TierRound),
                   examples=every(ast.TierExample)),
    "tier_bounded": node(ast.Tier, "name *allowances"),
    "tier_rest": node(ast.Tier, "name", allowances=()),
    "tier_round": node(ast.TierRound, "step mode doc"),
    "tier_example": node(ast.TierExample, "tier allowance doc"),
    "allowance": node(ast.Allowance, "amount unit per_days _ season"),
    "unit": words,
    "periods": node(ast.Periods, "charge season doc *lines", partition=True, condition=None),
    "windows": node(ast.Periods, "charge season doc condition *lines", partition=False),
    "period_line": node(ast.PeriodLine, "name *clauses"),
    "clause": node(ast.Clause, "days hours except_holidays", kind="days"),
    "otherwise": node(ast.Clause, "", kind="otherwise"),
    "always": node(ast.Clause, "", kind="always"),
    "day_set": phrase,
    "hours": items,
    "except_holidays": present,
    "demand": node(ast.Demand, "minutes (option option_input) doc"),
    "demand_option": part("option option_input"),
    "discount": node(ast.Adjustment, "name percent *charges scaled condition doc", kind="discount"),
    "surcharge": node(ast.Adjustment, "name percent *charges scaled condition doc", kind="surcharge"),
    "scaled": items,
    "exempt": node(ast.Exempt, "charge condition doc"),
    "minimum_charge": node(ast.Minimum, "charge condition doc", amount=None, unit=None),
    "minimum_amount": node(ast.Minimum, "amount unit condition doc", charge=None),
    "cond_flag": node(ast.Condition, "name", kind="flag"),
    "cond_not": node(ast.Condition, "name", kind="not"),
    "cond_is": node(ast.Condition, "name value", kind="is"),
    # ------------------------------------------------------------ versions and charges
    "version": node(ast.Version, "effective supersedes *statements"),
    "ends": node(ast.Ends, "date reason"),
    "table_charge": node(ast.Charge, "name label unit on credit condition (columns total_column) *rows"),
    "fixed_charge": node(ast.Charge, "name label value unit on credit condition"),
    "banded_charge": node(ast.Charge, "name label unit band_input on credit condition *bands"),
    "credit": present,
    "columns": part("*columns total_column"),
    "row": node(ast.Row, "keys label *cells total"),
    "row_keys": items,
    "band": node(ast.Band, "key label (open_low low high open_high) value"),
    "interval": interval,
    "passthrough": node(ast.PassThrough, "name label unit low high"),
    "unresolved": node(ast.Declared, "*path reason", kind="unresolved"),
    "discrepancy": discrepancy,
    # ------------------------------------------------------------ fees (E-16 E., E-14 D.6)
    "fixed_fee": node(ast.Fee, "name label amount unit term on", kind="fixed"),
    "table_fee": node(ast.Fee, "name label unit term *rows", kind="table"),
    "percent_fee": node(ast.Fee, "name label amount on", kind="percent", term="per month"),
    "refused_fee": node(ast.Fee, "name label reason", kind="refused"),
    "fee_term": words,
    "fee_row": node(ast.FeeRow, "key label amount"),
    "index": node(ast.Index, "*fees input doc"),
    "yearly_fees": node(ast.YearlyFees, "divisor doc"),
    # ------------------------------------------------------------ references and estimates (E-16)
    "reference_charge": node(ast.Reference, "name label unit schedule charge gaps"),
    "estimate": node(ast.Estimate, "quantity doc *steps"),
    "estimate_input": node(ast.EstimateStep, "operand unit doc", kind="input"),
    "estimate_times": node(ast.EstimateStep, "operand unit doc", kind="times"),
    "estimate_divided": node(ast.EstimateStep, "operand unit doc", kind="divided_by"),
    "bound": node(ast.Bound, "input high unit doc"),
    "est_unit": items,
    # ------------------------------------------------------------ published staff tables
    "published": block(ast.Published, "title caption", source=first(ast.Source), columns=first(tuple, ()),
                       rows=every(ast.PublishedRow), discrepancies=every(ast.PublishedDiscrepancy),
                       notes=every(ast.Note)),
    "published_columns": items,
    "published_row": node(ast.PublishedRow, "schedule path *values"),
    "published_path": items,
    "published_discrepancy": node(ast.PublishedDiscrepancy, "schedule *path reason"),
}


def to_ast(tree: lark.Tree, path: str) -> ast.File:
    return ast.File(path=path, items=ToAst(path).transform(tree))


def parse_text(text: str, path: str) -> ast.File:
    """Source text → AST; raises DiagnosticError on a syntax error."""
    return to_ast(parse_tree(text, path), path)


def parse_bytes(data: bytes, path: str) -> tuple[str, ast.File]:
    text = decode(data, path)
    return text, parse_text(text, path)
