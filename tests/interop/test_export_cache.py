"""Books are built on the first request, stored, served again without work, and rebuilt after a publication;
builds are bounded (per client for custom books, site-wide at once) and locked across processes and hosts."""
import hashlib
import json
import logging
import os
import subprocess
import sys
import textwrap
import threading
import time
from datetime import timedelta

import pytest
import redis
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone

from lexique import services
from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.published import ExportOptions
from lexique.interop.store import (
    EXPORT_SUBDIR,
    BuildsBusy,
    build_lock,
    export_built,
    export_dir,
    get_export,
    variant_name,
)
from lexique.platform import files
from tests.support import ROOT
from tests.support.export_fixtures import book_text, read_book
from tests.support.factories import DomainFactory, UserFactory, publish_term
from tests.support.storage import body as reader_body
from tests.support.storage import stored_names

URL = "/export/lexique-fr.epub"
# A database number of its own, emptied by the tests that use it.
REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/3"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    """The hourly counters of custom builds start at zero in every test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_cache(settings):
    """The site's cache in the real Redis (as in production with CACHE_URL=redis://...), emptied around the test."""
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        server.close()
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (CI runs one)")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    server.flushdb()
    yield server
    server.flushdb()
    server.close()


@pytest.fixture
def builds():
    """Every build, as it is announced (a list the test can count)."""
    made = []

    def record(sender, options, name, **kwargs):
        made.append((options, name.rpartition("/")[2]))

    export_built.connect(record, weak=False)
    yield made
    export_built.disconnect(record)


def download(client, url=URL, **headers):
    response = client.get(url, **headers)
    if response.status_code == 302 and response["Location"].startswith("http://127.0.0.1"):
        return response, reader_body(response)  # a stored file in a bucket: what the bucket gives
    # Reading a streamed body to its end closes the response (and the file) in the test client.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def served(response) -> bool:
    """The stored file was sent: from the site (local storage), or from the bucket it redirects to."""
    return response.status_code == (200 if files.is_local() else 302)


def stored_books():
    return [name for name in stored_names(EXPORT_SUBDIR) if name.endswith(".epub")]


def leftovers():
    """Hidden files of the store and of its lock folder: locks and half-written books."""
    hidden = {name for name in stored_names(EXPORT_SUBDIR) if name.startswith(".")}
    return sorted(hidden | {path.name for path in export_dir().iterdir() if path.name.startswith(".")})


