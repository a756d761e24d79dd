"""The impact table as a picture: current and proposed bill per level (bars) and the % change.
Needs matplotlib (the `docs` or `bulk` extra). Deterministic SVG (no date, fixed hash salt)."""

from __future__ import annotations

import io
from pathlib import Path

from tariffc.compiler.impact.levels import ImpactRow, Scenario
from tariffc.compiler.outpaths import write_output_file

SUFFIXES = (".svg", ".png")


def write_chart(scenario: Scenario, rows: tuple[ImpactRow, ...], path: Path, *, force: bool = False) -> None:
    """Grouped bars (current, proposed) per usage level, the % change written above each pair. An existing
    file at `path` is replaced only with `force` (outpaths.write_output_file: UsageError otherwise)."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415
    import matplotlib.ticker  # noqa: PLC0415

    plt.rcParams["svg.hashsalt"] = "tariffc"
    labels = [row.level.label for row in rows]
    figure, axes = plt.subplots(figsize=(max(5.5, 1.3 * len(rows) + 2), 4.2))
    xs = range(len(rows))
    current = [float(row.current) for row in rows]  # drawing only; the table keeps exact values
    proposed = [float(row.proposed) for row in rows]
    axes.bar([x - 0.2 for x in xs], current, width=0.4, label=f"current (version {rows[0].current_version})",
             color="#9ecae1")
    axes.bar([x + 0.2 for x in xs], proposed, width=0.4, label=f"proposed (version {rows[0].proposed_version})",
             color="#3182bd")
    for x, row, top in zip(xs, rows, (max(a, b) for a, b in zip(current, proposed))):
        if row.percent is not None:
            axes.annotate(f"{float(row.percent):+.1f}%", (x, top), textcoords="offset points", xytext=(0, 3),
                          ha="center", fontsize=8)
    axes.set_xticks(list(xs), labels, rotation=20 if len(rows) > 5 else 0, ha="right" if len(rows) > 5 else "center")
    axes.set_ylabel("bill ($)")
    axes.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("${x:,.0f}"))
    axes.set_title(f"{scenario.schedule}: bill impact by usage level", fontsize=10)
    axes.legend(fontsize=8, loc="upper left")
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    kind = path.suffix.lower().lstrip(".")
    buffer = io.BytesIO()
    figure.savefig(buffer, format=kind, metadata={"Date": None} if kind == "svg" else {"Software": None})
    plt.close(figure)
    write_output_file(path, buffer.getvalue(), "--chart", force=force)
