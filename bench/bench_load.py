"""Load-and-fault benchmark: many clients read, search, download, propose and approve while workers die, Redis
and PostgreSQL restart and the read replica stops.

    .venv/bin/python bench/bench_load.py [--duration 60] [--clients 50] [--terms 10000] [--workers 4]
    .venv/bin/python bench/bench_load.py --duration 15 --terms 500      # a quick try
    .venv/bin/python bench/bench_load.py --no-page-cache                # "before": every page rendered

Needs root (or the rights of the Debian PostgreSQL tools): it makes its own throw-away PostgreSQL 15
cluster `lexfaults` on --pg-port (5430) and a streaming replica of it, `lexfaults_replica`, on the next
port (pg_basebackup), so restarting them disturbs nobody; both are dropped at the end, also on an error
or Ctrl-C. Its own Redis (redis-server on --redis-port, 6430, with an append-only file as
docker-compose.yml runs it) is the cache (database 0) and the task queue's broker (database 1). The site
runs as in production: gunicorn (DEBUG=0, collected static files) on a free port of 127.0.0.1, anonymous
reads from the replica (DATABASE_REPLICA_URL), and a Celery worker (one process, at its default nice
value) doing builds and imports; all traffic stays on this machine.

The faults, in this order (fractions of --duration): a gunicorn worker killed with SIGKILL (0.1); the
Celery worker's process killed with SIGKILL in the middle of a build (0.2) and in the middle of an import
of 5,000 entries (0.3); Redis stopped and started again (0.45); the replica stopped (0.6) and started
again (0.75); PostgreSQL stopped and started again (0.8). A mirror follows /api/v1/changes/ throughout.
At the end: requests/s and latency per kind of request beside those of the run before the task queue
(bench/README.md), 5xx inside and outside the fault windows (the replica's stop has none: reads must go
on from the primary without an error), and checks, each PASS or FAIL: the database as before, every task
finished after its fault, files whole or absent, no duplicate proposal; the exit status is 1 when a check
fails.
"""
import argparse
import collections
import csv
import http.client
import io
import json
import math
import os
import random
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Queue

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_VERSION = "15"
CLUSTER = "lexfaults"
REPLICA_CLUSTER = "lexfaults_replica"
PG_PORT = 5430  # the replica's: the next one
REDIS_PORT = 6430
DATABASE = "lexbench"
PG_PASSWORD = "lexbench-only"
REPLICATOR = "replicator"
PG_BIN = Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")
IMPORT_ENTRIES = 5000
# How long the tasks hit by a fault have to finish once the load is over.
TASKS_SECONDS = 300
PASSWORD = "charge-et-pannes-2025"  # every bench account's; the accounts live only in the throw-away cluster

# After a fault, how long errors are expected (seconds): the worker is replaced, connections reopened.
KILL_WINDOW = 5.0
RESTART_WINDOW = 10.0
# Seconds at least between two faults, so that each is met on its own (a worker killed while Redis is down cannot
# give its task back at once: the task then waits for the workers' orphan check, LEXIQUE_ORPHAN_GRACE_SECONDS).
FAULT_GAP = 5.0
# When each fault comes, as a fraction of the run.
FAULTS_AT = {"kill": 0.1, "build_kill": 0.2, "import_kill": 0.3, "redis": 0.45, "replica_stop": 0.6,
             "replica_start": 0.75, "restart": 0.8}
# The run before the task queue and the replica (bench/README.md: 2 CPUs, load average 7 to 10): requests/s and,
# per kind, p50 and p95 in ms.
PREVIOUS = {"requests/s": 10.6, "term_page": (5055, 8860), "api_detail": (5157, 8007), "api_list": (5349, 8128),
            "web_search": (6027, 9511), "api_search": (5648, 8753), "epub": (4896, 8054),
            "epub_conditional": (4945, 7005), "propose_term": (5364, 7841), "propose_edit": (5224, 8039),
            "approve": (5452, 9718), "moderation_queue": (5683, 5844), "mirror": (6812, 10559)}
# Writers pause between actions so that publications come a few times a second, not in a tight loop.
CONTRIBUTOR_PAUSE = 1.0
MODERATOR_PAUSE = 0.3
# Every Nth acknowledged proposal goes to the pair of moderators who approve it at the same moment.
DOUBLE_EVERY = 4
READ_MIX = {  # kind: weight, for the readers
    "term_page": 20, "api_detail": 20, "api_list": 15, "web_search": 10, "api_search": 15,
    "epub": 4, "epub_conditional": 4,
}
SEARCHES = ("numerique", "numérique données", "mediation", "musée", "plateforme reseau", "découvrabilité",
            "archive", "ecosysteme", "diffusion public", "donnees", "metadonnees", "numerqiue")
HOT_TERMS = 200
# Events per page of the changes feed read by the mirror (the API's default).
MIRROR_PAGE = 100  # edits go to this many terms, so that some proposals are stale when approved


def log(message):
    print(message, flush=True)


# --- The throw-away PostgreSQL cluster ---------------------------------------------------------

def pg(*args, check=True, cluster=CLUSTER):
    return subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, cluster, *args],
                          check=check, capture_output=True, text=True)


def psql(sql):
    command = f"psql -X -q -v ON_ERROR_STOP=1 -p {PG_PORT} -c {shlex.quote(sql)}"
    subprocess.run(["su", "postgres", "-c", command], check=True, capture_output=True, text=True, cwd="/")


def cluster_exists(name=CLUSTER):
    listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout
    return any(line.split()[:2] == [PG_VERSION, name] for line in listing.splitlines())


def create_cluster():
    for name in (REPLICA_CLUSTER, CLUSTER):
        if cluster_exists(name):  # left by an interrupted run: it is ours by name and holds nothing else
            log(f"Dropping the cluster {PG_VERSION}/{name} left by an earlier run.")
            drop_cluster(name)
    subprocess.run(["pg_createcluster", PG_VERSION, CLUSTER, "--port", str(PG_PORT)],
                   check=True, capture_output=True, text=True)
    pg("start")
    psql(f"CREATE ROLE {DATABASE} LOGIN PASSWORD '{PG_PASSWORD}'")
    psql(f"CREATE DATABASE {DATABASE} OWNER {DATABASE}")
    return f"postgres://{DATABASE}:{PG_PASSWORD}@127.0.0.1:{PG_PORT}/{DATABASE}"


