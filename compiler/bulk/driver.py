"""Run the population kernel over every part of a dataset: in this process, or on Dask.

    results, refusals = run(plan, "pop/")                                  # one process, part by part
    results, refusals = run(plan, "pop/", workers=2)                       # dask.bag, local processes
    results, refusals = run(plan, "pop/", scheduler="tcp://host:8786")     # an existing dask.distributed cluster

The same function (`population.bill_part`) runs on each part everywhere; the parts hold whole
customers, so a part's result does not depend on any other part, and the merged output (sorted by
customer) is identical whatever ran it. Dask does the scheduling; nothing here is a pool.
"""

from __future__ import annotations

from pathlib import Path

from tariffc.compiler.bulk import dataset
from tariffc.compiler.bulk.population import CustomerResult, Plan, Refusal, bill_part


def require_dask():
    try:
        import dask.bag  # noqa: F401, PLC0415
    except ModuleNotFoundError:
        from tariffc.compiler.project import UsageError  # noqa: PLC0415

        raise UsageError("--workers/--scheduler need dask: pip install 'tariffc[bulk]'") from None


def run(plan: Plan, root: str | Path, *, workers: int | None = None, scheduler: str | None = None,
        progress=None) -> tuple[list[CustomerResult], list[Refusal]]:
    """Bill every part; `progress(n_parts_done)` is called as parts finish in the single-process run."""
    root = Path(root)
    parts = [str(p.resolve()) for p in dataset.part_paths(root)]
    if workers is None and scheduler is None:
        outputs = []
        for path in parts:
            outputs.append(bill_part(path, plan))
            if progress is not None:
                progress(1)
    else:
        outputs = _on_dask(parts, plan, workers=workers, scheduler=scheduler)
    results = sorted((r for got, _ in outputs for r in got), key=lambda r: r.customer)
    refusals = sorted((r for _, refused in outputs for r in refused), key=lambda r: r.customer)
    return results, refusals


def _on_dask(parts, plan, *, workers, scheduler):
    require_dask()
    import dask  # noqa: PLC0415
    import dask.bag as db  # noqa: PLC0415

    bag = db.from_sequence(parts, npartitions=max(len(parts), 1)).map(bill_part, plan)
    if scheduler is not None:
        from distributed import Client  # noqa: PLC0415

        with Client(scheduler) as client:
            return client.compute(bag).result()
    with dask.config.set(scheduler="processes", num_workers=workers):
        return bag.compute()
