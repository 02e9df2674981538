"""The SKOS export as thesaurus tools read it: skosify finds nothing to warn about, the VocPub SHACL profile
(shipped in PyPI's termate) finds only what docs/formats.md justifies, JSON-LD has its @context, and the scheme,
its top concepts, symmetric links, usage statuses (LexInfo) and plain definitions are there."""
import importlib.util
import json
import logging
import warnings
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SH, SKOS

from lexique.interop.exporters.skos import LEXINFO, SKOSXL, SkosJsonLdExporter, SkosTurtleExporter
from tests.support.export_fixtures import exported_file
from tests.support.exports_data import cited_lexicon, rich_lexicon

pytestmark = pytest.mark.django_db
SCHEME = URIRef("https://lexique.test/")
TERM = URIRef("https://lexique.test/termes/decouvrabilite/")
METADATA = URIRef("https://lexique.test/termes/metadonnees/")


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.SITE_URL = "https://lexique.test"
    settings.MEDIA_ROOT = tmp_path / "media"


def exported(exporter_class, tmp_path):
    return exported_file(exporter_class, tmp_path).read_bytes()


def turtle(tmp_path):
    return Graph().parse(data=exported(SkosTurtleExporter, tmp_path), format="turtle")


def test_the_scheme_is_labelled_dated_licensed_published_with_its_top_concepts(tmp_path):
    rich_lexicon()
    graph = turtle(tmp_path)
    assert {str(label.language) for label in graph.objects(SCHEME, SKOS.prefLabel)} == {"fr", "en"}
    assert {str(label.language) for label in graph.objects(SCHEME, SKOS.definition)} == {"fr", "en"}
    for date in (DCTERMS.created, DCTERMS.modified):
        assert graph.value(SCHEME, date).datatype == XSD.dateTime
    assert graph.value(SCHEME, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
    publisher = graph.value(SCHEME, DCTERMS.publisher)
    assert (publisher, RDF.type, URIRef("https://schema.org/Organization")) in graph
    assert graph.value(SCHEME, DCTERMS.creator) == publisher
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert set(graph.objects(SCHEME, SKOS.hasTopConcept)) == concepts
    assert all((concept, SKOS.topConceptOf, SCHEME) in graph for concept in concepts)


def test_links_are_symmetric_statuses_public_definitions_plain_and_sources_addresses(tmp_path):
    rich_lexicon()
    graph = turtle(tmp_path)
    for first, second in graph.subject_objects(SKOS.related):
        assert (second, SKOS.related, first) in graph
    assert (TERM, SKOS.related, METADATA) in graph
    # Every synonym is an alternative label; a form not recommended says so with LexInfo on its SKOS-XL label.
    assert (TERM, SKOS.altLabel, Literal("discoverabilité", lang="fr")) in graph
    assert not list(graph.objects(TERM, SKOS.hiddenLabel))
    statuses = {str(graph.value(label, SKOSXL.literalForm)): graph.value(label, LEXINFO.normativeAuthorization)
                for label in graph.objects(TERM, SKOSXL.altLabel)}
    assert statuses["discoverabilité"] == LEXINFO.deprecatedTerm
    assert statuses["repérabilité"] == LEXINFO.preferredTerm
    assert graph.value(graph.value(TERM, SKOSXL.prefLabel), SKOSXL.literalForm) in (
        Literal("découvrabilité", lang="fr"), Literal("discoverability", lang="en"))
    definitions = [str(value) for value in graph.objects(None, SKOS.definition)]
    assert not [text for text in definitions if "*" in text]
    assert (TERM, SKOS.definition, Literal("How easily content is found among others.", lang="en")) in graph
    sources = set(graph.objects(TERM, DCTERMS.source))
    assert Literal("https://example.org/rapport?a=1&b=2", datatype=XSD.anyURI) in sources


def test_json_ld_has_its_context(tmp_path):
    rich_lexicon()
    document = json.loads(exported(SkosJsonLdExporter, tmp_path))
    assert document["@context"]["skos"] == str(SKOS)
    assert any(node.get("@id") == str(TERM) and "skos:prefLabel" in node for node in document["@graph"])
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph = Graph().parse(data=json.dumps(document), format="json-ld")
    assert (TERM, SKOS.related, METADATA) in graph


def test_skosify_has_nothing_to_warn_about(tmp_path, caplog):
    import skosify

    cited_lexicon()
    graph = turtle(tmp_path)
    with caplog.at_level(logging.INFO):
        skosify.skosify(graph, eliminate_redundancy=False, break_cycles=True)
    warned = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert warned == []


def vocpub_profile() -> Path:
    """The VocPub SHACL profile termate ships (its package is found, not imported: termate's own modules need
    packages it does not declare)."""
    spec = importlib.util.find_spec("termate")
    assert spec is not None and spec.submodule_search_locations, "termate is in the dev extra"
    return Path(next(iter(spec.submodule_search_locations))) / "validator.vocpub.ttl"


# What the VocPub profile still reports, each justified in docs/formats.md ("The VocPub profile"), by the path and
# the kind of constraint: several definitions (one per language, where VocPub counts one whatever the language),
# several dcterms:source (one per source of a term), and provenance, which VocPub only recommends, on a term
# without a source and on a domain (the scheme gives the lexicon's provenance).
JUSTIFIED = {
    (str(SKOS.definition), "MaxCountConstraintComponent"),
    (str(DCTERMS.source), "MaxCountConstraintComponent"),
    ("None", "OrConstraintComponent"),
}


def test_the_vocpub_profile_reports_only_what_the_docs_justify(tmp_path):
    from pyshacl import validate

    cited_lexicon()
    graph = turtle(tmp_path)
    shapes = Graph().parse(vocpub_profile(), format="turtle")
    _conforms, results, _text = validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    found = Counter()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        kind = (str(results.value(result, SH.resultPath)),
                str(results.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1])
        found[kind if kind in JUSTIFIED else (*kind, str(results.value(result, SH.resultMessage)))] += 1
    assert set(found) <= JUSTIFIED, found
    # The recommendation on provenance is the only one of its kind left: every requirement is met.
    provenance = [str(results.value(result, SH.resultMessage)) for result in results.subjects(
        RDF.type, SH.ValidationResult) if results.value(result, SH.resultPath) is None]
    assert all("_SHOULD_" in message for message in provenance)
