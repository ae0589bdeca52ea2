"""Service logs: one JSON object a line (or escaped text), each carrying the id of the request it belongs to."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
# Fields a log call may pass with `extra=` that go into the JSON object as they are.
FIELDS = ("method", "route", "path", "status", "duration_ms", "client", "job_id")


def escape(text: str) -> str:
    """Text safe for one log line: newlines, other control characters and Unicode line breaks become escapes
    (`\\n`, `\\x1b`, `\\u2028`), so a value a client sent cannot start a line of its own."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the request id when there is one, and the extra
    FIELDS given to the log call. JSON escapes every control character, and non-ASCII as \\u escapes."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            entry["request_id"] = request_id
        entry.update({key: getattr(record, key) for key in FIELDS if hasattr(record, key)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger [request id]: message`, the message escaped onto one line (a traceback follows on lines
    of its own)."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = REQUEST_ID.get()
        context = f" [{request_id}]" if request_id else ""
        line = f"{self.formatTime(record)} {record.levelname} {record.name}{context}: {escape(record.getMessage())}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def logging_config(level: str, log_format: str) -> dict[str, Any]:
    """The logging setup of the service, as a dictConfig dictionary (uvicorn applies it in every worker).

    Args:
        level: DEBUG, INFO, WARNING or ERROR.
        log_format: `json` or `text`.

    Returns:
        The dictionary for logging.config.dictConfig.
    """
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"service": {"()": f"{formatter.__module__}.{formatter.__qualname__}"}},
        "handlers": {"service": {"class": "logging.StreamHandler", "formatter": "service",
                                 "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["service"], "level": level},
        # uvicorn's own lines go through the same handler; its access log is replaced by the service's, which
        # logs the route, the status, the duration and the request id.
        "loggers": {"uvicorn": {"handlers": [], "propagate": True, "level": level},
                    "uvicorn.error": {"handlers": [], "propagate": True, "level": level},
                    "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"}},
    }
