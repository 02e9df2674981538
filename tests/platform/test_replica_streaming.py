"""A real read replica: a PostgreSQL cluster of the test's own, a streaming standby made by pg_basebackup, and
the site reading from both (DATABASE_URL the primary, DATABASE_REPLICA_URL the standby).

Anonymous reads come from the standby (with its replay paused, they show the text from before an approval);
the moderator who approved reads it at once (signed-in people read from the primary); the standby stopped
mid-run costs the readers nothing: every answer stays a 200 with the right text.
"""
import queue
import subprocess
import sys
import threading

import pytest
from django.db import connection

from tests.support import ROOT
from tests.support.production import manage, production_environment
from tests.support.replica import PG_BIN, binaries_found, caught_up, streaming_pair

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="a replica is PostgreSQL's streaming replication (the suite runs on SQLite)")

# The site in a child process, with both databases; it reads commands on standard input and prints answers.
SCRIPT = """
import sys
import django
django.setup()
from django.test import Client
from lexique import services
from lexique.models import Term
from django.contrib.auth import get_user_model

anonymous, moderator = Client(), Client()
assert moderator.login(username="moderatrice", password="demo-moderation")
PATHS = ("/termes/metadonnees/", "/api/v1/terms/metadonnees/")


def read(client, who):
    for path in PATHS:
        response = client.get(path)
        text = response.content.decode()
        print(path, who, response.status_code, "NEW" if "Texte approuvé à l'instant." in text else "OLD", flush=True)


for command in sys.stdin:
    command = command.strip()
    if command == "approve":
        term = Term.objects.get(slug="metadonnees")
        base = term.current_revision
        proposal = services.propose_edit(term=term, author=get_user_model().objects.get(username="contributeur"),
                                         base_revision=base,
                                         content={**base.content(), "definition_fr": "Texte approuvé à l'instant."})
        services.approve(proposal, by=get_user_model().objects.get(username="moderatrice"))
        print("approved", flush=True)
    elif command == "read":
        read(anonymous, "anonymous")
        read(moderator, "moderator")
        print("done", flush=True)
"""


class Site:
    """The child process running SCRIPT; its log lines (on the same standard output) are kept in `logs`."""

    def __init__(self, environment: dict) -> None:
        self.logs: list[str] = []
        self.process = subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def ask(self, command: str, until: str) -> list[str]:
        """Send `command`; the answers printed before the line `until` (log lines go to `logs`)."""
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        answers: list[str] = []
        while True:
            line = self.lines.get(timeout=120)
            assert line is not None, "\n".join(self.logs)  # the site ended
            if line == until:
                return answers
            (answers if line.startswith("/") else self.logs).append(line)

    def close(self) -> str:
        """Everything the site logged."""
        self.process.stdin.close()
        self.process.wait(timeout=60)
        while (line := self.lines.get(timeout=10)) is not None:
            self.logs.append(line)
        self.process.stdout.close()
        return "\n".join(self.logs)


@pytest.fixture(scope="module")
def clusters():
    if not binaries_found():
        pytest.fail(f"PostgreSQL server binaries not found in {PG_BIN} (postgresql server binaries)")
    with streaming_pair() as pair:
        yield pair


def test_anonymous_reads_come_from_the_replica_a_moderator_reads_their_own_write_and_a_stopped_replica_costs_nothing(
        clusters, tmp_path):
    primary, standby = clusters
    environment = production_environment(primary.url(), tmp_path, SECURE_SSL_REDIRECT="0", ALLOWED_HOSTS="testserver",
                                         CACHE_URL="locmemcache://replica-test", API_CACHE_SECONDS="0",
                                         LOG_FORMAT="text")
    manage(environment, "collectstatic", "--no-input", "-v0")
    manage(environment, "migrate", "--no-input", "-v0")
    manage(environment, "seed_demo", "--i-know-this-is-production")
    caught_up(primary, standby)
    site = Site({**environment, "DATABASE_REPLICA_URL": standby.url()})
    try:
        everyone_reads_old = site.ask("read", until="done")
        assert all(line.endswith(" 200 OLD") for line in everyone_reads_old), everyone_reads_old

        # The standby stops replaying: what it serves is frozen as it was before the approval.
        standby.query("SELECT pg_wal_replay_pause()")
        assert site.ask("approve", until="approved") == []
        lagging = site.ask("read", until="done")
        assert lagging == [
            "/termes/metadonnees/ anonymous 200 OLD", "/api/v1/terms/metadonnees/ anonymous 200 OLD",
            "/termes/metadonnees/ moderator 200 NEW", "/api/v1/terms/metadonnees/ moderator 200 NEW",
        ]

        standby.query("SELECT pg_wal_replay_resume()")
        caught_up(primary, standby)
        assert all(line.endswith(" 200 NEW") for line in site.ask("read", until="done"))

        # The standby goes away between two requests of a process that keeps its connections (CONN_MAX_AGE).
        standby.stop()
        for _round in range(3):
            without_replica = site.ask("read", until="done")
            assert all(line.endswith(" 200 NEW") for line in without_replica), without_replica
    finally:
        errors = site.close()
    assert "Read replica unreachable" in errors  # said in the log, once per REPLICA_RETRY_SECONDS
    assert "Traceback" not in errors and "Internal Server Error" not in errors, errors
