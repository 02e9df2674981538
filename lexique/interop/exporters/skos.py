"""The lexicon as a SKOS thesaurus (rdflib): Turtle, RDF/XML and JSON-LD of one graph.

One skos:Concept per term, at the URI of its page; labels, definitions, examples (skos:example) and
notes (skos:scopeNote) in French and English; skos:related; domains as skos:Collection. What SKOS has
no property for is said with SKOS-XL and a small vocabulary of ours (LEXIQUE, documented in
docs/formats.md): each synonym is also a skosxl:Label with its usage status and its position, a
source is a resource with a title, a URL and a position, the grammatical category is a literal.

Every syntax is written in an order of our own (resources in the order they were added, each one's
statements likewise): rdflib's store keeps a graph's triples in a set, whose order changes with the
interpreter's hash seed, and the same lexicon must give the same bytes in every process.
"""
import json
from collections.abc import Generator
from typing import Any, Self

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.term import Node

from lexique.core.inputs import clean_source_url
from lexique.interop.exporters.records import DataExporter, Records
from lexique.publishing.addresses import domain_uri, scheme_uri, site_url, term_uri

SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
SCHEMA = Namespace("https://schema.org/")
# Our own terms, for what neither SKOS nor SKOS-XL says, under the site's address; an importer
# knows them by their local names, whichever site wrote the file.
STATUS_NAME = "usageStatus"
CATEGORY_NAME = "grammaticalCategory"
LANGS = ("fr", "en")


def vocabulary() -> Namespace:
    return Namespace(f"{site_url()}/vocabulaire#")


def source_address(url: str) -> URIRef | Literal:
    """A source's address as RDF: a URI once the input rule has made it one. An address stored before that
    rule existed, which no URI can hold, is written as an xsd:anyURI literal, so that one old address never
    stops the whole file from being written."""
    try:
        return URIRef(clean_source_url(url))
    except ValidationError:
        return Literal(url, datatype=XSD.anyURI)


def _text(graph: Graph, subject: Node, predicate: URIRef, value: str | None, lang: str) -> None:
    if value:
        graph.add((subject, predicate, Literal(value, lang=lang)))


class OrderedGraph(Graph):
    """A graph that gives its resources back in the order they were first added.

    rdflib's memory store answers "every triple" from a set; the triples of one subject come from
    dicts, which keep their order. So the subjects are remembered here, in order, and every triple
    is given subject by subject.
    """

    def __init__(self) -> None:
        super().__init__()
        self._subjects: dict[Node, None] = {}

    def add(self, triple: tuple[Node, Node, Node]) -> Self:
        self._subjects.setdefault(triple[0], None)
        return super().add(triple)

    def triples(self, triple: Any, *args: Any, **kwargs: Any) -> Generator[Any, None, None]:
        if tuple(triple) != (None, None, None):
            yield from super().triples(triple, *args, **kwargs)
            return
        for subject in self._subjects:
            yield from super().triples((subject, None, None), *args, **kwargs)

    def subject_rank(self) -> dict[str, int]:
        """Each subject's position, by its string form (what JSON-LD names it by without a context)."""
        return {str(subject): position for position, subject in enumerate(self._subjects)}


def build_graph(records: Records) -> OrderedGraph:
    graph = OrderedGraph()
    lexique = vocabulary()
    for prefix, namespace in (("skos", SKOS), ("skosxl", SKOSXL), ("dcterms", DCTERMS), ("schema", SCHEMA),
                              ("lexique", lexique)):
        graph.bind(prefix, namespace)
    scheme = URIRef(scheme_uri())
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    for lang in LANGS:
        graph.add((scheme, DCTERMS.title, Literal(records.names[lang]["name"], lang=lang)))
    for domain in records.domains:
        collection = URIRef(domain_uri(domain.slug))
        graph.add((collection, RDF.type, SKOS.Collection))
        graph.add((collection, DCTERMS.identifier, Literal(domain.slug)))
        _text(graph, collection, SKOS.prefLabel, domain.name_fr, "fr")
        _text(graph, collection, SKOS.prefLabel, domain.name_en, "en")
        _text(graph, collection, SKOS.definition, domain.description_fr, "fr")
        _text(graph, collection, SKOS.definition, domain.description_en, "en")
        graph.add((collection, SCHEMA.position, Literal(domain.position)))
    for entry in records.entries:
        _add_concept(graph, scheme, entry, lexique)
    for slug, (headword_fr, headword_en) in records.outside.items():
        # A related term outside the chosen domains: named, so that a reader knows what the link is.
        concept = URIRef(term_uri(slug))
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, scheme))
        _text(graph, concept, SKOS.prefLabel, headword_fr, "fr")
        _text(graph, concept, SKOS.prefLabel, headword_en, "en")
    return graph


