"""What a population run writes under `--out`: per-customer results (CSV, and Parquet when pyarrow is
there), the refusals, the summary (JSON), and the pictures (histogram of % change; change against
annual use). Every file goes through a temporary name and a rename; nothing else is touched."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tariffc.compiler.bulk.population import CustomerResult, Plan, Refusal
from tariffc.compiler.bulk.summary import change, monthly_use, percent
from tariffc.compiler.outpaths import output_dir, write_file, writing

RESULTS, REFUSED, SUMMARY = "results.csv", "refused.csv", "summary.json"
HISTOGRAM, SCATTER = "change_percent_histogram.svg", "change_vs_usage.svg"


OWN_NAMES = (RESULTS, "results.parquet", REFUSED, SUMMARY, HISTOGRAM, SCATTER)  # all this module writes


def _write(path: Path, data: bytes) -> None:
    write_file(path.parent, path.name, data)


def result_rows(plan: Plan, results: list[CustomerResult]) -> tuple[list[str], list[list]]:
    unit = "kwh" if plan.quantity == "kwh" else "therms"
    header = ["customer", "class", f"usage_{unit}", "months", *[f"{c.label}_total" for c in plan.columns]]
    if plan.mode == "impact":
        header += ["change", "change_pct"]
    header += [f"{plan.columns[i].label}_applicability{part}" for i in plan.judged for part in ("", "_reason")]
    rows = []
    for r in results:
        row = [r.customer, r.customer_class, _exact(r.usage), r.months,
               *[str(t) for t in r.totals]]
        if plan.mode == "impact":
            pct = percent(r)
            row += [str(change(r)), "" if pct is None else str(pct)]
        row += [r.applicability[i][part] if r.applicability else "" for i in plan.judged for part in (0, 1)]
        rows.append(row)
    return header, rows


def _exact(milli: int) -> str:
    """Wh as kWh (or millitherms as therms), exactly: 1234567 -> 1234.567."""
    sign = "-" if milli < 0 else ""
    whole, rest = divmod(abs(milli), 1000)
    return f"{sign}{whole}.{rest:03d}".rstrip("0").rstrip(".")


def write_all(out: Path, plan: Plan, results: list[CustomerResult], refusals: list[Refusal], summary: dict,
              *, pictures: bool = True) -> list[Path]:
    output_dir(out)
    written = []
    header, rows = result_rows(plan, results)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    _write(out / RESULTS, buffer.getvalue().encode())
    written.append(out / RESULTS)
    try:
        import pyarrow as pa  # noqa: PLC0415
        import pyarrow.parquet as pq  # noqa: PLC0415

        table = pa.table({name: pa.array([row[i] for row in rows], type=pa.int32() if name == "months"
                                         else pa.string()) for i, name in enumerate(header)})
        with writing(out, "results.parquet") as temporary:
            pq.write_table(table, temporary)
        written.append(out / "results.parquet")
    except ModuleNotFoundError:
        pass
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["customer", "reason", "message"])
    writer.writerows([r.customer, r.reason, r.message] for r in refusals)
    _write(out / REFUSED, buffer.getvalue().encode())
    written.append(out / REFUSED)
    _write(out / SUMMARY, (json.dumps(summary, indent=2) + "\n").encode())
    written.append(out / SUMMARY)
    if pictures and plan.mode == "impact" and results:
        written += write_pictures(out, plan, results)
    return written


def write_pictures(out: Path, plan: Plan, results: list[CustomerResult]) -> list[Path]:
    """Histogram of % change; $ change against average monthly use. Deterministic SVG."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    plt.rcParams["svg.hashsalt"] = "tariffc"
    current, proposed = plan.columns
    title = f"{current.schedule}: version {proposed.version} vs {current.version}, {len(results)} customers"
    unit = "kWh" if plan.quantity == "kwh" else "therms"
    pcts = [float(p) for p in (percent(r) for r in results) if p is not None]  # drawing only
    figure, axes = plt.subplots(figsize=(6.5, 4))
    axes.hist(pcts, bins=40, color="#3182bd", edgecolor="white", linewidth=0.4)
    axes.set_xlabel("change in annual bill (%)")
    axes.set_ylabel("customers")
    axes.set_title(title, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    paths = [out / HISTOGRAM, out / SCATTER]
    _save(figure, paths[0])
    figure, axes = plt.subplots(figsize=(6.5, 4))
    use = [float(monthly_use(r)) for r in results]
    dollars = [float(change(r)) for r in results]
    # Many points: drawn as one embedded bitmap inside the SVG (axes and text stay vector), so the file
    # stays small whatever the population size.
    axes.scatter(use, dollars, s=4, alpha=0.4, color="#08519c", linewidths=0, rasterized=len(use) > 500)
    axes.set_xlabel(f"average monthly use over the test year ({unit}/month)")
    axes.set_ylabel("change in annual bill ($)")
    axes.set_title(title, fontsize=10)
    axes.grid(alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    _save(figure, paths[1])
    plt.close("all")
    return paths


def _save(figure, path: Path) -> None:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, dpi=120)
    _write(path, buffer.getvalue())
