"""The lexicon as a SKOS thesaurus (rdflib): Turtle, RDF/XML and JSON-LD of one graph.

One skos:Concept per term, at the URI of its page; labels, definitions, examples (skos:example) and
notes (skos:scopeNote) in French and English; skos:related; domains as skos:Collection. What SKOS has
no property for is said with SKOS-XL, LexInfo and a small vocabulary of ours (LEXIQUE, documented in
docs/formats.md): each label is also a skosxl:Label, a synonym's with its usage status
(lexinfo:normativeAuthorization) and its position, a source is a resource with a title (dcterms:title) and,
where it has them, an address (schema:url), an author (dcterms:creator), a year (dcterms:issued), a publisher
(dcterms:publisher), pages (schema:pagination), a standard's number (dcterms:identifier), the definition it
supports (lexique:supportsDefinition), and its position; the grammatical category is a literal. From the
rules 4, each headword's SKOS-XL label carries its part of speech and gender (lexinfo:partOfSpeech,
lexinfo:termType for a phrase, lexinfo:gender) and region (dcterms:spatial, ISO 3166), and the literal only
what these values do not say.

From the rules 4 (Records.rules; an edition keeps its own), the scheme is complete as thesaurus tools
and the VocPub profile ask: labelled, described, dated, licensed, published, with its top concepts;
skos:related both ways; definitions as plain text (the Markdown kept in lexique:definitionMarkdown when it
says more); sources also as dcterms:source xsd:anyURI literals; JSON-LD with its @context.

Every syntax is written in an order of our own (resources in the order they were added, each one's
statements likewise): rdflib's store keeps a graph's triples in a set, whose order changes with the
interpreter's hash seed, and the same lexicon must give the same bytes in every process.
"""
import json
from collections.abc import Generator
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.term import Node

from lexique.core.content import Region
from lexique.core.grammar import (
    LEXINFO_PHRASE,
    REGION_CODES,
    grammar_from_lexinfo,
    headword_grammar,
    lexinfo_values,
    region_from_code,
)
from lexique.core.inputs import clean_source_url
from lexique.core.text import markdown_text
from lexique.interop.exporters.records import DataExporter, Domain, Records
from lexique.publishing.addresses import domain_uri, scheme_uri, site_url, term_uri

SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
SCHEMA = Namespace("https://schema.org/")
LEXINFO = Namespace("http://www.lexinfo.net/ontology/3.0/lexinfo#")
# Our own terms, for what neither SKOS nor SKOS-XL says, under the site's address; an importer
# knows them by their local names, whichever site wrote the file.
STATUS_NAME = "usageStatus"
CATEGORY_NAME = "grammaticalCategory"
MARKDOWN_NAME = "definitionMarkdown"
# The links between terms as the lexicon holds them (skos:related is written both ways).
LINK_NAME = "relatedTerm"
# The language of the definition a source supports (absent: the term as a whole).
SOURCE_DEFINITION_NAME = "supportsDefinition"
LANGS = ("fr", "en")
# From these rules on (Records.rules), the complete scheme (see the module's docstring).
COMPLETE_RULES = 4
# A usage status as LexInfo's normative authorisation (ISO 12620, TBX's normativeAuthorization), and back.
NORMATIVE = {"preferred": LEXINFO.preferredTerm, "admitted": LEXINFO.admittedTerm,
             "not_recommended": LEXINFO.deprecatedTerm}
# What a domain without a description is defined as (VocPub wants every collection defined); an import
# knows it and leaves the description empty.
COLLECTION_DEFINITIONS = {"fr": "Les termes du domaine « {name} ».", "en": "The terms of the domain “{name}”."}
PROVENANCE = ("Termes proposés par les personnes qui contribuent et relus par les modérateurs du site ; chaque "
              "version approuvée est publiée avec son historique.")


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


def _add_source(graph: Graph, node: URIRef, source: dict[str, Any], address: URIRef | Literal | None,
                lexique: Namespace) -> None:
    """A source's parts (lexique.core.sources) as Dublin Core and schema.org say them."""
    graph.add((node, DCTERMS.title, Literal(source["title"])))
    if address is not None:
        graph.add((node, SCHEMA.url, address))
    if source.get("author"):
        graph.add((node, DCTERMS.creator, Literal(source["author"])))
    if source.get("year"):
        year = source["year"]
        graph.add((node, DCTERMS.issued, Literal(year, datatype=XSD.gYear) if len(year) == 4 else Literal(year)))
    if source.get("publisher"):
        graph.add((node, DCTERMS.publisher, Literal(source["publisher"])))
    if source.get("pages"):
        graph.add((node, SCHEMA.pagination, Literal(source["pages"])))
    if source.get("standard"):
        graph.add((node, DCTERMS.identifier, Literal(source["standard"])))
    if source.get("definition"):
        graph.add((node, lexique[SOURCE_DEFINITION_NAME], Literal(source["definition"])))


