"""What the EPUB holds: published text only, well-formed and language-tagged, in order, linked and indexed."""
import io
import zipfile

import pytest
from lxml import etree
from PIL import Image

from lexique.exports import EpubExporter, ExportOptions, OptionsError
from lexique.exports.epub import book_identifier
from lexique.models import LexiconState

from .export_fixtures import (
    LONG_WORD,
    NS,
    SECRET_EDIT,
    SECRET_PENDING,
    SECRET_REJECTED,
    XHTML,
    XML_LANG,
    book_text,
    nasty_lexicon,
    read_book,
)
from .factories import DomainFactory, publish_term

pytestmark = pytest.mark.django_db


def build(tmp_path, **options):
    path = tmp_path / "book.epub"
    EpubExporter(ExportOptions(**options)).write(path)
    return read_book(path)


def text_of(element):
    """The element's text as a reader sees it (ebooklib indents the markup)."""
    return " ".join("".join(element.itertext()).split())


def entry(documents, headword):
    """The <article> of the entry whose headword is `headword`, wherever it is."""
    for root in documents.values():
        for article in root.iterfind(".//x:article", NS):
            if text_of(article.find("x:h2", NS)) == headword:
                return article
    raise AssertionError(f"no entry for {headword!r}")


def letter_headwords(documents, file_name):
    return [text_of(h2) for h2 in documents[file_name].iterfind(".//x:article/x:h2", NS)]


@pytest.fixture
def lexicon(db):
    return nasty_lexicon()


@pytest.mark.parametrize("lang", ["fr", "en", "bilingual"])
def test_pending_rejected_and_unapproved_edits_never_appear_in_a_book(tmp_path, lexicon, lang):
    text = book_text(build(tmp_path, lang=lang))
    assert "écosystème numérique" in text or "digital ecosystem" in text
    for secret in (SECRET_PENDING, SECRET_REJECTED, SECRET_EDIT):
        assert secret not in text


@pytest.mark.parametrize("lang", ["fr", "en", "bilingual"])
def test_every_document_is_well_formed_xhtml_that_says_its_language(tmp_path, lexicon, lang):
    documents = build(tmp_path, lang=lang)  # parsed strictly: a malformed document raises
    pages = {name: root for name, root in documents.items() if name.endswith(".xhtml")}
    assert len(pages) >= 6
    main = "en" if lang == "en" else "fr"
    for name, root in pages.items():
        assert (root.get("lang"), root.get(XML_LANG)) == (main, main), name


def test_markup_characters_in_content_stay_text(tmp_path, lexicon):
    documents = build(tmp_path, lang="bilingual")
    article = entry(documents, "R&D <script>alert(\"x\")</script> l'« atelier »")
    assert [script for root in documents.values() for script in root.iterfind(".//x:script", NS)] == []
    english = article.find("x:div[@class='en']", NS)
    assert english.findtext("x:p", namespaces=NS) == 'R&D "workshop" <b>'
    ecosystem = entry(documents, "écosystème numérique")
    assert "« <b>pas</b> du HTML »" in text_of(ecosystem)
    assert "Second exemple avec un caractère de contrôle." in text_of(ecosystem)
    assert "\x0b" not in "".join(ecosystem.itertext())


def test_emoji_right_to_left_text_and_very_long_words_survive(tmp_path, lexicon):
    text = book_text(build(tmp_path, lang="fr"))
    for fragment in ("Œuvre 🎭 immersive", "👩🏽‍🎤", "مكتبة رقمية", "ספרייה דיגיטלית", LONG_WORD):
        assert fragment in text


def test_source_addresses_are_valid_urls_even_when_pasted_with_markup(tmp_path, lexicon):
    article = entry(build(tmp_path, lang="fr"), "écosystème numérique")
    hrefs = [a.get("href") for a in article.iterfind(".//x:a", NS)]
    assert "https://example.org/rapport?x=1&y=%3C2%3E" in hrefs
    assert "https://example.org/?a=1&b=2" in hrefs


