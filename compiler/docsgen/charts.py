"""Pictures (matplotlib, SVG, deterministic: fixed hash salt, text kept as text, no date in metadata).

- `tou_heatmap`: week-by-hour map of the energy periods of each season (`checks.partition.coverage`).
- `tier_chart`: the bill against monthly usage (points given by the caller: bill API or the rule).
- `history_chart`: each rate's printed total over the versions, as steps.
"""

from __future__ import annotations

import datetime as dt
import io
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from tariffc.compiler import ir  # noqa: E402
from tariffc.compiler.checks.partition import coverage  # noqa: E402
from tariffc.compiler.docsgen.html import words  # noqa: E402

RC = {
    "svg.hashsalt": "tariffc-docs",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
PERIOD_COLOURS = {"peak": "#d7301f", "mid_peak": "#fdae61", "off_peak": "#4575b4", "max": "#999999"}
FALLBACK = ("#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")
ROW_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Holiday")
STEP = 15  # minutes per cell


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "tariffc docs"})
    plt.close(fig)
    return buffer.getvalue()


def _colour(name: str, order: list[str]) -> str:
    if name in PERIOD_COLOURS:
        return PERIOD_COLOURS[name]
    return FALLBACK[order.index(name) % len(FALLBACK)]


def tou_heatmap(schedule: ir.Schedule, version: ir.Version, period_sets: tuple[ir.PeriodSet, ...],
                versions: str) -> str:
    """One panel per season: rows Monday … Sunday and Holiday, columns the hours of the day."""
    with plt.rc_context(RC):
        fig, axes = plt.subplots(len(period_sets), 1, figsize=(8, 2.1 * len(period_sets) + 0.6), squeeze=False,
                                 layout="constrained")
        names: list[str] = []
        for ps in period_sets:
            names += [p.name for p in ps.periods if p.name not in names]
        for ax, ps in zip(axes[:, 0], period_sets):
            cells = coverage(ps)
            for row, (weekday, holiday) in enumerate([(d, False) for d in range(7)] + [(0, True)]):
                for name in [p.name for p in ps.periods]:
                    covered = cells.get(name, set())
                    runs, start = [], None
                    for minute in range(0, 1440 + STEP, STEP):
                        inside = minute < 1440 and (weekday, holiday, minute) in covered
                        if inside and start is None:
                            start = minute
                        elif not inside and start is not None:
                            runs.append((start / 60, (minute - start) / 60))
                            start = None
                    if runs:
                        ax.broken_barh(runs, (row - 0.42, 0.84), facecolors=_colour(name, names), linewidth=0)
            ax.set_ylim(7.6, -0.6)
            ax.set_yticks(range(8), ROW_LABELS)
            ax.set_xlim(0, 24)
            ax.set_xticks(range(0, 25, 2), [f"{h:02d}:00" for h in range(0, 25, 2)])
            ax.tick_params(axis="x", labelsize=7)
            season = version.rules.season(ps.season) if ps.season else None
            title = season.label if season else "All year"
            ax.set_title(f"{schedule.id}: {title} energy periods (versions {versions})", loc="left", fontsize=9)
            ax.grid(axis="x", color="white", linewidth=0.6)
            ax.set_axisbelow(False)
        handles = [Patch(facecolor=_colour(n, names), label=words(n)) for n in names]
        fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), frameon=False)
        return _svg(fig)


def tier_chart(schedule: ir.Schedule, curves: list[tuple[str, list[tuple[Fraction, Fraction]]]],
               unit: str, note: str) -> str:
    """Bill ($) against monthly usage, one line per (version, season) curve."""
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
        for index, (label, points) in enumerate(curves):
            xs = [float(x) for x, _ in points]
            ys = [float(y) for _, y in points]
            ax.plot(xs, ys, label=label, linewidth=1.4, linestyle="-" if index % 2 == 0 else "--")
        ax.set_xlabel(f"{unit} in a 30-day bill")
        ax.set_ylabel("bill ($)")
        ax.set_title(f"{schedule.id}: bill against monthly usage", loc="left", fontsize=9)
        fig.text(0.01, 0.005, note, fontsize=6.5, color="#555", va="bottom", wrap=True)
        ax.legend(frameon=False, fontsize=7)
        ax.grid(color="#eee")
        return _svg(fig)


def history_chart(schedule: ir.Schedule, series: dict[str, list[tuple[dt.date, dt.date, Fraction]]], unit: str,
                  today: dt.date) -> str:
    """Printed totals over the versions: each version's value from its date to its end; a gap where the
    documents hold no version (e.g. FY2021 to FY2024)."""
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(7.2, 2.9), layout="constrained")
        for label, segments in series.items():
            xs, ys = [], []
            for index, (start, end, value) in enumerate(segments):
                if index and segments[index - 1][1] < start:
                    xs.append(segments[index - 1][1])
                    ys.append(float("nan"))  # a break in the line: versions missing from the documents
                xs += [start, end]
                ys += [float(value), float(value)]
            line, = ax.plot(xs, ys, label=label, linewidth=1.3)
            ax.plot([s for s, _, _ in segments], [float(v) for _, _, v in segments], "o", markersize=3,
                    color=line.get_color())
        ax.set_ylabel(unit)
        ax.set_title(f"{schedule.id}: rate history ({unit}); gaps: no version in the documents", loc="left",
                     fontsize=9)
        ax.grid(color="#eee")
        fig.legend(frameon=False, fontsize=7, loc="outside right upper")
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
        return _svg(fig)