def add_grammar(graph: Graph, node: Node, entry: dict[str, Any], lang: str) -> None:
    """A headword's part of speech, gender (LexInfo) and region (dcterms:spatial, ISO 3166) on `node`: its
    SKOS-XL label here, its lexical entry in OntoLex-Lemon."""
    part, phrase, genders = lexinfo_values(entry.get(f"part_of_speech_{lang}", ""), entry.get(f"gender_{lang}", ""))
    if part:
        graph.add((node, LEXINFO.partOfSpeech, LEXINFO[part]))
    if phrase:
        graph.add((node, LEXINFO.termType, LEXINFO[LEXINFO_PHRASE]))
    for gender in genders:
        graph.add((node, LEXINFO.gender, LEXINFO[gender]))
    region = entry.get(f"region_{lang}") or ""
    if region:
        graph.add((node, DCTERMS.spatial, region_literal(region)))


def region_literal(region: str) -> Literal:
    """A region as dcterms:spatial says it: its ISO 3166 code typed dcterms:ISO3166, or "international"."""
    code = REGION_CODES[region]
    return Literal(code) if region == Region.INTERNATIONAL else Literal(code, datatype=DCTERMS.ISO3166)


def read_grammar(graph: Graph, node: Node) -> dict[str, str]:
    """The inverse of `add_grammar`: part_of_speech, gender and region ('' for what `node` does not say)."""
    def names(predicate: URIRef) -> list[str]:
        return [str(value).rsplit("#", 1)[-1] for value in graph.objects(node, predicate)]

    parts = names(LEXINFO.partOfSpeech)
    part, gender = grammar_from_lexinfo(parts[0] if parts else "", LEXINFO_PHRASE in names(LEXINFO.termType),
                                        names(LEXINFO.gender))
    spatial = graph.value(node, DCTERMS.spatial)
    return {"part_of_speech": part, "gender": gender, "region": region_from_code(str(spatial or ""))}


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


def collection_definition(name: str, lang: str) -> str:
    """What a domain without a description is defined as in `lang`."""
    return COLLECTION_DEFINITIONS[lang].format(name=name)


def build_graph(records: Records) -> OrderedGraph:
    graph = OrderedGraph()
    lexique = vocabulary()
    complete = records.rules >= COMPLETE_RULES
    for prefix, namespace in (("skos", SKOS), ("skosxl", SKOSXL), ("dcterms", DCTERMS), ("schema", SCHEMA),
                              *((("lexinfo", LEXINFO),) if complete else ()), ("lexique", lexique)):
        graph.bind(prefix, namespace)
    scheme = URIRef(scheme_uri())
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    for lang in LANGS:
        graph.add((scheme, DCTERMS.title, Literal(records.names[lang]["name"], lang=lang)))
    if complete:
        _describe_scheme(graph, scheme, records)
    for domain in records.domains:
        _add_collection(graph, domain, complete)
    # Links both ways (skos:related is symmetric), each once, in the order the entries give them.
    reverse: dict[str, list[str]] = {}
    if complete:
        for entry in records.entries:
            for other in entry["related"]:
                reverse.setdefault(other, []).append(entry["slug"])
    for entry in records.entries:
        _add_concept(graph, scheme, entry, lexique, complete, reverse.get(entry["slug"], []))
    for slug, (headword_fr, headword_en) in records.outside.items():
        # A related term outside the chosen domains: named, so that a reader knows what the link is.
        concept = URIRef(term_uri(slug))
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, scheme))
        if complete:
            graph.add((concept, SKOS.topConceptOf, scheme))
            graph.add((scheme, SKOS.hasTopConcept, concept))
            for other in reverse.get(slug, []):
                graph.add((concept, SKOS.related, URIRef(term_uri(other))))
        _text(graph, concept, SKOS.prefLabel, headword_fr, "fr")
        _text(graph, concept, SKOS.prefLabel, headword_en, "en")
    return graph


