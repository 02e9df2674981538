"""Look-up dictionaries for reading apps (StarDict, Kobo), read back by readers that did not write them."""
import gzip
import io
import zipfile
from pathlib import Path

import marisa_trie
import pytest
from django.core.cache import cache
from django.core.management import call_command
from lxml import html as lxml_html
from pystardict import Dictionary

from lexique.editions.services import publish_edition
from lexique.interop.exporters.lookup import KoboExporter, StarDictExporter
from lexique.interop.published import ExportOptions
from lexique.interop.registry import EXPORTERS, LOOKUP_FORMATS, asked_export
from lexique.models import LexiconState, Term
from lexique.publishing.site import site_names
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def export_store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://lexique.test"
    cache.clear()


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--i-know-this-is-production", verbosity=0)


def expected_keys(source: str) -> dict[str, set[str]]:
    """Every word of `source` the published set holds, to the headword of its term: headwords, synonyms and
    the abbreviations among them."""
    keys: dict[str, set[str]] = {}
    for term in Term.objects.published():
        headword = term.headword_en if source == "en" else term.headword_fr
        words = [headword, *(s["text"] for s in term.synonyms if s["lang"] == source)]
        for word in words:
            if word:
                keys.setdefault(word, set()).add(headword)
    return keys


def written(exporter_class, tmp_path: Path, lang: str, **options) -> bytes:
    path = tmp_path / f"{exporter_class.name}-{lang}.zip"
    exporter_class(ExportOptions(lang=lang, **options)).write(path)
    return path.read_bytes()


