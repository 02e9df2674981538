"""A production site for tests: its own database, collected static files and gunicorn with DEBUG off.

Nothing here uses Django's test client or test settings: the site runs as it does in a container,
from the environment alone, so that what only production does (the static manifest, HTTPS behind a
proxy, secure cookies, logging, error pages) is exercised for real.
"""
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import psycopg
import requests

from . import ROOT

PUBLIC_HOST = "lexique.test"
PUBLIC_URL = f"https://{PUBLIC_HOST}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_database_url() -> str | None:
    """The PostgreSQL server the suite runs on (DATABASE_URL), or None on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def redis_url() -> str | None:
    """TEST_REDIS_URL, when the machine runs Redis for the tests (CI does)."""
    return os.environ.get("TEST_REDIS_URL") or None


def maintenance_url() -> str:
    """The server's own `postgres` database: there whatever the suite's database is called."""
    return re.sub(r"/[^/]*$", "/postgres", server_database_url())


@dataclass
class Database:
    """A database of its own: a fresh PostgreSQL database next to the suite's, or an SQLite file."""

    url: str
    drop: callable = field(repr=False, default=lambda: None)


def make_database(folder: Path) -> Database:
    server = server_database_url()
    if not server:
        return Database(url=f"sqlite:///{folder / 'site.sqlite3'}")
    name = f"lexique_prod_{uuid.uuid4().hex[:8]}"
    admin = maintenance_url()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return Database(url=re.sub(r"/[^/]*$", f"/{name}", server), drop=drop)


def production_environment(database_url: str, folder: Path, **overrides) -> dict:
    """The environment of a production container, as .env.example describes it."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "DATABASE_URL", "CACHE_URL", "SITE_URL", "SECURE_"))}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="production-test-" + uuid.uuid4().hex * 2,
        DATABASE_URL=database_url,
        ALLOWED_HOSTS=f"{PUBLIC_HOST},127.0.0.1",
        SITE_URL=PUBLIC_URL,
        SECURE_PROXY_SSL="1",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        CONN_MAX_AGE="60",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_FORMAT="json",
    )
    if redis_url():
        environment["CACHE_URL"] = redis_url()
    environment.update(overrides)
    return environment


def manage(environment: dict, *arguments: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
    return result


class LoggedProcess:
    """A server of the site's own in a child process (gunicorn, a Celery worker), its output kept in a file."""

    stop_seconds = 15

    def __init__(self, arguments: list[str], environment: dict, log_path: Path, *, cwd: Path = ROOT):
        self.environment = environment
        self.log_path = log_path
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(arguments, cwd=cwd, env=environment, stdout=self.log,
                                        stderr=subprocess.STDOUT)

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=self.stop_seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Gunicorn(LoggedProcess):
    """gunicorn serving config.wsgi on a free port of 127.0.0.1, its output kept in a file."""

    def __init__(self, environment: dict, folder: Path, *, workers: int = 2, cwd: Path = ROOT):
        self.port = free_port()
        super().__init__(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", "60", "--graceful-timeout", "5"],
            environment, folder / f"gunicorn-{self.port}.log", cwd=cwd,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        self._wait_until_listening()

    def _wait_until_listening(self, seconds: float = 30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not listen within {seconds} s:\n{self.output()}")


class Browser:
    """A client that speaks to gunicorn as the TLS proxy in front of it would.

    Requests carry the public host name and X-Forwarded-Proto: https, so the site sees what it sees in
    production; its cookies are Secure, so they are kept here by hand (requests would not send a Secure
    cookie over the plain-HTTP hop from the proxy).
    """

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.http = requests.Session()

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https", **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = self.http.request(method, urljoin(self.base, path), headers=headers,
                                     allow_redirects=False, timeout=60, **kwargs)
        self.http.cookies.clear()
        for name, value in response.cookies.items():
            self.cookies[name] = value
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def follow(self, path: str, **kwargs) -> requests.Response:
        """GET, following redirects within the site."""
        response = self.get(path, **kwargs)
        for _hop in range(5):
            if response.status_code not in (301, 302, 303, 307, 308):
                break
            location = urlsplit(response.headers["Location"])
            response = self.get(location.path + (f"?{location.query}" if location.query else ""))
        return response

    def post_form(self, path: str, data: dict) -> requests.Response:
        """POST a form of the site with its CSRF token, as a browser on the public address does."""
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token on {path}"
        return self.request("POST", path, data={**data, "csrfmiddlewaretoken": token.group(1)},
                            headers={"Referer": PUBLIC_URL + path, "Origin": PUBLIC_URL})

    def sign_in(self, username: str, password: str):
        response = self.post_form("/comptes/connexion/", {"username": username, "password": password})
        assert response.status_code == 302, f"sign-in as {username} failed: {response.status_code}"


class ThrowawayCluster:
    """A PostgreSQL cluster of its own (Debian's pg_createcluster), that a test may stop and start.

    Needs root, as CI has; the cluster is dropped on exit whatever happened.
    """

    VERSION = "15"

    def __init__(self):
        self.port = free_port()
        self.name = f"lexique_test_{self.port}"

    @staticmethod
    def available() -> bool:
        import shutil

        return os.geteuid() == 0 and bool(shutil.which("pg_createcluster")) and bool(server_database_url())

    def _ctl(self, action: str):
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", self.VERSION, self.name, action],
                       check=True, capture_output=True, text=True, timeout=60)

    def stop(self):
        self._ctl("stop")

    def start(self):
        self._ctl("start")

    def __enter__(self) -> str:
        subprocess.run(["pg_createcluster", self.VERSION, self.name, "--port", str(self.port)],
                       check=True, capture_output=True, text=True, timeout=120)
        self.start()
        for sql in ("CREATE ROLE lexique LOGIN PASSWORD 'lexique'", "CREATE DATABASE lexique OWNER lexique"):
            subprocess.run(["su", "postgres", "-c", f"psql -X -q -v ON_ERROR_STOP=1 -p {self.port} -c \"{sql}\""],
                           check=True, capture_output=True, text=True, cwd="/", timeout=60)
        return f"postgres://lexique:lexique@127.0.0.1:{self.port}/lexique"

    def __exit__(self, *exc_info):
        subprocess.run(["pg_dropcluster", "--stop", self.VERSION, self.name], capture_output=True, text=True)
