"""The relevance suite: what a reader types and the term that must come first, on a lexicon of 10,000
generated terms and the demo's, on SQLite and on PostgreSQL alike (docs/search.md says why)."""
import pytest
from django.core.management import call_command
from django.db import transaction

from lexique.models import Term
from lexique.search import ranking
from lexique.search.filters import SearchFilters

pytestmark = pytest.mark.django_db

# (query, reader's language, the French headword of the first result). A set: any of them may be first;
# a callable: what the first result's headwords must satisfy.
RELEVANCE = [
    # Exact headwords, accents and case both ways
    ("métadonnées", "fr", "métadonnées"),
    ("metadonnees", "fr", "métadonnées"),
    ("MÉTADONNÉES", "fr", "métadonnées"),
    ("écosystème numérique", "fr", "écosystème numérique"),
    ("ECOSYSTEME NUMERIQUE", "fr", "écosystème numérique"),
    ("decouvrabilite", "fr", "découvrabilité"),
    ("numerisation", "fr", "numérisation"),
    ("infonuagique", "fr", "infonuagique"),
    ("plateforme", "fr", "plateforme"),
    ("Interopérabilité", "fr", "interopérabilité"),
    # Plurals and singulars
    ("métadonnée", "fr", "métadonnées"),
    ("infolettres", "fr", "infolettre"),
    ("newsletters", "en", "infolettre"),
    ("données ouverte", "fr", "données ouvertes"),
    # Apostrophes, hyphens, ligatures
    ("droit d'auteur", "fr", "droit d'auteur"),
    ("droit d’auteur", "fr", "droit d'auteur"),
    ("DROIT D AUTEUR", "fr", "droit d'auteur"),
    ("tiers lieu", "fr", "tiers-lieu"),
    ("tiers-lieu", "fr", "tiers-lieu"),
    ("l'œuvre", "fr", lambda fr, en: fr.startswith("œuvre")),
    ("oeuvre", "fr", lambda fr, en: fr.startswith("œuvre")),
    ("Œuvres", "fr", lambda fr, en: fr.startswith("œuvre")),
    # Synonyms, in the reader's language then the other
    ("informatique en nuage", "fr", "infonuagique"),
    ("copyright", "fr", "droit d'auteur"),
    ("digitalisation", "fr", "numérisation"),
    ("plate-forme", "fr", "plateforme"),
    ("réseaux sociaux", "fr", "médias sociaux"),
    ("ebook", "en", "livre numérique"),
    # English, on English and French pages
    ("cloud computing", "en", "infonuagique"),
    ("cloud computing", "fr", "infonuagique"),
    ("open data", "en", "données ouvertes"),
    ("open data", "fr", "données ouvertes"),
    ("metadata", "en", "métadonnées"),
    ("data governance", "en", "gouvernance des données"),
    ("artificial intelligence", "en", "intelligence artificielle"),
    ("big data", "en", "mégadonnées"),
    ("digital strategy", "en", "stratégie numérique"),
    ("e-book", "en", "livre numérique"),
    # Abbreviations
    ("IA", "fr", "intelligence artificielle"),
    ("ai", "en", "intelligence artificielle"),
    ("GRC", "fr", "gestion de la relation client"),
    ("crm", "en", "gestion de la relation client"),
    ("ux", "fr", "expérience utilisateur"),
    ("PCNQ", "fr", "plan culturel numérique"),
    # Prefixes and phrases: the shortest headword that starts with them, exact ones before
    ("données*", "fr", {"données liées", "données ouvertes"}),
    ("réalité", "fr", {"réalité virtuelle", "réalité augmentée"}),
    ("découvrabilité des œuvres", "fr",
     lambda fr, en: fr.startswith("découvrabilité") and fr.endswith("des œuvres")),
    ("musées", "fr", lambda fr, en: "musées" in fr),
    ("museum", "en", lambda fr, en: "museums" in en),
    ("musées", "en", lambda fr, en: "museums" in en),
    # Typos
    ("metadonees", "fr", "métadonnées"),
    ("numérisaton", "fr", "numérisation"),
    ("infonaugique", "fr", "infonuagique"),
    ("interoperabilte", "fr", "interopérabilité"),
    ("metdata", "en", "métadonnées"),
    # Absent words: the words that are found, never nothing when something matches
    ("digital asset", "en", lambda fr, en: "digital" in en.lower()),
    ("stratégie xylophone", "fr", lambda fr, en: "stratégie" in fr),
    ("xylophone", "fr", None),
]