def test_terms_are_filed_under_their_base_letter_in_french_order(tmp_path, db):
    for headword in ("étoile", "Œuvre", "économie", "Zèbre", "eau", "avatar", "2.0 web"):
        publish_term(headword_fr=headword, headword_en=f"en {headword}")
    documents = build(tmp_path, lang="fr")
    assert letter_headwords(documents, "lettre-e.xhtml") == ["eau", "économie", "étoile"]
    assert letter_headwords(documents, "lettre-o.xhtml") == ["Œuvre"]
    assert letter_headwords(documents, "symboles.xhtml") == ["2.0 web"]
    spine = [ref.get("idref") for ref in documents["content.opf"].iterfind(".//opf:itemref", NS)]
    letters = [idref for idref in spine if idref.startswith("letter-")]
    assert letters == ["letter-symboles", "letter-lettre-a", "letter-lettre-e", "letter-lettre-o", "letter-lettre-z"]


def test_the_english_book_follows_the_english_headwords(tmp_path, db):
    publish_term(headword_fr="zèbre numérique", headword_en="animal data")
    publish_term(headword_fr="archive", headword_en="")
    documents = build(tmp_path, lang="en")
    assert letter_headwords(documents, "lettre-a.xhtml") == ["animal data", "archive"]
    untranslated = entry(documents, "archive")
    assert untranslated.find("x:h2", NS).get("lang") == "fr"


def test_long_letters_are_split_over_several_files(tmp_path, db, settings):
    from lexique.exports import epub as module

    settings.SITE_URL = "https://lexique.example.org"
    old, module.TERMS_PER_FILE = module.TERMS_PER_FILE, 2
    try:
        for n in range(5):
            publish_term(headword_fr=f"archive {n}", headword_en=f"archive {n}")
        documents = build(tmp_path, lang="fr")
    finally:
        module.TERMS_PER_FILE = old
    assert [letter_headwords(documents, name) for name in ("lettre-a.xhtml", "lettre-a-2.xhtml", "lettre-a-3.xhtml")] == [
        ["archive 0", "archive 1"], ["archive 2", "archive 3"], ["archive 4"]]


def test_every_internal_link_reaches_an_element_of_the_book(tmp_path, lexicon):
    documents = build(tmp_path, lang="bilingual")
    ids = {(name, element.get("id")) for name, root in documents.items() for element in root.iter() if element.get("id")}
    internal = [
        a.get("href") for root in documents.values() for a in root.iterfind(".//x:a", NS)
        if not a.get("href").startswith(("http:", "https:", "mailto:"))
    ]
    assert len(internal) > 10
    for href in internal:
        name, _hash, fragment = href.partition("#")
        assert name in documents, href
        assert not fragment or (name, fragment) in ids, href


def test_related_terms_link_to_their_entries(tmp_path, lexicon):
    documents = build(tmp_path, lang="fr")
    article = entry(documents, "مكتبة رقمية")
    related = {a.text: a.get("href") for a in article.iterfind(".//x:dd/x:a", NS) if "#t-" in a.get("href")}
    assert related == {
        "écosystème numérique": "lettre-e.xhtml#t-ecosysteme-numerique",
        "Œuvre 🎭 immersive": "lettre-o.xhtml#t-oeuvre-immersive",
    }


def test_the_bilingual_book_puts_the_english_right_below_the_french(tmp_path, lexicon):
    article = entry(build(tmp_path, lang="bilingual"), "écosystème numérique")
    blocks = [child for child in article if child.tag != f"{{{XHTML}}}h2"]
    french, english = blocks[1], blocks[2]
    assert french.get("class") == "definition" and french.get("lang") is None
    assert (english.get("lang"), english.get(XML_LANG)) == ("en", "en")
    assert english.findtext("x:p", namespaces=NS) == "digital ecosystem"
    assert "Actors & tools" in "".join(english.itertext())
    examples = [p for p in article.iterfind(".//x:dd/x:p", NS) if p.get("lang") == "en"]
    assert [p.text for p in examples] == ["An example & another.", "Note in English."]


