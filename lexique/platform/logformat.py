"""Log formatting: one line per event, so that a log collector never splits a traceback."""
import logging


class OneLineFormatter(logging.Formatter):
    """The standard format, with the line breaks of messages and tracebacks written as `\\n`."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", "\\n")