@pytest.mark.django_db
def test_the_first_download_builds_the_book_and_the_next_ones_serve_it(client, builds, file_storage):
    publish_term()
    first, body = download(client)
    assert served(first) and first["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    assert "métadonnées" in book_text(read_book(body))
    _second, again = download(client)
    assert len(builds) == 1 and again == body
    assert len(stored_books()) == 1


@pytest.mark.django_db
def test_a_cached_download_does_no_build_and_few_queries(client, builds, django_assert_max_num_queries):
    publish_term()
    download(client)
    path = export_dir() / builds[0][1]
    mtime = path.stat().st_mtime_ns
    with django_assert_max_num_queries(3):
        response, _body = download(client)
    assert response.status_code == 200
    assert len(builds) == 1 and path.stat().st_mtime_ns == mtime


@pytest.mark.django_db
def test_an_approved_change_is_in_the_next_download_and_not_before(client, builds, file_storage):
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
def test_responses_carry_validators_and_a_matching_if_none_match_gets_304(client, builds, file_storage):
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
    assert served(stale)
    assert len(builds) == 1


@pytest.mark.django_db
def test_a_new_publication_changes_the_etag(client):
    publish_term()
    etag = download(client)[0]["ETag"]
    publish_term(headword_fr="balado")
    response, _body = download(client, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


@pytest.mark.django_db
def test_a_failed_build_shows_an_error_page_keeps_the_last_good_book_and_is_logged(client, monkeypatch, caplog, file_storage):
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
    assert leftovers() == []  # no half-written file left behind

    monkeypatch.undo()
    # The failure is remembered for this state of the lexicon (tests/interop/test_export_failures.py): the next
    # publication tries again.
    assert download(client)[0].status_code == 503
    publish_term(headword_fr="infonuagique")
    response, body = download(client)
    assert served(response) and "balado" in book_text(read_book(body))


@pytest.mark.django_db
def test_the_store_stays_bounded(settings, builds, file_storage):
    settings.LEXIQUE_EXPORT_CACHE_FILES = 2
    publish_term()
    for title in ("Un", "Deux", "Trois"):
        get_export(ExportOptions(title=title)).close()
    assert len(stored_books()) == 2


@pytest.mark.django_db
def test_bad_options_are_refused_before_anything_is_built(client, builds):
    response, body = download(client, URL + "?domaine=inconnu")
    assert response.status_code == 400
    assert "inconnu" in body.decode()
    assert builds == [] and stored_books() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_one_variant_build_it_once(settings, builds):
    settings.LEXIQUE_EXPORT_CONCURRENT_BUILDS = 4  # every request may wait for the one that builds
    publish_term()
    options = ExportOptions(lang="bilingual")
    barrier = threading.Barrier(4)
    results = []

    def fetch():
        try:
            barrier.wait()
            stored = get_export(options)
            stored.close()
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


def custom_url(title, lang="fr"):
    return f"/export/lexique-{lang}.epub?titre={title}"


@pytest.mark.django_db
def test_custom_books_beyond_the_hourly_limit_get_429_with_retry_after_and_nothing_is_built(client, settings, builds):
    settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = 2
    publish_term()
    assert [download(client, custom_url(title))[0].status_code for title in ("Un", "Deux")] == [200, 200]
    refused, body = download(client, custom_url("Trois"))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    page = body.decode()
    assert "Trop de livres personnalisés pour le moment" in page and "Revenez dans" in page
    assert len(builds) == 2 and len(stored_books()) == 2


@pytest.mark.django_db
def test_the_refusal_says_when_to_come_back_in_english_too(client, settings):
    settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = 0
    publish_term()
    refused, body = download(client, "/en" + custom_url("Our guide"))
    minutes = -(-int(refused["Retry-After"]) // 60)
    assert refused.status_code == 429
    assert f"Come back in {minutes} minute" in body.decode()


@pytest.mark.django_db
def test_downloading_a_stored_custom_book_again_is_free(client, settings, builds):
    settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = 1
    publish_term()
    statuses = [download(client, custom_url("Notre guide"))[0].status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 200] and len(builds) == 1
    assert download(client, custom_url("Un autre guide"))[0].status_code == 429


@pytest.mark.django_db
def test_the_limit_counts_the_address_and_the_account_together(client, settings, builds):
    settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = 1
    publish_term()
    assert download(client, custom_url("Un"), REMOTE_ADDR="192.0.2.1")[0].status_code == 200
    assert download(client, custom_url("Deux"), REMOTE_ADDR="192.0.2.1")[0].status_code == 429
    assert download(client, custom_url("Deux"), REMOTE_ADDR="192.0.2.2")[0].status_code == 200
    client.force_login(UserFactory())
    # A spent address stays spent when an account signs in from it...
    assert download(client, custom_url("Trois"), REMOTE_ADDR="192.0.2.1")[0].status_code == 429
    assert download(client, custom_url("Trois"), REMOTE_ADDR="192.0.2.3")[0].status_code == 200
    # ... and a spent account stays spent from another address.
    assert download(client, custom_url("Quatre"), REMOTE_ADDR="192.0.2.4")[0].status_code == 429
    assert len(builds) == 3


@pytest.mark.django_db
def test_an_account_younger_than_a_day_has_a_smaller_allowance(client, settings, builds):
    settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = 3
    settings.LEXIQUE_NEW_ACCOUNT_EXPORTS_PER_HOUR = 1
    publish_term()
    client.force_login(UserFactory())
    assert download(client, custom_url("Un"), REMOTE_ADDR="192.0.2.1")[0].status_code == 200
    assert download(client, custom_url("Deux"), REMOTE_ADDR="192.0.2.2")[0].status_code == 429
    older = UserFactory(date_joined=timezone.now() - timedelta(days=2))
    client.force_login(older)
    for number, title in enumerate(("Trois", "Quatre", "Cinq")):
        assert download(client, custom_url(title), REMOTE_ADDR=f"192.0.2.{number + 3}")[0].status_code == 200


@pytest.mark.django_db
def test_behind_a_trusted_proxy_clients_are_told_apart_by_their_forwarded_address(client, settings):
    settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = 1
    settings.NUM_PROXIES = 1
    publish_term()

    def through_proxy(title, address):
        return download(client, custom_url(title), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address)[0].status_code

    assert [through_proxy("Un", "192.0.2.1"), through_proxy("Deux", "192.0.2.2")] == [200, 200]
    assert through_proxy("Trois", "192.0.2.1") == 429


@pytest.mark.django_db
def test_standard_books_are_not_limited_per_client(client, settings, builds):
    settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = 0
    DomainFactory(slug="diffusion")
    publish_term(domains=["diffusion"])
    urls = [URL, "/export/lexique-en.epub", "/export/lexique-bilingue.epub", URL + "?domaine=diffusion"]
    assert [download(client, url)[0].status_code for url in urls] == [200, 200, 200, 200]
    assert len(builds) == 4


@pytest.mark.django_db
def test_the_standard_books_survive_a_flood_of_custom_ones(settings, file_storage):
    settings.LEXIQUE_EXPORT_CACHE_FILES = 3
    DomainFactory(slug="diffusion")
    publish_term(domains=["diffusion"])
    standard = [ExportOptions(lang=lang) for lang in ("fr", "en", "bilingual")]
    standard.append(ExportOptions(domains=("diffusion",)))
    paths = []
    for options in standard:
        stored = get_export(options)
        stored.close()
        paths.append(stored.name)
    for number in range(12):
        get_export(ExportOptions(title=f"Guide {number}", lang="bilingual")).close()
    assert [files.exists(name) for name in paths] == [True] * 4
    assert len(stored_books()) == 4 + 3  # the standard books, and the three latest custom ones


@pytest.mark.django_db
def test_a_new_edition_of_the_lexicon_replaces_the_books_of_the_last_one(client, builds, file_storage):
    publish_term()
    for url in (URL, "/export/lexique-en.epub", custom_url("Notre guide")):
        download(client, url)
    before = set(stored_books())
    publish_term(headword_fr="balado")
    response, body = download(client, URL)
    assert "balado" in book_text(read_book(body))
    # The French book of the last edition is replaced; the others stay until they are rebuilt, as the
    # fallback served while every build slot is taken.
    assert set(stored_books()) == before - {builds[0][1]} | {builds[-1][1]}
    download(client, "/export/lexique-en.epub")
    assert len(stored_books()) == 3 and builds[1][1] not in stored_books()


@pytest.mark.django_db
def test_no_lock_file_is_left_behind(client, monkeypatch):
    publish_term()
    for url in (URL, "/export/lexique-bilingue.epub", custom_url("Notre guide")):
        assert download(client, url)[0].status_code == 200
    monkeypatch.setattr(EpubExporter, "write", lambda self, path: 1 / 0)
    assert download(client, "/export/lexique-en.epub")[0].status_code == 503
    assert len(stored_books()) == 3
    assert leftovers() == []


@pytest.mark.django_db
def test_when_every_build_slot_is_taken_a_missing_book_is_503_with_retry_after_and_not_built(client, settings, builds):
    settings.LEXIQUE_EXPORT_CONCURRENT_BUILDS = 1
    publish_term()
    download(client)
    slot = build_lock("slot-0")  # another request, busy building a book
    assert slot.acquire(blocking=False)
    try:
        busy, body = download(client, "/export/lexique-en.epub")
        served, _body = download(client)
    finally:
        slot.release()
    assert busy.status_code == 503 and 0 < int(busy["Retry-After"]) <= 10
    assert "Le livre est en préparation" in body.decode()
    assert served.status_code == 200  # stored books are served whatever is being built
    assert len(builds) == 1
    assert download(client, "/export/lexique-en.epub")[0].status_code == 200 and len(builds) == 2


@pytest.mark.django_db
def test_when_every_build_slot_is_taken_the_previous_edition_of_the_book_is_served(client, settings, builds, file_storage):
    settings.LEXIQUE_EXPORT_CONCURRENT_BUILDS = 1
    publish_term()
    first, _body = download(client)
    publish_term(headword_fr="balado")  # the stored book is now one publication behind
    slot = build_lock("slot-0")  # another request, busy building (this very book, say)
    assert slot.acquire(blocking=False)
    try:
        stale, body = download(client)
    finally:
        slot.release()
    assert served(stale) and stale["ETag"] == first["ETag"]
    assert "balado" not in book_text(read_book(body)) and len(builds) == 1
    fresh, body = download(client)
    assert fresh["ETag"] != first["ETag"] and "balado" in book_text(read_book(body))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("slots", [1, 2])
def test_concurrent_builds_never_exceed_the_site_wide_cap(settings, monkeypatch, slots):
    settings.LEXIQUE_EXPORT_CONCURRENT_BUILDS = slots
    publish_term()
    building, most = [], []
    write = EpubExporter.write

    def slow_write(self, path):
        building.append(1)
        most.append(len(building))
        time.sleep(0.3)  # long enough for every other request to arrive meanwhile
        building.pop()
        return write(self, path)

    monkeypatch.setattr(EpubExporter, "write", slow_write)
    variants = [ExportOptions(lang=lang) for lang in ("fr", "en", "bilingual")] + [ExportOptions(title="Guide")]
    barrier = threading.Barrier(len(variants))
    outcomes = []

    def fetch(options):
        try:
            barrier.wait()
            stored = get_export(options)
            stored.close()
            outcomes.append("built")
        except BuildsBusy:
            outcomes.append("busy")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fetch, args=(options,)) for options in variants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert max(most) == slots
    assert sorted(outcomes) == ["built"] * slots + ["busy"] * (len(variants) - slots)
    assert leftovers() == []


@pytest.mark.django_db
def test_with_a_redis_cache_custom_builds_are_counted_in_redis(client, settings, redis_cache, builds):
    settings.LEXIQUE_CUSTOM_EXPORTS_PER_HOUR = 1
    publish_term()
    assert download(client, custom_url("Un"))[0].status_code == 200
    assert any(b"lexique-export-quota" in key for key in redis_cache.keys())
    assert download(client, custom_url("Deux"))[0].status_code == 429
    assert len(builds) == 1


@pytest.mark.django_db
def test_with_a_redis_cache_a_slot_taken_on_another_host_counts(client, settings, redis_cache, builds):
    settings.LEXIQUE_EXPORT_CONCURRENT_BUILDS = 1
    publish_term()
    elsewhere = redis_cache.lock(cache.make_and_validate_key("lexique-export-lock:slot-0"), timeout=30)
    assert elsewhere.acquire(blocking=False)
    try:
        assert download(client)[0].status_code == 503
    finally:
        elsewhere.release()
    assert download(client)[0].status_code == 200
    assert len(builds) == 1 and leftovers() == []


# A web process of another host: asks for the bilingual book once every party is ready, says what it built.
CHILD = textwrap.dedent("""
    import json, os, sys, time
    import django
    django.setup()
    from django.conf import settings
    settings.MEDIA_ROOT = sys.argv[1]
    import redis
    from lexique.interop.published import ExportOptions
    from lexique.interop.store import export_built, get_export
    builds = []
    export_built.connect(lambda name, **kwargs: builds.append(name), weak=False)
    server = redis.Redis.from_url(os.environ["CACHE_URL"])
    server.incr("ready")
    while int(server.get("ready")) < int(sys.argv[2]):
        time.sleep(0.005)
    stored = get_export(ExportOptions(lang="bilingual"))
    stored.close()
    print(json.dumps({"builds": builds, "etag": stored.etag}))
""")
server_database = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="other processes need a database server to share (the SQLite test database lives in memory)",
)


def start_hosts(count, media):
    database = connection.settings_dict
    environment = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings", "CACHE_URL": REDIS_URL, "LOG_LEVEL": "WARNING",
        "LEXIQUE_EXPORT_CONCURRENT_BUILDS": str(count),  # all may wait for one build, none is turned away
        "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**database),
    }
    return [
        subprocess.Popen([sys.executable, "-c", CHILD, str(media), str(count)], cwd=ROOT, env=environment,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(count)
    ]


def outcome(process):
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@server_database
@pytest.mark.django_db(transaction=True)
def test_two_processes_asking_for_the_same_missing_book_at_once_build_it_once(redis_cache, media):
    publish_term()
    first, second = (outcome(process) for process in start_hosts(2, media))
    assert len(first["builds"]) + len(second["builds"]) == 1
    assert first["etag"] == second["etag"]
    assert len(stored_books()) == 1 and leftovers() == []


@server_database
@pytest.mark.django_db(transaction=True)
def test_a_book_another_host_is_building_is_waited_for_through_redis(redis_cache, media):
    publish_term()
    # This host is building the book: it holds the book's lock in Redis...
    key = cache.make_and_validate_key(f"lexique-export-lock:{variant_name(ExportOptions(lang='bilingual'))}")
    lock = redis_cache.lock(key, timeout=30)
    assert lock.acquire(blocking=False)
    try:
        (process,) = start_hosts(1, media)
        while int(redis_cache.get("ready") or 0) < 1:
            time.sleep(0.01)
        time.sleep(1)  # ...long enough for the other one to build it too, were the lock on this disk only
        assert stored_books() == [] and process.poll() is None
    finally:
        lock.release()
    assert len(outcome(process)["builds"]) == 1
    assert len(stored_books()) == 1 and leftovers() == []

