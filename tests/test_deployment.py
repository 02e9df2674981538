"""Deployment files: settings refuse unsafe production, the compose file is well-formed."""
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def run_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                           "print(settings.DATABASES['default']['ENGINE'])"],
                          cwd=ROOT, env=environment, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings(DEBUG="0")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_database_url_selects_postgresql_and_its_absence_sqlite():
    assert run_settings(DEBUG="1").stdout.strip() == "django.db.backends.sqlite3"
    result = run_settings(SECRET_KEY="k", DATABASE_URL="postgres://u:p@db:5432/lexique")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_the_compose_file_runs_the_web_app_on_postgresql():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert set(compose["services"]) == {"web", "db"}
    web = compose["services"]["web"]
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert compose["services"]["db"]["image"].startswith("postgres:15")
    assert (ROOT / web["build"] / "Dockerfile").exists()
