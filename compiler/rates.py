"""The rate cells of a schedule version, and the change table between two versions (staff form)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import attrs

from tariffc.compiler import ir


def decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def text_of(value: Fraction) -> str:
    return format(decimal(value).normalize(), "f") if value.denominator != 1 else str(value.numerator)


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
    for fee in version.fees:  # E. miscellaneous rates (E-16), D.6 (E-14); a refused fee is a rule (rate_rules)
        for row in fee.rows:
            cells.append(RateCell(
                schedule=schedule.id, version=version.label, charge=fee.name, label=fee.label, keys=(row.key,),
                row_label=row.label, unit=fee.per, components=(("fee", row.rate.text),), total=row.rate.text,
                total_printed=True, source=f"{schedule.path}:{row.span.line}"))
    if version.rules.minimum and version.rules.minimum.amount:
        m = version.rules.minimum
        cells.append(RateCell(schedule=schedule.id, version=version.label, charge="minimum", label="Minimum bill",
                              keys=("all",), row_label=None, unit=f"$/{m.unit}",
                              components=(("minimum", m.amount.text),), total=m.amount.text, total_printed=True,
                              source=f"{schedule.path}:{m.span.line}"))
    return cells


def _single(row: ir.Row) -> str | None:
    """A one-value row's value as printed (`5.40`, not `5.4`)."""
    values = [v for _, v in row.components if v is not None]
    return values[0].text if len(row.components) == 1 and values else None


def _unit(charge: ir.Charge) -> str:
    if charge.credit:
        return f"$/{charge.unit} credit"
    return f"$/{charge.unit}"


class NoVersion(Exception):
    pass


def version_on(schedule: ir.Schedule, day: dt.date) -> ir.Version:
    version = schedule.version_on(day)
    if version is not None:
        return version
    if not schedule.versions:
        raise NoVersion(f"{schedule.id} has no version")
    first = schedule.versions[0]
    if day < first.effective:
        raise NoVersion(f"{schedule.id} has no version in effect on {day}: its first version in the "
                        f"documents is effective {first.effective}")
    raise NoVersion(f"{schedule.id} has no version in effect on {day} in the documents "
                    f"(versions: {', '.join(v.label for v in schedule.versions)})")


@attrs.frozen
class Change:
    cell: RateCell | None  # the proposed cell (or the current one if the row was removed)
    current: Decimal | None
    proposed: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.current is None or self.proposed is None:
            return None
        return self.proposed - self.current

    @property
    def percent(self) -> Decimal | None:
        if self.change is None or not self.current:
            return None
        return (self.change / self.current * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def changes(schedule: ir.Schedule, old: ir.Version, new: ir.Version) -> list[Change]:
    before = {c.key: c for c in rate_cells(schedule, old)}
    after = {c.key: c for c in rate_cells(schedule, new)}
    out = []
    for key in list(after) + [k for k in before if k not in after and (k[1] != ("all",) or
                                                                     not any(a[0] == k[0] for a in after))]:
        # A one-price charge compares with each row that replaced it (G-2's service charge by band).
        a = before.get(key) or before.get((key[0], ("all",)))
        b = after.get(key)
        out.append(Change(cell=b or a, current=Decimal(a.total) if a else None,
                          proposed=Decimal(b.total) if b else None))
    return out


ADOPTION_MONTH_DAY = (7, 1)  # CPAU's fiscal year: the Council adopts new rates effective every July 1


def next_adoption(after: dt.date) -> dt.date:
    """The first July 1 strictly after `after` (the next date new CPAU rates usually take effect)."""
    july = dt.date(after.year, *ADOPTION_MONTH_DAY)
    return july if july > after else dt.date(after.year + 1, *ADOPTION_MONTH_DAY)


def newer_rates_note(schedule: ir.Schedule, day: dt.date) -> str | None:
    """A warning when the rates for `day` come from the latest version known and `day` lies more than
    a year after its effective date or on or past the next July 1 (CPAU adopts rates every fiscal
    year from July 1), so a newer sheet has probably been adopted that this tree does not hold.
    None when the version in effect on `day` is not the latest one, or `day` is within its year."""
    if not schedule.versions:
        return None
    latest = max(schedule.versions, key=lambda v: v.effective)
    if day < latest.effective or schedule.version_on(day) is not latest:
        return None
    try:
        year_later = latest.effective.replace(year=latest.effective.year + 1)
    except ValueError:  # 29 February
        year_later = dt.date(latest.effective.year + 1, 3, 1)
    adoption = next_adoption(latest.effective)
    if day < adoption and day <= year_later:
        return None
    return (f"newer rates may have been adopted: {day} is on or after {adoption}, the first July 1 after "
            f"{schedule.id}'s latest version known here ({latest.label}), and CPAU adopts new rates every July 1; "
            "check the City's current rate schedule")
