"""The wheel built from pyproject.toml holds everything the site needs, and the site runs from it alone."""
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import requests

from tests.support import ROOT
from tests.support.production import PUBLIC_HOST, Gunicorn, manage, production_environment


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(folder), str(ROOT)], check=True, capture_output=True)
    return next(folder.glob("lexique-*.whl"))


def test_the_wheel_holds_static_files_templates_demo_data_and_translations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("lexique/static/lexique/css/site.css", "lexique/static/lexique/favicon.svg",
                   "lexique/templates/base.html", "lexique/templates/lexique/term.html",
                   "lexique/templates/503.html", "lexique/demo/lexicon.json",
                   "lexique/locale/en/LC_MESSAGES/django.po", "lexique/locale/en/LC_MESSAGES/django.mo",
                   "config/settings.py", "config/wsgi.py"):
        assert needed in names, needed
    # templates/ at the top is the hosting site's own (docs/customising.md), not the package's.
    assert not any(name.startswith(("tests/", "bench/", "templates/")) for name in names)


def test_the_site_runs_from_the_installed_wheel_alone(wheel, tmp_path):
    """A virtual environment with the dependencies and the wheel, run far from the source tree."""
    target = tmp_path / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    dependencies = sysconfig.get_paths()["purelib"]
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    environment = production_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path,
                                         PYTHONPATH=os.pathsep.join([str(target), dependencies]),
                                         PYTHONNOUSERSITE="1")
    where = subprocess.run([sys.executable, "-c", "import lexique, config; print(lexique.__file__, config.__file__)"],
                           cwd=outside, env=environment, capture_output=True, text=True, check=True)
    assert str(target) in where.stdout and str(ROOT) not in where.stdout, where.stdout
    django_admin = [sys.executable, "-m", "django"]
    for command in (["collectstatic", "--no-input", "-v0"], ["migrate", "--no-input", "-v0"], ["seed_demo", "--i-know-this-is-production"]):
        result = subprocess.run(django_admin + command, cwd=outside, env=environment, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    server = Gunicorn(environment, tmp_path, workers=1, cwd=outside)
    try:
        headers = {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https"}
        english = requests.get(f"{server.base}/en/termes/metadonnees/", headers=headers, timeout=30)
        css = requests.get(f"{server.base}/static/lexique/css/site.css", headers=headers, timeout=30)
    finally:
        server.stop()
    assert english.status_code == 200 and "Metadata" in english.text
    assert "Browse A–Z" in english.text  # an interface string, from the compiled English catalogue
    assert css.status_code == 200
