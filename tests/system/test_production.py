"""The site as it runs in production: gunicorn, DEBUG off, collected static files, HTTPS behind a proxy.

Every kind of page and endpoint a visitor, a contributor, a moderator or an API client reaches is
requested from a real server, with its static files. On the suite's PostgreSQL server when
DATABASE_URL names one, on an SQLite file otherwise; on Redis when TEST_REDIS_URL is set.
"""
import hashlib
import json
import re
import threading
import time

import psycopg
import pytest
import requests

from tests.support.production import (
    PUBLIC_URL, Browser, Gunicorn, ThrowawayCluster, maintenance_url, make_database, manage, production_environment,
    redis_url,
    server_database_url,
)

STATIC_REFERENCE = re.compile(r'(?:href|src)="(/static/[^"]+)"')
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.\w+$")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    database = make_database(folder)
    environment = production_environment(database.url, folder)
    try:
        manage(environment, "collectstatic", "--no-input", "-v0")
        manage(environment, "migrate", "--no-input", "-v0")
        manage(environment, "seed_demo", "--i-know-this-is-production")
        server = Gunicorn(environment, folder)
        try:
            yield server
        finally:
            server.stop()
    finally:
        database.drop()


def assert_static_files_served(browser: Browser, page: requests.Response):
    references = STATIC_REFERENCE.findall(page.text)
    assert references, f"{page.url} links no static file"
    for reference in references:
        assert HASHED_NAME.search(reference), f"{reference} is not a collected (hashed) name"
        asset = browser.get(reference)
        assert asset.status_code == 200, f"{reference}: {asset.status_code}"
        assert "max-age=315360000" in asset.headers.get("Cache-Control", ""), reference


def assert_page(browser: Browser, path: str, *, status: int = 200, contains: str = "") -> requests.Response:
    response = browser.get(path)
    assert response.status_code == status, f"{path}: {response.status_code}\n{response.text[:500]}"
    assert response.headers["Content-Type"].startswith("text/html")
    if contains:
        assert contains in response.text, f"{path} lacks {contains!r}"
    assert_static_files_served(browser, response)
    return response


READER_PAGES = [
    ("/", "Lexique"),
    ("/recherche/?q=numerique", "numérique"),
    ("/lettres/", ""),
    ("/lettres/M/", "/termes/metadonnees/"),
    ("/domaines/", ""),
    ("/termes/metadonnees/", "étadonnées"),
    ("/termes/metadonnees/historique/", ""),
    ("/termes/metadonnees/historique/comparer/", ""),
    ("/telechargements/", ""),
    ("/comptes/connexion/", ""),
    ("/comptes/inscription/", ""),
    ("/comptes/mot-de-passe/", ""),
    ("/en/", "Lexique"),
    ("/en/termes/metadonnees/", "Metadata"),
    ("/admin/login/", ""),
]


@pytest.mark.parametrize(("path", "text"), READER_PAGES)
def test_every_page_a_reader_reaches_is_served_with_its_static_files(site, path, text):
    assert_page(Browser(site.base), path, contains=text)


def test_a_domain_page_is_served(site):
    browser = Browser(site.base)
    domains = browser.get("/api/v1/domains/").json()
    assert_page(browser, f"/domaines/{domains[0]['slug']}/")


def test_an_unknown_page_is_the_site_404_page(site):
    response = assert_page(Browser(site.base), "/termes/nulle-part/", status=404)
    assert "Traceback" not in response.text


def test_plain_http_is_sent_to_https(site):
    response = Browser(site.base).get("/", headers={"X-Forwarded-Proto": "http"})
    assert response.status_code == 301
    assert response.headers["Location"] == PUBLIC_URL + "/"


def test_pages_say_to_browsers_that_the_site_is_https_only(site):
    response = Browser(site.base).get("/")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_a_contributor_reaches_every_page_of_their_own(site):
    browser = Browser(site.base)
    browser.sign_in("contributeur", "demo-contribution")
    for path in ("/comptes/profil/", "/mes-contributions/", "/proposer/", "/termes/metadonnees/modifier/"):
        assert_page(browser, path)
    assert all(cookie in browser.cookies for cookie in ("sessionid", "csrftoken"))


def test_a_moderator_reaches_the_queue_a_review_and_the_log(site):
    browser = Browser(site.base)
    browser.sign_in("moderatrice", "demo-moderation")
    queue = assert_page(browser, "/moderation/")
    review = re.search(r'href="(/moderation/propositions/\d+/)"', queue.text)
    assert review, "the demo queue has pending proposals"
    assert_page(browser, review.group(1))
    assert_page(browser, "/moderation/journal/")


def test_an_e_book_is_built_and_downloaded(site):
    response = Browser(site.base).get("/export/lexique-fr.epub")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/epub+zip"
    assert response.content[:2] == b"PK"


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/terms/", "/api/v1/terms/metadonnees/",
                                  "/api/v1/terms/metadonnees/revisions/", "/api/v1/domains/", "/api/v1/changes/"])
