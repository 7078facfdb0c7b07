"""Where the per-article stages run: in this process, a process pool, or on Dask."""
