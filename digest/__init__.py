"""digest: turn a day's pile of news articles into one short, trustworthy digest."""

__version__ = "0.1.0"
