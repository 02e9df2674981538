"""Long work through a real task queue: gunicorn with DEBUG off, a Celery worker in its own process, Redis
as the broker. Every file here goes through the broker: asked over HTTP, built by the worker, read back.

Skipped without Redis (TEST_BROKER_URL, else TEST_REDIS_URL); LEXIQUE_TOOLS_REQUIRED turns the skip into
a failure. On the suite's PostgreSQL server when DATABASE_URL names one, on an SQLite file otherwise.
"""
import re
import threading
import uuid
from pathlib import Path

import pytest

from tests.support.production import Browser, Gunicorn, make_database, manage, production_environment
from tests.support.queue import (
    TASK_PAGE,
    Worker,
    broker_url,
    finished_task,
    import_through_the_queue,
    publish_through_the_form,
    queue_environment,
    wait_until,
)

pytestmark = pytest.mark.skipif(not broker_url(), reason="needs Redis (TEST_BROKER_URL or TEST_REDIS_URL)")

class Site:
    def __init__(self, environment, server, worker):
        self.environment = environment
        self.server = server
        self.worker = worker
        self.base = server.base


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("queue")
    database = make_database(folder)
    # E-mails are written by the worker as files, one per message.
    environment = production_environment(database.url, folder, **queue_environment(),
                                         EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                                         EMAIL_FILE_PATH=str(folder / "mail"))
    try:
        manage(environment, "collectstatic", "--no-input", "-v0")
        manage(environment, "migrate", "--no-input", "-v0")
        manage(environment, "seed_demo", "--i-know-this-is-production")
        worker = Worker(environment, folder)
        try:
            server = Gunicorn(environment, folder)
            try:
                yield Site(environment, server, worker)
            finally:
                server.stop()
        finally:
            worker.stop()
    finally:
        database.drop()


def test_a_book_never_built_is_built_by_the_worker_behind_a_progress_page_then_downloaded(site):
    browser = Browser(site.base)
    asked = "/export/lexique-en.epub?domaine=creation"
    page = browser.get(asked)
    assert page.status_code == 202, page.text[:500]
    assert 'role="progressbar"' in page.text and 'aria-live="polite"' in page.text
    # Without script the page refreshes itself to the task's own page.
    task_page = TASK_PAGE.search(page.text).group(1)
    done = wait_until(lambda: (response := browser.get(task_page)).status_code == 200
                      and "Télécharger le fichier" in response.text and response, "the book built")
    link = re.search(r'<a class="task-file" href="([^"]+)"', done.text).group(1).replace("&amp;", "&")
    assert link == asked
    book = browser.get(link)
    assert book.status_code == 200 and book.headers["Content-Type"] == "application/epub+zip"
    assert book.content[:2] == b"PK"


def test_the_api_answers_202_with_a_status_address_then_serves_the_file(site):
    browser = Browser(site.base)
    accepted = browser.get("/api/v1/export/skos.ttl?domain=production")
    assert accepted.status_code == 202, accepted.text[:500]
    status_url = accepted.headers["Location"]
    assert re.fullmatch(r"https://lexique\.test/api/v1/tasks/export-[0-9a-f]{40}/", status_url)
    assert accepted.json()["state"] in ("queued", "running", "done")
    status = finished_task(browser, status_url)
    assert status["state"] == "done" and status["percent"] == 100
    data = browser.get(status["location"])
    assert data.status_code == 200 and data.headers["Content-Type"].startswith("text/turtle")
    assert b"skos:Concept" in data.content
    # Stored now: served at once, without a task.
    assert browser.get("/api/v1/export/skos.ttl?domain=production").status_code == 200


def test_an_unknown_task_is_a_404(site):
    browser = Browser(site.base)
    assert browser.get("/api/v1/tasks/export-" + "0" * 40 + "/").status_code == 404
    assert browser.get("/taches/export-" + "0" * 40 + "/").status_code == 404


def test_the_same_build_asked_twice_at_once_runs_once(site):
    browser = Browser(site.base)
    asked = "/api/v1/export/terms.tbx?domain=distribution"
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(Browser(site.base).get(asked))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [202, 202]
    (status_url,) = {answer.headers["Location"] for answer in answers}
    assert finished_task(browser, status_url)["state"] == "done"
    identifier = status_url.rstrip("/").rsplit("/", 1)[1]
    log = site.worker.output()
    assert log.count(f"[{identifier}] received") == 1, log[-3000:]
    assert len(re.findall(r"Export lexique-tbx-\S+ built in", log)) == 1, log[-3000:]