def _describe_scheme(graph: Graph, scheme: URIRef, records: Records) -> None:
    """What thesaurus tools and the VocPub profile ask of a scheme: labels, description, dates, licence, agents."""
    for lang in LANGS:
        graph.add((scheme, SKOS.prefLabel, Literal(records.names[lang]["name"], lang=lang)))
    for lang in LANGS:
        _text(graph, scheme, SKOS.definition, records.names[lang]["title"], lang)
    graph.add((scheme, DCTERMS.created, Literal(records.created.replace(microsecond=0).isoformat(),
                                                datatype=XSD.dateTime)))
    graph.add((scheme, DCTERMS.modified, Literal(records.modified.replace(microsecond=0).isoformat(),
                                                 datatype=XSD.dateTime)))
    licence_name, licence_url = records.licence
    graph.add((scheme, DCTERMS.license, URIRef(licence_url)))
    graph.add((scheme, DCTERMS.rights, Literal(licence_name)))
    graph.add((scheme, DCTERMS.provenance, Literal(PROVENANCE, lang="fr")))
    agent = URIRef(f"{scheme_uri()}#editeur")
    graph.add((scheme, DCTERMS.publisher, agent))
    graph.add((scheme, DCTERMS.creator, agent))
    graph.add((agent, RDF.type, SCHEMA.Organization))
    name = settings.LEXIQUE_PUBLISHER or f"Communauté du {records.names['fr']['name']}"
    graph.add((agent, SCHEMA.name, Literal(name, datatype=XSD.string)))
    graph.add((agent, SCHEMA.url, Literal(scheme_uri(), datatype=XSD.anyURI)))


def _add_collection(graph: Graph, domain: Domain, complete: bool) -> None:
    collection = URIRef(domain_uri(domain.slug))
    graph.add((collection, RDF.type, SKOS.Collection))
    graph.add((collection, DCTERMS.identifier, Literal(domain.slug)))
    _text(graph, collection, SKOS.prefLabel, domain.name_fr, "fr")
    _text(graph, collection, SKOS.prefLabel, domain.name_en, "en")
    for lang in LANGS:
        description, name = getattr(domain, f"description_{lang}"), getattr(domain, f"name_{lang}")
        if complete and not description and name:
            description = collection_definition(name, lang)
        _text(graph, collection, SKOS.definition, description, lang)
    graph.add((collection, SCHEMA.position, Literal(domain.position)))


