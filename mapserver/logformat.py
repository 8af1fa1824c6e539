"""Log formatting: JSON lines for the request log (settings.LOGGING)."""

from __future__ import annotations

import json
import logging


class JsonLineFormatter(logging.Formatter):
    """A log record as one JSON object (the record's `fields` if present, else its message)."""

    def format(self, record: logging.LogRecord) -> str:
        data = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname}
        data.update(getattr(record, "fields", None) or {"message": record.getMessage()})
        if record.exc_info:
            data["traceback"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
