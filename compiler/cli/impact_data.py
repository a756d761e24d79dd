"""`tariffc impact --data DATASET …`: every customer of a Parquet dataset billed under two versions
(`--schedule S --from V1 --to V2`) or several rate options (`--options A,B,…`).

Writes under `--out` (default DATASET/impact/<schedule>_<from>_<to>/): results.csv (and
results.parquet), refused.csv, summary.json and two pictures; prints the summary (text or JSON).
Exit 0 when the run completed and billed at least one customer (refused customers are counted in the
summary, not errors), 1 when nothing can be billed (unknown schedule or version; a part that does
not follow the dataset layout, checked before billing by `bulk/layout.py`; or every customer
refused: the outputs still say why), 2 for usage errors or a missing extra.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from tariffc.compiler.cli.common import EXIT_ERRORS, fail
from tariffc.compiler.project import UsageError


def run_population(*, data: Path, schedule: str | None, options: str | None, current, proposed, values: dict,
                   out: Path | None, fmt: str, workers: int | None, scheduler: str | None, schedules_dir: Path,
                   backend: str | None = None, read_dates: str | None = None, force: bool = False) -> None:
    from tariffc.compiler.bulk import dataset  # noqa: PLC0415

    dataset.require_pyarrow()
    try:
        import numpy  # noqa: F401, PLC0415
    except ModuleNotFoundError:
        raise UsageError("impact --data needs numpy: pip install 'tariffc[bulk]'") from None
    if workers is not None or scheduler is not None:
        from tariffc.compiler.bulk.driver import require_dask  # noqa: PLC0415

        require_dask()
    if schedule and options:
        raise UsageError("give --schedule S (two versions) or --options A,B,… (rate options), not both")
    names = [s.strip() for s in options.split(",")] if options else ([schedule] if schedule else [])
    if not names or not all(names):
        raise UsageError("with --data, give --schedule S (and --from, --to) or --options A,B,…")
    if options and len(names) < 2:
        raise UsageError("--options needs at least two rate options, e.g. E-1,E-2")
    reads = None
    if read_dates is not None:
        from tariffc.compiler.compare.periods import PeriodError, parse_read_dates  # noqa: PLC0415

        try:
            reads = list(parse_read_dates(read_dates))
        except PeriodError as exc:
            raise UsageError(f"--read-dates: {exc}") from None
        if current is None and reads:
            current = reads[0]
    if current is None:
        raise UsageError("give --from DATE: the test year is the 12 months from the 1st of that month")
    if fmt == "csv":
        raise UsageError("with --data the per-customer CSV is written to --out; print text or json")
    from tariffc.compiler.api import ScheduleError, Tariffs  # noqa: PLC0415
    from tariffc.compiler.bulk import driver, outputs  # noqa: PLC0415
    from tariffc.compiler.bulk.population import PlanError, make_plan  # noqa: PLC0415
    from tariffc.compiler.bulk.summary import render, summarize  # noqa: PLC0415

    try:
        dataset.part_paths(data)
    except dataset.DatasetError as exc:
        raise UsageError(str(exc)) from None
    try:
        plan = make_plan(Tariffs.load(schedules_dir), schedules_dir=schedules_dir, schedules=names, current=current,
                         proposed=proposed, values=values, backend=backend, read_dates=reads)
    except (PlanError, ScheduleError) as exc:
        fail("impact", str(exc), EXIT_ERRORS)
    if out is None:
        tag = "_".join([*names, current.isoformat(), *([proposed.isoformat()] if proposed else [])])
        out = data / "impact" / tag
    from tariffc.compiler.outpaths import check_fresh, check_output_dir  # noqa: PLC0415

    out = check_output_dir(out)  # before the billing, which may take long: a file, or an unwritable place
    check_fresh(out, outputs.OWN_NAMES, force)  # never into a folder of other files without --force
    parts = len(dataset.part_paths(data))
    try:
        if workers is None and scheduler is None:
            from tqdm import tqdm  # noqa: PLC0415

            with tqdm(total=parts, unit="part", desc="billing", disable=None, leave=False) as bar:
                results, refusals = driver.run(plan, data, progress=bar.update)
        else:
            results, refusals = driver.run(plan, data, workers=workers, scheduler=scheduler)
    except dataset.DatasetError as exc:  # a part that does not follow the layout: nothing billed
        fail("impact", f"{exc}\nnothing was billed", EXIT_ERRORS)
    summary = summarize(plan, results, refusals)
    try:
        written = outputs.write_all(out, plan, results, refusals, summary)
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot write ({exc.strerror})") from None
    except ModuleNotFoundError:
        raise UsageError("the pictures need matplotlib: pip install 'tariffc[bulk]'") from None
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(render(summary), nl=False)
        for refusal in refusals[:5]:
            click.echo(f"  refused {refusal.customer}: {refusal.reason}: {refusal.message}")
        if len(refusals) > 5:
            click.echo(f"  … {len(refusals) - 5} more in {out / outputs.REFUSED}")
    click.echo("written: " + ", ".join(str(p) for p in written), err=True)
    if not results:
        fail("impact", f"no customer could be billed ({len(refusals)} refused; reasons in {out / outputs.REFUSED})",
             EXIT_ERRORS)
