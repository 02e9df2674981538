"""The files of an edition: their SHA-256 recorded when first built, listed on the edition's page and in
SHA256SUMS; a file built again is served only if it gives those very bytes back."""
import hashlib
import logging

import pytest
from django.db import connection
from rest_framework.test import APIClient

from lexique.models import EditionEntry, EditionFile
from lexique.editions.services import publish_edition
from lexique.platform import files
from tests.support.exports_data import rich_lexicon
from tests.support.factories import UserFactory
from tests.support.storage import body, stored_names

EDITION_FILES = ["lexique-fr.epub", "lexique-en.epub", "lexique-bilingue.epub", "lexique-skos.ttl",
                 "lexique-skos.rdf", "lexique-skos.jsonld", "lexique-termes.tbx", "lexique-termes.csv"]


class EditionStore:
    """The files of edition 2026.1 where the site keeps them (local files or a bucket)."""

    directory = "exports/editions/2026.1"

    def names(self) -> list[str]:
        return stored_names(self.directory)

    def delete(self, name: str) -> None:
        files.delete(f"{self.directory}/{name}")

    def exists(self, name: str) -> bool:
        return files.exists(f"{self.directory}/{name}")

    def read(self, name: str) -> bytes | None:
        return files.read_bytes(f"{self.directory}/{name}")

    def write(self, name: str, data: bytes) -> None:
        files.put_bytes(f"{self.directory}/{name}", data)


@pytest.fixture(autouse=True)
def export_store(settings, file_storage):
    """The edition's files, on local storage and then in a bucket of a real S3 API."""
    settings.SITE_URL = "https://lexique.test"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None}}
    return EditionStore()


@pytest.fixture
def edition(db):
    rich_lexicon()
    return publish_edition(number="2026.1", note="Première édition.", by=UserFactory(moderator=True))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_each_file_records_its_digest_when_first_built_and_sha256sums_lists_those_built(client, edition):
    assert client.get("/editions/2026.1/SHA256SUMS").content == b""
    rdf = client.get("/editions/2026.1/lexique-skos.rdf")
    rdf_bytes = body(rdf)
    sums = client.get("/editions/2026.1/SHA256SUMS")
    assert sums["Content-Type"] == "text/plain; charset=utf-8"
    assert sums.content.decode() == f"{sha256(rdf_bytes)}  lexique-skos.rdf\n"

    first = {name: body(client.get(f"/editions/2026.1/{name}")) for name in EDITION_FILES}
    recorded = dict(EditionFile.objects.filter(edition=edition).values_list("name", "sha256"))
    assert recorded == {name: sha256(data) for name, data in first.items()}
    lines = client.get("/editions/2026.1/SHA256SUMS").content.decode().splitlines()
    assert sorted(lines) == sorted(f"{digest}  {name}" for name, digest in recorded.items())
    page = client.get("/editions/2026.1/").content.decode()
    assert all(digest in page for digest in recorded.values())
    assert "/editions/2026.1/SHA256SUMS" in page


def test_files_built_again_after_their_stored_copies_are_lost_match_the_recorded_digests(client, edition,
                                                                                          export_store):
    for name in EDITION_FILES:
        body(client.get(f"/editions/2026.1/{name}"))
    recorded = dict(EditionFile.objects.filter(edition=edition).values_list("name", "sha256"))
    for name in export_store.names():
        export_store.delete(name)

    for name in EDITION_FILES:
        response = client.get(f"/editions/2026.1/{name}")
        assert sha256(body(response)) == recorded[name], name
        assert response["ETag"] == f'"{recorded[name]}"'
    assert EditionFile.objects.filter(edition=edition).count() == len(EDITION_FILES)


def test_the_etag_of_an_edition_file_is_its_digest_and_no_two_files_share_one(client, edition):
    etags = {}
    for name in EDITION_FILES:
        response = client.get(f"/editions/2026.1/{name}")
        assert response["ETag"] == f'"{sha256(body(response))}"', name
        etags[name] = response["ETag"]
    assert len(set(etags.values())) == len(EDITION_FILES)
    api = APIClient().get("/api/v1/export/skos.jsonld?edition=2026.1")
    assert api["ETag"] == etags["lexique-skos.jsonld"]
    body(api)


