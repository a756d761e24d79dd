"""Population bill impacts: Parquet interval datasets, synthetic customers, billing, Dask."""
