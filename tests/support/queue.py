"""A real task queue for tests: a Celery worker in its own process, on the Redis of TEST_BROKER_URL."""
import os
import re
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from .production import PUBLIC_URL, Browser, LoggedProcess

# The address a progress page refreshes itself to (without script): the task's own page.
TASK_PAGE = re.compile(r'url=(/taches/[a-z]+-[0-9a-f]{40}/)')


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

    def __init__(self, environment: dict, folder: Path, *, concurrency: int = 2, name: str = "worker",
                 app: str = "config", pool: str = "prefork"):
        self.name = f"{name}-{uuid.uuid4().hex[:6]}"
        super().__init__(
            [sys.executable, "-m", "celery", "-A", app, "worker", "--loglevel=INFO", f"--pool={pool}",
             f"--concurrency={concurrency}", f"--hostname={self.name}@%h",
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


def wait_until(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"{what}: not within {seconds} s")


def finished_task(browser: Browser, status_url: str) -> dict:
    path = urlsplit(status_url).path  # the public address, asked of the server behind the proxy

    def finished():
        status = browser.get(path).json()
        return status if status["state"] in ("done", "failed") else None

    return wait_until(finished, f"task {status_url} finished")


def import_through_the_queue(browser: Browser, rows: list[tuple[str, str]], *, mode: str = "proposals"):
    """A signed-in moderator's import of `rows` (headword, definition) as a CSV file, previewed then imported
    (as proposals, or with mode "approve" published at once), each step sent to the worker and followed on the
    import page: (the preview's page, the report's page)."""
    page = browser.get("/moderation/import/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    headers = {"Referer": PUBLIC_URL + "/moderation/import/", "Origin": PUBLIC_URL}
    data = ("headword_fr,definition_fr\r\n" + "".join(f"{headword},{definition}\r\n" for headword, definition in rows)
            ).encode()

    def followed(answer):
        assert answer.status_code == 302, answer.text[:500]
        location = answer.headers["Location"]
        assert "?tache=import-" in location
        first = browser.get(location)
        assert first.status_code == 200
        return wait_until(lambda: (shown := browser.get(location)) and 'role="progressbar"' not in shown.text
                          and shown, "the import's report")

    preview = followed(browser.request("POST", "/moderation/import/", headers=headers,
                                       data={"csrfmiddlewaretoken": token, "mode": mode, "apercu": "1"},
                                       files={"fichier": ("file.csv", data, "text/csv")}))
    digest = re.search(r'name="empreinte" value="([0-9a-f]{64})"', preview.text).group(1)
    done = followed(browser.request("POST", "/moderation/import/", headers=headers, data={
        "csrfmiddlewaretoken": token, "empreinte": digest, "format": "csv", "nom": "file.csv",
        "mode": mode, "importer": "1"}))
    return preview, done


def publish_through_the_form(browser: Browser, number: str) -> str:
    """A signed-in moderator publishes edition `number` from the form: sent to the worker, followed on the
    task's page until it links to the edition; the edition's address."""
    answer = browser.post_form("/moderation/editions/", {"number": number, "note": f"Édition {number}."})
    assert answer.status_code == 302, answer.text[:1000]
    task_page = urlsplit(answer.headers["Location"]).path
    assert re.fullmatch(r"/taches/publish-[0-9a-f]{40}/", task_page), task_page
    done = wait_until(lambda: (shown := browser.get(task_page)).status_code == 200
                      and 'class="task-file"' in shown.text and shown, f"edition {number} published")
    return re.search(r'<a class="task-file" href="([^"]+)"', done.text).group(1)