# (query, reader's language, the "did you mean" expected: the corrected query, or None)
DID_YOU_MEAN = [
    ("metadonees", "fr", "métadonnées"),
    ("numérisaton", "fr", "numérisation"),
    ("infonaugique", "fr", "infonuagique"),
    ("strategie numerisaton", "fr", "strategie numérisation"),
    ("museum", "en", None),
    ("musées", "en", None),
    ("ÉCOSYSTÈME", "fr", None),
    ("infolettres", "fr", None),
    ("cloud computing", "en", None),
    ("données ouvertes", "fr", None),
    ("droit d'auteur", "fr", None),
]


@pytest.fixture(scope="module")
def lexicon(django_db_setup, django_db_blocker):
    """The demo lexicon and 10,000 generated terms, made once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--i-know-this-is-production", verbosity=0)
        call_command("generate_terms", 10_000, verbosity=0)
        yield
        transaction.set_rollback(True)


def first(query, lang):
    results = ranking.search(query, lang=lang)
    return results[0] if len(results) else None


@pytest.mark.parametrize(("query", "lang", "expected"), RELEVANCE, ids=[f"{q}/{lang}" for q, lang, _e in RELEVANCE])
def test_the_right_term_comes_first(lexicon, query, lang, expected):
    term = first(query, lang)
    if expected is None:
        assert term is None
    elif callable(expected):
        assert term is not None and expected(term.headword_fr, term.headword_en), (term.headword_fr, term.headword_en)
    elif isinstance(expected, set):
        assert term is not None and term.headword_fr in expected
    else:
        assert term is not None and term.headword_fr == expected


@pytest.mark.parametrize(("query", "lang", "expected"), DID_YOU_MEAN,
                         ids=[f"{q}/{lang}" for q, lang, _e in DID_YOU_MEAN])
def test_did_you_mean_is_the_corrected_query_and_only_for_unknown_words(lexicon, query, lang, expected):
    assert ranking.did_you_mean(query, lang=lang) == expected


def test_exact_matches_are_never_behind_partial_ones(lexicon):
    results = ranking.search("données ouvertes")
    assert results[0].headword_fr == "données ouvertes"
    results = ranking.search("numérique", lang="fr")
    assert results[0].headword_fr != "numérique"  # no such headword: headwords that start with it come first
    assert all(term.headword_fr.startswith("numérique") for term in results[:5])


def test_the_count_is_the_number_of_matches_not_of_candidates(lexicon):
    matches = sum("museum" in text for text in Term.objects.published().values_list("search_text", flat=True))
    assert matches > 300
    assert ranking.search("museum", lang="en").total == matches


def test_a_count_past_the_limit_is_said_as_such(lexicon, client, monkeypatch):
    monkeypatch.setattr(ranking, "COUNT_LIMIT", 100)
    results = ranking.search("données")
    assert results.capped and results.total == 100
    page = client.get("/recherche/", {"q": "données"}).content.decode()
    assert "Plus de 100 résultats pour « données »" in page
    page = client.get("/en/recherche/", {"q": "données"}).content.decode()
    assert "More than 100 results for “données”" in page
    monkeypatch.setattr(ranking, "COUNT_LIMIT", 1000)
    page = client.get("/recherche/", {"q": "données"}).content.decode()
    assert "Plus de 1\xa0000 résultats pour « données »" in page
    page = client.get("/en/recherche/", {"q": "données"}).content.decode()
    assert "More than 1,000 results for “données”" in page


def test_the_api_count_is_the_number_of_matches_and_says_when_it_is_capped(lexicon, client, monkeypatch):
    matches = ranking.search("museum", lang="en").total
    body = client.get("/api/v1/terms/", {"q": "museum", "lang": "en", "page_size": 5}).json()
    assert body["count"] == matches > 300 and body["count_capped"] is False
    assert len(body["results"]) == 5
    body = client.get("/api/v1/terms/", {"q": "museum", "lang": "en", "domain": "conservation"}).json()
    assert body["count"] == ranking.search("museum", lang="en", domain="conservation").total
    assert client.get("/api/v1/terms/").json()["count_capped"] is False
    monkeypatch.setattr(ranking, "COUNT_LIMIT", 100)
    body = client.get("/api/v1/terms/", {"q": "données", "page_size": 1}).json()
    assert body["count_capped"] is True and body["count"] >= 100  # a lower bound, said as such


def test_the_search_page_shows_the_real_count(lexicon, client):
    page = client.get("/en/recherche/", {"q": "museum"})
    assert page.context["found"].total > 300
    assert f"{page.context['found'].total} results for “museum”" in page.content.decode()


def test_a_query_of_words_not_all_found_says_which_words_it_used(lexicon, client):
    page = client.get("/en/recherche/", {"q": "digital asset"}).content.decode()
    assert "here are those that hold “digital”" in page


def test_words_each_found_but_never_together_give_the_longest_ones_results_without_a_typo_pass(
        lexicon, client, monkeypatch):
    published = Term.objects.published()
    holding = {word: set(published.filter(search_text__contains=word).values_list("pk", flat=True))
               for word in ("infonuagique", "folksonomie", "hackathon", "geolocalisation", "infolettre", "licence")}
    pairs = [(one, two) for one in holding for two in holding
             if len(one) > len(two) and holding[one] and holding[two] and not holding[one] & holding[two]]
    assert pairs, holding
    longest, other = pairs[0]
    measured = []
    typo_matches = ranking.typo_matches
    monkeypatch.setattr(ranking, "typo_matches", lambda *args: measured.append(args) or typo_matches(*args))
    found = ranking.search(f"{other} {longest}", lang="en")
    assert found.words_used == [longest]
    assert found.ids and set(found.ids) <= holding[longest]
    assert measured == []  # every word is in the texts: none is mistyped, no headword is measured against it
    page = client.get("/en/recherche/", {"q": f"{other} {longest}"}).content.decode()
    assert f"here are those that hold “{longest}”" in page


def test_the_api_ranks_in_the_language_asked_for(lexicon, client):
    for lang in ("en", "fr"):
        items = client.get("/api/v1/terms/", {"q": "cloud computing", "lang": lang}).json()["results"]
        assert items[0]["slug"] == "infonuagique"
    items = client.get("/api/v1/terms/", {"q": "metadata", "lang": "en"}).json()["results"]
    assert items[0]["slug"] == "metadonnees"


def test_the_api_drops_a_wildcard_as_the_search_page_does(lexicon, client):
    response = client.get("/api/v1/terms/", {"q": "données*"})
    assert response.status_code == 200
    assert response.json()["results"][0]["slug"] in {"donnees-liees", "donnees-ouvertes"}


def test_the_search_page_and_the_api_give_the_same_order(lexicon, client):
    page = client.get("/recherche/", {"q": "réalité"}).context["page"]
    items = client.get("/api/v1/terms/", {"q": "réalité", "lang": "fr"}).json()["results"]
    assert [term.slug for term in page.object_list[:10]] == [item["slug"] for item in items[:10]]


# Filters and match modes on the same lexicon: (query, reader's language, filters, the French headword of the
# first result, or None for no result).
FILTERED = [
    # The status and language of the designation that matches, not of the term's other names
    ("big data", "fr", {"status": "not_recommended"}, "mégadonnées"),  # its French synonym
    ("big data", "en", {"status": "preferred", "language": "en"}, "mégadonnées"),  # its English headword
    ("crm", "fr", {"mode": "exact", "language": "fr", "status": "not_recommended"}, "gestion de la relation client"),
    ("crm", "fr", {"mode": "exact", "language": "fr", "status": "admitted"}, None),  # the French CRM is not
    ("crm", "en", {"mode": "exact", "language": "en", "status": "admitted"}, "gestion de la relation client"),
    ("grc", "fr", {"language": "en"}, None),
    # Match modes: headwords and synonyms only, accents and case aside
    ("infonuagique", "fr", {"mode": "exact"}, "infonuagique"),
    ("CLOUD", "fr", {"mode": "exact"}, "infonuagique"),  # its French synonym "cloud"
    ("informatique en", "fr", {"mode": "starts"}, "infonuagique"),
    ("nuage", "fr", {"mode": "contains"}, "infonuagique"),  # inside "informatique en nuage"
    ("xylophone", "fr", {"mode": "contains"}, None),
    ("données", "fr", {"mode": "exact"}, None),  # no designation is "données" alone
]


@pytest.mark.parametrize(("query", "lang", "filters", "expected"), FILTERED,
                         ids=[f"{q}/{lang}/{'+'.join(f.values())}" for q, lang, f, _e in FILTERED])
def test_filters_and_match_modes_keep_the_right_terms(lexicon, query, lang, filters, expected):
    found = ranking.search(query, lang=lang, filters=SearchFilters(**filters))
    assert (found[0].headword_fr if len(found) else None) == expected


def test_counts_per_filter_value_are_bounded_by_the_candidates_and_say_so(lexicon):
    found = ranking.search("museum", lang="en", facets=True)
    assert found.facets_bounded  # more matches than the search ranks
    assert sum(found.facets["language"].values()) <= len(found.ids) * 2
    narrowed = ranking.search("museum", lang="en", filters=SearchFilters(language="en"))
    assert narrowed.at_least and narrowed.total == found.facets["language"]["en"]
