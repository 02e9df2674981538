"""The bilingual and English books as EPUB Dictionaries: dictionary articles, a search key map for each direction,
the dictionary's type and languages; the French book a glossary; editions keep what they were."""
import zipfile

import pytest
from lxml import etree

from lexique.editions.services import publish_edition
from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.published import ExportOptions
from lexique.models import Term
from tests.support.export_fixtures import NS, XML_LANG
from tests.support.exports_data import rich_lexicon
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

OPF = "{http://www.idpf.org/2007/opf}"
OPS = "{http://www.idpf.org/2007/ops}"


def written(tmp_path, lang, **options):
    path = tmp_path / f"{lang}-{len(options)}.epub"
    EpubExporter(ExportOptions(lang=lang, **options)).write(path)
    with zipfile.ZipFile(path) as book:
        return {name.removeprefix("EPUB/"): book.read(name) for name in book.namelist()}


def keys(files, name):
    skm = etree.fromstring(files[name])
    return {(match.get("value"), match.get(XML_LANG), group.get("href"))
            for group in skm.iter(f"{OPS}search-key-group") for match in group.iter(f"{OPS}match")}


@pytest.mark.parametrize("lang", ["bilingual", "en"])
def test_a_book_that_translates_is_a_dictionary_in_both_directions(tmp_path, lang):
    rich_lexicon()
    files = written(tmp_path, lang)
    package = etree.fromstring(files["content.opf"])
    metadata = package.find(f"{OPF}metadata")
    assert [e.text for e in metadata.iterfind("dc:type", NS)] == ["dictionary"]
    assert {e.text for e in metadata.iterfind("dc:language", NS)} == {"fr", "en"}
    collections = package.findall(f"{OPF}collection[@role='dictionary']")
    directions = [tuple(c.findtext(f"{OPF}metadata/{OPF}meta[@property='{p}']") for p in ("source-language",
                                                                                          "target-language"))
                  for c in collections]
    assert directions == [("fr", "en"), ("en", "fr")]
    maps = {item.get("href"): item.get("properties") for item in package.iter(f"{OPF}item")
            if "search-key-map" in (item.get("properties") or "")}
    assert maps == {"cles-francais.xml": "search-key-map dictionary", "cles-anglais.xml": "search-key-map dictionary"}
    assert [c.find(f"{OPF}link").get("href") for c in collections] == ["cles-francais.xml", "cles-anglais.xml"]

    published = Term.objects.published()
    french, english = keys(files, "cles-francais.xml"), keys(files, "cles-anglais.xml")
    assert {term.headword_fr for term in published} <= {value for value, _lang, _href in french}
    assert {term.headword_en for term in published if term.headword_en} <= {value for value, _lang, _href in english}
    for term in published:
        for synonym in term.synonyms:
            found = french if synonym["lang"] == "fr" else english
            assert synonym["text"] in {value for value, _lang, _href in found}, synonym
    assert not {value for value, _lang, _href in french} & {"discoverability", "metadata", "findability"}
    assert not {value for value, _lang, _href in english} & {"découvrabilité", "métadonnées", "repérabilité"}
    # Each key leads to a dictionary article, whose headword is a dfn.
    for _value, _lang, href in french | english:
        page, anchor = href.split("#")
        root = etree.fromstring(files[page])
        article = root.find(f".//x:article[@id='{anchor}']", NS)
        assert article is not None and article.get(f"{OPS}type") == "dictentry", href
        assert article.getparent().get(f"{OPS}type") == "dictionary"
        assert article.find(".//x:dfn", NS) is not None


def test_the_french_book_stays_a_glossary_with_one_search_key_map(tmp_path):
    rich_lexicon()
    files = written(tmp_path, "fr")
    package = files["content.opf"].decode()
    assert "dictionary" not in package and "<collection" not in package
    assert 'properties="search-key-map glossary"' in package
    letter = etree.fromstring(files["lettre-d.xhtml"])
    assert letter.find(".//x:section[@epub:type='glossary']/x:dl/x:dt[@epub:type='glossterm']", NS) is not None
    assert letter.find(".//x:article", NS) is None


