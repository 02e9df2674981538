"""Books are built on the first request, stored, served again without work, and rebuilt after a publication."""
import logging
import threading

import pytest
from django.db import connections

from lexique import services
from lexique.exports import EpubExporter, ExportOptions
from lexique.exports.cache import export_built, export_dir, get_export

from .export_fixtures import book_text, read_book
from .factories import UserFactory, publish_term

URL = "/export/lexique-fr.epub"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def builds():
    """Every build, as it is announced (a list the test can count)."""
    made = []

    def record(sender, options, path, **kwargs):
        made.append((options, path))

    export_built.connect(record, weak=False)
    yield made
    export_built.disconnect(record)


def download(client, url=URL, **headers):
    response = client.get(url, **headers)
    # Reading a streamed body to its end closes the response (and the file) in the test client.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def stored_books():
    return sorted(path.name for path in export_dir().glob("*.epub"))


@pytest.mark.django_db
def test_the_first_download_builds_the_book_and_the_next_ones_serve_it(client, builds):
    publish_term()
    first, body = download(client)
    assert first.status_code == 200 and first["Content-Type"] == "application/epub+zip"
    assert "métadonnées" in book_text(read_book(body))
    _second, again = download(client)
    assert len(builds) == 1 and again == body
    assert len(stored_books()) == 1


@pytest.mark.django_db
def test_a_cached_download_does_no_build_and_few_queries(client, builds, django_assert_max_num_queries):
    publish_term()
    download(client)
    path = builds[0][1]
    mtime = path.stat().st_mtime_ns
    with django_assert_max_num_queries(3):
        response, _body = download(client)
    assert response.status_code == 200
    assert len(builds) == 1 and path.stat().st_mtime_ns == mtime


@pytest.mark.django_db
def test_an_approved_change_is_in_the_next_download_and_not_before(client, builds):
    moderator = UserFactory(moderator=True)
    term = publish_term(moderator=moderator)
    base = term.current_revision
    proposal = services.propose_edit(term=term, author=UserFactory(), base_revision=base,
                                     content={**base.content(), "definition_fr": "Une définition révisée."})
    before = book_text(read_book(download(client)[1]))
    assert "Données qui décrivent une œuvre." in before and "révisée" not in before

    services.approve(proposal, by=moderator)
    after = book_text(read_book(download(client)[1]))
    assert "Une définition révisée." in after and "Données qui décrivent" not in after
    assert len(builds) == 2 and len(stored_books()) == 1  # the earlier edition was replaced


@pytest.mark.django_db
def test_a_retired_term_leaves_the_next_download(client, moderator):
    term = publish_term(moderator=moderator, headword_fr="balado")
    assert "balado" in book_text(read_book(download(client)[1]))
    services.retire(term, by=moderator, reason="Doublon.")
    assert "balado" not in book_text(read_book(download(client)[1]))


@pytest.mark.django_db
def test_responses_carry_validators_and_a_matching_if_none_match_gets_304(client, builds):
    publish_term()
    response, _body = download(client)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    assert "no-cache" in response["Cache-Control"]

    not_modified, body = download(client, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and body == b""
    assert not_modified["ETag"] == etag
    since, _body = download(client, HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    stale, _body = download(client, HTTP_IF_NONE_MATCH='"an-older-edition"')
    assert stale.status_code == 200
    assert len(builds) == 1


@pytest.mark.django_db
def test_a_new_publication_changes_the_etag(client):
    publish_term()
    etag = download(client)[0]["ETag"]
    publish_term(headword_fr="balado")
    response, _body = download(client, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


@pytest.mark.django_db
def test_a_failed_build_shows_an_error_page_keeps_the_last_good_book_and_is_logged(client, monkeypatch, caplog):
    publish_term()
    download(client)
    kept = stored_books()
    publish_term(headword_fr="balado")

    def broken(self, path):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(EpubExporter, "write", broken)
    with caplog.at_level(logging.ERROR, logger="lexique.exports"):
        failed, body = download(client)
    assert failed.status_code == 503 and failed["Retry-After"]
    assert "Le livre n'a pas pu être préparé" in body.decode()
    assert stored_books() == kept
    assert any(record.exc_info and "disk on fire" in str(record.exc_info[1]) for record in caplog.records)
    assert not list(export_dir().glob(".build-*"))  # no half-written file left behind

    monkeypatch.undo()
    response, body = download(client)
    assert response.status_code == 200 and "balado" in book_text(read_book(body))


@pytest.mark.django_db
def test_the_store_stays_bounded(settings, builds):
    settings.LEXIQUE_EXPORT_CACHE_FILES = 2
    publish_term()
    for title in ("Un", "Deux", "Trois"):
        get_export(ExportOptions(title=title)).file.close()
    assert len(stored_books()) == 2


@pytest.mark.django_db
def test_bad_options_are_refused_before_anything_is_built(client, builds):
    response, body = download(client, URL + "?domaine=inconnu")
    assert response.status_code == 400
    assert "inconnu" in body.decode()
    assert builds == [] and stored_books() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_one_variant_build_it_once(builds):
    publish_term()
    options = ExportOptions(lang="bilingual")
    barrier = threading.Barrier(4)
    results = []

    def fetch():
        try:
            barrier.wait()
            stored = get_export(options)
            stored.file.close()
            results.append(stored.etag)
        except Exception as error:  # noqa: BLE001 (the assertion below shows it)
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 4 and len(set(results)) == 1, results
    assert len(builds) == 1


@pytest.mark.django_db
def test_an_unusable_store_is_an_error_page_not_a_crash(client, settings, tmp_path):
    publish_term()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store should be")
    settings.MEDIA_ROOT = blocker
    response, body = download(client)
    assert response.status_code == 503
    assert "Le livre n'a pas pu être préparé" in body.decode()
