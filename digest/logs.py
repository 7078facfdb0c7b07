"""Log output for people (plain lines) and for machines (one JSON object per line).

The library logs to the ``digest`` logger with structured ``extra`` fields; only the command
line decides where the lines go and how they look.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any, TextIO

from .safetext import LineFormatter, safe_text

if TYPE_CHECKING:
    from .pipeline import Run

# Attributes every LogRecord has; anything else on a record came from ``extra``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {"level": record.levelname.lower(), "message": record.getMessage()}
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        # JSON escapes C0 controls itself; C1 ones and lone surrogates it would pass through.
        return safe_text(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))


def configure(stream: TextIO, level: int, fmt: str = "text") -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else LineFormatter())
    logger = logging.getLogger("digest")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


def summary(run: Run) -> dict[str, Any]:
    """The run in numbers: what was read, skipped (and why), built, and how long each stage took."""
    digest = run.digest
    return {
        "date": digest.date,
        "articles_read": run.articles_read,
        "articles_used": run.articles_used,
        "skipped": [{"source": p.source, "reason": p.reason} for p in digest.problems],
        "stories": len(digest.stories),
        "sections": sum(1 for s in digest.sections if s.picked),
        "sentences": sum(len(s.picked) for s in digest.sections),
        "empty_sections": list(run.empty_sections),
        # Stories no section showed, not even in brief: the digest counts them ("and 3 more").
        "stories_left_out": sum(s.more for s in digest.sections),
        "seconds": {stage: round(seconds, 3) for stage, seconds in run.timings.items()},
    }


# The run summary names this many skipped inputs; the "skipped" lines before it name them all.
SUMMARY_SKIPPED = 3


def summary_line(data: dict[str, Any]) -> str:
    seconds = ", ".join(f"{stage} {value:.2f}s" for stage, value in data["seconds"].items())
    skipped = data["skipped"]
    named = "; ".join(f"{s['source']}: {s['reason']}" for s in skipped[:SUMMARY_SKIPPED])
    more = f"; {len(skipped) - SUMMARY_SKIPPED} more" if len(skipped) > SUMMARY_SKIPPED else ""
    empty = data.get("empty_sections") or []
    return (f"{data['date']}: {count(data['articles_read'], 'article')} read, "
            f"{len(skipped)} skipped, {data['articles_used']} used; "
            f"{count(data['stories'], 'story', 'stories')}, {count(data['sections'], 'section')}, "
            f"{count(data['sentences'], 'sentence')}"
            + (f", {count(left, 'story', 'stories')} left out" if (left := data["stories_left_out"])
               else "")
            + (f"; nothing today for {', '.join(empty)}" if empty else "")
            + (f"; skipped {named}{more}" if skipped else "") + f"; {seconds}")


def count(n: int, noun: str, nouns: str | None = None) -> str:
    """"1 story", "2 stories"."""
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"