def _add_concept(graph: Graph, scheme: URIRef, entry: dict[str, Any], lexique: Namespace) -> None:
    uri = term_uri(entry["slug"])
    concept = URIRef(uri)
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, scheme))
    graph.add((concept, DCTERMS.identifier, Literal(entry["slug"])))
    for lang in LANGS:
        _text(graph, concept, SKOS.prefLabel, entry[f"headword_{lang}"], lang)
        _text(graph, concept, SKOS.definition, entry[f"definition_{lang}"], lang)
        _text(graph, concept, SKOS.example, entry[f"examples_{lang}"], lang)
        _text(graph, concept, SKOS.scopeNote, entry[f"notes_{lang}"], lang)
    if entry["category"]:
        graph.add((concept, lexique[CATEGORY_NAME], Literal(entry["category"], lang="fr")))
    for position, synonym in enumerate(entry["synonyms"], start=1):
        literal = Literal(synonym["text"], lang=synonym["lang"])
        # Plain SKOS for every reader; a deprecated form is a hidden label (found by search, not shown).
        plain = SKOS.hiddenLabel if synonym["status"] == "not_recommended" else SKOS.altLabel
        graph.add((concept, plain, literal))
        label = URIRef(f"{uri}#synonyme-{position}")
        graph.add((concept, SKOSXL.altLabel if plain == SKOS.altLabel else SKOSXL.hiddenLabel, label))
        graph.add((label, RDF.type, SKOSXL.Label))
        graph.add((label, SKOSXL.literalForm, literal))
        graph.add((label, lexique[STATUS_NAME], Literal(synonym["status"])))
        graph.add((label, SCHEMA.position, Literal(position, datatype=XSD.integer)))
    for position, source in enumerate(entry["sources"], start=1):
        node = URIRef(f"{uri}#source-{position}")
        graph.add((concept, DCTERMS.source, node))
        graph.add((node, DCTERMS.title, Literal(source["title"])))
        graph.add((node, SCHEMA.url, source_address(source["url"])))
        graph.add((node, SCHEMA.position, Literal(position, datatype=XSD.integer)))
    for slug in entry["related"]:
        graph.add((concept, SKOS.related, URIRef(term_uri(slug))))
    for slug in entry["domains"]:
        graph.add((URIRef(domain_uri(slug)), SKOS.member, concept))


class SkosExporter(DataExporter):
    """The graph of the published set, written in one RDF syntax (subclasses say which)."""

    rdf_format = ""
    download_stem = "lexique-skos"
    layout_version = 2  # 2: domains with their descriptions and their place in the site's order

    def serialize(self, records: Records) -> bytes:
        return build_graph(records).serialize(format=self.rdf_format, encoding="utf-8")


def jsonld_bytes(graph: OrderedGraph) -> bytes:
    """The graph in JSON-LD as rdflib writes it (expanded, native numbers), its nodes in the graph's order.

    rdflib's JSON-LD writer gathers the nodes through a set: they are put back in order here, and
    written with the standard library whether or not orjson is installed.
    """
    nodes = from_rdf(graph, use_native_types=True)
    rank = graph.subject_rank()
    nodes.sort(key=lambda node: (rank.get(node.get("@id", ""), len(rank)), node.get("@id", "")))
    return json.dumps(nodes, indent=2, separators=(",", ": "), sort_keys=True, ensure_ascii=False).encode("utf-8")


class SkosTurtleExporter(SkosExporter):
    name = "skos-ttl"
    extension = "ttl"
    api_file = "skos.ttl"
    label = gettext_lazy("SKOS en Turtle : pour les outils de thésaurus (Skosmos, OpenTheso, VocBench)")
    media_type = "text/turtle; charset=utf-8"
    rdf_format = "turtle"


class SkosRdfXmlExporter(SkosExporter):
    name = "skos-rdf"
    extension = "rdf"
    api_file = "skos.rdf"
    label = gettext_lazy("SKOS en RDF/XML")
    media_type = "application/rdf+xml"
    rdf_format = "xml"


class SkosJsonLdExporter(SkosExporter):
    name = "skos-jsonld"
    extension = "jsonld"
    api_file = "skos.jsonld"
    label = gettext_lazy("SKOS en JSON-LD")
    media_type = "application/ld+json"
    rdf_format = "json-ld"

    def serialize(self, records: Records) -> bytes:
        return jsonld_bytes(build_graph(records))
