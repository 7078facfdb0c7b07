"""The daily job: one day's digest from what is new that day, its state and its archive."""
