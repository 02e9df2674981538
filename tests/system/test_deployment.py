"""Deployment: production settings, the compose file, the image's recipe and start script, logs."""
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
import yaml
from celery import Celery

from tests.support import ROOT
from tests.support.production import free_port, production_environment
from tests.support.queue import broker_url, queue_environment, wait_until

VENV_BIN = str(Path(sys.executable).parent)


def example_environment() -> dict[str, str]:
    """The variables of .env.example, as a production .env has them."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def clean_environment(**env) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "DATABASE_URL", "SITE_URL", "SECURE_"))}
    environment.update(env, DJANGO_SETTINGS_MODULE=env.get("DJANGO_SETTINGS_MODULE", "config.settings"))
    return environment


def run_settings(**env):
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                           "print(settings.DATABASES['default']['ENGINE'])"],
                          cwd=ROOT, env=clean_environment(**env), capture_output=True, text=True)


def manage_check(*arguments, **env):
    return subprocess.run([sys.executable, "manage.py", "check", *arguments], cwd=ROOT,
                          env=clean_environment(**env), capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings(DEBUG="0")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_database_url_selects_postgresql_and_its_absence_sqlite():
    assert run_settings(DEBUG="1").stdout.strip() == "django.db.backends.sqlite3"
    result = run_settings(SECRET_KEY="k", DATABASE_URL="postgres://u:p@db:5432/lexique")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_a_blank_cache_url_means_unset_and_keeps_the_memory_cache():
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                             "print(settings.CACHES['default']['BACKEND'])"],
                            cwd=ROOT, env=clean_environment(DEBUG="1", CACHE_URL=""), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
    assert manage_check(DEBUG="1", CACHE_URL="").returncode == 0


def test_check_deploy_is_silent_with_the_production_settings_of_the_example(tmp_path):
    environment = {**example_environment(), "SECRET_KEY": "x7-" + "k3Vq9-Lm2Zr8" * 5,
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = manage_check("--deploy", "--fail-level", "WARNING", **environment)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout or \
        "System check identified no issues (1 silenced)" in result.stdout, result.stdout


@pytest.mark.parametrize("address", ["http://127.0.0.1:8000", "http://localhost:8000", "https://[::1]/",
                                     "http://0.0.0.0:8000", "http://lexique.localhost"])
def test_production_refuses_a_site_url_on_this_machine(address):
    result = manage_check(DEBUG="0", SECRET_KEY="k", SITE_URL=address)
    assert result.returncode != 0
    assert "lexique.E001" in result.stderr and "SITE_URL" in result.stderr


def test_a_public_site_url_passes_and_development_keeps_its_local_default():
    assert manage_check(DEBUG="0", SECRET_KEY="k", SITE_URL="https://lexique.example.org").returncode == 0
    assert manage_check(DEBUG="1").returncode == 0


def test_server_errors_are_logged_to_standard_output_as_one_json_line(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from django.test import Client, override_settings\n"
        "with override_settings(ROOT_URLCONF='tests.support.crashing_urls'):\n"
        "    response = Client(raise_request_exception=False).get('/crash/')\n"
        "import sys; print('STATUS', response.status_code, file=sys.stderr)\n"
    )
    environment = clean_environment(DEBUG="0", SECRET_KEY="k", SITE_URL="https://lexique.example.org",
                                    SECURE_SSL_REDIRECT="0", ALLOWED_HOSTS="testserver", LOG_FORMAT="json",
                                    DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert "STATUS 500" in result.stderr, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, lines
    event = json.loads(lines[0])
    assert (event["level"], event["logger"]) == ("ERROR", "django.request")
    assert "Internal Server Error: /crash/" in event["message"]
    assert "RuntimeError: a bug\nover two lines" in event["exc_info"]


def test_text_logs_keep_one_line_per_event_too(tmp_path):
    environment = clean_environment(DEBUG="0", SECRET_KEY="k", SITE_URL="https://lexique.example.org",
                                    LOG_FORMAT="text")
    script = ("import django, logging; django.setup()\n"
              "try:\n    raise ValueError('broken')\nexcept ValueError:\n"
              "    logging.getLogger('django.request').exception('Internal Server Error: /x')\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and "ERROR django.request Internal Server Error: /x" in lines[0]
    assert "ValueError: broken" in lines[0]


def test_a_process_with_django_loaded_ends_without_collecting_every_object_again():
    # A handler registered before django.setup() runs after the site's own: by then the objects left are
    # frozen, so the interpreter's last collections pass over them, and the log lines are still written.
    script = ("import atexit, gc\n"
              "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count()))\n"
              "import django, logging; django.setup()\n"
              "print('frozen before:', gc.get_freeze_count())\n"
              "logging.getLogger('lexique').warning('last words')\n")
    environment = clean_environment(DEBUG="1", LOG_FORMAT="text")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    before = int(re.search(r"frozen before: (\d+)", result.stdout)[1])
    after = int(re.search(r"frozen at exit: (\d+)", result.stdout)[1])
    assert before == 0 and after > 10000
    assert "last words" in result.stdout


# The compose file and the image


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_compose_file_runs_the_site_with_postgresql_redis_and_a_one_shot_migration():
    services = compose()["services"]
    default = {name for name, service in services.items() if not service.get("profiles")}
    assert default == {"web", "worker", "migrate", "db", "redis"}
    web, migrate = services["web"], services["migrate"]
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert web["environment"]["CACHE_URL"].startswith("redis://")
    assert web["depends_on"] == {"db": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"},
                                 "migrate": {"condition": "service_completed_successfully"}}
    assert migrate["command"] == ["migrate"] and web["command"] == ["web"]
    for name in ("web", "worker", "db", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert services["db"]["image"].startswith("postgres:15")
    assert set(compose()["volumes"]) == {"db-data", "redis-data", "media", "minio-data"}


def test_minio_is_an_optional_profile_that_makes_the_bucket_the_site_is_told_of():
    services = compose()["services"]
    assert services["minio"]["profiles"] == services["minio-bucket"]["profiles"] == ["minio"]
    assert services["minio"]["healthcheck"]["test"]
    assert services["minio-bucket"]["depends_on"] == {"minio": {"condition": "service_healthy"}}
    assert services["minio-bucket"]["environment"]["BUCKET"] == "${AWS_STORAGE_BUCKET_NAME:-lexique}"


def test_the_compose_file_runs_a_task_worker_beside_the_site_on_the_same_broker():
    services = compose()["services"]
    web, worker = services["web"], services["worker"]
    assert worker["command"] == ["worker"]
    assert worker["environment"] == web["environment"]
    assert worker["environment"]["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
    assert worker["environment"]["CELERY_BROKER_URL"] != web["environment"]["CACHE_URL"]
    assert "celery -A config inspect ping" in " ".join(worker["healthcheck"]["test"])
    assert worker["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert "worker)" in (ROOT / "docker" / "start").read_text()


def test_every_variable_of_the_example_reaches_the_site():
    for name in ("web", "worker", "migrate"):
        assert compose()["services"][name]["env_file"] == ".env"


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="needs docker-compose (Debian package)")
def test_the_compose_file_validates(tmp_path):
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text() + "POSTGRES_PASSWORD=s3cret\n")
    result = subprocess.run(["docker-compose", "config", "-q"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(subprocess.run(["docker-compose", "config"], cwd=tmp_path, capture_output=True,
                                             text=True, check=True).stdout)
    web = resolved["services"]["web"]["environment"]
    assert web["DATABASE_URL"] == "postgres://lexique:s3cret@db:5432/lexique"
    assert web["SITE_URL"] == "https://lexique.example.org" and web["LOG_FORMAT"] == "json"
    worker = resolved["services"]["worker"]
    assert worker["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/1"
    assert "inspect ping" in " ".join(worker["healthcheck"]["test"])


def test_the_image_installs_the_locked_package_and_runs_unprivileged():
    recipe = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements/base.txt" in recipe
    assert "pip install --no-cache-dir --no-deps ." in recipe
    assert "compilemessages" in recipe and "collectstatic" in recipe
    users = re.findall(r"^USER (\S+)", recipe, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert "HEALTHCHECK" in recipe and "/healthz" in recipe
    assert "migrate" not in recipe.split("ENTRYPOINT")[-1]


def start_script(arguments, environment, **kwargs):
    environment = {**environment, "PATH": VENV_BIN + os.pathsep + environment["PATH"]}
    return subprocess.Popen([str(ROOT / "docker" / "start"), *arguments], env=environment, cwd=kwargs.pop("cwd"),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


def test_the_start_script_migrates_then_serves_the_site(tmp_path):
    port = free_port()
    environment = production_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path,
                                         PORT=str(port), BIND="127.0.0.1", WEB_WORKERS="1")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT,
                   env=environment, check=True)
    migrate = start_script(["migrate"], environment, cwd=tmp_path)
    output, _ = migrate.communicate(timeout=300)
    assert migrate.returncode == 0, output
    web = start_script([], environment, cwd=tmp_path)
    try:
        health = None
        for _attempt in range(60):
            try:
                health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                assert web.poll() is None, web.stdout.read()
                time.sleep(0.5)
        home = requests.get(f"http://127.0.0.1:{port}/", headers={"Host": "lexique.test",
                                                                  "X-Forwarded-Proto": "https"}, timeout=10)
    finally:
        web.terminate()
        output, _ = web.communicate(timeout=30)
    assert health is not None and health.status_code == 200, output
    assert home.status_code == 200
    assert '"GET / HTTP/1.1" 200' in output  # the access log, on standard output


def test_the_start_script_refuses_a_site_url_on_this_machine(tmp_path):
    environment = production_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path,
                                         SITE_URL="http://localhost:8000", PORT=str(free_port()))
    web = start_script(["web"], environment, cwd=tmp_path)
    output, _ = web.communicate(timeout=120)
    assert web.returncode != 0
    assert "lexique.E001" in output


def test_make_run_writes_links_to_the_address_it_serves_unless_told_otherwise():
    """`make run HOST=…` puts that address in permalinks, citations and e-mails; SITE_URL still wins."""
    environment = {name: value for name, value in os.environ.items() if name != "SITE_URL"}

    def commands(**extra):
        result = subprocess.run(["make", "-n", "run", "HOST=127.0.0.1:8301"], cwd=ROOT, capture_output=True,
                                text=True, env={**environment, **extra}, check=True)
        return [line for line in result.stdout.splitlines() if "runserver" in line or "seed_demo" in line]

    if (ROOT / ".env").exists() and "SITE_URL=" in (ROOT / ".env").read_text():
        pytest.skip("this checkout's .env sets SITE_URL")
    assert all("SITE_URL=http://127.0.0.1:8301 " in line for line in commands())
    assert all("SITE_URL=https://lexique.example.org " in line
               for line in commands(SITE_URL="https://lexique.example.org"))


@pytest.mark.skipif(not broker_url() and not os.environ.get("LEXIQUE_TOOLS_REQUIRED"), reason="needs Redis")
@pytest.mark.parametrize("only", [None, "imports"])
def test_the_start_script_s_worker_reads_every_queue_or_those_worker_queues_names(tmp_path, only):
    environment = production_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path, **queue_environment(),
                                         HOSTNAME=f"queues-{uuid.uuid4().hex[:8]}")
    books, imports = environment["CELERY_QUEUE"], environment["CELERY_QUEUE"] + "-imports"
    if only:
        environment["WORKER_QUEUES"] = imports
    worker = start_script(["worker"], environment, cwd=tmp_path)
    client = Celery("lexique-test", broker=environment["CELERY_BROKER_URL"])
    try:
        name = f"worker@{environment['HOSTNAME']}"
        replies = wait_until(lambda: client.control.inspect(destination=[name], timeout=1).active_queues(),
                             "the worker answers", seconds=90)
        assert {queue["name"] for queue in replies[name]} == ({imports} if only else {books, imports})
    finally:
        worker.terminate()
        worker.communicate(timeout=60)


def test_imports_go_to_their_own_queue_and_everything_else_to_the_site_s():
    environment = production_environment("sqlite:///unused.sqlite3", Path("/tmp"), CELERY_QUEUE="site-a")
    routed = subprocess.run([sys.executable, "-c", (
        "import django; django.setup(); from config.celery import app; "
        "print(app.amqp.router.route({}, 'lexique.import_file')['queue'].name, "
        "app.amqp.router.route({}, 'lexique.build_export')['queue'].name)")],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=True).stdout.split()
    assert routed == ["site-a-imports", "site-a"]
