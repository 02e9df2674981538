"""A real task queue for tests: a Celery worker in its own process, on the Redis of TEST_BROKER_URL."""
import os
import sys
import time
import uuid
from pathlib import Path

from .production import LoggedProcess


def broker_url() -> str | None:
    """TEST_BROKER_URL (a Redis database of its own), else TEST_REDIS_URL; None when the machine has no Redis."""
    return os.environ.get("TEST_BROKER_URL") or os.environ.get("TEST_REDIS_URL") or None


def queue_environment(**overrides: str) -> dict[str, str]:
    """What the site and its worker need to share a queue of their own (a name no other run uses), with
    short retries so that a failing task gives up within seconds."""
    url = broker_url()
    assert url, "no Redis for the task queue"
    return {"CELERY_BROKER_URL": url, "CELERY_QUEUE": f"lexique-test-{uuid.uuid4().hex[:12]}",
            "LEXIQUE_TASK_RETRY_DELAY": "1", "LEXIQUE_TASK_MAX_RETRIES": "2", **overrides}


class Worker(LoggedProcess):
    """`celery -A config worker` with the environment of the site, its output kept in a file."""

    stop_seconds = 20

    def __init__(self, environment: dict, folder: Path, *, concurrency: int = 2, name: str = "worker"):
        super().__init__(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--pool=prefork",
             f"--concurrency={concurrency}", f"--hostname={name}-{uuid.uuid4().hex[:6]}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            environment, folder / f"celery-{name}-{uuid.uuid4().hex[:6]}.log",
        )
        self._wait_until_ready()

    def _wait_until_ready(self, seconds: float = 60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited:\n{self.output()}")
            if " ready." in self.output():
                return
            time.sleep(0.2)
        raise AssertionError(f"the worker was not ready within {seconds} s:\n{self.output()}")