def set_pg_port(port):
    global PG_PORT
    PG_PORT = port


def create_replica():
    """A streaming standby of the cluster, made by pg_basebackup (a hot standby, read-only), on the next port."""
    psql(f"CREATE ROLE {REPLICATOR} REPLICATION LOGIN PASSWORD '{PG_PASSWORD}'")
    subprocess.run(["pg_createcluster", PG_VERSION, REPLICA_CLUSTER, "--port", str(PG_PORT + 1)],
                   check=True, capture_output=True, text=True)
    data = Path(f"/var/lib/postgresql/{PG_VERSION}/{REPLICA_CLUSTER}")
    shutil.rmtree(data)
    command = (f"PGPASSWORD={PG_PASSWORD} {PG_BIN / 'pg_basebackup'} -h 127.0.0.1 -p {PG_PORT} -U {REPLICATOR} "
               f"-D {data} -R -X stream -c fast")
    subprocess.run(["su", "postgres", "-c", command], check=True, capture_output=True, text=True, cwd="/")
    pg("start", cluster=REPLICA_CLUSTER)
    return f"postgres://{DATABASE}:{PG_PASSWORD}@127.0.0.1:{PG_PORT + 1}/{DATABASE}"


def drop_cluster(name=CLUSTER):
    subprocess.run(["pg_dropcluster", "--stop", PG_VERSION, name], capture_output=True, text=True)


class Redis:
    """A redis-server of the run's own, with an append-only file (as docker-compose.yml runs it): restarting it
    keeps the queued tasks."""

    def __init__(self, folder, port):
        self.folder, self.port, self.process = folder, port, None
        folder.mkdir(parents=True, exist_ok=True)

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--save", "", "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.1)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Redis writes its append-only file and exits
            self.process.wait(timeout=30)

    def url(self, database):
        return f"redis://127.0.0.1:{self.port}/{database}"


