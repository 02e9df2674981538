"""What the EPUB holds: published text only, well-formed and language-tagged, in order, linked and indexed."""
import datetime
import gc
import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import etree
from PIL import Image, ImageChops

from lexique.interop.exporters.epub import EpubExporter

from lexique.interop.published import ExportOptions, OptionsError
from lexique.interop.exporters.epub import book_identifier
from lexique.interop.exporters.typography import typeset, typeset_html
from lexique.models import Domain, LexiconState
from tests.support.export_fixtures import (
    LONG_WORD,
    NS,
    SECRET_EDIT,
    SECRET_PENDING,
    SECRET_REJECTED,
    XML_LANG,
    book_text,
    nasty_lexicon,
    read_book,
)
from lexique.editions.services import publish_edition
from tests.support.factories import DomainFactory, UserFactory, publish_term

pytestmark = pytest.mark.django_db


def build(tmp_path, **options):
    path = tmp_path / "book.epub"
    EpubExporter(ExportOptions(**options)).write(path)
    return read_book(path)


def text_of(element):
    """The element's text as a reader sees it, spaces collapsed (narrow no-break ones too)."""
    return " ".join(" ".join(element.itertext()).split())


# A glossary's headwords (the French book), and a dictionary's (the bilingual and English books).
HEADWORDS = (".//x:dt[@epub:type='glossterm']", ".//x:article[@epub:type='dictentry']/x:p[@class='headword']")


def entry(documents, headword):
    """The definition (<dd>) of the glossary entry whose headword is `headword`, wherever it is; in a
    dictionary, what follows the headword in its article."""
    for root in documents.values():
        for path in HEADWORDS:
            for term in root.iterfind(path, NS):
                if text_of(term.find("x:dfn", NS)) == headword:
                    return term.getnext() if term.tag.endswith("dt") else _rest_of_article(term)
    raise AssertionError(f"no entry for {headword!r}")


def _rest_of_article(headword):
    """The article of `headword` without it (a copy), as a glossary's <dd> holds its definition."""
    article = etree.fromstring(etree.tostring(headword.getparent()))
    article.remove(article[0])
    return article


def flat(element):
    """The element's text as printed, spaces collapsed (none added between inline elements)."""
    return " ".join("".join(element.itertext()).split())


def letter_headwords(documents, file_name):
    return [text_of(dfn) for path in HEADWORDS for dfn in documents[file_name].iterfind(f"{path}/x:dfn", NS)]


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
    article = entry(documents, "R&D <script>alert(« x »)</script> l’« atelier »")
    assert [script for root in documents.values() for script in root.iterfind(".//x:script", NS)] == []
    english = article.find("x:div[@class='en']", NS)
    assert text_of(english.find("x:p/x:dfn", NS)) == 'R&D “workshop” <b>'
    ecosystem = entry(documents, "écosystème numérique")
    assert "« <b>pas</b> du HTML »" in text_of(ecosystem)  # narrow no-break spaces read as spaces here
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
    assert spine[:8] == ["cover", "halftitle", "titlepage", "copyright", "nav", "preface", "howto", "letter-symboles"]
    assert spine[-4:] == ["domains", "cite", "credits", "colophon"]


def test_the_english_book_follows_the_english_headwords(tmp_path, db):
    publish_term(headword_fr="zèbre numérique", headword_en="animal data")
    publish_term(headword_fr="archive", headword_en="")
    documents = build(tmp_path, lang="en")
    assert letter_headwords(documents, "lettre-a.xhtml") == ["animal data", "archive"]
    # The bilingual and English books are dictionaries: the headword is the first paragraph of its article.
    headword = next(p for p in documents["lettre-a.xhtml"].iterfind(HEADWORDS[1], NS)
                    if text_of(p.find("x:dfn", NS)) == "archive")
    assert headword.get("lang") == "fr"


def test_long_letters_are_split_over_several_files(tmp_path, db, settings):
    from lexique.interop.exporters import epub as module

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
    links = article.iterfind(".//x:p[@class='xref']/x:a", NS)
    related = {a.text: a.get("href") for a in links if "#t-" in a.get("href")}
    assert related == {
        "écosystème numérique": "lettre-e.xhtml#t-ecosysteme-numerique",
        "Œuvre 🎭 immersive": "lettre-o.xhtml#t-oeuvre-immersive",
    }


def test_the_bilingual_book_puts_the_english_right_after_the_french(tmp_path, lexicon):
    article = entry(build(tmp_path, lang="bilingual"), "écosystème numérique")
    french, english = article[0], article.find("x:div[@class='en']", NS)
    # The French definition, its examples, synonyms and remarks, then the English ones.
    assert [child.get("class") for child in article][:5] == ["definition", "examples", "synonyms", "notes", "en"]
    assert french.get("class") == "definition" and french.get("lang") is None
    assert (english.get("lang"), english.get(XML_LANG)) == ("en", "en")
    assert english.findtext("x:p/x:dfn", namespaces=NS) == "digital ecosystem"  # a term, not a plain paragraph
    assert "Actors & tools" in "".join(english.itertext())
    # The English examples and notes with the English definition, beside the same side bar.
    assert [text_of(div) for div in english.iterfind("x:div", NS)][1:] == ["Ex. An example & another.",
                                                                          "Note: Note in English."]