def test_a_failing_build_is_retried_then_reported_once_with_its_cause(site, tmp_path):
    # A worker whose store cannot be written (a file where its folder should be), on a queue of its own.
    (tmp_path / "media").write_text("not a folder")
    environment = {**site.environment, **queue_environment(), "MEDIA_ROOT": str(tmp_path / "media" / "x")}
    worker = Worker(environment, tmp_path, concurrency=1, name="failing")
    server = Gunicorn({**environment, "MEDIA_ROOT": site.environment["MEDIA_ROOT"]}, tmp_path)
    try:
        browser = Browser(server.base)
        accepted = browser.get("/api/v1/export/terms.csv?domain=conservation")
        assert accepted.status_code == 202, accepted.text[:500]
        status = finished_task(browser, accepted.headers["Location"])
        assert status["state"] == "failed" and "Not a directory" in status["detail"]
        log = worker.output()
        assert log.count("retry: Retry in") == 2, log[-3000:]
        failures = [line for line in log.splitlines() if '"level": "ERROR"' in line]
        assert len(failures) == 1, log[-3000:]
        assert "failed after 2 retries" in failures[0] and "Not a directory" in failures[0]
        # Reported once; the next request asks again.
        again = browser.get("/api/v1/export/terms.csv?domain=conservation")
        assert again.status_code == 503 and again.json()["code"] == "unavailable"
        assert browser.get("/api/v1/export/terms.csv?domain=conservation").status_code == 202
    finally:
        server.stop()
        worker.stop()


def test_an_import_is_read_and_written_by_the_worker_its_progress_on_the_import_page(site):
    browser = Browser(site.base)
    browser.sign_in("moderatrice", "demo-moderation")
    rows = [(f"médiation de file {number}", f"Définition numéro {number}.") for number in range(40)]
    preview, done = import_through_the_queue(browser, rows)
    assert "Aperçu" in preview.text and "40 nouveaux termes" in preview.text, preview.text[:2000]
    # The worker says how it read the columns, for the moderator to change.
    assert 'name="colonne-1"' in preview.text and "Lecture des colonnes" in preview.text
    assert "Import terminé" in done.text, done.text[:2000]
    # Someone else cannot read the moderator's import.
    location = done.url.replace(site.base, "")
    assert Browser(site.base).get(location).status_code in (302, 403, 404)


def test_a_password_reset_e_mail_is_sent_by_the_worker(site):
    browser = Browser(site.base)
    # An address of its own, and this client's hourly count of resets cleared: the cache is a shared Redis.
    email = f"reset-{uuid.uuid4().hex[:8]}@example.org"
    manage(site.environment, "shell", "-c",
           "from django.contrib.auth import get_user_model; from django.core.cache import cache; "
           f"get_user_model().objects.create_user('{email.split('@')[0]}', '{email}', 'Une-phrase-longue-42'); "
           "cache.delete('password-reset:client:127.0.0.1')")
    answer = browser.post_form("/comptes/mot-de-passe/", {"email": email})
    assert answer.status_code == 302, re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', answer.text)
    mails = Path(site.environment["EMAIL_FILE_PATH"])
    sent = wait_until(lambda: [path.read_text() for path in mails.glob("*.log")], "the e-mail sent")
    assert "/comptes/mot-de-passe/" in sent[0] and email in sent[0]
    # The link is a secret: the worker's log never holds it.
    assert "/comptes/mot-de-passe/" not in site.worker.output()


def test_an_edition_s_file_is_built_once_by_the_worker_then_served_for_ever(site):
    manage(site.environment, "publish_edition", "2026.9", "--by", "moderatrice")
    browser = Browser(site.base)
    page = browser.get("/editions/2026.9/lexique-bilingue.epub")
    assert page.status_code == 202 and 'role="progressbar"' in page.text, page.text[:500]
    task_page = TASK_PAGE.search(page.text).group(1)
    wait_until(lambda: "Télécharger le fichier" in browser.get(task_page).text, "the edition's book built")
    book = browser.get("/editions/2026.9/lexique-bilingue.epub")
    assert book.status_code == 200 and "immutable" in book.headers["Cache-Control"] and book.content[:2] == b"PK"
    accepted = browser.get("/api/v1/export/terms.csv?edition=2026.9")
    assert accepted.status_code == 202, accepted.text[:500]
    status = finished_task(browser, accepted.headers["Location"])
    assert status["state"] == "done"
    assert browser.get(status["location"]).status_code == 200