def test_the_api_answers_json_with_https_links(site, path):
    response = Browser(site.base).get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"].startswith("application/json")
    own_links = [link for link in re.findall(r'"(https?://[^"]+)"', response.text) if "lexique.test" in link]
    assert all(link.startswith(PUBLIC_URL) for link in own_links), own_links[:5]


def test_the_api_schema_and_its_documentation_are_served(site):
    browser = Browser(site.base)
    schema = browser.get("/api/v1/schema/", headers={"Accept": "application/json"})
    assert schema.status_code == 200 and "openapi" in schema.text
    docs = browser.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert_static_files_served(browser, docs)


def test_an_unknown_api_address_is_a_json_404(site):
    response = Browser(site.base).get("/api/v1/nulle-part/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_health_check_answers_any_host_over_plain_http(site):
    response = requests.get(f"{site.base}/healthz", headers={"Host": "10.0.0.7:8000"}, timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_server_errors_are_logged_as_one_json_line_each(site):
    # A malformed cursor is the client's fault (400); a request the site cannot serve must show up in
    # the log. The proxy sending an undeclared host is refused and logged by django.security.
    Browser(site.base).get("/", headers={"Host": "attaquant.example"})
    lines = [line for line in site.output().splitlines() if line.startswith("{")]
    events = [json.loads(line) for line in lines]
    assert any(event["logger"] == "django.security.DisallowedHost" for event in events), lines[-5:]


@pytest.mark.skipif(not server_database_url(), reason="needs a PostgreSQL server (DATABASE_URL)")
def test_connections_cut_by_the_database_are_replaced_without_an_error(site):
    browser = Browser(site.base)
    assert browser.get("/termes/metadonnees/").status_code == 200
    with psycopg.connect(maintenance_url(), autocommit=True) as connection:
        killed = connection.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname LIKE 'lexique_prod_%%' AND usename = current_user AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    assert killed >= 1  # the workers keep their connections (CONN_MAX_AGE)
    statuses = [browser.get(path).status_code for path in ["/termes/metadonnees/", "/api/v1/terms/?page=2"] * 4]
    assert statuses == [200] * 8


@pytest.mark.skipif(not redis_url(), reason="needs Redis (TEST_REDIS_URL)")
def test_throttles_hold_across_workers_with_a_shared_cache(tmp_path):
    """Two workers, one limit: with Redis the count is shared, not doubled."""
    database = make_database(tmp_path)
    environment = production_environment(
        database.url, tmp_path, API_THROTTLE_ANON="6/minute", CACHE_URL=redis_url(), API_CACHE_SECONDS="0",
    )
    try:
        manage(environment, "migrate", "--no-input", "-v0")
        manage(environment, "shell", "-c", "from django.core.cache import cache; cache.clear()")
        server = Gunicorn(environment, tmp_path, workers=2)
        try:
            # A new connection each time, so that both workers answer.
            statuses = [requests.get(f"{server.base}/api/v1/domains/?n={n}", timeout=10,
                                     headers={"Host": "lexique.test", "X-Forwarded-Proto": "https"}).status_code
                        for n in range(14)]
        finally:
            server.stop()
    finally:
        database.drop()
    assert statuses.count(200) == 6 and statuses.count(429) == 8, statuses


def test_an_unreachable_database_is_a_503_with_retry_after(tmp_path):
    environment = production_environment(
        # Nothing listens there (or, on SQLite, the folder does not exist): every query fails.
        "postgres://lexique:lexique@127.0.0.1:9/lexique" if server_database_url()
        else f"sqlite:///{tmp_path / 'absent' / 'site.sqlite3'}",
        tmp_path,
    )
    manage(environment, "collectstatic", "--no-input", "-v0")
    server = Gunicorn(environment, tmp_path)
    browser = Browser(server.base)
    try:
        page = browser.get("/termes/metadonnees/")
        api = browser.get("/api/v1/terms/")
        health = requests.get(f"{server.base}/healthz", timeout=10)
    finally:
        server.stop()
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "Service momentanément indisponible" in page.text
    assert api.status_code == 503 and api.headers["Retry-After"] == "5"
    assert api.json()["code"] == "unavailable"
    assert health.status_code == 503 and health.json()["database"] != "ok"
    assert "Service Unavailable" in server.output()  # logged, as every server error


@pytest.mark.skipif(not ThrowawayCluster.available(), reason="needs root, Debian's pg_createcluster and PostgreSQL")
def test_a_postgresql_restart_under_requests_is_503_then_service_resumes_by_itself(tmp_path):
    statuses: list[tuple[str, int]] = []
    phase = "before"
    stop = threading.Event()

    def keep_asking(path):
        browser = Browser(server.base)
        while not stop.is_set():
            asked_in = phase  # the phase the request was sent in
            try:
                statuses.append((asked_in, browser.get(path).status_code))
            except requests.RequestException:
                statuses.append((asked_in, 0))
            time.sleep(0.05)

    def answers(name):
        return [status for seen, status in list(statuses) if seen == name]

    def wait_until(condition, what, seconds=30):
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"still waiting for {what} after {seconds} s: {statuses[-20:]}"
            time.sleep(0.05)

    cluster = ThrowawayCluster()
    with cluster as database_url:
        # Three clients asking without pause from one address: no throttle in the way of what is measured.
        environment = production_environment(database_url, tmp_path, API_THROTTLE_ANON="100000/minute")
        manage(environment, "collectstatic", "--no-input", "-v0")
        manage(environment, "migrate", "--no-input", "-v0")
        manage(environment, "seed_demo", "--i-know-this-is-production")
        server = Gunicorn(environment, tmp_path, workers=2)
        clients = [threading.Thread(target=keep_asking, args=(path,))
                   for path in ("/termes/metadonnees/", "/api/v1/terms/?page=2", "/recherche/?q=donnees")]
        try:
            # Each phase lasts until the clients have seen what it is about, not a fixed time.
            for client in clients:
                client.start()
            wait_until(lambda: len(answers("before")) >= 9, "answers before the restart")
            phase = "down"
            cluster.stop()
            wait_until(lambda: answers("down").count(503) >= 3, "503s while the database is down")
            cluster.start()
            phase = "recovering"
            # The site finds its database again by itself, without a restart of gunicorn: both workers
            # answer again, until the last answers are all 200.
            wait_until(lambda: answers("recovering")[-9:] == [200] * 9, "the site to answer again", seconds=60)
            phase = "after"
            wait_until(lambda: len(answers("after")) >= 9, "answers after the restart")
        finally:
            stop.set()
            for client in clients:
                client.join(timeout=30)
            server.stop()
    by_phase = {name: [status for seen, status in statuses if seen == name]
                for name in ("before", "down", "recovering", "after")}
    assert by_phase["before"] and set(by_phase["before"]) == {200}
    assert 503 in by_phase["down"] and set(by_phase["down"]) <= {200, 503}  # never a 500, never no answer
    assert set(by_phase["recovering"]) <= {200, 503}
    assert by_phase["after"] and set(by_phase["after"]) == {200}


def test_a_moderator_previews_then_imports_the_file_kept_by_the_site(site):
    browser = Browser(site.base)
    browser.sign_in("moderatrice", "demo-moderation")
    page = assert_page(browser, "/moderation/import/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    headers = {"Referer": PUBLIC_URL + "/moderation/import/", "Origin": PUBLIC_URL}
    data = "headword_fr,definition_fr\r\nmédiation de production,Texte d'essai du serveur.\r\n".encode()
    preview = browser.request("POST", "/moderation/import/", headers=headers,
                              data={"csrfmiddlewaretoken": token, "mode": "proposals", "apercu": "1"},
                              files={"fichier": ("essai.csv", data, "text/csv")})
    assert preview.status_code == 200, preview.text[:500]
    digest = re.search(r'name="empreinte" value="([0-9a-f]{64})"', preview.text).group(1)
    done = browser.request("POST", "/moderation/import/", headers=headers, data={
        "csrfmiddlewaretoken": token, "empreinte": digest, "format": "csv", "nom": "essai.csv",
        "mode": "proposals", "importer": "1"})
    assert done.status_code == 200 and "Import terminé" in done.text, done.text[:500]


def test_a_retired_term_answers_410_with_its_reason_on_the_page_and_in_the_api(site):
    manage(site.environment, "shell", "-c",
           "from django.contrib.auth import get_user_model; from lexique import services; "
           "from lexique.models import Term; "
           "services.retire(Term.objects.get(slug='fablab'), by=get_user_model().objects.get(username='moderatrice'), "
           "reason='Doublon de laboratoire de fabrication.')")
    browser = Browser(site.base)
    assert_page(browser, "/termes/fablab/", status=410, contains="Doublon de laboratoire de fabrication.")
    api = browser.get("/api/v1/terms/fablab/")
    assert api.status_code == 410 and api.json()["reason"] == "Doublon de laboratoire de fabrication."


def test_an_edition_lists_the_digests_of_its_files_and_serves_them(site):
    manage(site.environment, "publish_edition", "2026.1", "--by", "moderatrice")
    browser = Browser(site.base)
    book = browser.get("/editions/2026.1/lexique-termes.csv")
    assert book.status_code == 200 and "immutable" in book.headers["Cache-Control"]
    sums = browser.get("/editions/2026.1/SHA256SUMS")
    assert sums.status_code == 200
    assert f"{hashlib.sha256(book.content).hexdigest()}  lexique-termes.csv" in sums.text
    assert book.headers["ETag"].strip('"') == hashlib.sha256(book.content).hexdigest()
    assert_page(browser, "/editions/2026.1/", contains=hashlib.sha256(book.content).hexdigest())
