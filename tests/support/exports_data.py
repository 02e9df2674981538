"""A small published lexicon with every field in use, for the tests of the terminology formats."""
from lexique import services
from lexique.models import Term

from .factories import DomainFactory, UserFactory, content


def rich_lexicon():
    """Three published terms: both languages, every status, sources, two domains, related terms, and
    texts that test the formats' edges (a formula-like cell, a Markdown list, quotes, accents, line breaks)."""
    moderator = UserFactory(moderator=True)
    author = UserFactory()
    DomainFactory(slug="diffusion", name_fr="Diffusion", name_en="Distribution", position=1)
    DomainFactory(slug="patrimoine", name_fr="Patrimoine", name_en="Heritage", position=2)

    def publish(**fields):
        revision = services.propose_term(author=author, content=content(**fields))
        services.approve(revision, by=moderator)
        return revision.term

    publish(
        headword_fr="découvrabilité", headword_en="discoverability", category="n. f.", part_of_speech_en="noun",
        region_fr="qc",
        definition_fr="Capacité d'un contenu à être *trouvé* parmi d'autres.\n\n- en ligne\n- en salle",
        definition_en="How easily content is *found* among others.",
        examples_fr="« Améliorer la découvrabilité » ; =SOMME(A1:A2)", examples_en="+1 for \"quotes\"",
        notes_fr="@mention ; -moins", notes_en="",
        synonyms=[
            {"text": "repérabilité", "lang": "fr", "status": "preferred"},
            {"text": "trouvabilité", "lang": "fr", "status": "admitted", "region": "fr"},
            {"text": "découverte", "lang": "fr", "status": "admitted"},
            {"text": "findability", "lang": "en", "status": "admitted"},
            {"text": "discoverabilité", "lang": "fr", "status": "not_recommended"},
        ],
        sources=[{"title": "Office québécois de la langue française", "url": "https://vitrinelinguistique.oqlf.gouv.qc.ca/"},
                 {"title": "Rapport <2024>", "url": "https://example.org/rapport?a=1&b=2"}],
        domains=["diffusion", "patrimoine"],
    )
    publish(headword_fr="métadonnées", headword_en="metadata", category="n. f. pl.", part_of_speech_fr="noun",
            gender_fr="feminine", region_en="intl",
            definition_fr="Données qui décrivent une ressource.", definition_en="Data describing a resource.",
            domains=["patrimoine"], related=["decouvrabilite"])
    publish(headword_fr="NFT", headword_en="", category="sigle", definition_fr="'=Jeton non fongible.",
            related=["decouvrabilite", "metadonnees"])
    return Term.objects.published()


# A book, a standard and a printed glossary cited, each the way a terminologist cites it, beside a web page
# cited the old way ({"title", "url"}); the separators of a source's line ("|", "\", ":") inside its texts.
CITED_SOURCES = [
    {"title": "Dictionnaire de la culture numérique", "author": "Marie Tremblay", "year": "2021",
     "publisher": "Presses de l'Université Laval", "pages": "112-115", "definition": "fr"},
    {"title": "Travaux terminologiques — Vocabulaire", "year": "2019", "publisher": "ISO", "standard": "ISO 1087:2019",
     "url": "https://www.iso.org/standard/62330.html", "definition": "en"},
    {"title": "Glossaire des arts | de la scène", "author": "Conseil des arts\\Lettres : Québec", "year": "1998",
     "pages": "7"},
    {"title": "Office québécois de la langue française", "url": "https://vitrinelinguistique.oqlf.gouv.qc.ca/"},
]


def cited_lexicon():
    """The rich lexicon and a term whose sources are a book, a standard, a printed glossary and a web page."""
    rich_lexicon()
    moderator = UserFactory(moderator=True)
    revision = services.propose_term(author=UserFactory(), content=content(
        headword_fr="terminologie", headword_en="terminology", definition_fr="Étude des termes.",
        definition_en="The study of terms.", sources=CITED_SOURCES, domains=["patrimoine"]))
    services.approve(revision, by=moderator)
    return Term.objects.published()