def test_edition_comparisons_are_prepared_by_the_worker_consecutive_ones_at_publication(site, tmp_path):
    done = re.compile(r"Task lexique\.compare_editions\[[^\]]+\] succeeded")
    earlier = len(done.findall(site.worker.output()))  # the comparisons of editions published by other tests
    for number in ("2027.1", "2027.2", "2027.3"):
        # Between two editions, a definition changes and a term is added.
        edits = tmp_path / f"{number}.csv"
        edits.write_text(f"headword_fr,definition_fr\r\nmétadonnées,Données qui décrivent une ressource ({number}).\r\n"
                         f"terme de l'édition {number},Ajouté pour l'édition {number}.\r\n", encoding="utf-8")
        manage(site.environment, "import_terms", str(edits), "--user", "moderatrice", "--approve")
        manage(site.environment, "publish_edition", number, "--by", "moderatrice")
    # Each publication sends the comparison with the edition before it to the worker (the first page of its
    # diffs in each language): once done, readers get it at once, in French and in English.
    wait_until(lambda: len(done.findall(site.worker.output())) >= earlier + 3, "the publications' comparisons")
    browser = Browser(site.base)
    for path in ("/editions/comparer/?de=2027.2&a=2027.3", "/en/editions/comparer/?de=2027.2&a=2027.3"):
        response = browser.get(path)
        assert response.status_code == 200 and "(2027.3)" in response.text, (path, response.status_code)
    # Any other pair, first asked for by a reader: a page that shows the work moving, then the comparison.
    asked = "/editions/comparer/?de=2027.1&a=2027.3"
    page = browser.get(asked)
    assert page.status_code == 202 and 'role="progressbar"' in page.text, page.text[:500]
    task_page = TASK_PAGE.search(page.text).group(1)
    wait_until(lambda: browser.get(task_page).status_code == 200 and browser.get(asked).status_code == 200,
               "the comparison prepared")
    assert "2027.1" in browser.get(asked).text


def test_a_moderator_publishes_an_edition_through_the_worker_then_its_comparison_and_the_sitemap_follow(site):
    browser = Browser(site.base)
    browser.sign_in("moderatrice", "demo-moderation")
    folder = Path(site.environment["MEDIA_ROOT"]).parent
    for number in ("2028.1", "2028.2"):
        # Something new to publish: a term imported and approved at once.
        edits = folder / f"{number}.csv"
        edits.write_text(f"headword_fr,definition_fr\r\nterme de {number},Publié avant l'édition {number}.\r\n",
                         encoding="utf-8")
        manage(site.environment, "import_terms", str(edits), "--user", "moderatrice", "--approve")
        if number == "2028.1":
            manage(site.environment, "publish_edition", number, "--by", "moderatrice")
    location = publish_through_the_form(browser, "2028.2")
    assert location == "/editions/2028.2/"
    assert Browser(site.base).get(location).status_code == 200
    log = site.worker.output()
    assert re.search(r"Task lexique\.publish_edition\[publish-[0-9a-f]{40}\] succeeded", log), log[-3000:]
    # The same number asked again: refused at once by the form, nothing sent.
    again = browser.post_form("/moderation/editions/", {"number": "2028.2", "note": ""})
    assert again.status_code == 400 and "2028.2 existe déjà" in again.text
    # The comparison with 2028.1, then the sitemap, prepared by the worker after the publication.
    wait_until(lambda: Browser(site.base).get("/editions/comparer/?de=2028.1&a=2028.2").status_code == 200,
               "the comparison prepared")
    sitemap = wait_until(lambda: (index := Browser(site.base).get("/sitemap-pages.xml")).status_code == 200
                         and "/editions/2028.2/" in index.text and index, "the sitemap prepared")
    assert sitemap.headers["Content-Type"] == "application/xml"
    assert "Task lexique.prepare_sitemaps" in site.worker.output()


def test_the_answer_to_an_error_reported_without_an_account_is_e_mailed_by_the_worker(site):
    email = f"lectrice-{uuid.uuid4().hex[:8]}@example.org"
    manage(site.environment, "shell", "-c",
           "from django.contrib.auth import get_user_model; from lexique import services; "
           "from lexique.models import Term; "
           "report = services.report_error(term=Term.objects.published().get(slug='metadonnees'), "
           f"message='Une coquille.', email='{email}', client='192.0.2.9', language='en'); "
           "services.handle_report(report, by=get_user_model().objects.get(username='moderatrice'), "
           "answer='Fixed, thank you.')")
    mails = Path(site.environment["EMAIL_FILE_PATH"])
    sent = wait_until(lambda: [text for text in (path.read_text() for path in mails.glob("*.log")) if email in text],
                      "the answer sent")
    assert "Fixed, thank you." in sent[0] and "/en/termes/metadonnees/" in sent[0]