def test_a_domain_book_holds_that_domain_and_links_out_to_other_terms(tmp_path, lexicon, settings):
    settings.SITE_URL = "https://lexique.example.org"
    documents = build(tmp_path, lang="fr", domains=["creation"])
    headwords = [h for name in documents if name.startswith("lettre") for h in letter_headwords(documents, name)]
    assert headwords == ["écosystème numérique", "Œuvre 🎭 immersive"]
    quotes_related = entry(documents, "Œuvre 🎭 immersive").find(".//x:a[@href='lettre-e.xhtml#t-ecosysteme-numerique']", NS)
    assert quotes_related is not None
    ecosystem = entry(documents, "écosystème numérique")
    outside = [a.get("href") for a in ecosystem.iterfind(".//x:a", NS) if "lexique.example.org" in a.get("href")]
    assert outside == []  # related terms of a term are those it names, none outside here
    index = documents["index.xhtml"]
    assert [h.text for h in index.iterfind(".//x:h2", NS)] == ["Création", "Diffusion & « médiation »"]


def test_a_term_related_to_one_outside_the_selection_links_to_the_site(tmp_path, lexicon, settings):
    settings.SITE_URL = "https://lexique.example.org"
    documents = build(tmp_path, lang="fr", domains=["diffusion"])
    article = entry(documents, "مكتبة رقمية")
    links = {a.text: a.get("href") for a in article.iterfind(".//x:dd/x:a", NS)}
    assert links["Œuvre 🎭 immersive"] == "https://lexique.example.org/termes/oeuvre-immersive/"


def test_the_index_lists_each_domain_with_links_to_its_terms(tmp_path, lexicon):
    documents = build(tmp_path, lang="en")
    index = documents["index.xhtml"]
    assert index.find(".//x:section", NS).get("aria-labelledby") == "index-title"
    sections = {s.findtext("x:h2", namespaces=NS): [a.text for a in s.iterfind(".//x:a", NS)]
                for s in index.iterfind(".//x:section/x:section", NS)}
    assert sections == {
        "Distribution & <outreach>": [LONG_WORD[:200], "digital ecosystem", "digital library"],
        "Creation": ["digital ecosystem", "immersive work 🎭"],
    }


def test_the_about_page_gives_licence_count_date_version_and_address(tmp_path, lexicon, settings):
    settings.SITE_URL = "https://lexique.example.org"
    settings.LEXIQUE_CONTENT_LICENCE = "CC BY 4.0"
    settings.LEXIQUE_CONTENT_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
    documents = build(tmp_path, lang="fr", title="Notre glossaire")
    about = documents["a-propos.xhtml"]
    text = " ".join("".join(about.itertext()).split())
    version = LexiconState.current().version
    for expected in ("CC BY 4.0", "https://lexique.example.org", f"Version du lexique {version}",
                     "Nombre de termes 5", "Lexique de la transformation numérique des organisations culturelles",
                     "« Notre glossaire »", "Date de l’export"):
        assert expected in text
    licence = about.find(".//x:a[@href='https://creativecommons.org/licenses/by/4.0/']", NS)
    assert licence.text == "CC BY 4.0"


def _opf(documents):
    return documents["content.opf"]


def _meta(opf, prop):
    return [m.text for m in opf.iterfind(f".//opf:meta[@property='{prop}']", NS)]