def test_a_file_built_again_into_other_bytes_is_refused_logged_and_never_served(client, edition, export_store,
                                                                               caplog):
    first = body(client.get("/editions/2026.1/lexique-skos.rdf"))
    recorded = EditionFile.objects.get(edition=edition, name="lexique-skos.rdf")
    # What the build reads changed behind the site's back (the site never updates a revision).
    revision_id = EditionEntry.objects.filter(edition=edition, slug="metadonnees").values_list("revision_id",
                                                                                               flat=True).get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE lexique_revision SET definition_fr = %s WHERE id = %s",
                       ["Texte changé en douce.", revision_id])
    export_store.delete("lexique-skos.rdf")

    with caplog.at_level(logging.INFO, logger="lexique.exports"):
        response = client.get("/editions/2026.1/lexique-skos.rdf")
        again = client.get("/editions/2026.1/lexique-skos.rdf")
        api = APIClient().get("/api/v1/export/skos.rdf?edition=2026.1")

    assert response.status_code == again.status_code == api.status_code == 500
    assert "changé en douce" not in response.content.decode() and response["Cache-Control"] == "no-store"
    assert "mêmes octets" in response.content.decode()
    assert api.json()["code"] == "mismatch"
    assert not export_store.exists("lexique-skos.rdf")
    refusals = [record for record in caplog.records if record.levelno >= logging.ERROR
                and record.name == "lexique.exports"]
    assert len(refusals) == 1 and recorded.sha256 in refusals[0].getMessage()  # built and refused once
    assert EditionFile.objects.get(pk=recorded.pk).sha256 == sha256(first)  # the record stays as it was


def test_a_stored_file_altered_on_disk_is_not_served_and_is_built_again_from_the_edition(client, edition,
                                                                                         export_store, caplog):
    first = body(client.get("/editions/2026.1/lexique-termes.csv"))
    export_store.write("lexique-termes.csv", first + b"une ligne de trop\r\n")

    with caplog.at_level(logging.ERROR, logger="lexique.exports"):
        response = client.get("/editions/2026.1/lexique-termes.csv")

    assert body(response) == first
    assert any("moved aside" in record.getMessage() for record in caplog.records)
    assert export_store.read("lexique-termes.csv") == first
    assert any(name.startswith(".altered-") for name in export_store.names())  # kept aside for a person to see


def test_a_recorded_digest_no_build_gives_back_refuses_the_file(client, edition, export_store):
    body(client.get("/editions/2026.1/lexique-skos.ttl"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE lexique_editionfile SET sha256 = %s WHERE name = %s", ["0" * 64, "lexique-skos.ttl"])

    response = client.get("/editions/2026.1/lexique-skos.ttl")

    assert response.status_code == 500 and b"@prefix" not in response.content
    assert not export_store.exists("lexique-skos.ttl")


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="a child process needs a database server to share (SQLite's test database is in memory)")
@pytest.mark.django_db(transaction=True)
def test_a_file_built_again_in_another_process_with_another_hash_seed_gives_the_recorded_bytes(
        client, settings, export_store, monkeypatch):
    rich_lexicon()
    publish_edition(number="2026.1", by=UserFactory(moderator=True))
    settings.LEXIQUE_EXPORT_ISOLATED_BUILDS = True
    names = ["lexique-skos.rdf", "lexique-skos.jsonld", "lexique-bilingue.epub"]
    monkeypatch.setenv("PYTHONHASHSEED", "1")
    first = {name: sha256(body(client.get(f"/editions/2026.1/{name}"))) for name in names}
    for name in export_store.names():
        export_store.delete(name)

    monkeypatch.setenv("PYTHONHASHSEED", "2")
    for name in names:
        response = client.get(f"/editions/2026.1/{name}")
        assert sha256(body(response)) == first[name], name


def test_the_edition_page_says_what_each_file_is_not_only_its_name(client, edition):
    page = client.get("/editions/2026.1/").content.decode()
    assert "Livre numérique EPUB, bilingue</a>" in page and "<code>lexique-bilingue.epub</code>" in page
    assert "TBX-Basic (ISO 30042)" in page
    english = client.get("/en/editions/2026.1/").content.decode()
    assert "EPUB e-book, bilingual</a>" in english
