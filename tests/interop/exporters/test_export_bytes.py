"""Bytes that never change: every export is the same file in every process, under every hash seed, on
every database, whatever the clock says; its ETag is the digest of those bytes."""
import hashlib
import os
import sqlite3
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.test import APIClient

from lexique.interop.published import ExportOptions
from lexique.interop.registry import EXPORTERS
from lexique.models import LexiconState
from tests.support import ROOT
from tests.support.exports_data import rich_lexicon
from tests.support.factories import publish_term

# Every export, by the name of its file: each e-book variant, each terminology format, each look-up dictionary.
FILES = {
    "lexique-fr.epub": ("epub", "fr"), "lexique-en.epub": ("epub", "en"),
    "lexique-bilingue.epub": ("epub", "bilingual"),
    **{f"lexique.{name}": (name, "bilingual") for name, exporter in EXPORTERS.items()
       if "bilingual" in exporter.variants.values() and name != "epub"},
    **{f"lexique-{name}-{variant}.zip": (name, lang) for name in ("stardict", "kobo")
       for variant, lang in EXPORTERS[name].variants.items()},
}
# The shell's own commands, run in a process of its own: what a site's administrator types.
COMMANDS = """
import os
from django.core.management import call_command
from lexique.interop.registry import DATA_FORMATS
out = os.environ["LEXIQUE_EXPORT_OUT"]
for lang in ("fr", "en", "bilingue"):
    call_command("export_epub", "--lang", lang, "-o", f"{out}/lexique-{lang}.epub")
for name in DATA_FORMATS:
    call_command("export", "--format", name, "-o", f"{out}/lexique.{name}")
for name in ("stardict", "kobo"):
    for variant in ("fr-en", "en-fr"):
        call_command("export", "--format", name, "--lang", variant, "-o", f"{out}/lexique-{name}-{variant}.zip")
"""


@pytest.fixture(autouse=True)
def export_store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None}}


def shared_database_url(tmp_path: Path) -> str:
    """An address of the test's committed data that another process can open: the test database
    itself on PostgreSQL; on SQLite, whose test database lives in this process's memory, a copy."""
    if connection.vendor == "postgresql":
        return "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    path = tmp_path / "copy.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    return f"sqlite:///{path}"


def exports_in_a_process(database_url: str, out: Path, hash_seed: str) -> dict[str, str]:
    out.mkdir()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings", "DATABASE_URL": database_url,
                   "PYTHONHASHSEED": hash_seed, "LEXIQUE_EXPORT_OUT": str(out), "LOG_LEVEL": "WARNING"}
    run = subprocess.run([sys.executable, "manage.py", "shell", "-c", COMMANDS], cwd=ROOT, env=environment,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in FILES}


@pytest.mark.django_db(transaction=True)
def test_every_format_gives_the_same_bytes_in_two_processes_with_different_hash_seeds(tmp_path, settings):
    rich_lexicon()
    database_url = shared_database_url(tmp_path)

    first = exports_in_a_process(database_url, tmp_path / "first", hash_seed="1")
    second = exports_in_a_process(database_url, tmp_path / "second", hash_seed="2")

    assert first == second
    # And in this process (its own random seed), a while later: the clock is never read.
    for name, (format_name, lang) in FILES.items():
        path = tmp_path / name
        EXPORTERS[format_name](ExportOptions(lang=lang)).write(path)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == first[name], name


def body(response) -> bytes:
    """The response's body, its file closed."""
    # Read to the end, the test client closes the file (closing it here would close the database
    # connection too, as at the end of a real request).
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_each_formats_etag_is_the_sha256_of_its_body_and_no_two_formats_share_one(client):
    rich_lexicon()
    responses = {url: client.get(url) for url in
                 ("/export/lexique-fr.epub", "/export/lexique-en.epub", "/export/lexique-bilingue.epub")}
    responses.update({url: APIClient().get(url) for url in
                      [f"/api/v1/export/{name}" for name in ("skos.ttl", "skos.rdf", "skos.jsonld", "terms.tbx",
                                                            "terms-2008.tbx", "terms.csv")]})
    etags = {}
    for url, response in responses.items():
        assert response.status_code == 200, url
        assert response["ETag"] == f'"{hashlib.sha256(body(response)).hexdigest()}"', url
        etags[url] = response["ETag"]
    assert len(set(etags.values())) == len(etags)
    # A copy the reader holds is still current: the same tag, nothing sent again.
    again = APIClient().get("/api/v1/export/skos.rdf", HTTP_IF_NONE_MATCH=etags["/api/v1/export/skos.rdf"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_a_book_is_dated_by_the_last_publication_not_by_the_clock(tmp_path):
    publish_term(headword_fr="balado", headword_en="podcast")
    LexiconState.objects.filter(pk=1).update(changed_at=datetime(2024, 5, 6, 7, 8, 10, tzinfo=UTC))
    path = tmp_path / "book.epub"
    EXPORTERS["epub"](ExportOptions(lang="fr")).write(path)
    with zipfile.ZipFile(path) as book:
        package = book.read("EPUB/content.opf").decode()
        dates = {info.date_time for info in book.infolist()}
    assert '<meta property="dcterms:modified">2024-05-06T07:08:10Z</meta>' in package
    assert "<dc:date>2024-05-06</dc:date>" in package
    assert dates == {(2024, 5, 6, 7, 8, 10)}
