"""Sections -> picked sentences: the selection and its budgets, coverage ranking, LexRank."""
