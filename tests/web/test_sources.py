"""Sources that are not web pages, through the pages: the propose form, the term and version pages, reviews."""
import json

import pytest
from django.urls import reverse

from lexique import selectors, services
from lexique.models import Revision
from tests.support.exports_data import CITED_SOURCES
from tests.support.factories import content, publish_term

pytestmark = pytest.mark.django_db

BOOK, STANDARD, GLOSSARY, WEB_PAGE = CITED_SOURCES
# The four sources as a person types them in the form, one a line, in French or in English.
TYPED = "\n".join([
    "Dictionnaire de la culture numérique | auteur : Marie Tremblay | année : 2021 "
    "| éditeur : Presses de l'Université Laval | pages : 112-115 | définition : fr",
    "Travaux terminologiques — Vocabulaire | year: 2019 | publisher: ISO | ISO 1087:2019 "
    "| definition: English | https://www.iso.org/standard/62330.html",
    "Glossaire des arts \\| de la scène | auteur : Conseil des arts\\\\Lettres : Québec | année : 1998 | p. 7",
    "Office québécois de la langue française | https://vitrinelinguistique.oqlf.gouv.qc.ca/",
])


def test_a_book_a_standard_and_a_printed_glossary_are_proposed_through_the_form(client, contributor):
    client.force_login(contributor)
    response = client.post(reverse("lexique:propose"), {**content(headword_fr="terminologie"), "sources": TYPED})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Revision.objects.get(headword_fr="terminologie").sources == CITED_SOURCES


def test_the_form_gives_the_sources_back_as_they_can_be_typed_again(client, contributor):
    term = publish_term(headword_fr="terminologie", sources=CITED_SOURCES)
    client.force_login(contributor)
    page = client.get(reverse("lexique:propose-edit", args=[term.slug])).content.decode()
    assert "Dictionnaire de la culture numérique | auteur : Marie Tremblay" in page
    from lexique.web.forms import ProposalForm

    initial = ProposalForm.initial_from(term.current_revision.content())
    form = ProposalForm(data={**content(headword_fr="terminologie"), "sources": initial["sources"]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sources"] == CITED_SOURCES


@pytest.mark.parametrize(("line", "message"), [
    ("Livre | année : vers 1990", "L&#x27;année s&#x27;écrit en chiffres"),
    ("Livre | tome : 2", "ni une adresse ni une précision connue"),
    ("| auteur : Quelqu'un", "Chaque source a un titre"),
])
def test_a_bad_source_line_is_said_beside_the_field_and_nothing_is_written(client, contributor, line, message):
    client.force_login(contributor)
    page = client.post(reverse("lexique:propose"), {**content(headword_fr="terminologie"), "sources": line})
    assert page.status_code == 200 and message in page.content.decode()
    assert not Revision.objects.filter(headword_fr="terminologie").exists()


def test_the_term_page_cites_each_source_beside_the_definition_it_supports(client):
    term = publish_term(headword_fr="terminologie", headword_en="terminology", sources=CITED_SOURCES)
    page = client.get(term.get_absolute_url()).content.decode()
    french = page.index('<section class="term-version" lang="fr">')
    english = page.index('<section class="term-version other-language" lang="en">')
    book = page.index("Marie Tremblay, <cite>Dictionnaire de la culture numérique</cite>")
    standard = page.index('<cite><a href="https://www.iso.org/standard/62330.html" rel="nofollow noopener">'
                          "Travaux terminologiques — Vocabulaire</a></cite>, ISO 1087:2019, ISO, 2019")
    aside = page.index('class="term-meta"')
    assert french < book < english < standard < aside  # each beside its definition, before the term's sources
    assert page.index("<cite>Glossaire des arts | de la scène</cite>, 1998, p. 7") > aside
    assert page.index('<cite><a href="https://vitrinelinguistique.oqlf.gouv.qc.ca/"') > aside


def test_the_english_term_page_cites_in_english(client):
    term = publish_term(headword_fr="terminologie", headword_en="terminology", sources=[BOOK])
    page = client.get(f"/en{term.get_absolute_url()}").content.decode()
    assert "Source of the definition" in page and "2021, pp. 112-115" in page


def test_a_version_page_cites_its_sources_and_its_citations_carry_them(client):
    term = publish_term(headword_fr="terminologie", headword_en="terminology", sources=CITED_SOURCES)
    version = term.current_revision.version
    page = client.get(reverse("lexique:term-version", args=[term.slug, version])).content.decode()
    assert "Marie Tremblay, <cite>Dictionnaire de la culture numérique</cite>" in page
    csl = json.loads(client.get(reverse("lexique:citation-csl", args=[term.slug, version])).content)
    assert [item["type"] for item in csl] == ["entry-dictionary", "book", "standard", "document", "webpage"]
    assert csl[2]["number"] == "ISO 1087:2019" and csl[1]["author"] == [{"literal": "Marie Tremblay"}]
    bibtex = client.get(reverse("lexique:citation-bibtex", args=[term.slug, version])).content.decode()
    assert "@standard{" in bibtex and "number = {ISO 1087:2019}" in bibtex and "@book{" in bibtex


def test_old_sources_still_read_on_every_page(client):
    old = {"title": "OQLF", "url": "https://vitrinelinguistique.oqlf.gouv.qc.ca/"}
    term = publish_term(headword_fr="terminologie", sources=[old])
    page = client.get(term.get_absolute_url()).content.decode()
    link = '<a href="https://vitrinelinguistique.oqlf.gouv.qc.ca/" rel="nofollow noopener">OQLF</a>'
    assert f"<cite>{link}</cite>" in page
    assert selectors.labelled_content(term.current_revision)["sources"] == [
        "OQLF <https://vitrinelinguistique.oqlf.gouv.qc.ca/>"]


def test_a_review_diffs_sources_as_a_list_of_citations(client, contributor, moderator):
    term = publish_term(headword_fr="terminologie", sources=[WEB_PAGE])
    revision = services.propose_edit(term=term, author=contributor, base_revision=term.current_revision,
                                     content={**term.current_revision.content(), "sources": [WEB_PAGE, STANDARD]})
    labelled = selectors.labelled_content(revision)["sources"]
    assert labelled[1] == ("Travaux terminologiques — Vocabulaire, ISO 1087:2019, ISO, 2019 "
                           "<https://www.iso.org/standard/62330.html> (définition anglaise)")
    client.force_login(moderator)
    page = client.get(reverse("lexique:review", args=[revision.pk])).content.decode()
    assert "Travaux terminologiques — Vocabulaire" in page
