"""Books built in a child process: the worker's memory is left alone, the store's rules are kept."""
import logging

import pytest
from django.db import connection

from lexique.interop.exporters.epub import EpubExporter

from lexique.interop.published import ExportOptions
from lexique.interop.store import ExportFailed, export_built, get_export
from lexique.interop.isolated import ChildBuildFailed, build_in_child
from tests.support.export_fixtures import book_text, read_book
from tests.support.factories import publish_term

# The child reads what the test wrote, so the data is committed: a database server both can reach.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="a child process needs a database server to share (the SQLite test database lives in memory)"),
]


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.LEXIQUE_EXPORT_ISOLATED_BUILDS = True
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_book_is_built_in_another_process_and_served_as_usual(monkeypatch):
    publish_term(headword_fr="balado", headword_en="podcast")

    def not_here(self, path):
        raise AssertionError("built in the worker")

    monkeypatch.setattr(EpubExporter, "write", not_here)  # the child has its own, untouched
    built = []
    export_built.connect(lambda **kwargs: built.append(kwargs["version"]), weak=False, dispatch_uid="isolated-test")
    try:
        stored = get_export(ExportOptions(lang="fr", organisation="Cie"))
        data = stored.read()
    finally:
        export_built.disconnect(dispatch_uid="isolated-test")
    assert "balado" in book_text(read_book(data)) and len(built) == 1


def test_a_failure_in_the_child_is_an_export_failure_with_its_cause_logged(settings, caplog):
    publish_term()
    settings.SITE_URL = "https://lexique.example.org"
    with pytest.raises(ChildBuildFailed, match="No stored logo"):
        build_in_child(EpubExporter, ExportOptions(logo="0" * 32), settings.MEDIA_ROOT / "x.epub", timeout=60)
    with caplog.at_level(logging.ERROR, logger="lexique.exports"), pytest.raises(ExportFailed):
        get_export(ExportOptions(logo="0" * 32))
    assert any("No stored logo" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)


def test_a_child_that_takes_too_long_is_stopped(settings):
    publish_term()
    with pytest.raises(ChildBuildFailed, match="more than 0 s"):
        build_in_child(EpubExporter, ExportOptions(), settings.MEDIA_ROOT / "x.epub", timeout=0.01)
