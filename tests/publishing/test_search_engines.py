"""What search engines and link previews read: sitemap.xml, robots.txt, canonical links, JSON-LD, Open Graph."""
import html
import json
import re

import pytest
from lxml import etree

from lexique import services
from lexique.publishing.sitemaps import TermSitemap
from tests.support.factories import UserFactory, publish_term

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITE = "https://lexique.test"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = SITE


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return etree.fromstring(response.content)


def sitemap_entries(client):
    """{address: {hreflang: address}} over every file the sitemap index lists."""
    index = xml(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    entries = {}
    for loc in index.iter(f"{SITEMAP}loc"):
        path = re.sub(r"^https?://[^/]+", "", loc.text)
        for url in xml(client, path).iter(f"{SITEMAP}url"):
            entries[url.find(f"{SITEMAP}loc").text] = {
                link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
    return entries


@pytest.mark.django_db
def test_the_sitemap_lists_every_published_term_in_both_languages_with_alternates(client, moderator):
    terms = [publish_term(moderator=moderator, headword_fr=f"terme {n}", headword_en="") for n in range(5)]
    retired = publish_term(moderator=moderator, headword_fr="ancien", headword_en="")
    services.retire(retired, by=moderator, reason="Doublon.")
    services.propose_term(author=UserFactory(), content={"headword_fr": "brouillon", "definition_fr": "En attente."})

    entries = sitemap_entries(client)
    term_entries = {url: links for url, links in entries.items() if "/termes/" in url}
    expected = {f"{SITE}{prefix}/termes/{term.slug}/" for term in terms for prefix in ("", "/en")}
    assert set(term_entries) == expected
    french = term_entries[f"{SITE}/termes/terme-0/"]
    assert french == {"fr": f"{SITE}/termes/terme-0/", "en": f"{SITE}/en/termes/terme-0/",
                      "x-default": f"{SITE}/termes/terme-0/"}
    assert term_entries[f"{SITE}/en/termes/terme-0/"] == french
    assert f"{SITE}/" in entries and f"{SITE}/en/" in entries


@pytest.mark.django_db
def test_a_large_lexicon_is_split_into_files_of_bounded_size(client, moderator, monkeypatch):
    monkeypatch.setattr(TermSitemap, "limit", 2)
    terms = [publish_term(moderator=moderator, headword_fr=f"terme {n}", headword_en="") for n in range(5)]
    index = xml(client, "/sitemap.xml")
    term_files = [loc.text for loc in index.iter(f"{SITEMAP}loc") if "sitemap-termes" in loc.text]
    # Files are ranges of 2 ids (ids need not start at 1): each holds at most two terms, in two languages.
    assert len(term_files) == -(-max(term.pk for term in terms) // 2)
    for page in range(1, len(term_files) + 1):
        assert len(xml(client, f"/sitemap-termes.xml?p={page}").findall(f"{SITEMAP}url")) <= 4
    assert len([url for url in sitemap_entries(client) if "/termes/" in url]) == 10


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_forms(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "Disallow: /moderation/" in lines and "Disallow: /en/recherche/" in lines
    assert "Disallow: /termes/" not in lines


def json_ld(page):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def meta(page, prop):
    match = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)">', page)
    return html.unescape(match.group(1)) if match else None


@pytest.mark.django_db
def test_a_term_page_carries_a_valid_defined_term_its_canonical_address_and_a_preview(client):
    term = publish_term(headword_fr="métadonnées", headword_en="metadata",
                        definition_fr="Données qui *décrivent* </script> & co.",
                        synonyms=[{"text": "méta", "lang": "fr", "status": "admitted"}])
    page = client.get(f"{term.get_absolute_url()}?utm=x").content.decode()
    data = json_ld(page)
    assert data["@context"] == "https://schema.org" and data["@type"] == "DefinedTerm"
    assert data["@id"] == f"{SITE}/termes/metadonnees/"
    assert data["name"] == "métadonnées" and data["inLanguage"] == "fr" and data["termCode"] == "metadonnees"
    assert data["description"] == "Données qui décrivent </script> & co."
    assert data["alternateName"] == ["metadata", "méta"]
    assert data["url"] == f"{SITE}/termes/metadonnees/"
    term_set = data["inDefinedTermSet"]
    assert term_set["@type"] == "DefinedTermSet" and term_set["@id"] == f"{SITE}/" and term_set["name"]
    assert "</script> &" not in page.split('application/ld+json">')[1].split("</script>")[0]
    assert f'<link rel="canonical" href="{SITE}/termes/metadonnees/">' in page
    assert f'<link rel="alternate" hreflang="en" href="{SITE}/en/termes/metadonnees/">' in page
    assert meta(page, "og:title") == "métadonnées" and meta(page, "og:type") == "article"
    assert meta(page, "og:url") == f"{SITE}/termes/metadonnees/"
    assert meta(page, "og:description") == "Données qui décrivent </script> & co."
    assert meta(page, "og:locale") == "fr_CA" and meta(page, "og:locale:alternate") == "en_CA"

    english = client.get("/en/termes/metadonnees/").content.decode()
    data = json_ld(english)
    assert data["name"] == "metadata" and data["inLanguage"] == "en" and data["url"] == f"{SITE}/en/termes/metadonnees/"
    assert meta(english, "og:locale") == "en_CA"
    assert f'<link rel="canonical" href="{SITE}/en/termes/metadonnees/">' in english


@pytest.mark.django_db
def test_the_home_page_describes_the_lexicon_as_a_defined_term_set(client):
    publish_term(headword_fr="métadonnées")
    data = json_ld(client.get("/").content.decode())
    assert data["@type"] == "DefinedTermSet" and data["@id"] == f"{SITE}/"
    assert data["inLanguage"] == ["fr", "en"] and data["license"].startswith("http")
    assert [term["@type"] for term in data["hasDefinedTerm"]] == ["DefinedTerm"]
    assert data["hasDefinedTerm"][0]["name"] == "métadonnées"


@pytest.mark.django_db
def test_a_stored_sitemap_file_gives_way_to_the_next_publication(client, moderator):
    publish_term(moderator=moderator, headword_fr="archive", headword_en="")
    assert f"{SITE}/termes/archive/" in sitemap_entries(client)
    publish_term(moderator=moderator, headword_fr="billetterie", headword_en="")
    assert f"{SITE}/termes/billetterie/" in sitemap_entries(client)


@pytest.mark.django_db
def test_a_publication_rewrites_only_the_sitemap_file_of_its_term(moderator, monkeypatch, settings, tmp_path):
    from lexique.publishing import sitemaps

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(TermSitemap, "limit", 2)
    terms = [publish_term(moderator=moderator, headword_fr=f"terme {n}", headword_en="") for n in range(6)]
    first = sitemaps.prepare_sitemaps()
    assert sitemaps.prepare_sitemaps() == first  # the same state: nothing written
    edited = terms[-1]
    services.retire(edited, by=moderator, reason="Doublon.")
    steps = []
    second = sitemaps.prepare_sitemaps(progress=lambda done, total: steps.append((done, total)))
    changed = {name for name in second.files if second.files[name] != first.files.get(name)}
    # Its file (and the index, when the file's newest date moved): never the files of other terms.
    assert f"termes-{-(-edited.pk // 2)}" in changed and changed <= {f"termes-{-(-edited.pk // 2)}", "index"}
    assert steps == [(1, 1)]
    assert second.stamp == sitemaps.current_stamp() != first.stamp
    assert b"terme-5" not in (tmp_path / "media" / second.files[f"termes-{-(-edited.pk // 2)}"]).read_bytes()
