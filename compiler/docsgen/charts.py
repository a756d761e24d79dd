"""Pictures (matplotlib, SVG, deterministic: fixed hash salt, text kept as text, no date in metadata).

- `tou_heatmap`: week-by-hour map of the energy periods of each season (`checks.partition.coverage`).
- `tier_chart`: the bill against monthly usage (points given by the caller: bill API or the rule).
- `history_chart`: each rate's printed total over the versions, as steps.

Readable on the page: every picture is at most PAGE_WIDTH_IN wide, so the theme shows it at its own
size in the content column (678 px: the mkdocs theme's `col-md-9` at the 992-1199 px breakpoint),
and no text is smaller than MIN_TEXT_PT (8.5 pt = 11.3 px).
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

PAGE_WIDTH_IN = 7.0  # 672 px at 96 px per inch: fits the 678 px content column unscaled
MIN_TEXT_PT = 8.5  # 11.3 px
RC = {
    "svg.hashsalt": "tariffc-docs",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "xtick.labelsize": MIN_TEXT_PT,
    "ytick.labelsize": MIN_TEXT_PT,
    "legend.fontsize": MIN_TEXT_PT,
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
        fig, axes = plt.subplots(len(period_sets), 1, figsize=(PAGE_WIDTH_IN, 2.3 * len(period_sets) + 0.7),
                                 squeeze=False,
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
            season = version.rules.season(ps.season) if ps.season else None
            title = season.label if season else "All year"
            ax.set_title(f"{schedule.id}: {title} energy periods (versions {versions})", loc="left")
            ax.grid(axis="x", color="white", linewidth=0.6)
            ax.set_axisbelow(False)
        handles = [Patch(facecolor=_colour(n, names), label=words(n)) for n in names]
        fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 4), frameon=False)
        return _svg(fig)


def tier_chart(schedule: ir.Schedule, curves: list[tuple[str, list[tuple[Fraction, Fraction]]]],
               unit: str) -> str:
    """Bill ($) against monthly usage, one line per (version, season) curve. How the points were
    computed is said on the page under the picture, in the page's own text size."""
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, 4.2), layout="constrained")
        for index, (label, points) in enumerate(curves):
            xs = [float(x) for x, _ in points]
            ys = [float(y) for _, y in points]
            ax.plot(xs, ys, label=label, linewidth=1.4, linestyle="-" if index % 2 == 0 else "--")
        ax.set_xlabel(f"{unit} in a 30-day bill")
        ax.set_ylabel("bill ($)")
        ax.set_title(f"{schedule.id}: bill against monthly usage", loc="left")
        ax.legend(frameon=False)
        ax.grid(color="#eee")
        return _svg(fig)


def history_chart(schedule: ir.Schedule, series: dict[str, list[tuple[dt.date, dt.date, Fraction]]], unit: str,
                  today: dt.date) -> str:
    """Printed totals over the versions: each version's value from its date to its end; a gap where the
    documents hold no version (e.g. FY2021 to FY2024)."""
    with plt.rc_context(RC):
        rows = (len(series) + 1) // 2  # legend rows under the plot, two names a row
        fig, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, 2.6 + 0.22 * rows), layout="constrained")
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
        ax.set_title(f"{schedule.id}: rate history ({unit}); gaps: no version in the documents", loc="left")
        ax.grid(color="#eee")
        fig.legend(frameon=False, loc="outside lower center", ncol=2)
        ax.tick_params(axis="x", labelrotation=30)
        return _svg(fig)
