"""Array helpers shared by the stages."""

from __future__ import annotations

import numpy as np


def distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` of a flat integer array (its distinct values, sorted), by one sort:
    numpy 2's ``np.unique`` without other results hashes the values, which costs many times
    what the sort does on a day's hashes and codes (bench/speed.py)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