def test_a_domain_book_holds_that_domain_and_links_out_to_other_terms(tmp_path, lexicon, settings):
    settings.SITE_URL = "https://lexique.example.org"
    documents = build(tmp_path, lang="fr", domains=["creation"])
    headwords = [h for name in documents if name.startswith("lettre") for h in letter_headwords(documents, name)]
    assert headwords == ["écosystème numérique", "Œuvre 🎭 immersive"]
    quotes_related = entry(documents, "Œuvre 🎭 immersive").find(".//x:a[@href='lettre-e.xhtml#t-ecosysteme-numerique']", NS)
    assert quotes_related is not None
    index = documents["index-domaines.xhtml"]
    assert [text_of(h) for h in index.iterfind(".//x:h2", NS)] == ["Création", "Diffusion & « médiation »"]


def test_a_term_related_to_one_outside_the_selection_is_left_out_and_nothing_leaves_the_book(tmp_path, lexicon,
                                                                                             settings):
    settings.SITE_URL = "https://lexique.example.org"
    documents = build(tmp_path, lang="fr", domains=["diffusion"])
    article = entry(documents, "مكتبة رقمية")
    assert text_of(article.find(".//x:p[@class='xref']", NS)) == "→ écosystème numérique"
    assert "absent de cette édition" not in book_text(documents)
    hrefs = [a.get("href") for root in documents.values() for a in root.iterfind(".//x:a", NS)]
    assert not [href for href in hrefs if "lexique.example.org/termes" in href]


def test_the_domain_index_lists_each_domain_with_links_to_its_terms(tmp_path, lexicon):
    documents = build(tmp_path, lang="en")
    index = documents["index-domaines.xhtml"]
    top = index.find(".//x:section", NS)
    assert (top.get("role"), top.get(f"{{{NS['epub']}}}type")) == ("doc-index", "index")
    sections = {text_of(s.find("x:h2", NS)): [a.text for a in s.iterfind(".//x:a", NS)]
                for s in index.iterfind(".//x:section/x:section", NS)}
    assert sections == {
        "Distribution & <outreach>": [LONG_WORD[:200], "digital ecosystem", "digital library"],
        "Creation": ["digital ecosystem", "immersive work 🎭"],
    }


def test_a_domain_named_the_same_in_both_languages_is_named_once(tmp_path, db):
    DomainFactory(slug="production", name_fr="Production", name_en="Production")
    publish_term(headword_fr="régie", domains=["production"])
    index = build(tmp_path, lang="bilingual")["index-domaines.xhtml"]
    assert [text_of(h) for h in index.iterfind(".//x:h2", NS)] == ["Production"]


def test_the_copyright_page_gives_edition_licence_publisher_count_and_address(tmp_path, lexicon, settings):
    settings.SITE_URL = "https://lexique.example.org"
    settings.LEXIQUE_CONTENT_LICENCE = "CC BY 4.0"
    settings.LEXIQUE_CONTENT_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
    settings.LEXIQUE_PUBLISHER = "Culture numérique Québec"
    documents = build(tmp_path, lang="fr", title="Notre glossaire")
    page = documents["droits.xhtml"]
    text = text_of(page)
    for expected in ("CC BY 4.0", "https://lexique.example.org", "Édition du ", "5 termes",
                     "D’après le Lexique de la transformation numérique en culture",
                     "Éditeur : Culture numérique Québec", "Identifiant : urn:uuid:"):
        assert expected in text
    assert "Version du lexique" not in text
    licence = page.find(".//x:a[@href='https://creativecommons.org/licenses/by/4.0/']", NS)
    assert licence.text == "CC BY 4.0"


