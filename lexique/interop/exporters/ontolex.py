"""The lexicon as OntoLex-Lemon (W3C, 2016) in Turtle: the lexical side of the SKOS thesaurus, in one file with it.

A lime:Lexicon per language; an ontolex:LexicalEntry for each headword and each synonym (an ontolex:Word, or an
ontolex:MultiwordExpression when its written form has several words), with its canonical form (ontolex:Form,
ontolex:writtenRep with the language's tag) and one ontolex:LexicalSense whose ontolex:reference is the term's
skos:Concept, at the same URI as in the SKOS files. What is said of an entry uses LexInfo 3.0: its part of speech
and gender (lexinfo:partOfSpeech, lexinfo:gender; a phrase with lexinfo:termType lexinfo:phraseologicalUnit), its
usage status (lexinfo:normativeAuthorization, as on the SKOS-XL labels) and a short form's kind (lexinfo:termType:
abbreviation, initialism, acronym); its region is dcterms:spatial, an ISO 3166 code (docs/formats.md).

The file holds the SKOS graph of the same entries too (the complete scheme of lexique.interop.exporters.skos), so
that every sense's reference resolves inside it, and Lexique's importer reads the file back as it reads SKOS.
"""
from typing import Any

from django.utils.translation import gettext_lazy
from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from lexique.core.content import LANGUAGE_NAMES, DesignationKind
from lexique.interop.exporters.records import DataExporter, Records
from lexique.interop.exporters.skos import (
    LEXINFO,
    NORMATIVE,
    OrderedGraph,
    add_grammar,
    build_graph,
    region_literal,
)
from lexique.publishing.addresses import scheme_uri, term_uri

ONTOLEX = Namespace("http://www.w3.org/ns/lemon/ontolex#")
LIME = Namespace("http://www.w3.org/ns/lemon/lime#")
LANGS = ("fr", "en")
# A synonym's kind as LexInfo's term type (ISO 12620's, which TBX's termType follows).
TERM_TYPES = {DesignationKind.ABBREVIATION: "abbreviation", DesignationKind.INITIALISM: "initialism",
              DesignationKind.ACRONYM: "acronym"}


def lexicon_uri(lang: str) -> URIRef:
    return URIRef(f"{scheme_uri()}#lexique-{lang}")


def headword_entry_uri(slug: str, lang: str) -> URIRef:
    return URIRef(f"{term_uri(slug)}#entree-{lang}")


def synonym_entry_uri(slug: str, position: int) -> URIRef:
    """A synonym's entry, numbered as its SKOS-XL label is (#synonyme-N): its place among the term's synonyms."""
    return URIRef(f"{term_uri(slug)}#entree-synonyme-{position}")


def _add_entry(graph: OrderedGraph, lexicon: URIRef, entry_uri: URIRef, text: str, lang: str,
               concept: URIRef) -> URIRef:
    """One lexical entry, its canonical form and its sense of `concept`."""
    graph.add((lexicon, LIME.entry, entry_uri))
    graph.add((entry_uri, RDF.type, ONTOLEX.LexicalEntry))
    graph.add((entry_uri, RDF.type, ONTOLEX.MultiwordExpression if len(text.split()) > 1 else ONTOLEX.Word))
    graph.add((entry_uri, LIME.language, Literal(lang)))
    form = URIRef(f"{entry_uri}-forme")
    graph.add((entry_uri, ONTOLEX.canonicalForm, form))
    graph.add((form, RDF.type, ONTOLEX.Form))
    graph.add((form, ONTOLEX.writtenRep, Literal(text, lang=lang)))
    sense = URIRef(f"{entry_uri}-sens")
    graph.add((entry_uri, ONTOLEX.sense, sense))
    graph.add((sense, RDF.type, ONTOLEX.LexicalSense))
    graph.add((sense, ONTOLEX.reference, concept))
    return entry_uri


def _add_lexicons(graph: OrderedGraph, records: Records) -> None:
    licence_name, licence_url = records.licence
    for lang in LANGS:
        lexicon = lexicon_uri(lang)
        entries = [entry for entry in records.entries if entry[f"headword_{lang}"]
                   or any(synonym["lang"] == lang for synonym in entry["synonyms"])]
        count = sum(bool(entry[f"headword_{lang}"]) + sum(synonym["lang"] == lang for synonym in entry["synonyms"])
                    for entry in entries)
        graph.add((lexicon, RDF.type, LIME.Lexicon))
        graph.add((lexicon, LIME.language, Literal(lang)))
        graph.add((lexicon, DCTERMS.title, Literal(f"{records.names[lang]['name']} ({LANGUAGE_NAMES[lang]})",
                                                   lang=lang)))
        graph.add((lexicon, DCTERMS.license, URIRef(licence_url)))
        graph.add((lexicon, DCTERMS.rights, Literal(licence_name)))
        graph.add((lexicon, LIME.linguisticCatalog, URIRef(str(LEXINFO).rstrip("#"))))
        graph.add((lexicon, LIME.lexicalEntries, Literal(count)))
        for entry in entries:
            _add_term_entries(graph, lexicon, entry, lang)


def _add_term_entries(graph: OrderedGraph, lexicon: URIRef, entry: dict[str, Any], lang: str) -> None:
    concept = URIRef(term_uri(entry["slug"]))
    if entry[f"headword_{lang}"]:
        node = _add_entry(graph, lexicon, headword_entry_uri(entry["slug"], lang), entry[f"headword_{lang}"], lang,
                          concept)
        add_grammar(graph, node, entry, lang)
        graph.add((node, LEXINFO.normativeAuthorization, NORMATIVE["preferred"]))
    for position, synonym in enumerate(entry["synonyms"], start=1):
        if synonym["lang"] != lang:
            continue
        node = _add_entry(graph, lexicon, synonym_entry_uri(entry["slug"], position), synonym["text"], lang,
                          concept)
        graph.add((node, LEXINFO.normativeAuthorization, NORMATIVE[synonym["status"]]))
        if synonym.get("kind") in TERM_TYPES:
            graph.add((node, LEXINFO.termType, LEXINFO[TERM_TYPES[synonym["kind"]]]))
        if synonym.get("region"):
            graph.add((node, DCTERMS.spatial, region_literal(synonym["region"])))


def build_lexicon_graph(records: Records) -> OrderedGraph:
    """The SKOS graph of `records` and, beside it, a lexicon per language of its headwords and synonyms."""
    graph = build_graph(records)
    for prefix, namespace in (("ontolex", ONTOLEX), ("lime", LIME), ("lexinfo", LEXINFO)):
        graph.bind(prefix, namespace)
    _add_lexicons(graph, records)
    return graph


class OntolexExporter(DataExporter):
    """Writes the published set as OntoLex-Lemon lexicons (Turtle), with the SKOS concepts they lexicalise."""

    name = "ontolex"
    extension = "ttl"
    api_file = "ontolex.ttl"
    label = gettext_lazy("OntoLex-Lemon en Turtle : pour les données lexicales liées (un lexique par langue, "
                         "parties du discours et genres LexInfo)")
    media_type = "text/turtle; charset=utf-8"
    layout_version = 1
    download_stem = "lexique-ontolex"

    def serialize(self, records: Records) -> bytes:
        return build_lexicon_graph(records).serialize(format="turtle", encoding="utf-8")
