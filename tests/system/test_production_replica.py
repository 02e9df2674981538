"""The production shape of several hosts, on one machine: gunicorn with DEBUG off, a Celery worker, Redis as
broker and cache, a PostgreSQL primary and its streaming replica. A book, an import and an edition go
through the queue; anonymous reads come from the replica (with its replay paused, it does not know the
edition just published, which the moderator who published it reads at once from the primary).

Needs Redis (TEST_BROKER_URL, else TEST_REDIS_URL) and PostgreSQL's server binaries (tests.support.replica);
LEXIQUE_TOOLS_REQUIRED turns a skip into a failure.
"""
import re
import tempfile
from pathlib import Path

import pytest

from tests.support.production import Browser, Gunicorn, manage, production_environment
from tests.support.queue import (
    TASK_PAGE,
    Worker,
    broker_url,
    finished_task,
    import_through_the_queue,
    publish_through_the_form,
    queue_environment,
    wait_until,
)
from tests.support.replica import PG_BIN, binaries_found, caught_up, streaming_pair

pytestmark = pytest.mark.skipif(not broker_url(), reason="needs Redis (TEST_BROKER_URL or TEST_REDIS_URL)")


@pytest.fixture(scope="module")
def site():
    if not binaries_found():
        pytest.fail(f"PostgreSQL server binaries not found in {PG_BIN} (postgresql server binaries)")
    with streaming_pair() as (primary, standby), tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        environment = production_environment(primary.url(), folder, **queue_environment())
        manage(environment, "collectstatic", "--no-input", "-v0")
        manage(environment, "migrate", "--no-input", "-v0")
        manage(environment, "seed_demo", "--i-know-this-is-production")
        caught_up(primary, standby)
        environment = {**environment, "DATABASE_REPLICA_URL": standby.url()}
        worker = Worker(environment, folder)
        try:
            server = Gunicorn(environment, folder)
            try:
                yield server, worker, primary, standby
            finally:
                server.stop()
        finally:
            worker.stop()


def test_a_book_an_import_and_an_edition_go_through_the_queue_and_anonymous_reads_through_the_replica(site):
    server, worker, primary, standby = site
    anonymous = Browser(server.base)

    # A book never built: a progress page, the worker builds it, then the file.
    asked = "/export/lexique-bilingue.epub?domaine=production"
    page = anonymous.get(asked)
    assert page.status_code == 202 and 'role="progressbar"' in page.text, page.text[:500]
    task_page = TASK_PAGE.search(page.text).group(1)
    wait_until(lambda: 'class="task-file"' in anonymous.get(task_page).text, "the book built")
    book = anonymous.get(asked)
    assert book.status_code == 200 and book.content[:2] == b"PK"

    # An import, read and written by the worker, published at once.
    moderator = Browser(server.base)
    moderator.sign_in("moderatrice", "demo-moderation")
    _preview, done = import_through_the_queue(moderator, [("terme de la réplique", "Importé par le worker.")],
                                              mode="approve")
    assert "Import terminé" in done.text, done.text[:2000]

    # The replica stops replaying: an edition published now is on the primary only.
    caught_up(primary, standby)
    standby.query("SELECT pg_wal_replay_pause()")
    try:
        location = publish_through_the_form(moderator, "2026.5")
        assert moderator.get(location).status_code == 200  # signed in: read from the primary
        assert anonymous.get(location).status_code == 404  # anonymous: the replica, which has not seen it
    finally:
        standby.query("SELECT pg_wal_replay_resume()")
    caught_up(primary, standby)
    assert anonymous.get(location).status_code == 200

    # One of its files, built by the worker behind the API's 202.
    accepted = anonymous.get("/api/v1/export/terms.csv?edition=2026.5")
    assert accepted.status_code == 202, accepted.text[:500]
    status = finished_task(anonymous, accepted.headers["Location"])
    assert status["state"] == "done"
    data = anonymous.get(status["location"])
    assert data.status_code == 200 and "terme de la réplique" in data.content.decode()
    log = worker.output()
    assert re.search(r"Task lexique\.publish_edition\[[^\]]+\] succeeded", log), log[-3000:]
    assert "Traceback" not in server.output(), server.output()[-3000:]