class Worker:
    """`celery -A config worker`, one process in its pool, as a small host runs it; its output kept in a file."""

    def __init__(self, env, log_path):
        self.log_path = log_path
        with open(log_path, "wb") as output:
            self.process = subprocess.Popen(
                [PYTHON, "-m", "celery", "-A", "config", "worker", "--concurrency", "1", "--loglevel", "INFO",
                 "--without-gossip", "--without-mingle", "--hostname", f"bench-{os.getpid()}@%h"],
                cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while " ready." not in log_path.read_text(errors="replace"):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"the Celery worker did not start; its log:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.3)

    def pool(self):
        return worker_pids(self.process.pid)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # an import cut short is rolled back, as after a crash
            self.process.wait()


# --- Preparing the site ------------------------------------------------------------------------

ACCOUNTS_SCRIPT = '''
import json, os
from django.contrib.auth import get_user_model
from lexique.management.commands.seed_demo import moderators_group
names = json.loads(os.environ["BENCH_ACCOUNTS"])
group = moderators_group()
User = get_user_model()
for name, moderator in names:
    user = User.objects.filter(username=name).first() or User.objects.create_user(name, f"{name}@example.org", "%s")
    if moderator:
        user.groups.add(group)
''' % PASSWORD


def manage(env, *args, capture=False):
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, text=True,
                            stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
    return result.stdout


def prepare(env, options, accounts):
    steps = {
        "migrate": (env, "migrate", "--no-input"),
        "seed_demo": (env, "seed_demo", "--i-know-this-is-production"),
        f"generate_terms {options.terms}": (env, "generate_terms", str(options.terms)),
        f"{len(accounts)} accounts": ({**env, "BENCH_ACCOUNTS": json.dumps(accounts)}, "shell", "-c", ACCOUNTS_SCRIPT),
        "collectstatic": (env, "collectstatic", "--no-input"),
    }
    for label, (step_env, *args) in steps.items():
        started = time.monotonic()
        manage(step_env, *args)
        log(f"  {label}: {time.monotonic() - started:.0f} s")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_pids(master):
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


# --- HTTP ----------------------------------------------------------------------------------------

@dataclass
class Answer:
    status: int  # 0: no HTTP answer (connection refused, reset, timed out)
    headers: dict
    body: bytes
    error: str = ""

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return {}


@dataclass
class Sample:
    kind: str
    started: float
    ended: float
    status: int
    error: str
    retry_after: bool = False


class Site:
    """The site under test, and every request made to it (kind, times, status)."""

    def __init__(self, port, timeout=60):
        self.port = port
        self.timeout = timeout
        self.samples = []
        self._lock = threading.Lock()
        self.origin = None

    def request(self, kind, method, path, *, body=None, token=None, headers=None):
        sent = {"Accept": "application/json" if path.startswith("/api/") else "text/html",
                "X-Forwarded-Proto": "https", **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        if token:
            sent["Authorization"] = f"Token {token}"
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=payload, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, dict(response.headers), response.read())
        except (OSError, http.client.HTTPException) as error:
            answer = Answer(0, {}, b"", type(error).__name__)
        finally:
            connection.close()
        ended = time.monotonic()
        if kind:
            with self._lock:
                self.samples.append(Sample(kind, started - self.origin, ended - self.origin, answer.status,
                                           answer.error, "Retry-After" in answer.headers))
        return answer


# --- The clients -----------------------------------------------------------------------------------

@dataclass
class Shared:
    """What the clients share: the moderation queues and what the site acknowledged."""

    site: Site
    slugs: list
    hot: list
    domains: list
    stop: threading.Event = field(default_factory=threading.Event)
    pending: Queue = field(default_factory=Queue)
    doubles: Queue = field(default_factory=Queue)
    acknowledged: dict = field(default_factory=dict)  # proposal id -> (author, headword_fr or None)
    approvals: dict = field(default_factory=lambda: collections.defaultdict(list))  # id -> [(moderator, status)]
    double_outcomes: list = field(default_factory=list)  # [(id, status, status)]
    epub_etag: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acknowledge(self, proposal_id, author, headword):
        with self.lock:
            self.acknowledged[proposal_id] = (author, headword)
            count = len(self.acknowledged)
        (self.doubles if count % DOUBLE_EVERY == 0 else self.pending).put(proposal_id)


def reader(shared, rng):
    site, kinds = shared.site, list(READ_MIX)
    weights = [READ_MIX[kind] for kind in kinds]
    while not shared.stop.is_set():
        kind = rng.choices(kinds, weights)[0]
        slug = rng.choice(shared.slugs)
        query = urllib.parse.quote(rng.choice(SEARCHES))
        if kind == "term_page":
            site.request(kind, "GET", f"/termes/{slug}/")
        elif kind == "api_detail":
            site.request(kind, "GET", f"/api/v1/terms/{slug}/")
        elif kind == "api_list":
            pages = min(20, math.ceil(len(shared.slugs) / 50))
            site.request(kind, "GET", f"/api/v1/terms/?page={rng.randint(1, pages)}&page_size=50")
        elif kind == "web_search":
            site.request(kind, "GET", f"/recherche/?q={query}")
        elif kind == "api_search":
            site.request(kind, "GET", f"/api/v1/terms/?q={query}")
        else:
            conditional = kind == "epub_conditional" and shared.epub_etag
            headers = {"If-None-Match": shared.epub_etag} if conditional else {}
            answer = site.request(kind, "GET", "/export/lexique-fr.epub", headers=headers)
            if answer.status == 200 and answer.headers.get("ETag"):
                shared.epub_etag = answer.headers["ETag"]


def contributor(shared, rng, name, token):
    site, number = shared.site, 0
    while not shared.stop.is_set():
        number += 1
        if rng.random() < 0.5:
            headword = f"essai de charge {name} {number:05d}"
            body = {"headword_fr": headword, "headword_en": f"load test {name} {number:05d}",
                    "definition_fr": "Terme *proposé* pendant l'essai de charge.",
                    "definition_en": "A term proposed during the load test.",
                    "domains": [rng.choice(shared.domains)], "summary": "Essai de charge"}
            answer = site.request("propose_term", "POST", "/api/v1/proposals/", body=body, token=token)
        else:
            slug, headword = rng.choice(shared.hot), None
            term = site.request("api_detail", "GET", f"/api/v1/terms/{slug}/")
            if term.status != 200:
                shared.stop.wait(CONTRIBUTOR_PAUSE)
                continue
            body = {"base_revision": term.json()["revision"], "summary": f"Précision {number}",
                    "definition_fr": f"Définition précisée par {name}, version {number}."}
            answer = site.request("propose_edit", "POST", f"/api/v1/terms/{slug}/proposals/", body=body, token=token)
        if answer.status == 201:
            shared.acknowledge(answer.json()["id"], name, headword)
        shared.stop.wait(CONTRIBUTOR_PAUSE)


def approve(shared, moderator, token, proposal_id, *, confirm_stale, retries=2):
    """POST approve; a 5xx or a lost connection is tried again (an approval that did commit then says 409)."""
    body = {"comment": "Essai de charge"} | ({"confirm_stale": True} if confirm_stale else {})
    for attempt in range(retries + 1):
        answer = shared.site.request("approve", "POST", f"/api/v1/proposals/{proposal_id}/approve/", body=body,
                                     token=token)
        with shared.lock:
            shared.approvals[proposal_id].append((moderator, answer.status))
        if (answer.status == 0 or answer.status >= 500) and attempt < retries and not shared.stop.is_set():
            time.sleep(1)
            continue
        return answer
    return answer


def moderator(shared, rng, name, token):
    rounds = 0
    while not shared.stop.is_set():
        rounds += 1
        if rounds % 10 == 0:
            shared.site.request("moderation_queue", "GET", "/api/v1/proposals/?state=pending", token=token)
        try:
            proposal_id = shared.pending.get(timeout=0.5)
        except Empty:
            continue
        answer = approve(shared, name, token, proposal_id, confirm_stale=False)
        if answer.status == 409 and answer.json().get("code") == "conflict":
            # Stale: the moderator has read the diff in the answer and confirms.
            approve(shared, name, token, proposal_id, confirm_stale=True)
        shared.stop.wait(MODERATOR_PAUSE)


def moderator_pair(shared, names, tokens):
    """Two moderators approve the same proposal at the same moment: one approval, never two."""
    barrier = threading.Barrier(2)
    target = {}

    def one(index):
        while not shared.stop.is_set():
            if index == 0:
                try:
                    target["id"] = shared.doubles.get(timeout=0.5)
                except Empty:
                    target["id"] = None
            try:
                barrier.wait(timeout=5)
            except threading.BrokenBarrierError:
                return
            proposal_id = target["id"]
            if proposal_id is not None:
                target[index] = approve(shared, names[index], tokens[index], proposal_id, confirm_stale=True,
                                        retries=0).status
            try:
                barrier.wait(timeout=90)
            except threading.BrokenBarrierError:
                return
            if index == 0 and proposal_id is not None:
                with shared.lock:
                    shared.double_outcomes.append((proposal_id, target[0], target[1]))
                shared.stop.wait(MODERATOR_PAUSE)

    threads = [threading.Thread(target=one, args=(index,), daemon=True) for index in (0, 1)]
    return threads, barrier


class Mirror:
    """A third party's copy of the lexicon, kept by following changes/ as the README says."""

    def __init__(self, site):
        self.site = site
        self.cursor = 0
        self.terms = {}
        self.anomalies = []  # events that were not the next sequence number
        self.events = 0
        self.etag = None
        self.stop = threading.Event()

    def step(self):
        """Read one page; True when the feed had nothing more at that moment."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        answer = self.site.request("mirror", "GET", f"/api/v1/changes/?cursor={self.cursor}&page_size={MIRROR_PAGE}",
                                   headers=headers)
        if answer.status == 304:
            return True
        if answer.status != 200:
            time.sleep(1)
            return False
        page = answer.json()
        expected = self.cursor + 1
        for event in page["results"]:
            if event["sequence"] != expected:
                self.anomalies.append((event["sequence"], expected))
            expected = event["sequence"] + 1
            if event["kind"] == "retired":
                self.terms.pop(event["slug"], None)
            elif event["term"] is not None:
                self.terms[event["slug"]] = event["term"]
            self.events += 1
        self.cursor = page["cursor"]
        self.etag = None if page["has_more"] else answer.headers.get("ETag")
        return not page["has_more"]

    def follow(self):
        while not self.stop.is_set():
            if self.step():
                self.stop.wait(0.5)


# --- Faults --------------------------------------------------------------------------------------

ENQUEUE_IMPORT = """
import json, os
from django.contrib.auth import get_user_model
from lexique.interop.importers.uploads import keep_upload
from lexique.interop.tasks import import_file_task
from lexique.platform.queue import enqueue, task_id
user = get_user_model().objects.get(username=os.environ["BENCH_IMPORTER"])
with open(os.environ["BENCH_IMPORT_FILE"], "rb") as data:
    digest = keep_upload(data.read(), "csv")
work = {"digest": digest, "file_format": "csv", "file_name": "panne.csv", "by": user.pk, "dry_run": False,
        "approve_now": True, "summary": "Import pendant les pannes", "matches": {}, "keep": {},
        "clear_empty": False, "skip_refused": True}
identifier = task_id("import", json.dumps(work, sort_keys=True))
enqueue(import_file_task, identifier, **work, page={}, location="")
print(identifier)
"""
IMPORT_PREFIX = "import en panne"


def import_file(folder):
    """A moderator's CSV of IMPORT_ENTRIES new entries (the most one import takes)."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["headword_fr", "headword_en", "definition_fr", "definition_en"])
    for number in range(IMPORT_ENTRIES):
        writer.writerow([f"{IMPORT_PREFIX} {number:05d}", f"import during faults {number:05d}",
                         f"Terme importé pendant les pannes, numéro {number}.", f"Term imported during faults, {number}."])
    path = folder / "panne.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


def task_meta(broker_url, identifier):
    """What the result backend (the broker's Redis) holds of a task: {} if nothing, or if Redis does not answer."""
    import redis

    try:
        raw = redis.Redis.from_url(broker_url, socket_timeout=2).get(f"celery-task-meta-{identifier}")
    except redis.RedisError:
        return {}
    return json.loads(raw) if raw else {}


@dataclass
class Faults:
    """What the faults act on."""

    master: int  # gunicorn's
    worker: "Worker"
    redis: "Redis"
    broker_url: str
    env: dict
    importer: str
    import_path: Path
    replica_url: str
    duration: float


def running(faults, identifier, seconds, shared, *, counted=False):
    """Wait until task `identifier` is at work (started a second ago; with `counted`, reporting some of its work
    done); its state."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not shared.stop.is_set():
        meta = task_meta(faults.broker_url, identifier)
        state, result = meta.get("status"), meta.get("result")
        if state == "STARTED" and not counted:
            time.sleep(1)
            return state
        if state == "PROGRESS" and isinstance(result, dict) and result.get("done"):
            return f"{state} {result.get('done')}/{result.get('total')}"
        if state in ("SUCCESS", "FAILURE"):
            return state
        time.sleep(0.2)
    return None


def kill_worker_process(faults, record, kind, identifier, state, origin):
    pool = faults.worker.pool()
    if state and state.startswith(("STARTED", "PROGRESS")) and pool:
        os.kill(pool[0], signal.SIGKILL)
        record[kind] = (time.monotonic() - origin, pool[0], identifier, state)
    else:
        record[kind] = (time.monotonic() - origin, None, identifier, state)


def faults(shared, setup, record):
    origin = shared.site.origin

    def at(kind):
        """Wait for the moment of fault `kind`, at least FAULT_GAP after the one before ended (now: they come one
        after the other), so that each fault is met on its own."""
        moment = max(origin + FAULTS_AT[kind] * setup.duration, time.monotonic() + (FAULT_GAP if kind != "kill" else 0))
        return shared.stop.wait(max(0.0, moment - time.monotonic()))

    if at("kill"):
        return
    victims = worker_pids(setup.master)
    if victims:
        os.kill(victims[0], signal.SIGKILL)
        record["kill"] = (time.monotonic() - origin, victims[0])

    if at("build_kill"):
        return
    # A book never built before: the task queue builds it; its worker process is killed as it does.
    answer = shared.site.request("build", "GET", f"/export/lexique-bilingue.epub?titre=Panne+{os.getpid()}")
    found = re.search(rb"/api/v1/tasks/([\w-]+)/", answer.body) if answer.status == 202 else None
    identifier = found.group(1).decode() if found else ""
    record["build_task"] = identifier or f"answered {answer.status}"
    if identifier:
        kill_worker_process(setup, record, "build_kill", identifier, running(setup, identifier, 30, shared), origin)

    if at("import_kill"):
        return
    result = subprocess.run([PYTHON, "manage.py", "shell", "-c", ENQUEUE_IMPORT], cwd=BASE_DIR, text=True,
                            capture_output=True, env={**setup.env, "BENCH_IMPORTER": setup.importer,
                                                      "BENCH_IMPORT_FILE": str(setup.import_path)})
    identifier = result.stdout.strip().splitlines()[-1] if result.returncode == 0 and result.stdout.strip() else ""
    record["import_task"] = identifier or f"not queued: {result.stderr[-300:]}"
    if identifier:
        kill_worker_process(setup, record, "import_kill", identifier, running(setup, identifier, 60, shared, counted=True),
                           origin)

    if at("redis"):
        return
    began = time.monotonic() - origin
    setup.redis.stop()
    time.sleep(1)
    setup.redis.start()
    record["redis"] = (began, time.monotonic() - origin)

    if at("replica_stop"):
        return
    try:
        import psycopg

        with psycopg.connect(setup.replica_url, connect_timeout=3) as db:
            record["replica_reads"] = db.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = %s",
                                                 [DATABASE]).fetchone()[0]
    except Exception as error:  # noqa: BLE001 -- said in the figures
        record["replica_reads"] = f"unknown ({error})"
    pg("stop", "-m", "fast", cluster=REPLICA_CLUSTER)
    record["replica_stop"] = time.monotonic() - origin
    if at("replica_start"):
        return
    pg("start", cluster=REPLICA_CLUSTER)
    record["replica_start"] = time.monotonic() - origin

    if at("restart"):
        return
    began = time.monotonic() - origin
    pg("stop", "-m", "fast")
    time.sleep(1)
    pg("start")
    record["restart"] = (began, time.monotonic() - origin)


def wait_for_tasks(setup, record):
    """The tasks hit by a fault, each (label, id, final state, result), once each finished or TASKS_SECONDS passed."""
    tasks = [(label, record.get(f"{label}_task", "")) for label in ("build", "import")]
    deadline = time.monotonic() + TASKS_SECONDS
    outcome = {}
    while True:
        for label, identifier in tasks:
            meta = task_meta(setup.broker_url, identifier) if identifier and "-" in identifier else {}
            outcome[label] = (identifier, meta.get("status"), meta.get("result"))
        if all(state in ("SUCCESS", "FAILURE") for _i, state, _r in outcome.values()) or time.monotonic() > deadline:
            return outcome
        time.sleep(1)


def whole_files(media_root):
    """Files of the media folder: (whole ones, broken ones, hidden ones: locks and parts being written)."""
    whole, broken, hidden = [], [], []
    for path in sorted(Path(media_root).rglob("*")):
        if not path.is_file():
            continue
        if path.name.startswith("."):
            hidden.append(path.name)
            continue
        ok = path.stat().st_size > 0
        if ok and path.suffix in (".epub", ".zip", ".xlsx"):
            try:
                with zipfile.ZipFile(path) as archive:
                    ok = archive.testzip() is None
            except zipfile.BadZipFile:
                ok = False
        (whole if ok else broken).append(path.name)
    return whole, broken, hidden


# --- Figures and checks --------------------------------------------------------------------------

def percentile(values, fraction):
    """Nearest rank: the smallest value with at least `fraction` of the values at or below it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def overlaps(sample, windows):
    return any(sample.started < end and sample.ended > start for start, end in windows)


def print_figures(site, duration, windows, kinds_order):
    samples = [sample for sample in site.samples if sample.started < duration]
    clients = [sample for sample in samples if sample.kind != "mirror"]
    log(f"\nrequests: {len(samples)} in {duration:.0f} s = {len(samples) / duration:.1f} requests/s "
        f"(the 50-client mix alone: {len(clients) / duration:.1f}/s; mirror: {len(samples) - len(clients)})")
    log(f"the run before the task queue and the replica (bench/README.md): {PREVIOUS['requests/s']:.1f} requests/s")
    log(f"\n{'kind':<18}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'2xx':>7}{'304':>6}{'4xx':>6}"
        f"{'503':>6}{'5xx':>6}{'no answer':>10}{'before p50':>12}{'p95':>7}")
    by_kind = collections.defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    for kind in kinds_order + sorted(set(by_kind) - set(kinds_order)):
        group = by_kind.get(kind)
        if not group:
            continue
        answered = [1000 * (s.ended - s.started) for s in group if s.status]
        statuses = collections.Counter(s.status for s in group)
        cells = [sum(n for status, n in statuses.items() if 200 <= status < 300), statuses[304],
                 sum(n for status, n in statuses.items() if 400 <= status < 500), statuses[503],
                 sum(n for status, n in statuses.items() if status >= 500 and status != 503), statuses[0]]
        p50, p95, p99 = (percentile(answered, q) if answered else 0 for q in (0.5, 0.95, 0.99))
        before = PREVIOUS.get(kind)
        log(f"{kind:<18}{len(group):>7}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}" + "".join(
            f"{cell:>{width}}" for cell, width in zip(cells, (7, 6, 6, 6, 6, 10)))
            + (f"{before[0]:>12}{before[1]:>7}" if before else ""))
    inside = [s for s in samples if overlaps(s, windows)]
    outside = [s for s in samples if not overlaps(s, windows)]
    span = ", ".join(f"{start:.1f}–{end:.1f} s" for start, end in windows) or "none"
    log(f"\nerrors by fault window ({span}); a request counts as inside when its time overlaps a window")
    log(f"{'':<22}{'inside':>8}{'outside':>9}")
    rows = {
        "requests": lambda s: True,
        "503": lambda s: s.status == 503,
        "  of which Retry-After": lambda s: s.status == 503 and s.retry_after,
        "other 5xx": lambda s: s.status >= 500 and s.status != 503,
        "no answer": lambda s: s.status == 0,
    }
    for label, test in rows.items():
        log(f"{label:<22}{sum(map(test, inside)):>8}{sum(map(test, outside)):>9}")
    unavailable = collections.Counter(s.kind for s in outside if s.status == 503)
    if unavailable:
        log("503 outside the windows, by kind: " + ", ".join(f"{kind} {n}" for kind, n in unavailable.most_common()))
    # Outside the faults, the site must answer everything: a 503 there (even with Retry-After) counts too.
    return [s for s in outside if s.status >= 500 or s.status == 0]


def check_database(database_url, shared, mirror, started_at):
    """Each check as (passed, text)."""
    import psycopg

    results = []
    with psycopg.connect(database_url, autocommit=True) as db:
        acknowledged = shared.acknowledged
        rows = dict(((pk, (author, headword)) for pk, author, headword in db.execute(
            "SELECT r.id, u.username, r.headword_fr FROM lexique_revision r JOIN auth_user u ON u.id = r.author_id "
            "WHERE r.id = ANY(%s)", [list(acknowledged)])))
        lost = [pk for pk in acknowledged if pk not in rows]
        wrong = [pk for pk, (author, headword) in acknowledged.items()
                 if pk in rows and (rows[pk][0] != author or (headword and rows[pk][1] != headword))]
        results.append((not lost and not wrong,
                        f"every acknowledged proposal (201) is in the database: {len(acknowledged) - len(lost)} of "
                        f"{len(acknowledged)}" + (f"; missing {lost[:10]}" if lost else "")
                        + (f"; other author or headword {wrong[:10]}" if wrong else "")))

        said_approved = [pk for pk, answers in shared.approvals.items() if any(s == 200 for _m, s in answers)]
        states = dict(db.execute("SELECT id, state FROM lexique_revision WHERE id = ANY(%s)", [said_approved]))
        not_approved = [pk for pk in said_approved if states.get(pk) != "approved"]
        results.append((not not_approved, f"every approval answered 200 is approved in the database: "
                        f"{len(said_approved) - len(not_approved)} of {len(said_approved)}"
                        + (f"; not approved {not_approved[:10]}" if not_approved else "")))

        twice = db.execute("SELECT revision_id, count(*) FROM lexique_moderationlogentry WHERE action = 'approved' "
                           "GROUP BY revision_id HAVING count(*) > 1").fetchall()
        both = [(pk, a, b) for pk, a, b in shared.double_outcomes if a == 200 and b == 200]
        one = sum(1 for _pk, a, b in shared.double_outcomes if sorted((a, b)) in ([200, 409],))
        other = len(shared.double_outcomes) - one - len(both)
        results.append((not twice and not both,
                        f"no proposal approved twice: {len(twice)} revisions with two approvals in the moderation "
                        f"log; simultaneous double approvals: {len(shared.double_outcomes)} pairs, {one} answered "
                        f"200 + 409, {len(both)} answered 200 twice, {other} otherwise"
                        + (f" ({collections.Counter(tuple(sorted((a, b))) for _pk, a, b in shared.double_outcomes if sorted((a, b)) != [200, 409])})" if other else "")))

        approvals = db.execute(
            "SELECT l.revision_id, count(e.id) FROM lexique_moderationlogentry l "
            "LEFT JOIN lexique_publicationevent e ON e.revision_id = l.revision_id AND e.kind IN ('published', 'updated') "
            "WHERE l.action = 'approved' GROUP BY l.revision_id").fetchall()
        not_one = [(pk, n) for pk, n in approvals if n != 1]
        orphans = db.execute(
            "SELECT e.sequence FROM lexique_publicationevent e WHERE e.created_at >= %s AND NOT EXISTS ("
            "SELECT 1 FROM lexique_moderationlogentry l WHERE l.revision_id = e.revision_id "
            "AND l.action IN ('approved', 'reverted'))", [started_at]).fetchall()
        results.append((not not_one and not orphans,
                        f"each approval made exactly one publication event: {len(approvals) - len(not_one)} of "
                        f"{len(approvals)} approvals; events of the run without an approval: {len(orphans)}"
                        + (f"; not one: {not_one[:10]}" if not_one else "")))

        count, first, last = db.execute(
            "SELECT count(*), min(sequence), max(sequence) FROM lexique_publicationevent").fetchone()
        version = db.execute("SELECT version FROM lexique_lexiconstate WHERE id = 1").fetchone()[0]
        results.append((count == last and first == 1 and version == last,
                        f"publication sequence gap-free: {count} events numbered {first}..{last}, lexicon version {version}"))

        published = dict(db.execute("SELECT slug, current_revision_id FROM lexique_term WHERE status = 'published'"))
        copy = {slug: term["revision"] for slug, term in mirror.terms.items()}
        missing = sorted(set(published) - set(copy))
        extra = sorted(set(copy) - set(published))
        different = sorted(slug for slug in set(copy) & set(published) if copy[slug] != published[slug])
        results.append((not missing and not extra and not different and not mirror.anomalies,
                        f"the mirror equals the published set: {len(copy)} terms against {len(published)} "
                        f"(missing {len(missing)}, extra {len(extra)}, other revision {len(different)}); "
                        f"{mirror.events} events read up to {mirror.cursor}, {len(mirror.anomalies)} out of sequence"
                        + (f"; e.g. {(missing + extra + different)[:5]}" if missing or extra or different else "")))
    return results


READS = ("term_page", "api_detail", "api_list", "web_search", "api_search", "epub", "epub_conditional")


def check_faults(database_url, shared, record, tasks, waited, media_root, windows):
    """The checks of the faults on the task queue, the files and the replica, each as (passed, text)."""
    import psycopg

    results = []
    states = ", ".join(f"{label} {identifier or '-'}: {state}" for label, (identifier, state, _r) in tasks.items())
    build = tasks["build"][2] if isinstance(tasks["build"][2], dict) else {}
    made = all(record.get(kind, (0, None))[1] for kind in ("build_kill", "import_kill"))
    results.append((made and all(state == "SUCCESS" for _i, state, _r in tasks.values()) and not build.get("failed"),
                    f"every task hit by a worker's death finished after it ({waited:.0f} s after the load): {states}"
                    + ("" if made else "; a worker was not killed in the middle of its task")))
    with psycopg.connect(database_url, autocommit=True) as db:
        written = db.execute("SELECT count(*) FROM lexique_term WHERE slug IN (SELECT t.slug FROM lexique_term t "
                             "JOIN lexique_revision r ON r.term_id = t.id WHERE r.headword_fr LIKE %s)",
                             [f"{IMPORT_PREFIX} %"]).fetchone()[0]
        twice = db.execute("SELECT headword_fr, count(*) FROM lexique_revision WHERE headword_fr LIKE %s "
                           "GROUP BY headword_fr HAVING count(*) > 1", [f"{IMPORT_PREFIX} %"]).fetchall()
        proposed_twice = db.execute(
            "SELECT author_id, headword_fr, count(*) FROM lexique_revision WHERE headword_fr LIKE 'essai de charge %%' "
            "GROUP BY author_id, headword_fr HAVING count(*) > 1").fetchall()
    results.append((written == IMPORT_ENTRIES and not twice and not proposed_twice,
                    f"the import killed midway written once, whole: {written} of {IMPORT_ENTRIES} terms, headwords "
                    f"proposed twice: {len(twice)} imported, {len(proposed_twice)} of the contributors"
                    + (f" (e.g. {(twice + proposed_twice)[:3]})" if twice or proposed_twice else "")))
    whole, broken, hidden = whole_files(media_root)
    results.append((not broken, f"files whole or absent: {len(whole)} whole, {len(broken)} broken"
                    + (f" ({broken[:5]})" if broken else "")
                    + f"; {len(hidden)} hidden (locks, parts of builds cut short)"))
    if "replica_stop" in record:
        down = (record["replica_stop"], record.get("replica_start", record["replica_stop"]) + 3)
        reads = [s for s in shared.site.samples if s.kind in READS and s.started < down[1] and s.ended > down[0]
                 and not overlaps(s, windows)]
        failed = [s for s in reads if s.status == 0 or s.status >= 500]
        results.append((bool(reads) and not failed,
                        f"anonymous reads while the replica was down ({down[0]:.1f}–{down[1]:.1f} s) answered from the "
                        f"primary: {len(reads) - len(failed)} of {len(reads)} without an error"
                        + (f"; errors: {[(s.kind, s.status or s.error) for s in failed[:5]]}" if failed else "")))
    return results


def summarise_log(path):
    """The server's own account of its errors, counted: the site's log lines (a traceback is one line,
    its last part the exception) and gunicorn's messages about its workers."""
    text = path.read_text(errors="replace") if path.exists() else ""
    counts = collections.Counter()
    for line in text.splitlines():
        if re.search(r"WORKER TIMEOUT|was sent SIG\w+|Worker exiting|Booting worker", line):
            counts["gunicorn: " + re.sub(r"\d+", "N", line.split("] ", 2)[-1])[:140]] += 1
        elif match := re.match(r"^\S+ \S+ (ERROR|WARNING|CRITICAL) (\S+) (.*)$", line):
            level, logger, message = match.groups()
            parts = message.split("\\n")
            exception = next((part for part in reversed(parts) if re.match(r"^[\w.]+(Error|Exception)\b", part)), "")
            message = re.sub(r"\d+", "N", parts[0])[:70]
            counts[f"{level} {logger}: {message}" + (f" -- {exception[:90]}" if exception else "")] += 1
        elif re.match(r"^[\w.]+(Error|Exception)\b", line):
            counts[line.strip()[:160]] += 1
    return counts


# --- Main ------------------------------------------------------------------------------------------

def interrupt(signum, frame):
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (faults: FAULTS_AT)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--terms", type=int, default=10000, help="synthetic terms besides the demo lexicon")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--no-page-cache", action="store_true",
                        help="render every anonymous page, feed and sitemap (PAGE_CACHE=0), to compare")
    parser.add_argument("--conn-max-age", type=int, default=60, help="CONN_MAX_AGE of the site (.env.example: 60)")
    parser.add_argument("--pg-port", type=int, default=PG_PORT, help="the cluster's port (the replica's: the next)")
    parser.add_argument("--redis-port", type=int, default=REDIS_PORT, help="the run's own redis-server")
    options = parser.parse_args()
    set_pg_port(options.pg_port)
    if options.clients < 8:
        parser.error("--clients must be at least 8 (readers, contributors and moderators)")
    if os.geteuid() != 0:
        sys.exit("Run as root: the benchmark creates, restarts and drops its own PostgreSQL cluster.")
    signal.signal(signal.SIGTERM, interrupt)

    contributors = max(2, options.clients // 8)
    singles = max(2, options.clients // 25)
    readers = options.clients - contributors - singles - 2
    accounts = [(f"contrib-{n}", False) for n in range(1, contributors + 1)]
    accounts += [(f"moder-{n}", True) for n in range(1, singles + 3)]

    workdir = Path(tempfile.mkdtemp(prefix="lexique-bench-load-"))
    server = worker = None
    redis_server = Redis(workdir / "redis", options.redis_port)
    try:
        database_url = create_cluster()
        redis_server.start()
        cache_url = redis_server.url(0)
        broker_url = redis_server.url(1)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": "load-benchmark-only-secret-key-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Only written into the books; no request goes there.
            "SITE_URL": "https://lexique.example.org",
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "CONN_MAX_AGE": str(options.conn_max_age),
            "LOG_LEVEL": "WARNING",
            # As behind a reverse proxy that terminates TLS: the clients send X-Forwarded-Proto: https.
            "SECURE_PROXY_SSL": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            # All clients come from 127.0.0.1: per-address limits would measure the throttle, not the site.
            "API_THROTTLE_ANON": "1000000/minute",
            "API_THROTTLE_USER": "1000000/minute",
            "API_THROTTLE_TOKEN": "1000/minute",
        }
        env["CACHE_URL"] = cache_url
        env["CELERY_BROKER_URL"] = broker_url
        env["CELERY_QUEUE"] = f"bench-load-{os.getpid()}"
        env["PAGE_CACHE"] = "0" if options.no_page_cache else "1"
        log(f"Preparing the site on its own PostgreSQL cluster (port {PG_PORT}):")
        prepare(env, options, accounts)
        started = time.monotonic()
        replica_url = create_replica()
        env["DATABASE_REPLICA_URL"] = replica_url
        log(f"  a streaming replica (pg_basebackup, port {PG_PORT + 1}): {time.monotonic() - started:.0f} s")
        worker = Worker(env, workdir / "celery.log")
        import_path = import_file(workdir)

        import psycopg

        with psycopg.connect(database_url) as db:
            slugs = [row[0] for row in db.execute("SELECT slug FROM lexique_term WHERE status = 'published'")]
            domains = [row[0] for row in db.execute("SELECT slug FROM lexique_domain")]
            started_at = db.execute("SELECT now()").fetchone()[0]
        hot = sorted(slug for slug in slugs if slug.startswith("synthetique-"))[:HOT_TERMS] or slugs[:HOT_TERMS]

        port = free_port()
        server_log = workdir / "gunicorn.log"
        with open(server_log, "wb") as output:
            server = subprocess.Popen(
                [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi", "--workers", str(options.workers),
                 "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "30"],
                cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            )
        site = Site(port)
        site.origin = time.monotonic()
        deadline = time.monotonic() + 60
        while (answer := site.request(None, "GET", "/api/v1/")).status != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"gunicorn did not start ({answer.status or answer.error} "
                                   f"{answer.body[:300]!r}); its log:\n{server_log.read_text()[-3000:]}")
            time.sleep(0.3)
        tokens = {}
        for name, _moderator in accounts:
            answer = site.request(None, "POST", "/api/v1/auth/token/", body={"username": name, "password": PASSWORD})
            if answer.status not in (200, 201):
                raise RuntimeError(f"no token for {name}: {answer.status} {answer.body[:300]!r}")
            tokens[name] = answer.json()["token"]
        # The first book is built (by the worker) before the clock starts.
        deadline = time.monotonic() + 600
        while site.request(None, "GET", "/export/lexique-fr.epub").status == 202 and time.monotonic() < deadline:
            time.sleep(1)
        unloaded = {}
        for kind, path in (("term_page", f"/termes/{hot[1]}/"), ("api_detail", f"/api/v1/terms/{hot[2]}/"),
                           ("api_list", "/api/v1/terms/?page=3&page_size=50"), ("web_search", "/recherche/?q=musee"),
                           ("api_search", "/api/v1/terms/?q=musee"), ("epub", "/export/lexique-fr.epub")):
            times = []
            for _ in range(5):
                started = time.monotonic()
                site.request(None, "GET", path)
                times.append(1000 * (time.monotonic() - started))
            unloaded[kind] = (times[0], sorted(times)[2])

        shared = Shared(site=site, slugs=slugs, hot=hot, domains=domains)
        mirror = Mirror(site)
        rng = random.Random(2025)
        threads = [threading.Thread(target=reader, args=(shared, random.Random(rng.random())), daemon=True)
                   for _ in range(readers)]
        for name, is_moderator in accounts:
            if not is_moderator:
                threads.append(threading.Thread(target=contributor, daemon=True,
                                                args=(shared, random.Random(rng.random()), name, tokens[name])))
        moderators = [name for name, is_moderator in accounts if is_moderator]
        for name in moderators[:-2]:
            threads.append(threading.Thread(target=moderator, daemon=True,
                                            args=(shared, random.Random(rng.random()), name, tokens[name])))
        pair_threads, barrier = moderator_pair(shared, moderators[-2:], [tokens[n] for n in moderators[-2:]])
        threads += pair_threads
        record = {}
        setup = Faults(master=server.pid, worker=worker, redis=redis_server, broker_url=broker_url, env=env,
                       importer=moderators[0], import_path=import_path, replica_url=replica_url,
                       duration=options.duration)
        fault_thread = threading.Thread(target=faults, args=(shared, setup, record), daemon=True)
        mirror_thread = threading.Thread(target=mirror.follow, daemon=True)

        log(f"Load: {readers} readers, {contributors} contributors, {len(moderators) - 2} moderators and a pair "
            f"approving together, 1 mirror, for {options.duration:.0f} s on http://127.0.0.1:{port} "
            f"({options.workers} gunicorn workers, 1 Celery worker process, DEBUG=0, cache and broker Redis, "
            f"CONN_MAX_AGE={options.conn_max_age}, page cache {'off' if options.no_page_cache else 'on'}).")
        site.samples.clear()
        load_before = os.getloadavg()[0]
        site.origin = time.monotonic()
        for thread in [*threads, fault_thread, mirror_thread]:
            thread.start()
        time.sleep(options.duration)
        load_after = os.getloadavg()[0]
        shared.stop.set()
        barrier.abort()
        for thread in [*threads, fault_thread]:
            thread.join(timeout=90)
        fault_thread.join()
        mirror.stop.set()
        mirror_thread.join(timeout=120)

        # The mirror catches up with everything committed, then the database is compared with it.
        with psycopg.connect(database_url) as db:
            last = db.execute("SELECT coalesce(max(sequence), 0) FROM lexique_publicationevent").fetchone()[0]
        catch_up = time.monotonic() + 120
        while mirror.cursor < last and time.monotonic() < catch_up:
            if mirror.step():
                time.sleep(0.5)

        windows = []
        if "kill" in record:
            windows.append((record["kill"][0], record["kill"][0] + KILL_WINDOW))
        if "redis" in record:
            windows.append((record["redis"][0], max(record["redis"][1], record["redis"][0] + RESTART_WINDOW)))
        if "restart" in record:
            windows.append((record["restart"][0], max(record["restart"][1], record["restart"][0] + RESTART_WINDOW)))
        with psycopg.connect(database_url) as db:
            terms = db.execute("SELECT count(*) FROM lexique_term WHERE status = 'published'").fetchone()[0]
        log(f"\nLoad-and-fault benchmark: {len(slugs)} published terms at the start, {terms} at the end; "
            f"{options.clients} clients for {options.duration:.0f} s; {os.cpu_count()} CPUs, load average "
            f"{load_before:.1f} before and {load_after:.1f} at the end of the load")
        if "kill" in record:
            log(f"fault 1: worker {record['kill'][1]} killed (SIGKILL) at {record['kill'][0]:.1f} s")
        for kind, what in (("build_kill", "a build"), ("import_kill", f"an import of {IMPORT_ENTRIES} entries")):
            if kind in record:
                at, pid, identifier, state = record[kind]
                log(f"fault: Celery worker process {pid} killed (SIGKILL) in the middle of {what} at {at:.1f} s "
                    f"(task {identifier} {state})" if pid else f"fault NOT made: {what} was {state} at {at:.1f} s")
        if "redis" in record:
            log(f"fault: Redis stopped at {record['redis'][0]:.1f} s, started again at {record['redis'][1]:.1f} s")
        if "replica_stop" in record:
            log(f"fault: the replica (which had served {record.get('replica_reads')} transactions) stopped at "
                f"{record['replica_stop']:.1f} s, started again at {record.get('replica_start', float('nan')):.1f} s")
        if "restart" in record:
            log(f"fault: PostgreSQL stopped at {record['restart'][0]:.1f} s, started again at "
                f"{record['restart'][1]:.1f} s")
        log("one client alone before the load, ms for the first request / median of 5 (API reads and books are "
            "cached after the first): " + ", ".join(f"{kind} {first:.0f}/{median:.0f}"
                                                     for kind, (first, median) in unloaded.items()))
        kinds = [*READ_MIX, "propose_term", "propose_edit", "approve", "moderation_queue", "mirror", "build"]
        stray = print_figures(site, options.duration, windows, kinds)
        log(f"\nproposals acknowledged: {len(shared.acknowledged)}; approved (200): "
            f"{sum(1 for a in shared.approvals.values() if any(s == 200 for _m, s in a))}; "
            f"double approvals tried: {len(shared.double_outcomes)}")

        log("\nchecks against the database, the task queue and the files")
        waited = time.monotonic()
        tasks = wait_for_tasks(setup, record)
        waited = time.monotonic() - waited
        results = check_database(database_url, shared, mirror, started_at)
        results += check_faults(database_url, shared, record, tasks, waited, env["MEDIA_ROOT"], windows)
        results.insert(0, (not stray, f"no 5xx (503 included) and no lost connection outside the fault windows: {len(stray)}"
                           + (" (" + ", ".join(f"{s.kind} {s.status or s.error} at {s.started:.1f} s"
                                               for s in stray[:8]) + ")" if stray else "")))
        for passed, text in results:
            log(f"{'PASS' if passed else 'FAIL'}  {text}")

        for title, path in (("server log (gunicorn and django.request errors)", server_log),
                            ("Celery worker's log", workdir / "celery.log")):
            counts = summarise_log(path)
            if counts:
                log(f"\n{title}, counted:")
                for line, count in counts.most_common(12):
                    log(f"{count:>6}  {line}")
        return 0 if all(passed for passed, _text in results) else 1
    except KeyboardInterrupt:
        log("Interrupted.")
        return 130
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if worker is not None:
            worker.stop()
        redis_server.stop()
        drop_cluster(REPLICA_CLUSTER)
        drop_cluster()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