def _add_concept(graph: Graph, scheme: URIRef, entry: dict[str, Any], lexique: Namespace, complete: bool,
                 linked_from: list[str]) -> None:
    uri = term_uri(entry["slug"])
    concept = URIRef(uri)
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, scheme))
    if complete:
        # A lexicon has no hierarchy: every concept is at the top of the scheme.
        graph.add((concept, SKOS.topConceptOf, scheme))
        graph.add((scheme, SKOS.hasTopConcept, concept))
    graph.add((concept, DCTERMS.identifier, Literal(entry["slug"])))
    for lang in LANGS:
        _text(graph, concept, SKOS.prefLabel, entry[f"headword_{lang}"], lang)
        definition = entry[f"definition_{lang}"]
        if complete and definition:
            plain = markdown_text(definition)
            _text(graph, concept, SKOS.definition, plain, lang)
            if plain != definition:
                _text(graph, concept, lexique[MARKDOWN_NAME], definition, lang)
        else:
            _text(graph, concept, SKOS.definition, definition, lang)
        _text(graph, concept, SKOS.example, entry[f"examples_{lang}"], lang)
        _text(graph, concept, SKOS.scopeNote, entry[f"notes_{lang}"], lang)
        if complete and entry[f"headword_{lang}"]:
            label = URIRef(f"{uri}#terme-{lang}")
            graph.add((concept, SKOSXL.prefLabel, label))
            graph.add((label, RDF.type, SKOSXL.Label))
            graph.add((label, SKOSXL.literalForm, Literal(entry[f"headword_{lang}"], lang=lang)))
            graph.add((label, LEXINFO.normativeAuthorization, NORMATIVE["preferred"]))
            add_grammar(graph, label, entry, lang)
    # The complete scheme says the values on the labels, the free text beside them; before, one label said all.
    category = entry["category"] if complete else headword_grammar(entry, "fr")
    if category:
        graph.add((concept, lexique[CATEGORY_NAME], Literal(category, lang="fr")))
    for position, synonym in enumerate(entry["synonyms"], start=1):
        literal = Literal(synonym["text"], lang=synonym["lang"])
        # Plain SKOS for every reader: a synonym is an alternative label, its status said by its SKOS-XL label.
        # (Before the rules 4, a deprecated form was a hidden label, found by search but not shown.)
        hidden = synonym["status"] == "not_recommended" and not complete
        graph.add((concept, SKOS.hiddenLabel if hidden else SKOS.altLabel, literal))
        label = URIRef(f"{uri}#synonyme-{position}")
        graph.add((concept, SKOSXL.hiddenLabel if hidden else SKOSXL.altLabel, label))
        graph.add((label, RDF.type, SKOSXL.Label))
        graph.add((label, SKOSXL.literalForm, literal))
        if complete:
            graph.add((label, LEXINFO.normativeAuthorization, NORMATIVE[synonym["status"]]))
            if synonym.get("region") in REGION_CODES:
                graph.add((label, DCTERMS.spatial, region_literal(synonym["region"])))
        else:
            graph.add((label, lexique[STATUS_NAME], Literal(synonym["status"])))
        graph.add((label, SCHEMA.position, Literal(position, datatype=XSD.integer)))
    for position, source in enumerate(entry["sources"], start=1):
        node = URIRef(f"{uri}#source-{position}")
        address = source_address(source["url"]) if source.get("url") else None
        if complete:
            # The address as VocPub wants a source (an xsd:anyURI literal); the source whole as a citation.
            if address is not None:
                graph.add((concept, DCTERMS.source, Literal(str(address), datatype=XSD.anyURI)))
            graph.add((concept, SCHEMA.citation, node))
        else:
            graph.add((concept, DCTERMS.source, node))
        _add_source(graph, node, source, address, lexique)
        graph.add((node, SCHEMA.position, Literal(position, datatype=XSD.integer)))
    for slug in entry["related"]:
        graph.add((concept, SKOS.related, URIRef(term_uri(slug))))
        if complete:
            graph.add((concept, lexique[LINK_NAME], URIRef(term_uri(slug))))
    for slug in linked_from:
        graph.add((concept, SKOS.related, URIRef(term_uri(slug))))
    for slug in entry["domains"]:
        graph.add((URIRef(domain_uri(slug)), SKOS.member, concept))


class SkosExporter(DataExporter):
    """The graph of the published set, written in one RDF syntax (subclasses say which)."""

    rdf_format = ""
    download_stem = "lexique-skos"
    # 2: domains with their descriptions and their place in the site's order; 3: the complete scheme (rules 4).
    # 4: each headword's part of speech, gender and region on its SKOS-XL label.
    layout_version = 4

    def serialize(self, records: Records) -> bytes:
        return build_graph(records).serialize(format=self.rdf_format, encoding="utf-8")


def jsonld_bytes(graph: OrderedGraph, *, context: bool = True) -> bytes:
    """The graph in JSON-LD as rdflib writes it (native numbers), its nodes in the graph's order; with `context`,
    compacted with an @context of the prefixes the graph binds (skos:, dcterms:...), else expanded.

    rdflib's JSON-LD writer gathers the nodes through a set: they are put back in order here, and
    written with the standard library whether or not orjson is installed.
    """
    rank = graph.subject_rank()

    def order(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(nodes, key=lambda node: (rank.get(node.get("@id", ""), len(rank)), node.get("@id", "")))

    if not context:
        document: Any = order(from_rdf(graph, use_native_types=True))
    else:
        prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces()
                    if prefix in ("skos", "skosxl", "dcterms", "schema", "lexinfo", "lexique", "xsd", "rdf")}
        prefixes.setdefault("xsd", str(XSD))
        compacted = from_rdf(graph, context_data=prefixes, use_native_types=True)
        graph_nodes = compacted.pop("@graph", None)
        if graph_nodes is None:  # rdflib gives a single node as the document itself
            graph_nodes = [{key: value for key, value in compacted.items() if key != "@context"}]
        document = {"@context": dict(sorted(prefixes.items())), "@graph": order(graph_nodes)}
    return json.dumps(document, indent=2, separators=(",", ": "), sort_keys=True, ensure_ascii=False).encode("utf-8")


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
        return jsonld_bytes(build_graph(records), context=records.rules >= COMPLETE_RULES)
