"""Log output for people (plain lines) and for machines (one JSON object per line).

The library logs to the ``digest`` logger with structured ``extra`` fields; only the command
line decides where the lines go and how they look.
"""

from __future__ import annotations

import json
import logging
from typing import Any, TextIO

from .safetext import LineFormatter, safe_text

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