def test_an_edition_published_before_the_dictionaries_keeps_its_glossary(tmp_path, monkeypatch):
    rich_lexicon()
    monkeypatch.setattr("lexique.editions.services.BOOK_RULES", 3)
    publish_edition(number="2026.1", note="", by=UserFactory(moderator=True))
    files = written(tmp_path, "bilingual", edition="2026.1")
    assert "cles-de-recherche.xml" in files and "cles-francais.xml" not in files
    assert b"dictionary" not in files["content.opf"]
    assert b"article" not in files["lettre-d.xhtml"]
    assert b"section.dictionary" not in files["style.css"]


def test_a_large_books_indexes_and_key_maps_are_split_by_letter_and_each_key_leads_into_its_collection(
        tmp_path, monkeypatch):
    rich_lexicon()
    monkeypatch.setattr("lexique.interop.exporters.epub.INDEX_ENTRIES_PER_FILE", 2)
    monkeypatch.setattr("lexique.interop.exporters.epub.TERMS_PER_KEY_MAP", 2)
    files = written(tmp_path, "bilingual")
    package = etree.fromstring(files["content.opf"])
    opf = {"opf": "http://www.idpf.org/2007/opf"}
    indexes = [name for name in files if name.startswith("index")]
    assert "index-2.xhtml" in indexes and "index-anglais-2.xhtml" in indexes
    # Every index file is read in order; the contents name each index once, by its first file.
    spine = [package.find(f"opf:manifest/opf:item[@id='{ref.get('idref')}']", opf).get("href")
             for ref in package.iterfind("opf:spine/opf:itemref", opf)]
    assert [name for name in spine if name.startswith("index")] == sorted(indexes, key=spine.index)
    nav = files["nav.xhtml"].decode()
    assert 'href="index.xhtml"' in nav and 'href="index-2.xhtml"' not in nav
    collections = package.findall("opf:collection[@role='dictionary']", opf)
    assert len(collections) > 2
    found = set()
    for collection in collections:
        key_map, *documents = [link.get("href") for link in collection.iterfind("opf:link", opf)]
        hrefs = {group.get("href").partition("#")[0] for group in etree.fromstring(files[key_map]).iter(
            f"{OPS}search-key-group")}
        assert hrefs <= set(documents)
        found |= hrefs
    # Every page with entries (not only see entries) is looked up through one of them.
    assert found == {name for name in files if name.startswith("lettre-") and b'id="t-' in files[name]}


def current_letters(files, name):
    """The letters an index file's strip marks as the current ones, and the letters of the groups it holds."""
    page = etree.fromstring(files[name])
    xhtml = {"x": "http://www.w3.org/1999/xhtml"}
    marked = {span.text for span in page.iterfind(".//x:nav[@class='az']//x:span[@aria-current='page']", xhtml)}
    held = {heading.get("id").split("-")[1].upper() for heading in page.iterfind(".//x:section/x:h2", xhtml)}
    return marked, held


def test_every_file_of_an_index_split_over_several_marks_its_letters_in_the_strip(tmp_path, monkeypatch):
    rich_lexicon()  # "D": découvrabilité, découverte, discoverabilité: more than one file holds
    monkeypatch.setattr("lexique.interop.exporters.epub.INDEX_ENTRIES_PER_FILE", 2)
    files = written(tmp_path, "fr")
    assert b'id="ix-d-index-2"' in files["index-2.xhtml"]  # "D (suite)"
    for name in (name for name in files if name.startswith("index") and not name.startswith("index-domaines")):
        marked, held = current_letters(files, name)
        assert marked == held, name


def test_an_edition_published_before_the_rule_keeps_a_continued_letter_as_a_link(tmp_path, monkeypatch):
    rich_lexicon()
    monkeypatch.setattr("lexique.interop.exporters.epub.INDEX_ENTRIES_PER_FILE", 2)
    monkeypatch.setattr("lexique.editions.services.BOOK_RULES", 5)
    publish_edition(number="2026.1", note="", by=UserFactory(moderator=True))
    files = written(tmp_path, "fr", edition="2026.1")
    marked, held = current_letters(files, "index-2.xhtml")
    assert "D" in held and "D" not in marked
    assert b'<a href="index.xhtml">D</a>' in files["index-2.xhtml"]
