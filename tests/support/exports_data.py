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
