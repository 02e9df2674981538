"""The OntoLex-Lemon export as rdflib reads it: a lexicon per language, an entry for every headword and synonym
with its written form, senses that point at the SKOS file's concepts, part of speech and gender as LexInfo values."""
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from lexique.interop.exporters.ontolex import LIME, ONTOLEX, OntolexExporter
from lexique.interop.exporters.skos import LEXINFO, SkosTurtleExporter
from lexique.interop.registry import API_FILES, EXPORTERS
from lexique.models import Term
from tests.support.export_fixtures import exported_file
from tests.support.exports_data import rich_lexicon
from tests.support.factories import publish_term

pytestmark = pytest.mark.django_db
SITE = "https://lexique.test"
TERM = URIRef(f"{SITE}/termes/decouvrabilite/")


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path / "media"


def parsed(exporter_class, tmp_path):
    return Graph().parse(data=exported_file(exporter_class, tmp_path).read_bytes(), format="turtle")


def written_forms(graph, lang):
    """Every written form of the entries of the lexicon in `lang`."""
    lexicon = next(node for node in graph.subjects(RDF.type, LIME.Lexicon) if graph.value(node, LIME.language)
                   == Literal(lang))
    return sorted(str(graph.value(graph.value(entry, ONTOLEX.canonicalForm), ONTOLEX.writtenRep))
                  for entry in graph.objects(lexicon, LIME.entry))


def test_the_format_is_registered_downloadable_and_in_editions():
    assert API_FILES["ontolex.ttl"] is OntolexExporter and EXPORTERS["ontolex"] is OntolexExporter


def test_every_headword_and_synonym_is_an_entry_of_its_languages_lexicon(tmp_path):
    terms = list(rich_lexicon())
    graph = parsed(OntolexExporter, tmp_path)
    assert len(set(graph.subjects(RDF.type, LIME.Lexicon))) == 2
    for lang in ("fr", "en"):
        expected = sorted([getattr(term, f"headword_{lang}") for term in terms if getattr(term, f"headword_{lang}")]
                          + [synonym["text"] for term in terms for synonym in term.synonyms
                             if synonym["lang"] == lang])
        assert written_forms(graph, lang) == expected
    for form in graph.objects(None, ONTOLEX.writtenRep):
        assert form.language in ("fr", "en")


def test_every_sense_refers_to_a_concept_of_the_skos_file(tmp_path):
    rich_lexicon()
    graph = parsed(OntolexExporter, tmp_path)
    skos = parsed(SkosTurtleExporter, tmp_path)
    references = set(graph.objects(None, ONTOLEX.reference))
    assert references and references <= set(skos.subjects(RDF.type, SKOS.Concept))
    for entry in graph.subjects(RDF.type, ONTOLEX.LexicalEntry):
        senses = list(graph.objects(entry, ONTOLEX.sense))
        assert len(senses) == 1 and (senses[0], RDF.type, ONTOLEX.LexicalSense) in graph


def test_part_of_speech_gender_status_and_region_are_lexinfo_and_iso_3166_values(tmp_path):
    rich_lexicon()
    graph = parsed(OntolexExporter, tmp_path)
    french, english = URIRef(f"{TERM}#entree-fr"), URIRef(f"{TERM}#entree-en")
    assert graph.value(french, LEXINFO.partOfSpeech) == LEXINFO.noun
    assert graph.value(french, LEXINFO.gender) == LEXINFO.feminine
    assert graph.value(french, LEXINFO.normativeAuthorization) == LEXINFO.preferredTerm
    assert graph.value(french, DCTERMS.spatial) == Literal("CA-QC", datatype=DCTERMS.ISO3166)
    assert graph.value(english, LEXINFO.partOfSpeech) == LEXINFO.noun
    assert graph.value(english, LEXINFO.gender) is None
    deprecated = {str(graph.value(graph.value(entry, ONTOLEX.canonicalForm), ONTOLEX.writtenRep))
                  for entry in graph.subjects(LEXINFO.normativeAuthorization, LEXINFO.deprecatedTerm)
                  if (entry, RDF.type, ONTOLEX.LexicalEntry) in graph}
    assert deprecated == {"discoverabilité"}


def test_a_phrase_is_a_multiword_expression_with_its_heads_part_of_speech(tmp_path):
    publish_term(headword_fr="art numérique", headword_en="digital art", category="",
                 part_of_speech_fr="noun_phrase", gender_fr="masculine", part_of_speech_en="noun_phrase")
    graph = parsed(OntolexExporter, tmp_path)
    entry = URIRef(f"{SITE}/termes/{Term.objects.get().slug}/#entree-fr")
    assert (entry, RDF.type, ONTOLEX.MultiwordExpression) in graph
    assert graph.value(entry, LEXINFO.partOfSpeech) == LEXINFO.noun
    assert graph.value(entry, LEXINFO.termType) == LEXINFO.phraseologicalUnit
    assert graph.value(entry, LEXINFO.gender) == LEXINFO.masculine
