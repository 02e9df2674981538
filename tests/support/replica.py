"""A real read replica for tests: a PostgreSQL cluster of the test's own and a streaming standby made by
pg_basebackup, each on its own port (LEXIQUE_TEST_PG_PORTS="5441-5444" picks them; unset: any free ones).

Needs PostgreSQL's server binaries (LEXIQUE_TEST_PG_BIN, by default Debian's /usr/lib/postgresql/15/bin);
as root, the clusters run as the `postgres` user.
"""
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg

PG_BIN = Path(os.environ.get("LEXIQUE_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
# Ports the two clusters may take (LEXIQUE_TEST_PG_PORTS="5441-5444"); unset: any free ones.
PORTS_VARIABLE = "LEXIQUE_TEST_PG_PORTS"
START_SECONDS = 60


def free_ports(count: int) -> list[int]:
    wanted = os.environ.get(PORTS_VARIABLE, "")
    candidates = [0] * count
    if wanted:
        first, _dash, last = wanted.partition("-")
        candidates = list(range(int(first), int(last or first) + 1))
    ports = []
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            ports.append(probe.getsockname()[1])
        if len(ports) == count:
            return ports
    raise RuntimeError(f"no {count} free ports in {PORTS_VARIABLE}={wanted}")


def _as_postgres(arguments: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, the command runs as the `postgres` user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *arguments]
    return arguments


def _run(*arguments: str) -> None:
    result = subprocess.run(_as_postgres([str(PG_BIN / arguments[0]), *arguments[1:]]), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}"


class Cluster:
    def __init__(self, folder: Path, name: str, port: int) -> None:
        self.data, self.port, self.log = folder / name, port, folder / f"{name}.log"
        self.sockets = folder

    def start(self) -> None:
        _run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(START_SECONDS), "start", "-o",
             f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off")

    def stop(self) -> None:
        _run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str = "lexique") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def query(self, sql: str, database: str = "lexique"):
        with psycopg.connect(self.url(database), autocommit=True) as connected:
            cursor = connected.execute(sql)
            return cursor.fetchone() if cursor.description else None


def binaries_found() -> bool:
    return (PG_BIN / "pg_basebackup").exists()


@contextlib.contextmanager
def streaming_pair() -> Iterator[tuple[Cluster, Cluster]]:
    """(primary, standby): a throw-away cluster with a database `lexique`, and its streaming replica, each on
    its own port; both stopped and removed on exit."""
    assert binaries_found(), f"PostgreSQL server binaries not found in {PG_BIN} (postgresql server binaries)"
    folder = Path(tempfile.mkdtemp(prefix="lexique-replica-"))  # not under pytest's private tmp: postgres reads it
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    primary_port, standby_port = free_ports(2)
    primary = Cluster(folder, "primary", primary_port)
    standby = Cluster(folder, "standby", standby_port)
    started = []
    try:
        _run("initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        primary.start()
        started.append(primary)
        _run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres", "-D", str(standby.data),
             "-R", "-X", "stream", "-c", "fast")
        standby.start()
        started.append(standby)
        primary.query("CREATE DATABASE lexique", database="postgres")
        assert standby.query("SELECT pg_is_in_recovery()", database="postgres") == (True,)
        yield primary, standby
    finally:
        for cluster in reversed(started):
            try:
                cluster.stop()
            except AssertionError:
                pass  # stopped by the test already
        shutil.rmtree(folder, ignore_errors=True)


def caught_up(primary: Cluster, standby: Cluster) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    target = primary.query("SELECT pg_current_wal_lsn()::text")[0]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if standby.query(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0]:
            return
        time.sleep(0.1)
    raise AssertionError("the standby did not catch up within 60 s")
