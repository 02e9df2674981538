"""A failed build fails once: remembered for its file and state of the lexicon, answered at once
afterwards without building nor taking a build slot, tried again after a publication."""
import logging

import pytest
from rest_framework.test import APIClient

from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.store import build_lock
from lexique.interop.exporters.skos import SkosTurtleExporter
from tests.support.factories import publish_term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def export_store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEXIQUE_EXPORT_CONCURRENT_BUILDS = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None}}


@pytest.fixture
def failing_turtle(monkeypatch):
    """The Turtle writer refuses the lexicon (as rdflib does an address it cannot write); each try counted."""
    tries = []

    def serialize(self, records):
        tries.append(records.version)
        raise ValueError("this address cannot be written in Turtle")

    monkeypatch.setattr(SkosTurtleExporter, "serialize", serialize)
    return tries


def status(response) -> int:
    """The response's status, its file (if any) read to the end, which closes it."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def errors_logged(caplog) -> list[logging.LogRecord]:
    """Errors the site logged (Django's own line for each 5xx answer left out)."""
    return [record for record in caplog.records
            if record.levelno >= logging.ERROR and record.name.startswith("lexique")]


def test_a_failed_build_is_answered_at_once_afterwards_without_building_again(failing_turtle, caplog):
    publish_term(headword_fr="balado", headword_en="podcast")
    api = APIClient()
    with caplog.at_level(logging.INFO, logger="lexique.exports"):
        first = api.get("/api/v1/export/skos.ttl")
        second = api.get("/api/v1/export/skos.ttl")
        third = api.get("/api/v1/export/skos.ttl")

    assert first.status_code == second.status_code == third.status_code == 503
    assert len(failing_turtle) == 1
    assert second.json()["code"] == "build_failed" and "prochaine publication" in second.json()["detail"]
    assert 0 < int(second["Retry-After"]) <= 3600
    assert len(errors_logged(caplog)) == 1  # the cause, once
    assert "cannot be written in Turtle" in str(errors_logged(caplog)[0].exc_info[1])


def test_a_remembered_failure_takes_no_build_slot_and_other_formats_are_served(failing_turtle):
    publish_term(headword_fr="balado", headword_en="podcast")
    api = APIClient()
    assert api.get("/api/v1/export/skos.ttl").status_code == 503

    assert status(api.get("/api/v1/export/skos.rdf")) == 200
    assert status(api.get("/api/v1/export/terms.csv")) == 200
    slot = build_lock("slot-0")  # the site's only build slot, held by someone else
    assert slot.acquire(blocking=False)
    try:
        answer = api.get("/api/v1/export/skos.ttl")
    finally:
        slot.release()
    assert answer.json()["code"] == "build_failed"  # not "busy": no slot was asked for
    assert len(failing_turtle) == 1


def test_after_a_publication_the_failed_build_is_tried_again(failing_turtle, monkeypatch):
    publish_term(headword_fr="balado", headword_en="podcast")
    api = APIClient()
    assert api.get("/api/v1/export/skos.ttl").status_code == 503
    assert api.get("/api/v1/export/skos.ttl").status_code == 503
    assert len(failing_turtle) == 1
    publish_term(headword_fr="infonuagique", headword_en="cloud computing")

    assert api.get("/api/v1/export/skos.ttl").status_code == 503
    assert len(failing_turtle) == 2
    monkeypatch.undo()  # the writer mended (in a real site: the next publication no longer trips it)
    publish_term(headword_fr="métadonnées", headword_en="metadata")
    response = api.get("/api/v1/export/skos.ttl")
    assert response.status_code == 200 and b"infonuagique" in b"".join(response.streaming_content)


def test_a_book_that_failed_says_so_at_once_while_the_other_books_are_served(client, monkeypatch, caplog):
    publish_term(headword_fr="balado", headword_en="podcast")
    tries = []
    write = EpubExporter.write

    def failing_in_french(self, path):
        if self.options.lang == "fr":
            tries.append(path)
            raise RuntimeError("the French book cannot be made")
        return write(self, path)

    monkeypatch.setattr(EpubExporter, "write", failing_in_french)
    with caplog.at_level(logging.INFO, logger="lexique.exports"):
        first = client.get("/export/lexique-fr.epub")
        again = client.get("/export/lexique-fr.epub")
        english = client.get("/export/lexique-en.epub")

    assert first.status_code == again.status_code == 503
    assert "après la prochaine publication" in again.content.decode()
    assert int(again["Retry-After"]) > 0
    assert len(tries) == 1 and len(errors_logged(caplog)) == 1
    assert status(english) == 200
