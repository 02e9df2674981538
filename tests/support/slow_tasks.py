"""The site's task queue with one more task, for tests of the queue's own machinery: a task that takes its
time and says which worker ran it (`celery -A tests.support.slow_tasks worker`)."""
import time
from pathlib import Path

from config.celery import app

__all__ = ["app", "slow"]


@app.task(name="tests.slow", bind=True)
def slow(self, folder: str, seconds: float) -> str:
    runs = Path(folder)
    with open(runs / "started", "a") as started:
        started.write(self.request.hostname + "\n")
    time.sleep(seconds)
    (runs / "done").write_text(self.request.hostname)
    return self.request.hostname
