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

from tariffc.compiler.bulk.layout import check_dataset
from tariffc.compiler.bulk.population import CustomerResult, Plan, Refusal, bill_part
from tariffc.compiler.runtime.errors import WORDING


def require_dask():
    try:
        import dask.bag  # noqa: F401, PLC0415
    except ModuleNotFoundError:
        from tariffc.compiler.project import UsageError  # noqa: PLC0415

        raise UsageError("--workers/--scheduler need dask: pip install 'tariffc[bulk]'") from None


def run(plan: Plan, root: str | Path, *, workers: int | None = None, scheduler: str | None = None,
        progress=None) -> tuple[list[CustomerResult], list[Refusal]]:
    """Bill every part; `progress(n_parts_done)` is called as parts finish in the single-process run.

    The dataset is first checked against the layout (`layout.check_dataset`): a missing or mistyped
    column, or a unit outside the layout, raises DatasetError naming the part before anything is
    billed. A customer id found in several parts is refused (reason `split`, naming the parts) and
    none of its rows is billed: parts are billed independently, so its readings would otherwise be
    billed as two customers (or as two incomplete years). A customer customers.csv lists that no part
    holds (an emptied part, a lost file) is refused as `missing_data`, so it is counted, not dropped."""
    checked = check_dataset(Path(root))
    parts = [str(p.resolve()) for p in checked.parts]
    skip = frozenset(checked.split)
    if workers is None and scheduler is None:
        outputs = []
        for path in parts:
            outputs.append(bill_part(path, plan, skip=skip))
            if progress is not None:
                progress(1)
    else:
        outputs = _on_dask(parts, plan, skip, workers=workers, scheduler=scheduler)
    checked_out = [Refusal(customer, "split", f"customer id in {len(names)} parts ({', '.join(names)}); the dataset "
                     "keeps each customer's readings in one part and bills each part on its own, so none of "
                     "them was billed: if they are one meter, write its readings into one part (`tariffc "
                     "ingest` does), else give each meter its own id")
             for customer, names in checked.split.items()]
    checked_out += [Refusal(customer, "missing_data", "listed in customers.csv, but no part of the dataset holds a "
                      "reading of it: nothing to bill") for customer in checked.unread]
    results = sorted((r for got, _ in outputs for r in got), key=lambda r: r.customer)
    refusals = sorted([*(r for _, refused in outputs for r in refused), *checked_out], key=lambda r: r.customer)
    return results, refusals


def bill_part_worded(path: str, plan: Plan, wording: str, *, skip=frozenset()):
    """`bill_part` with refusals worded for `wording` ("cli" or "api", runtime/errors.WORDING): what a
    Dask worker runs, since the context of the process that submitted the work does not travel."""
    token = WORDING.set(wording)
    try:
        return bill_part(path, plan, skip=skip)
    finally:
        WORDING.reset(token)


def _on_dask(parts, plan, skip, *, workers, scheduler):
    require_dask()
    import dask  # noqa: PLC0415
    import dask.bag as db  # noqa: PLC0415

    # A refusal's text is made where the part is billed; a worker process has the default wording
    # (the API's `green_option=VALUE`): pass the caller's, so `--workers` reads as the local run does.
    bag = db.from_sequence(parts, npartitions=max(len(parts), 1)).map(bill_part_worded, plan, WORDING.get(),
                                                                       skip=skip)
    if scheduler is not None:
        from distributed import Client  # noqa: PLC0415

        with Client(scheduler) as client:
            return client.compute(bag).result()
    with dask.config.set(scheduler="processes", num_workers=workers):
        return bag.compute()