def test_the_package_carries_accessibility_metadata(tmp_path, lexicon):
    opf = _opf(build(tmp_path, lang="bilingual"))
    assert _meta(opf, "schema:accessMode") == ["textual", "visual"]
    assert _meta(opf, "schema:accessModeSufficient") == ["textual"]
    assert {"tableOfContents", "structuralNavigation", "alternativeText", "index"} <= set(
        _meta(opf, "schema:accessibilityFeature"))
    assert _meta(opf, "schema:accessibilityHazard") == ["none"]
    assert _meta(opf, "schema:accessibilitySummary")[0]
    assert _meta(opf, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert len(_meta(opf, "dcterms:modified")) == 1
    assert [lang.text for lang in opf.iterfind(".//dc:language", NS)] == ["fr", "en"]
    assert opf.get(XML_LANG) == "fr"


def test_each_variant_has_its_own_identifier_that_stays_the_same_from_one_edition_to_the_next(tmp_path, lexicon):
    first = _opf(build(tmp_path, lang="fr")).findtext(".//dc:identifier", namespaces=NS)
    publish_term(headword_fr="nouveauté")
    again = _opf(build(tmp_path, lang="fr")).findtext(".//dc:identifier", namespaces=NS)
    other = _opf(build(tmp_path, lang="fr", domains=["creation"])).findtext(".//dc:identifier", namespaces=NS)
    assert first == again == book_identifier(ExportOptions(lang="fr"))
    assert first.startswith("urn:uuid:") and other != first


def test_navigation_document_and_ncx_list_every_letter_and_the_index(tmp_path, lexicon):
    documents = build(tmp_path, lang="fr")
    nav = documents["nav.xhtml"]
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    entries = [a.text for a in toc.iterfind(".//x:a", NS)]
    assert entries == ["Page de titre", "À propos de ce livre", "0–9 et symboles", "A", "E", "O", "R",
                       "Index par domaine"]
    landmarks = [a.get(f"{{{NS['epub']}}}type") for a in nav.iterfind(".//x:nav[@epub:type='landmarks']//x:a", NS)]
    assert landmarks == ["cover", "toc", "bodymatter", "index"]
    ncx = [t.text for t in documents["toc.ncx"].iterfind(".//ncx:navLabel/ncx:text", NS)]
    assert ncx == entries


def test_an_organisation_title_is_on_the_cover_and_title_page_and_the_lexicon_is_still_credited(tmp_path, lexicon):
    path = tmp_path / "book.epub"
    EpubExporter(ExportOptions(lang="fr", title="Guide & Cie", subtitle="Pour nos équipes")).write(path)
    documents = read_book(path)
    opf = _opf(documents)
    assert [t.text for t in opf.iterfind(".//dc:title", NS)] == ["Guide & Cie", "Pour nos équipes"]
    alt = documents["couverture.xhtml"].find(".//x:img", NS).get("alt")
    assert alt.startswith("Couverture\u00a0: Guide & Cie — Pour nos équipes. Édition du ")
    title_page = "".join(documents["titre.xhtml"].itertext())
    assert "Guide & Cie" in title_page and "D’après le Lexique de la transformation numérique" in title_page
    with zipfile.ZipFile(path) as book:
        cover = Image.open(io.BytesIO(book.read("EPUB/couverture.jpg")))
    assert cover.size == (1600, 2560)
    cover_item = opf.find(".//opf:item[@properties='cover-image']", NS)
    assert cover_item.get("href") == "couverture.jpg"


def test_a_selection_without_terms_still_makes_a_book(tmp_path, db):
    DomainFactory(slug="vide")
    documents = build(tmp_path, lang="fr", domains=["vide"])
    assert "Aucun terme publié ne correspond" in book_text(documents)


def test_bad_options_are_refused_with_a_clear_message():
    with pytest.raises(OptionsError, match="Langue inconnue"):
        ExportOptions(lang="de")
    with pytest.raises(OptionsError, match="150 caractères au plus"):
        ExportOptions(title="x" * 151)
    assert ExportOptions(domains=("b", " a", "b"), title="  Mon   titre ").canonical() == {
        "lang": "fr", "domains": ["a", "b"], "title": "Mon titre", "subtitle": ""}


def test_the_book_is_a_zip_whose_first_entry_is_the_stored_mimetype(tmp_path, lexicon):
    path = tmp_path / "book.epub"
    EpubExporter(ExportOptions(lang="fr")).write(path)
    with zipfile.ZipFile(path) as book:
        first = book.infolist()[0]
        assert (first.filename, first.compress_type, book.read(first)) == ("mimetype", zipfile.ZIP_STORED,
                                                                           b"application/epub+zip")
    etree.fromstring(zipfile.ZipFile(path).read("META-INF/container.xml"))
