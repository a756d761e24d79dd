"""The rate cells of a schedule version: each row's components and printed total, with its unit and section."""

from __future__ import annotations

import attrs

from tariffc.compiler import ir
from tariffc.compiler.runtime.numbers import as_decimal as decimal, text_of  # noqa: F401 - rates' names




@attrs.frozen
class RateCell:
    schedule: str
    version: str
    charge: str
    label: str
    keys: tuple[str, ...]
    row_label: str | None
    unit: str
    components: tuple[tuple[str, str | None], ...]  # as printed; None = blank
    total: str  # the printed total, or the only value
    total_printed: bool
    source: str  # file:line of the row

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return (self.charge, self.keys)

    def as_dict(self) -> dict:
        return {
            "schedule": self.schedule, "version": self.version, "charge": self.charge, "label": self.label,
            "row": list(self.keys), "row_label": self.row_label, "unit": self.unit,
            "components": {name: value for name, value in self.components},
            "total": self.total, "total_printed": self.total_printed, "source": self.source,
        }


def rate_cells(schedule: ir.Schedule, version: ir.Version) -> list[RateCell]:
    cells = []
    for charge in version.charges:
        for row in charge.rows:
            cells.append(RateCell(
                schedule=schedule.id, version=version.label, charge=charge.name, label=charge.label,
                keys=row.keys, row_label=row.label, unit=_unit(charge),
                components=tuple((n, v.text if v else None) for n, v in row.components),
                total=row.total.text if row.total else _single(row) or text_of(row.rate()),
                total_printed=row.total is not None or len(row.components) == 1,
                source=f"{schedule.path}:{row.span.line}"))
        for band in charge.bands:
            cells.append(RateCell(
                schedule=schedule.id, version=version.label, charge=charge.name, label=charge.label,
                keys=(band.key,), row_label=band.label, unit=_unit(charge),
                components=((charge.name, band.value.text),), total=band.value.text, total_printed=True,
                source=f"{schedule.path}:{band.span.line}"))
    for fee in version.fees:  # E. miscellaneous rates (E-16), D.6 (E-14); a refused fee is a rule (rates/rules.py)
        for row in fee.rows:
            cells.append(RateCell(
                schedule=schedule.id, version=version.label, charge=fee.name, label=fee.label, keys=(row.key,),
                row_label=row.label, unit=fee.per, components=(("fee", row.rate.text),), total=row.rate.text,
                total_printed=True, source=f"{schedule.path}:{row.span.line}"))
    for m in version.rules.minimums:  # each is billed when its condition holds (E-2-G 2020-07-01 C.1, C.2)
        if m.amount is None:
            continue  # `minimum CHARGE`: a rule with no amount of its own (rates/rules.py)
        cells.append(RateCell(schedule=schedule.id, version=version.label, charge="minimum", label="Minimum bill",
                              keys=(m.key,), row_label=f"when {m.condition.describe()}" if m.condition else None,
                              unit=f"$/{m.unit}", components=(("minimum", m.amount.text),), total=m.amount.text,
                              total_printed=True, source=f"{schedule.path}:{m.span.line}"))
    return cells


def _single(row: ir.Row) -> str | None:
    """A one-value row's value as printed (`5.40`, not `5.4`)."""
    values = [v for _, v in row.components if v is not None]
    return values[0].text if len(row.components) == 1 and values else None


def _unit(charge: ir.Charge) -> str:
    if charge.credit:
        return f"$/{charge.unit} credit"
    return f"$/{charge.unit}"