def test_a_development_address_is_never_printed_in_a_book(tmp_path, lexicon, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    path = tmp_path / "book.epub"
    EpubExporter(ExportOptions(lang="fr", domains=("diffusion",))).write(path)
    with zipfile.ZipFile(path) as book:
        everything = b"".join(book.read(name) for name in book.namelist() if not name.endswith(".jpg"))
    assert b"127.0.0.1" not in everything
    assert _opf(read_book(path)).find(".//dc:source", NS) is None


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


def test_the_contents_page_has_a_heading_hides_its_landmarks_and_nests_terms_under_letters(tmp_path, lexicon):
    documents = build(tmp_path, lang="fr")
    nav = documents["nav.xhtml"]
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    assert text_of(toc.find("x:h1", NS)) == "Table des matières"
    top = [text_of(li.find("x:a", NS)) for li in toc.find("x:ol", NS).iterfind("x:li", NS)]
    assert top == ["Page de titre", "Droits et édition", "Préface", "Mode d’emploi", "Les termes de A à Z",
                   "Index alphabétique", "Index par domaine", "Comment citer", "Contributions", "Colophon"]
    letters = toc.find(".//x:ol[@class='toc-letters']", NS)
    assert [li.find("x:a", NS).text for li in letters.iterfind("x:li", NS)] == ["0–9 et symboles", "A", "E", "O", "R"]
    e_terms = letters.findall("x:li", NS)[2].find("x:ol", NS)
    assert e_terms.get("hidden") == ""  # listed for the reading system's contents, not on the page
    assert [a.get("href") for a in e_terms.iterfind(".//x:a", NS)] == ["lettre-e.xhtml#t-ecosysteme-numerique"]
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    assert landmarks.get("hidden") == ""
    kinds = {a.get(f"{{{NS['epub']}}}type"): a.text for a in landmarks.iterfind(".//x:a", NS)}
    assert kinds["bodymatter"] == "Début du lexique"
    ncx = [t.text for t in documents["toc.ncx"].iterfind(".//ncx:navLabel/ncx:text", NS)]
    assert "écosystème numérique" in ncx and "Colophon" in ncx
    guide = {ref.get("type"): ref.get("title") for ref in documents["content.opf"].iterfind(".//opf:reference", NS)}
    assert guide["text"] == "Début du lexique"


def test_an_organisation_edition_is_named_on_cover_title_page_and_metadata_and_the_lexicon_is_credited(tmp_path, lexicon):
    path = tmp_path / "book.epub"
    options = ExportOptions(lang="fr", title="Guide & Cie", subtitle="Pour nos équipes", organisation="Théâtre & Cie")
    EpubExporter(options).write(path)
    documents = read_book(path)
    opf = _opf(documents)
    assert [t.text for t in opf.iterfind(".//dc:title", NS)] == ["Guide & Cie", "Pour nos équipes"]
    assert opf.findtext(".//dc:publisher", namespaces=NS) == "Théâtre & Cie"
    alt = documents["couverture.xhtml"].find(".//x:img", NS).get("alt")
    assert alt.startswith("Couverture\u00a0: Guide & Cie — Pour nos équipes. Édition du ")
    assert alt.endswith("Édition préparée par\u00a0: Théâtre & Cie.")
    title_page = text_of(documents["titre.xhtml"])
    assert "Guide & Cie" in title_page and "Théâtre & Cie" in title_page
    assert "D’après le Lexique de la transformation numérique" in title_page
    assert "Édition préparée par : Théâtre & Cie" in text_of(documents["droits.xhtml"])
    with zipfile.ZipFile(path) as book:
        cover = Image.open(io.BytesIO(book.read("EPUB/couverture.jpg")))
    assert cover.size == (1600, 2560)
    cover_item = opf.find(".//opf:item[@properties='cover-image']", NS)
    assert cover_item.get("href") == "couverture.jpg"


def test_an_organisation_changes_the_book_identifier_but_not_the_standard_ones():
    assert ExportOptions(lang="fr").canonical() == {"lang": "fr", "domains": [], "title": "", "subtitle": ""}
    assert ExportOptions(organisation="Théâtre").digest() != ExportOptions().digest()
    assert ExportOptions(organisation="  Théâtre  ").is_custom
    with pytest.raises(OptionsError, match="150 caractères au plus"):
        ExportOptions(organisation="x" * 151)


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


def test_entries_carry_glossary_semantics_and_the_manifest_says_so(tmp_path, lexicon):
    documents = build(tmp_path, lang="fr")
    letter = documents["lettre-e.xhtml"]
    section = letter.find(".//x:section[@class='letter']", NS)
    assert (section.get(f"{{{NS['epub']}}}type"), section.get("role")) == ("glossary", "doc-glossary")
    term = section.find(".//x:dt[@id='t-ecosysteme-numerique']", NS)
    assert term.get(f"{{{NS['epub']}}}type") == "glossterm"
    assert term.getnext().get(f"{{{NS['epub']}}}type") == "glossdef"
    manifest = {item.get("href"): (item.get("properties") or "").split()
                for item in documents["content.opf"].iterfind(".//opf:item", NS)}
    assert manifest["lettre-e.xhtml"] == ["glossary"]
    assert manifest["cles-de-recherche.xml"] == ["search-key-map", "glossary"]
    assert documents["index.xhtml"].find(".//x:section[@role='doc-index']", NS).get(f"{{{NS['epub']}}}type") == "index"
    assert documents["lettre-e.xhtml"].find("x:body", NS).get(f"{{{NS['epub']}}}type") == "bodymatter"


def test_the_search_key_map_finds_every_headword_and_synonym_in_both_languages(tmp_path, db):
    publish_term(headword_fr="mégadonnées", headword_en="big data", synonyms=[
        {"text": "big data", "lang": "fr", "status": "not_recommended"},
        {"text": "données massives", "lang": "fr", "status": "admitted"},
        {"text": "l'infonuage", "lang": "fr", "status": "admitted"}])
    path = tmp_path / "book.epub"
    EpubExporter(ExportOptions(lang="bilingual")).write(path)
    # A dictionary in each direction: the French keys in one map, the English ones in the other.
    with zipfile.ZipFile(path) as book:
        maps = [etree.fromstring(book.read(f"EPUB/{name}")) for name in ("cles-francais.xml", "cles-anglais.xml")]
    groups = [group for skm in maps for group in skm.iter("{http://www.idpf.org/2007/ops}search-key-group")]
    assert {group.get("href") for group in groups} == {"lettre-m.xhtml#t-megadonnees"}
    values = {(match.get("value"), match.get(XML_LANG)) for group in groups for match in group}
    assert {("mégadonnées", "fr"), ("big data", "en"), ("données massives", "fr"), ("l'infonuage", "fr"),
            ("l’infonuage", "fr")} <= values


def test_synonyms_are_see_entries_in_alphabetical_order_and_anglicisms_say_they_are_english(tmp_path, db):
    publish_term(headword_fr="mégadonnées", headword_en="big data", synonyms=[
        {"text": "big data", "lang": "fr", "status": "not_recommended"},
        {"text": "données massives", "lang": "fr", "status": "admitted"}])
    publish_term(headword_fr="base de données", headword_en="database", category="loc. n. f.")
    documents = build(tmp_path, lang="fr")
    letter_b = documents["lettre-b.xhtml"].find(".//x:dl[@class='glossary']", NS)
    terms = [(dt.get("class"), flat(dt)) for dt in letter_b.iterfind("x:dt", NS)]
    assert terms == [(None, "base de données loc. nom. f."), ("see", "big data (déconseillé)")]
    see = letter_b.find("x:dt[@class='see']", NS)
    assert see.get("lang") == "en"
    assert text_of(see.getnext()) == "→ mégadonnées"
    assert see.getnext().find("x:span[@role='img']", NS).get("aria-label") == "voir"
    assert see.getnext().find("x:a", NS).get("href") == "lettre-m.xhtml#t-megadonnees"
    index = documents["index.xhtml"]
    assert "big data voir mégadonnées" in text_of(index)


def test_the_bilingual_book_has_an_english_french_index_and_the_english_one_a_french_english_index(tmp_path, db):
    publish_term(headword_fr="métadonnées", headword_en="metadata", synonyms=[
        {"text": "descriptive data", "lang": "en", "status": "admitted"}])
    bilingual = build(tmp_path, lang="bilingual")["index-anglais.xhtml"]
    entries = [text_of(li) for li in bilingual.iterfind(".//x:li", NS)]
    assert entries == ["descriptive data — métadonnées", "metadata — métadonnées"]
    assert bilingual.find(".//x:li/x:span", NS).get("lang") == "en"
    english = build(tmp_path, lang="en")
    assert [text_of(li) for li in english["index-francais.xhtml"].iterfind(".//x:li", NS)] == ["métadonnées — metadata"]
    assert "index-anglais.xhtml" not in english and "index-anglais.xhtml" not in build(tmp_path, lang="fr")


@pytest.mark.parametrize(("convention", "printed"), [
    # The OQLF's: a no-break space before the colon and inside the guillemets, none before ; and !.
    ("quebec", "Un lieu «\u00a0ouvert\u00a0»\u00a0: on y crée; vraiment!"),
    # France's: a narrow no-break space before each.
    ("france", "Un lieu «\u202fouvert\u202f»\u202f: on y crée\u202f; vraiment\u202f!"),
])
def test_french_text_is_typeset_at_export_time_and_the_stored_text_is_left_alone(tmp_path, db, settings, convention,
                                                                                 printed):
    settings.LEXIQUE_TYPOGRAPHY = convention
    term = publish_term(headword_fr="l'atelier", headword_en="the 'workshop'",
                        definition_fr="Un lieu \"ouvert\" : on y crée ; vraiment !",
                        definition_en="A place: \"open\"; really!", notes_fr="Voir aussi : l'atelier.")
    article = entry(build(tmp_path, lang="bilingual"), "l’atelier")
    french = "".join(article.find("x:div[@class='definition']", NS).itertext())
    assert french == printed
    english = "".join(article.find("x:div[@class='en']/x:div", NS).itertext())
    assert english == "A place: “open”; really!"
    assert "the ‘workshop’" in text_of(article)
    term.refresh_from_db()
    assert term.headword_fr == "l'atelier" and term.definition_fr == "Un lieu \"ouvert\" : on y crée ; vraiment !"


def test_the_sites_convention_is_quebecs_by_default_and_a_book_prints_its_labels_by_it(tmp_path, db, settings):
    from config import settings as site_settings

    assert site_settings.LEXIQUE_TYPOGRAPHY == "quebec"
    publish_term(headword_fr="métadonnées", headword_en="metadata")
    settings.LEXIQUE_TYPOGRAPHY = "quebec"
    assert "Langue\u00a0: français" in "".join(build(tmp_path, lang="fr")["droits.xhtml"].itertext())
    settings.LEXIQUE_TYPOGRAPHY = "france"
    assert "Langue\u202f: français" in "".join(build(tmp_path, lang="fr")["droits.xhtml"].itertext())


def test_an_edition_keeps_the_convention_it_was_published_under_and_older_ones_frances(tmp_path, db, settings,
                                                                                      monkeypatch):
    publish_term(headword_fr="atelier", headword_en="workshop", definition_fr="Un lieu : ouvert ; vraiment !")
    settings.LEXIQUE_TYPOGRAPHY = "quebec"
    publish_edition(number="1", note="", by=UserFactory(moderator=True))
    monkeypatch.setattr("lexique.editions.services.BOOK_RULES", 3)
    publish_term(headword_fr="balado", headword_en="podcast")
    publish_edition(number="0.9", note="", by=UserFactory(moderator=True))
    settings.LEXIQUE_TYPOGRAPHY = "france"
    definition = "".join(entry(build(tmp_path, lang="fr", edition="1"), "atelier").itertext())
    assert "Un lieu\u00a0: ouvert; vraiment!" in definition
    older = "".join(entry(build(tmp_path, lang="fr", edition="0.9"), "atelier").itertext())
    assert "Un lieu\u202f: ouvert\u202f; vraiment\u202f!" in older


def test_quebec_typography_puts_a_no_break_space_before_the_colon_only():
    assert typeset("Note : voir ; vraiment ! Pourquoi ? « oui »", "fr", convention="quebec") == (
        "Note\u00a0: voir; vraiment! Pourquoi? «\u00a0oui\u00a0»")
    assert typeset("Rendez-vous à 10:30 sur https://example.org/?a=1 ; merci", "fr", convention="quebec") == (
        "Rendez-vous à 10:30 sur https://example.org/?a=1; merci")
    assert typeset("Note: see; really!", "en", convention="quebec") == "Note: see; really!"


def test_typography_leaves_code_addresses_and_times_as_they_are():
    assert typeset("Rendez-vous à 10:30 sur https://example.org/?a=1 ; merci", "fr") == (
        "Rendez-vous à 10:30 sur https://example.org/?a=1\u202f; merci")
    assert typeset_html('<p>Tapez <code>a : "b"</code> puis <a href="https://x.org/?q=\'1\'">l\'aide</a></p>', "fr") == (
        '<p>Tapez <code>a : "b"</code> puis <a href="https://x.org/?q=\'1\'">l’aide</a></p>')


def test_the_legend_spells_out_the_parts_of_speech_in_the_language_of_the_book(tmp_path, db):
    publish_term(headword_fr="métadonnées", headword_en="metadata", category="n. f. pl.")
    documents = build(tmp_path, lang="en")
    legend = documents["mode-emploi.xhtml"].find(".//x:section[@id='legende']", NS)
    assert "n. f. pl. feminine plural noun" in text_of(legend)
    assert "not recommended a term to avoid" in text_of(legend)
    abbr = entry(documents, "metadata").find(".//x:abbr", NS)
    assert abbr.get("title") == "feminine plural noun" and text_of(abbr) == "n. f. pl."


def test_the_metadata_names_creator_and_publisher_apart_and_describes_each_variant(tmp_path, lexicon, settings):
    settings.LEXIQUE_PUBLISHER = "Culture numérique Québec"
    descriptions = {}
    for lang in ("fr", "en", "bilingual"):
        opf = _opf(build(tmp_path, lang=lang))
        creator, publisher = opf.findtext(".//dc:creator", namespaces=NS), opf.findtext(".//dc:publisher", namespaces=NS)
        assert publisher == "Culture numérique Québec" and creator != publisher
        descriptions[lang] = opf.findtext(".//dc:description", namespaces=NS)
        date = opf.findtext(".//dc:date", namespaces=NS)
        assert date == timezone.localdate().isoformat()
    assert len(set(descriptions.values())) == 3
    assert "bilingue" not in descriptions["fr"] and "bilingual" not in descriptions["en"]


def test_the_contributors_page_gives_no_count_of_people_when_no_one_agreed_to_be_named(tmp_path, lexicon):
    text = text_of(build(tmp_path, lang="fr")["contributions.xhtml"])
    assert "Personnes qui ont proposé" not in text and "modération qui les ont publiés" not in text
    assert "Leurs noms figurent dans l’historique de chaque terme" in text


def test_export_epub_names_the_organisation_and_warns_about_a_development_address(tmp_path, lexicon, settings):
    settings.SITE_URL = "http://localhost:8000"
    out, err = io.StringIO(), io.StringIO()
    call_command("export_epub", "--organisation", "Théâtre & Cie", "-o", str(tmp_path / "b.epub"), stdout=out, stderr=err)
    assert "SITE_URL" in err.getvalue() and "localhost" in err.getvalue()
    assert "Théâtre & Cie" in text_of(read_book(tmp_path / "b.epub")["titre.xhtml"])
    settings.SITE_URL = "https://lexique.example.org"
    err = io.StringIO()
    call_command("export_epub", "-o", str(tmp_path / "c.epub"), stdout=out, stderr=err)
    assert err.getvalue() == ""


class _PublishingMidway(EpubExporter):
    """An export during which a moderator publishes a term, as the first page's texts are read."""

    def fill_details(self, terms, published, *, strict=True):
        if not getattr(self, "published_midway", False):
            self.published_midway = True
            publish_term(headword_fr="arrivée en route", headword_en="late arrival")
        return super().fill_details(terms, published, strict=strict)


def test_a_publication_landing_while_the_book_is_written_starts_it_again_from_the_new_state(tmp_path, db, monkeypatch):
    from lexique.interop.exporters import epub as module

    monkeypatch.setattr(module, "TERMS_PER_FILE", 2)  # several pages, each written as it is made
    for n in range(7):
        publish_term(headword_fr=f"archive {n}", headword_en=f"archive {n}")
    path = tmp_path / "book.epub"

    published = _PublishingMidway(ExportOptions()).write(path)

    assert published.version == LexiconState.current().version
    documents = read_book(path)  # a whole archive: no page was left open when the first attempt stopped
    headwords = [h for name in documents if name.startswith("lettre-a") for h in letter_headwords(documents, name)]
    assert len(published.terms) == len(headwords) == 8
    assert "arrivée en route" in headwords


def test_a_written_book_leaves_nothing_for_the_cycle_collector_and_hands_it_back_its_objects(tmp_path, lexicon):
    from lexique.interop.exporters.epub import _BookBuilder

    gc.collect()
    gc.disable()  # what a reference cycle keeps alive would stay in gc.get_objects()
    try:
        EpubExporter(ExportOptions(lang="bilingual")).write(tmp_path / "book.epub")
        assert gc.get_freeze_count() == 0
        # By type: isinstance() would look through a dead weak proxy that other tests left to the collector.
        assert not [thing for thing in gc.get_objects() if issubclass(type(thing), _BookBuilder)]
    finally:
        gc.enable()


def test_the_cycle_collector_sits_out_the_export_and_is_as_it_was_afterwards(tmp_path, lexicon, monkeypatch):
    seen = []
    build = EpubExporter.build
    monkeypatch.setattr(EpubExporter, "build", lambda self, *a, **k: seen.append(gc.isenabled()) or build(self, *a, **k))
    assert gc.isenabled()
    EpubExporter(ExportOptions(lang="fr")).write(tmp_path / "book.epub")
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        EpubExporter(ExportOptions(lang="fr")).write(tmp_path / "again.epub")
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("text", [
    "plain", "accentué ’ « »", "control\x00\x08\x0b\x0c\x1f characters", "non-characters \ufffe\uffff end",
    "lone \ud800 surrogate \udfff", "emoji 🎭 and \U0010fffd", "\t\n\r kept",
])
def test_pages_are_encoded_without_what_xml_forbids(text):
    from lexique.interop.published import xml_safe
    from lexique.interop.exporters.epub import xml_bytes

    assert xml_bytes(text) == xml_safe(text).encode()


def test_the_cover_drawn_before_the_lexicon_is_read_is_used_only_if_it_shows_the_books_date(tmp_path, lexicon,
                                                                                             monkeypatch):
    from lexique.interop.exporters import epub as module

    drawn = []

    def draw(**inputs):
        drawn.append(inputs)
        return b"cover " + inputs["edition"].encode()

    monkeypatch.setattr("lexique.interop.exporters.cover.cover_jpeg", draw)
    options = ExportOptions(lang="fr", organisation="Théâtre & Cie")
    today = timezone.localdate()
    path = tmp_path / "book.epub"

    EpubExporter(options).write(path)  # started before the outline is read, dated today: drawn once
    assert len(drawn) == 1 and drawn[0]["organisation"] == "Théâtre & Cie"
    with zipfile.ZipFile(path) as book:
        assert book.read("EPUB/couverture.jpg") == b"cover " + drawn[0]["edition"].encode()

    exporter = EpubExporter(options)
    published = exporter.snapshot(details=False)
    same_day = module.CoverDrawing(module.cover_inputs(options, today, None))
    book, _options = exporter.build(published, cover=same_day)
    assert next(item for item in book.items if item.file_name == "couverture.jpg")._drawing is same_day

    yesterday = module.CoverDrawing(module.cover_inputs(options, today - datetime.timedelta(days=1), None))
    book, _options = exporter.build(published, cover=yesterday)  # read after midnight: drawn again
    drawing = next(item for item in book.items if item.file_name == "couverture.jpg")._drawing
    assert drawing is not yesterday and drawing.result() == b"cover " + drawn[0]["edition"].encode()
    assert len(drawn) == 4


def test_an_entry_names_its_domains_in_the_sites_order_whatever_order_they_were_linked_in(tmp_path, db):
    DomainFactory(slug="zeta", name_fr="Zêta", name_en="Zeta", position=1)
    DomainFactory(slug="alpha", name_fr="Alpha", name_en="Alpha", position=2)
    DomainFactory(slug="beta", name_fr="Bêta", name_en="Beta", position=2)
    publish_term(headword_fr="ordre des domaines", headword_en="domain order", domains=["beta", "alpha", "zeta"])
    publish_term(headword_fr="un seul domaine", headword_en="one domain", domains=["alpha"])
    Domain.objects.filter(slug="zeta").update(position=0)  # reordered after the links were made
    Domain.objects.filter(slug="beta").update(position=1)

    documents = build(tmp_path, lang="fr")

    links = entry(documents, "ordre des domaines").iterfind(".//x:a[@href]", NS)
    assert [text_of(link) for link in links if "index-domaines" in link.get("href")] == ["Zêta", "Bêta", "Alpha"]
    links = entry(documents, "un seul domaine").iterfind(".//x:a[@href]", NS)
    assert [text_of(link) for link in links if "index-domaines" in link.get("href")] == ["Alpha"]


def test_threads_take_short_turns_while_a_book_is_written_and_the_usual_ones_after(tmp_path, lexicon):
    import sys

    from lexique.interop.exporters.epub import EXPORT_SWITCH_INTERVAL

    seen = []

    class Watched(EpubExporter):
        def fill_details(self, terms, published, *, strict=True):
            seen.append(sys.getswitchinterval())
            return super().fill_details(terms, published, strict=strict)

    before = sys.getswitchinterval()
    Watched(ExportOptions(lang="fr")).write(tmp_path / "book.epub")
    assert seen and all(interval <= EXPORT_SWITCH_INTERVAL < before for interval in seen)
    assert sys.getswitchinterval() == before


def test_a_french_synonym_that_is_the_english_term_only_once_accents_are_folded_stays_french(tmp_path, db):
    publish_term(headword_fr="cocréation", headword_en="co-creation", synonyms=[
        {"text": "co-création", "lang": "fr", "status": "admitted"}])
    publish_term(headword_fr="métadonnées", headword_en="metadata", synonyms=[
        {"text": "métadata", "lang": "fr", "status": "not_recommended"}])
    bilingual = build(tmp_path, lang="bilingual")
    see = next(article for article in bilingual["lettre-c.xhtml"].iterfind(".//x:article[@class='see']", NS)
               if "co-création" in text_of(article))
    assert see.find(".//x:dfn", NS).get("lang") is None
    index = bilingual["index.xhtml"]
    assert not [element for element in index.iter() if element.get("lang") == "en"
                and "co-création" in text_of(element)]
    assert ("co-création", "fr") in search_keys(tmp_path, "bilingual")
    assert ("métadata", "fr") in search_keys(tmp_path, "fr")


def search_keys(tmp_path, lang, **options):
    """The keys of every search key map of the book (a glossary's one, a dictionary's two)."""
    path = tmp_path / f"keys-{lang}.epub"
    EpubExporter(ExportOptions(lang=lang, **options)).write(path)
    with zipfile.ZipFile(path) as book:
        maps = [etree.fromstring(book.read(name)) for name in book.namelist() if name.startswith("EPUB/cles-")]
    return {(match.get("value"), match.get(XML_LANG))
            for skm in maps for match in skm.iter("{http://www.idpf.org/2007/ops}match")}


def test_an_edition_published_before_the_rule_keeps_its_words_tagged_as_they_were(tmp_path, db, monkeypatch):
    publish_term(headword_fr="métadonnées", headword_en="metadata", synonyms=[
        {"text": "métadata", "lang": "fr", "status": "not_recommended"}])
    monkeypatch.setattr("lexique.editions.services.BOOK_RULES", 0)
    publish_edition(number="2026.1", note="", by=UserFactory(moderator=True))
    assert ("métadata", "en") in search_keys(tmp_path, "fr", edition="2026.1")
    assert ("métadata", "fr") in search_keys(tmp_path, "fr")


def test_a_book_of_every_domain_says_nothing_of_domains_and_one_of_a_domain_names_it(tmp_path, lexicon):
    every = text_of(build(tmp_path, lang="fr")["droits.xhtml"])
    assert "Domaines" not in every and "tous les domaines" not in every
    assert "5 termes · Langue : français" in every
    one = text_of(build(tmp_path, lang="en", domains=("creation",))["droits.xhtml"])
    assert "Domains: Creation" in one


def test_the_citation_gives_the_edition_in_lower_case_in_french_and_in_natural_english(tmp_path, lexicon):
    french = text_of(build(tmp_path, lang="fr")["citer.xhtml"])
    assert re.search(r", édition du \d{1,2} \w+ \d{4}\.", french)
    assert "Édition du" not in french
    documents = build(tmp_path, lang="en")
    english = text_of(documents["citer.xhtml"])
    assert re.search(r", \d{1,2} [A-Z][a-z]+ \d{4} edition\.", english)
    assert "Edition of" not in english
    assert re.search(r"\d{4} edition$", text_of(documents["titre.xhtml"]))
    assert re.search(r"The \d{1,2} [A-Z][a-z]+ \d{4} edition, with the terms", text_of(documents["droits.xhtml"]))
    assert "Edition of" not in book_text(documents)


def test_an_edition_published_before_the_front_matter_rules_keeps_its_words(tmp_path, lexicon, monkeypatch):
    monkeypatch.setattr("lexique.editions.services.BOOK_RULES", 1)
    publish_edition(number="2026.1", note="", by=UserFactory(moderator=True))
    documents = build(tmp_path, lang="fr", edition="2026.1")
    assert "Domaines : tous les domaines" in text_of(documents["droits.xhtml"])
    assert "Personnes qui ont proposé ces termes : 1." in text_of(documents["contributions.xhtml"])
    assert re.search(r", Édition du \d", text_of(documents["citer.xhtml"]))
    english = build(tmp_path, lang="en", edition="2026.1")
    assert re.search(r", Edition of \d", text_of(english["citer.xhtml"]))
    assert "Edition of" in text_of(english["titre.xhtml"]) and "Edition of" in text_of(english["droits.xhtml"])


def test_the_english_book_cites_and_links_to_the_english_pages_of_the_site(tmp_path, lexicon, settings):
    settings.SITE_URL = "https://lexique.example.org"
    english = build(tmp_path, lang="en")
    citation = text_of(english["citer.xhtml"])
    assert re.search(r"Online: https://lexique\.example\.org/en/termes/[\w-]+/", citation)
    assert "example.org/termes/" not in citation
    for page in ("preface.xhtml", "droits.xhtml"):
        hrefs = [a.get("href") for a in english[page].iterfind(".//x:a", NS) if "example.org" in a.get("href")]
        assert hrefs == ["https://lexique.example.org/en/"], page
    assert english["content.opf"].findtext(".//dc:source", namespaces=NS) == "https://lexique.example.org/en/"
    french = text_of(build(tmp_path, lang="fr")["citer.xhtml"])
    assert re.search(r"En ligne : https://lexique\.example\.org/termes/[\w-]+/", french)


def test_an_english_edition_published_before_the_rule_keeps_citing_the_french_page(tmp_path, lexicon, settings,
                                                                                  monkeypatch):
    settings.SITE_URL = "https://lexique.example.org"
    monkeypatch.setattr("lexique.editions.services.BOOK_RULES", 2)
    publish_edition(number="2026.1", note="", by=UserFactory(moderator=True))
    citation = text_of(build(tmp_path, lang="en", edition="2026.1")["citer.xhtml"])
    assert re.search(r"Online: https://lexique\.example\.org/termes/[\w-]+/", citation)


def test_the_bilingual_book_gives_english_synonyms_with_the_english_text_in_english_words(tmp_path, db):
    publish_term(headword_fr="médias sociaux", headword_en="social media", synonyms=[
        {"text": "réseaux sociaux", "lang": "fr", "status": "admitted"},
        {"text": "social networks", "lang": "en", "status": "not_recommended"}])
    article = entry(build(tmp_path, lang="bilingual"), "médias sociaux")
    french = article.find("x:p[@class='synonyms']", NS)
    english = article.find("x:div[@class='en']/x:p[@class='synonyms']", NS)
    assert flat(french) == "Syn. réseaux sociaux (admis)"
    assert flat(english) == "Syn. social networks (not recommended)"


def test_the_legend_lists_no_word_that_abbreviates_nothing_and_spells_out_the_entries_labels(tmp_path, db):
    publish_term(headword_fr="OQLF", category="sigle")
    publish_term(headword_fr="mégadonnées", category="n. f. pl.")
    legend = build(tmp_path, lang="fr")["mode-emploi.xhtml"].find(".//x:section[@id='legende']/x:dl", NS)
    terms = [text_of(dt) for dt in legend.iterfind("x:dt", NS)]
    assert terms == ["n. f. pl.", "Syn.", "Ex.", "→"]


def test_lists_a_reading_system_should_not_show_are_hidden_by_the_style_sheet_too(tmp_path, lexicon):
    path = tmp_path / "book.epub"
    EpubExporter(ExportOptions(lang="fr")).write(path)
    with zipfile.ZipFile(path) as book:
        style = book.read("EPUB/style.css").decode()
        nav = book.read("EPUB/nav.xhtml").decode()
    assert 'hidden=""' in nav
    assert "[hidden] { display: none; }" in style


def test_the_bilingual_book_says_it_is_bilingual_on_its_cover_and_title_page(tmp_path, lexicon):
    covers = {}
    for lang in ("fr", "bilingual"):
        path = tmp_path / f"{lang}.epub"
        EpubExporter(ExportOptions(lang=lang)).write(path)
        with zipfile.ZipFile(path) as book:
            covers[lang] = book.read("EPUB/couverture.jpg")
            title_page = text_of(read_book(path)["titre.xhtml"])
    assert covers["fr"] != covers["bilingual"]
    assert "Édition bilingue du" in title_page


def test_the_colophon_says_which_version_of_the_online_lexicon_the_text_is(tmp_path, lexicon):
    colophon = text_of(build(tmp_path, lang="fr")["colophon.xhtml"])
    version = LexiconState.current().version
    assert f"Le texte est celui de la version {version} du lexique en ligne." in colophon
    assert "État" not in colophon


def test_the_cover_sets_the_title_in_italics_and_an_edition_of_earlier_rules_keeps_its_roman(tmp_path, lexicon,
                                                                                            monkeypatch):
    monkeypatch.setattr("lexique.editions.services.BOOK_RULES", 5)
    publish_edition(number="2026.1", note="", by=UserFactory(moderator=True))
    covers = {}
    for edition in ("", "2026.1"):
        path = tmp_path / f"book-{edition}.epub"
        EpubExporter(ExportOptions(lang="fr", edition=edition)).write(path)
        with zipfile.ZipFile(path) as book:
            covers[edition] = Image.open(io.BytesIO(book.read("EPUB/couverture.jpg"))).convert("L")
    # The same cover but for the title (in the band under the rule above it): set otherwise, not moved.
    difference = Image.eval(ImageChops.difference(covers[""], covers["2026.1"]), lambda value: 255 * (value > 48))
    box = difference.getbbox()
    assert box is not None
    assert 400 <= box[1] and box[3] <= 1400, box
