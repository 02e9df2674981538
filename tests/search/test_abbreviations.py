"""Abbreviations, acronyms and initialisms (synonyms with a kind) under their own letter: on the A–Z pages in
each language, counted with the letter, found by search on every database, and in the e-book's index."""
import pytest
from django.db import connection

from lexique import selectors, services
from lexique.editions.services import publish_edition
from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.published import ExportOptions
from lexique.models import Abbreviation, Term
from lexique.publishing import figures
from lexique.search import ranking
from lexique.search.suggestions import rebuild_abbreviations
from tests.support.export_fixtures import NS, read_book
from tests.support.factories import UserFactory, publish_term
from tests.support.helpers import plans_of_every_query

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")


@pytest.fixture
def lexicon():
    intelligence = publish_term(
        headword_fr="intelligence artificielle", headword_en="artificial intelligence",
        definition_fr="Systèmes qui imitent des fonctions cognitives.",
        synonyms=[{"text": "IA", "lang": "fr", "status": "preferred", "kind": "initialism"},
                  {"text": "AI", "lang": "en", "status": "preferred", "kind": "initialism"}])
    publish_term(headword_fr="règlement général sur la protection des données",
                 headword_en="general data protection regulation",
                 synonyms=[{"text": "RGPD", "lang": "fr", "status": "preferred", "kind": "initialism"},
                           {"text": "GDPR", "lang": "en", "status": "preferred", "kind": "initialism"},
                           {"text": "règlement européen", "lang": "fr", "status": "admitted"}])
    publish_term(headword_fr="jeton non fongible", headword_en="non-fungible token",
                 synonyms=[{"text": "NFT", "lang": "en", "status": "preferred", "kind": "acronym"},
                           {"text": "JNF", "lang": "fr", "status": "not_recommended", "kind": "initialism"}])
    return intelligence


def test_an_abbreviation_is_listed_under_its_own_letter_pointing_to_its_term(lexicon, client):
    page = client.get("/lettres/I/").content.decode()
    assert "Sigles, acronymes et abréviations" in page
    assert ('<span lang="fr">IA</span> <span class="category">(sigle)</span> <span aria-hidden="true">→</span>'
            '<span class="visually-hidden">voir</span> <a href="/termes/intelligence-artificielle/" lang="fr">'
            'intelligence artificielle</a>') in page
    assert "RGPD" in client.get("/lettres/R/").content.decode()
    # Only the French ones on French pages: "AI" is English.
    assert "Sigles, acronymes" not in client.get("/lettres/A/").content.decode()


def test_english_pages_file_english_abbreviations(lexicon, client):
    page = client.get("/en/lettres/A/").content.decode()
    assert '<span lang="en">AI</span> <span class="category">(initialism)</span>' in page
    assert ">artificial intelligence</a>" in page
    assert "GDPR" in client.get("/en/lettres/G/").content.decode()
    assert "NFT" in client.get("/en/lettres/N/").content.decode()
    assert "NFT" not in client.get("/lettres/N/").content.decode()


def test_the_counts_per_letter_include_abbreviations(lexicon, client):
    french = dict(selectors.letters_with_counts(lang="fr"))
    assert (french["I"], french["R"], french["J"]) == (2, 2, 2)  # a headword and an abbreviation each
    english = dict(selectors.letters_with_counts(lang="en"))
    assert (english["A"], english["G"], english["N"]) == (2, 2, 2)
    # A letter with only an abbreviation is a link in the strip of letters, and its page lists it alone.
    assert dict(selectors.letters_with_counts(lang="en"))["N"] == 2
    assert french["A"] == 0
    page = client.get("/en/lettres/N/").content.decode()
    assert 'href="/en/lettres/N/"' in page and "No terms yet" not in page


def test_a_letter_page_of_only_abbreviations_lists_no_empty_terms(client):
    publish_term(headword_fr="musée", headword_en="museum",
                 synonyms=[{"text": "ZZ", "lang": "fr", "status": "admitted", "kind": "abbreviation"}])
    page = client.get("/lettres/Z/").content.decode()
    assert "ZZ" in page and "Aucun terme pour l'instant." not in page