def unzipped(data: bytes, directory: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(directory)
    return directory


def stardict_articles(prefix: Path) -> dict[str, str]:
    """pystardict's reading of the index and the articles: {headword: html}. It opens the .syn file, which it
    never reads nor closes."""
    dictionary = Dictionary(str(prefix), in_memory=True)
    try:
        return {word: dictionary[word] for word in dictionary.idx.keys()}
    finally:
        dictionary.syn._file.close()


def pyglossary_entries(ifo: Path) -> dict[str, tuple[list[str], str]]:
    """pyglossary's own StarDict reader, which reads the synonyms (.syn) too: {headword: (all words, html)}."""
    from pyglossary.glossary_v2 import Glossary

    Glossary.init()
    glossary = Glossary()
    assert glossary.directRead(str(ifo), formatName="Stardict")
    return {entry.l_term[0]: (list(entry.l_term), entry.defi) for entry in glossary if not entry.isData()}


@pytest.mark.parametrize("source", ["fr", "en"])
def test_stardict_holds_every_headword_synonym_and_abbreviation_as_a_key(demo, tmp_path, source):
    folder = unzipped(written(StarDictExporter, tmp_path, source), tmp_path / "sd")
    variant = StarDictExporter.variant_of(source)
    prefix = folder / f"lexique-stardict-{variant}" / f"lexique-stardict-{variant}"
    expected = expected_keys(source)
    assert {"GRC", "CRM", "IA"} <= set(expected) if source == "fr" else {"CRM", "AI", "UX"} <= set(expected)

    # pystardict reads the index and the articles: every headword, and its article in the other language.
    articles = stardict_articles(prefix)
    published = Term.objects.published()
    assert set(articles) == {term.headword_en if source == "en" else term.headword_fr for term in published}
    crm = "gestion de la relation client" if source == "fr" else "customer relationship management"
    article = articles[crm]
    other = "customer relationship management" if source == "fr" else "gestion de la relation client"
    assert f'lang="{"en" if source == "fr" else "fr"}">{other}' in article

    # pyglossary reads the synonyms too: every key of the published set leads to its term's article.
    entries = pyglossary_entries(prefix.with_suffix(".ifo"))
    found = {word: {headword for headword, (words, _html) in entries.items() if word in words} for word in expected}
    assert found == expected


def test_a_not_recommended_synonym_says_so_in_the_article_it_leads_to(demo, tmp_path):
    folder = unzipped(written(StarDictExporter, tmp_path, "fr"), tmp_path / "sd")
    entries = pyglossary_entries(folder / "lexique-stardict-fr-en" / "lexique-stardict-fr-en.ifo")
    words, article = entries["gestion de la relation client"]
    assert "CRM" in words and "GRC" in words
    assert '<span lang="fr">CRM</span> <i>(not recommended)</i>' in article
    assert '<span lang="fr">GRC</span> <i>(admitted)</i>' in article


def test_an_article_cites_the_term_s_sources_in_the_reader_s_language_with_a_link(demo, tmp_path):
    term = Term.objects.published().exclude(sources=[]).first()
    assert term is not None and term.headword_en
    Term.objects.filter(pk=term.pk).update(sources=[
        {"title": "Vocabulaire des arts", "author": "OQLF", "year": "2019", "pages": "12-14",
         "url": "https://vitrinelinguistique.oqlf.gouv.qc.ca/"},
        {"title": "Guide imprimé", "publisher": "Presses du Québec"},
    ])
    cache.clear()
    for lang, pages in (("fr", "pp. 12-14"), ("en", "p. 12-14")):
        (tmp_path / lang).mkdir()
        folder = unzipped(written(StarDictExporter, tmp_path / lang, lang), tmp_path / lang / "sd")
        stem = f"lexique-stardict-{lang}-{'en' if lang == 'fr' else 'fr'}"
        headword = term.headword_fr if lang == "fr" else term.headword_en
        article = lxml_html.fromstring(pyglossary_entries(folder / stem / f"{stem}.ifo")[headword][1])
        cited = [p for p in article.iter("p") if p.text_content().startswith("Sources")]
        assert len(cited) == 1, article.text_content()
        # Read in the other language: the reader of a French-English dictionary reads English.
        assert cited[0].text_content().endswith(
            f"OQLF, Vocabulaire des arts, 2019, {pages}; Guide imprimé, Presses du Québec")
        assert cited[0].xpath(".//i/a/@href") == ["https://vitrinelinguistique.oqlf.gouv.qc.ca/"]


def test_the_stardict_dictionary_names_its_languages_date_and_licence(demo, tmp_path):
    folder = unzipped(written(StarDictExporter, tmp_path, "en"), tmp_path / "sd")
    ifo = (folder / "lexique-stardict-en-fr" / "lexique-stardict-en-fr.ifo").read_text(encoding="utf-8")
    fields = dict(line.split("=", 1) for line in ifo.splitlines()[1:])
    assert fields["bookname"] == f"{site_names()['en']['name']} (en-fr)"
    assert fields["sametypesequence"] == "h"
    assert fields["website"] == "https://lexique.test/"
    assert "CC BY-SA 4.0" in fields["description"]
    assert fields["date"] == LexiconState.current().changed_at.date().isoformat()


@pytest.mark.parametrize("source", ["fr", "en"])
def test_the_kobo_dictionary_holds_every_key_in_its_trie_and_an_article_for_each(demo, tmp_path, source):
    data = written(KoboExporter, tmp_path, source)
    expected = expected_keys(source)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        trie = marisa_trie.Trie()
        trie.frombytes(archive.read("words"))
        pages = {name: archive.read(name) for name in names if name.endswith(".html")}
    assert set(expected) <= set(trie.keys())
    # Each page is gzip without a date: the same published set gives the same bytes.
    assert all(page[4:8] == b"\0\0\0\0" for page in pages.values())
    articles: dict[str, set[str]] = {}
    for page in pages.values():
        root = lxml_html.fromstring(gzip.decompress(page))
        for article in root.iter("w"):
            headword = article.find("a").get("name")
            variants = {variant.get("name") for variant in article.iter("variant")}
            articles.setdefault(headword.split(", ")[0], set()).update({headword.split(", ")[-1], *variants})
    for word, headwords in expected.items():
        assert any(word.lower() in {v.lower() for v in articles.get(headword, ())} for headword in headwords), word


def test_a_dictionary_of_a_domain_holds_only_its_terms(demo, tmp_path):
    _exporter, options = asked_export("stardict", lang="fr-en", domains=["commercialisation"])
    path = tmp_path / "marketing.zip"
    published = StarDictExporter(options).write(path)
    folder = unzipped(path.read_bytes(), tmp_path / "sd")
    articles = stardict_articles(folder / "lexique-stardict-fr-en" / "lexique-stardict-fr-en")
    assert set(articles) == {term.headword_fr for term in published.terms}
    assert set(articles) == set(
        Term.objects.published().filter(domains__slug="commercialisation").values_list("headword_fr", flat=True))


def test_the_look_up_dictionaries_are_formats_of_the_registry_in_both_directions():
    assert LOOKUP_FORMATS == {"stardict": StarDictExporter, "kobo": KoboExporter}
    assert all(EXPORTERS[name] is exporter for name, exporter in LOOKUP_FORMATS.items())
    assert asked_export("kobo", lang="en-fr")[1].lang == "en"
    assert KoboExporter.file_stem("fr") == "dicthtml-fr-en"


def test_the_downloads_page_offers_each_dictionary_and_serves_it(demo, client):
    page = client.get("/telechargements/").content.decode()
    for url in ("/export/stardict-fr-en.zip", "/export/stardict-en-fr.zip", "/export/kobo-fr-en.zip",
                "/export/kobo-en-fr.zip"):
        assert f'href="{url}"' in page
    response = client.get("/export/kobo-fr-en.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="dicthtml-fr-en.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert "words" in archive.namelist()
    narrowed = client.get("/telechargements/?domaine=commercialisation").content.decode()
    assert 'href="/export/stardict-fr-en.zip?domaine=commercialisation"' in narrowed
    assert client.get("/export/stardict-fr-en.zip?domaine=inconnu").status_code == 400


def test_an_edition_keeps_its_dictionaries_byte_for_byte(demo, client, tmp_path):
    publish_edition(number="2026.1", note="", by=UserFactory(moderator=True))
    first = b"".join(client.get("/editions/2026.1/lexique-stardict-fr-en.zip").streaming_content)
    kobo = b"".join(client.get("/editions/2026.1/dicthtml-en-fr.zip").streaming_content)
    again = written(StarDictExporter, tmp_path, "fr", edition="2026.1")
    assert first == again
    assert kobo == written(KoboExporter, tmp_path, "en", edition="2026.1")


def test_an_edition_of_earlier_rules_keeps_its_dictionaries_without_sources(demo, tmp_path, monkeypatch):
    monkeypatch.setattr("lexique.editions.services.BOOK_RULES", 5)
    publish_edition(number="2026.1", note="", by=UserFactory(moderator=True))
    monkeypatch.undo()
    earlier = unzipped(written(StarDictExporter, tmp_path, "fr", edition="2026.1"), tmp_path / "earlier")
    current = unzipped(written(StarDictExporter, tmp_path, "fr"), tmp_path / "current")
    stem = "lexique-stardict-fr-en"
    assert "Sources" not in "".join(html for _words, html in
                                    pyglossary_entries(earlier / stem / f"{stem}.ifo").values())
    assert "Sources" in "".join(html for _words, html in pyglossary_entries(current / stem / f"{stem}.ifo").values())
