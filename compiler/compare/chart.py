"""The chart of a comparison: bills per period for each option (matplotlib, extra `plot`)."""

from __future__ import annotations

import io
from pathlib import Path

from tariffc.compiler.compare.render import money
from tariffc.compiler.compare.run import Comparison
from tariffc.compiler.outpaths import write_output_file

PLOT_SUFFIXES = (".svg", ".png")


def write_chart(result: Comparison, path: Path, *, force: bool = False) -> None:
    """Bills per period for each option, grouped bars; SVG or PNG by the suffix. Deterministic SVG
    (no date in the metadata, fixed hash salt) so the same data give the same file. An existing file
    at `path` is replaced only with `force` (outpaths.write_output_file: UsageError otherwise)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    plt.rcParams["svg.hashsalt"] = "tariffc"
    labels = [p.label() for p in result.periods]
    count = max(len(result.results), 1)
    width = 0.8 / count
    figure, axes = plt.subplots(figsize=(max(6.0, 0.7 * len(labels) + 2), 4.5))
    for index, option in enumerate(result.results):
        xs = [i - 0.4 + width * (index + 0.5) for i in range(len(labels))]
        ys = [float(b.total) for b in option.bills]  # drawing only: the numbers printed stay exact
        axes.bar(xs, ys, width=width, label=f"{option.candidate.label}  total ${money(option.total)}")
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    axes.set_ylabel("bill ($)")
    axes.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("${x:,.0f}"))
    axes.set_title(f"Bills per period: {Path(result.source).name}", fontsize=10)
    axes.legend(fontsize=8)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    kind = path.suffix.lower().lstrip(".")
    metadata = {"Date": None} if kind == "svg" else {"Software": None}
    buffer = io.BytesIO()
    figure.savefig(buffer, format=kind, metadata=metadata)
    plt.close(figure)
    write_output_file(Path(path), buffer.getvalue(), "--plot", force=force)  # compiler/outpaths.py: the rule of every writer