def test_the_list_follows_each_publication_and_retirement(lexicon):
    term = lexicon
    revision = services.propose_edit(
        term=term, author=UserFactory(), base_revision=term.current_revision,
        content={**term.current_revision.content(),
                 "synonyms": [{"text": "IA", "lang": "fr", "status": "preferred"}]})  # no longer typed
    services.approve(revision, by=UserFactory(moderator=True))
    assert not Abbreviation.objects.filter(term_id=term.pk).exists()
    assert Abbreviation.objects.count() == 4
    # The counts per letter follow, kept by triggers as the database would count them.
    assert figures.figures(figures.ABBREVIATIONS) == {"fr:I": 0, "en:A": 0, "fr:R": 1, "en:G": 1, "en:N": 1,
                                                      "fr:J": 1}
    assert {name: total for (kind, name), total in figures.recounted().items() if kind == figures.ABBREVIATIONS} == {
        "fr:R": 1, "en:G": 1, "en:N": 1, "fr:J": 1}
    services.retire(Term.objects.get(slug="jeton-non-fongible"), by=UserFactory(moderator=True), reason="Doublon.")
    assert not Abbreviation.objects.filter(text__in=["NFT", "JNF"]).exists()
    assert dict(selectors.letters_with_counts(lang="en"))["N"] == 0
    assert rebuild_abbreviations() == Abbreviation.objects.count()  # what the migration fills is what saves kept


def test_abbreviations_are_found_by_search(lexicon):
    for query, lang in (("IA", "fr"), ("ia", "en"), ("AI", "en"), ("AI", "fr")):
        assert ranking.search(query, lang=lang)[0].headword_fr == "intelligence artificielle", (query, lang)
    assert ranking.search("RGPD")[0].headword_en == "general data protection regulation"
    assert ranking.search("NFT", lang="en")[0].headword_fr == "jeton non fongible"


@postgresql_only
def test_postgresql_reads_a_letters_abbreviations_from_an_index(lexicon):
    plans = plans_of_every_query(lambda: (selectors.abbreviations_starting_with("I", lang="fr"),
                                          selectors.letters_with_counts(lang="fr")))
    assert any("abbreviation" in plan for plan in plans)
    for plan in plans:
        assert "Seq Scan on lexique_abbreviation" not in plan, plan


def _index_entries(path, letter):
    index = read_book(path)["index.xhtml"]
    group = next(section for section in index.iterfind(".//x:section[@epub:type='index-group']", NS)
                 if "".join(section.find("x:h2", NS).itertext()).strip() == letter)
    return [" ".join(" ".join(li.itertext()).split()) for li in group.iterfind(".//x:li", NS)]


def test_the_e_books_index_files_an_abbreviation_under_its_letter_and_says_what_it_is(lexicon, tmp_path):
    for lang, letter, entry in (("fr", "I", "IA (sigle) voir intelligence artificielle"),
                                ("en", "A", "AI (initialism) see artificial intelligence")):
        path = tmp_path / f"{lang}.epub"
        EpubExporter(ExportOptions(lang=lang)).write(path)
        assert entry in _index_entries(path, letter)
        letter_page = read_book(path)[f"lettre-{letter.lower()}.xhtml"]
        assert entry.split(" voir ")[0].split(" see ")[0] in " ".join(" ".join(letter_page.itertext()).split())


def test_an_edition_published_under_earlier_book_rules_keeps_its_index(lexicon, tmp_path, monkeypatch):
    monkeypatch.setattr("lexique.editions.services.BOOK_RULES", 5)
    publish_edition(number="2026.1", note="", by=UserFactory(moderator=True))
    path = tmp_path / "edition.epub"
    EpubExporter(ExportOptions(lang="fr", edition="2026.1")).write(path)
    assert "IA voir intelligence artificielle" in _index_entries(path, "I")
