"""SKOS, TBX and CSV exports: what other programs read in them, the registry, the API files and the command."""
import csv
import io
import json
import warnings

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree, isoschematron
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from lexique.interop.published import ExportOptions
from lexique.interop.store import get_export
from lexique.interop.exporters.csv import COLUMNS, CsvExporter, guard_cell, unguard_cell
from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.registry import EXPORTERS
from lexique.interop.exporters.skos import SkosJsonLdExporter, SkosRdfXmlExporter, SkosTurtleExporter
from lexique.interop.exporters.tbx import TbxExporter
from lexique.platform import files
from tests.support import FIXTURES
from tests.support.exports_data import cited_lexicon, rich_lexicon

TERM = URIRef("https://lexique.test/termes/decouvrabilite/")
SKOSXL_LABEL = URIRef("http://www.w3.org/2008/05/skos-xl#literalForm")


@pytest.fixture(autouse=True)
def export_store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://lexique.test"
    from django.core.cache import cache

    cache.clear()


def read_rdf(data, rdf_format):
    """rdflib's own reading; its JSON-LD parser warns about a class it uses inside (rdflib 7.6)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(data=data, format=rdf_format)


def exported(exporter_class, tmp_path, **options):
    path = tmp_path / f"out.{exporter_class.extension}"
    exporter_class(exporter_class.options(**options)).write(path)
    return path.read_bytes()


def tbx_schema():
    return (etree.RelaxNG(etree.parse(str(FIXTURES / "tbx" / "tbx-basic-dca.rng"))),
            isoschematron.Schematron(etree.parse(str(FIXTURES / "tbx" / "tbx-basic-dca.sch"))))


def test_the_epub_and_every_terminology_format_are_in_one_registry():
    assert EXPORTERS["epub"] is EpubExporter
    assert {name: cls.extension for name, cls in EXPORTERS.items() if name != "epub"} == {
        "skos-ttl": "ttl", "skos-rdf": "rdf", "skos-jsonld": "jsonld", "tbx": "tbx", "tbx-2008": "tbx", "csv": "csv",
        "xlsx": "xlsx", "ontolex": "ttl", "stardict": "zip", "kobo": "zip"}
    assert len({cls.store_prefix for cls in EXPORTERS.values()}) == len(EXPORTERS)


@pytest.mark.parametrize("exporter_class,rdf_format", [
    (SkosTurtleExporter, "turtle"), (SkosRdfXmlExporter, "xml"), (SkosJsonLdExporter, "json-ld")])
@pytest.mark.django_db
def test_skos_is_read_by_rdflib_with_labels_statuses_and_domains(exporter_class, rdf_format, tmp_path):
    rich_lexicon()
    graph = read_rdf(exported(exporter_class, tmp_path), rdf_format)
    assert len(set(graph.subjects(predicate=None, object=SKOS.Concept))) == 3
    assert (TERM, SKOS.prefLabel, Literal("découvrabilité", lang="fr")) in graph
    assert (TERM, SKOS.prefLabel, Literal("discoverability", lang="en")) in graph
    assert (TERM, SKOS.altLabel, Literal("findability", lang="en")) in graph
    # A form not recommended is an alternative label too; its SKOS-XL label says its status (LexInfo).
    assert (TERM, SKOS.altLabel, Literal("discoverabilité", lang="fr")) in graph
    assert (TERM, SKOS.definition, Literal("How easily content is found among others.", lang="en")) in graph
    assert (TERM, URIRef("https://lexique.test/vocabulaire#definitionMarkdown"),
            Literal("How easily content is *found* among others.", lang="en")) in graph
    lexinfo = "http://www.lexinfo.net/ontology/3.0/lexinfo#"
    statuses = {str(graph.value(label, SKOSXL_LABEL)): str(status) for label, status in graph.subject_objects(
        URIRef(lexinfo + "normativeAuthorization"))}
    assert statuses["discoverabilité"] == lexinfo + "deprecatedTerm"
    assert statuses["repérabilité"] == lexinfo + "preferredTerm"
    assert (URIRef("https://lexique.test/domaines/patrimoine/"), SKOS.member, TERM) in graph
    assert (URIRef("https://lexique.test/termes/metadonnees/"), SKOS.related, TERM) in graph


@pytest.mark.django_db
def test_tbx_is_valid_against_the_tbx_basic_grammar_and_rules(tmp_path):
    cited_lexicon()
    document = etree.fromstring(exported(TbxExporter, tmp_path))
    grammar, rules = tbx_schema()
    assert grammar.validate(document), grammar.error_log
    assert rules.validate(document), rules.error_log
    namespaces = {"t": "urn:iso:std:iso:30042:ed-2"}
    entry = document.find(".//t:conceptEntry[@id='c-decouvrabilite']", namespaces)
    deprecated = entry.xpath(".//t:termSec[t:termNote='deprecatedTerm-admn-sts']/t:term/text()", namespaces=namespaces)
    assert deprecated == ["discoverabilité"]
    assert entry.xpath("t:descrip[@type='subjectField']/text()", namespaces=namespaces) == ["Diffusion", "Patrimoine"]


@pytest.mark.django_db
def test_tbx_is_in_the_iso_30042_2019_namespace_and_names_the_official_schemas(tmp_path):
    rich_lexicon()
    document = etree.fromstring(exported(TbxExporter, tmp_path))
    # ISO 30042:2019 and the official TBX-Basic files say ed-2; Lexique once wrote ed:3.0, which they refuse.
    assert etree.QName(document).namespace == "urn:iso:std:iso:30042:ed-2"
    models = [node for node in document.itersiblings(preceding=True) if isinstance(node, etree._ProcessingInstruction)]
    assert sorted(model.get("href") for model in models) == [
        "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch",
        "https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng"]


@pytest.mark.django_db
def test_a_tbx_file_in_the_earlier_namespace_fails_the_schema(tmp_path):
    rich_lexicon()
    text = exported(TbxExporter, tmp_path).replace(b"urn:iso:std:iso:30042:ed-2", b"urn:iso:std:iso:30042:ed:3.0")
    grammar, rules = tbx_schema()
    document = etree.fromstring(text)
    assert not grammar.validate(document)
    assert not rules.validate(document)


# Each breaks a rule of the official TBX-Basic files, which the project's rules must catch too: the DCA
# Schematron's, but for an unknown id (the official core grammar's IDREF) and a target that is not http(s) (a
# rule the official Schematron states, in a pattern where an earlier rule claims every ref and xref first).
BROKEN_RULES = [
    ("a subject field in a langSec", b'<langSec xml:lang="fr">',
     b'<langSec xml:lang="fr"><descrip type="subjectField">Diffusion</descrip>'),
    ("a context at the concept level", b'<descrip type="subjectField"', b'<descrip type="context"'),
    ("a termNote in a langSec", b'<langSec xml:lang="en">',
     b'<langSec xml:lang="en"><termNote type="partOfSpeech">noun</termNote>'),
    ("a descrip of a type TBX-Basic lacks", b'type="definition"', b'type="explanation"'),
    ("a termNote of a type TBX-Basic lacks", b'type="grammaticalGender"', b'type="grammaticalNumber"'),
    ("an empty type", b'type="definition"', b'type=""'),
    ("a part of speech off the picklist", b">noun<", b">properNoun<"),
    ("a gender off the picklist", b">feminine<", b">female<"),
    ("a term type off the picklist", b">acronym<", b">initialism<"),
    ("a status off the picklist", b">deprecatedTerm-admn-sts<", b">forbiddenTerm-admn-sts<"),
    ("a cross reference to no entry of the file", b'target="c-decouvrabilite"', b'target="c-nulle-part"'),
    ("an external target that is not http(s)", b'target="https://example.org/rapport', b'target="ftp://example.org/r'),
    ("an element outside the TBX namespace (DCT style)", b'<langSec xml:lang="fr">',
     b'<langSec xml:lang="fr"><x:note xmlns:x="https://example.org/x">x</x:note>'),
    ("another dialect", b'type="TBX-Basic"', b'type="TBX-Min"'),
]


@pytest.mark.parametrize("change,old,new", BROKEN_RULES, ids=[case[0] for case in BROKEN_RULES])
@pytest.mark.django_db
def test_the_schematron_rules_catch_what_the_official_dca_rules_catch(tmp_path, change, old, new):
    rich_lexicon()
    text = exported(TbxExporter, tmp_path)
    assert old in text
    _grammar, rules = tbx_schema()
    assert rules.validate(etree.fromstring(text))
    assert not rules.validate(etree.fromstring(text.replace(old, new, 1))), change


@pytest.mark.django_db
def test_domain_edition_and_empty_tbx_exports_are_valid(tmp_path):
    from lexique.editions.services import publish_edition
    from tests.support.factories import DomainFactory, UserFactory

    rich_lexicon()
    DomainFactory(slug="vide", name_fr="Vide", name_en="Empty", position=3)
    publish_edition(number="1", by=UserFactory(moderator=True))
    grammar, rules = tbx_schema()
    for options in ({"domains": ["diffusion"]}, {"domains": ["vide"]}):
        document = etree.fromstring(exported(TbxExporter, tmp_path, **options))
        assert grammar.validate(document), (options, grammar.error_log)
        assert rules.validate(document), (options, rules.error_log)
    path = tmp_path / "edition.tbx"
    TbxExporter(ExportOptions(lang="bilingual", edition="1")).write(path)
    document = etree.parse(str(path))
    assert grammar.validate(document) and rules.validate(document)
    assert len(document.getroot().findall(".//{urn:iso:std:iso:30042:ed-2}conceptEntry")) == 3


@pytest.mark.django_db
def test_the_schema_catches_a_tbx_file_that_breaks_the_dialect(tmp_path):
    rich_lexicon()
    text = exported(TbxExporter, tmp_path).replace(b"deprecatedTerm-admn-sts", b"forbiddenTerm")
    grammar, _rules = tbx_schema()
    assert not grammar.validate(etree.fromstring(text))


@pytest.mark.django_db
def test_csv_has_a_bom_the_documented_columns_and_guards_formulas(tmp_path):
    rich_lexicon()
    data = exported(CsvExporter, tmp_path)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    first = rows[0]
    assert first["headword_fr"] == "découvrabilité"
    assert first["examples_en"] == "'+1 for \"quotes\""
    assert first["notes_fr"] == "'@mention ; -moins"
    assert first["synonyms_admitted_fr"] == "trouvabilité | region: fr\ndécouverte"  # a synonym's region on its line
    assert [row["definition_fr"] for row in rows if row["slug"] == "nft"] == ["''=Jeton non fongible."]


@pytest.mark.parametrize("value", ["=1+1", "+33", "-x", "@a", "\tx", "'=x", "''=x", "'a", "plain", ""])
def test_the_formula_guard_is_undone_exactly(value):
    guarded = guard_cell(value)
    assert not guarded.startswith(("=", "+", "-", "@", "\t"))
    assert unguard_cell(guarded) == value


@pytest.mark.django_db
def test_a_domain_export_holds_its_terms_and_names_related_ones_outside(tmp_path):
    rich_lexicon()
    graph = read_rdf(exported(SkosTurtleExporter, tmp_path, domains=["diffusion"]), "turtle")
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert {definition for concept in concepts for definition in graph.objects(concept, SKOS.definition)} == {
        Literal("Capacité d'un contenu à être trouvé parmi d'autres.\n\n- en ligne\n- en salle", lang="fr"),
        Literal("How easily content is found among others.", lang="en")}
    # Every link of the file is written both ways.
    assert all((second, SKOS.related, first) in graph for first, second in graph.subject_objects(SKOS.related))


@pytest.mark.parametrize("file_name,media_type", [
    ("skos.ttl", "text/turtle; charset=utf-8"), ("skos.rdf", "application/rdf+xml"),
    ("skos.jsonld", "application/ld+json"), ("terms.tbx", "application/x-tbx+xml"),
    ("terms.csv", "text/csv; charset=utf-8")])
@pytest.mark.django_db
def test_the_api_serves_each_file_from_the_store_with_an_etag(client, file_name, media_type):
    rich_lexicon()
    url = reverse("api:export", kwargs={"file_name": file_name})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == media_type
    assert b"".join(response.streaming_content)
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_the_api_filters_by_one_known_domain_and_refuses_others(client):
    rich_lexicon()
    url = reverse("api:export", kwargs={"file_name": "terms.csv"})
    body = b"".join(client.get(url, {"domain": "diffusion"}).streaming_content).decode("utf-8-sig")
    assert [row["slug"] for row in csv.DictReader(io.StringIO(body))] == ["decouvrabilite"]
    unknown = client.get(url, {"domain": "nulle-part"})
    assert unknown.status_code == 400 and unknown.json()["errors"]["domain"]
    assert client.get(url, {"domain": ["diffusion", "patrimoine"]}).status_code == 400
    assert client.get(url, {"edition": "3"}).status_code == 404  # no such edition (tests/editions/test_editions.py)


@pytest.mark.django_db
def test_terminology_files_and_books_are_stored_apart(tmp_path):
    rich_lexicon()
    book = get_export(ExportOptions(lang="bilingual"))
    book.close()
    for exporter_class in (SkosTurtleExporter, SkosRdfXmlExporter, SkosJsonLdExporter, TbxExporter, CsvExporter):
        get_export(exporter_class.options(), exporter_class).close()
    names = sorted(path.name.split("-v")[0] for path in (tmp_path / "media" / "exports").iterdir()
                   if not path.name.startswith("."))
    assert len(names) == 6 and files.exists(book.name)


@pytest.mark.django_db
def test_the_downloads_page_links_every_terminology_file(client):
    page = client.get(reverse("downloads")).content.decode()
    for file_name in ("skos.ttl", "skos.rdf", "skos.jsonld", "terms.tbx", "terms.csv"):
        assert reverse("api:export", kwargs={"file_name": file_name}) in page


@pytest.mark.django_db
def test_the_export_command_writes_any_registered_format(tmp_path):
    rich_lexicon()
    target = tmp_path / "lexique.jsonld"
    call_command("export", "--format", "skos-jsonld", "--domain", "patrimoine", "-o", str(target))
    nodes = json.loads(target.read_text())["@graph"]
    assert {node["@id"] for node in nodes if "skos:Concept" in node.get("@type", [])} \
        >= {"https://lexique.test/termes/decouvrabilite/", "https://lexique.test/termes/metadonnees/"}


@pytest.mark.parametrize("accept,media_type,rdf_format", [
    ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/ld+json;q=0.9, text/html;q=0.5", "application/ld+json", "json-ld")])
@pytest.mark.django_db
def test_a_term_uri_gives_its_rdf_to_a_client_that_asks_for_it(client, accept, media_type, rdf_format):
    rich_lexicon()
    response = client.get("/termes/decouvrabilite/", HTTP_ACCEPT=accept)
    assert response["Content-Type"] == media_type and "Accept" in response["Vary"]
    graph = read_rdf(response.content, rdf_format)
    assert (TERM, SKOS.prefLabel, Literal("découvrabilité", lang="fr")) in graph
    assert (TERM, SKOS.related, URIRef("https://lexique.test/termes/metadonnees/")) not in graph
    assert (URIRef("https://lexique.test/termes/nft/"), SKOS.related, TERM) not in graph


@pytest.mark.django_db
def test_a_browser_still_gets_the_term_page(client):
    rich_lexicon()
    response = client.get("/termes/decouvrabilite/",
                          HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert response["Content-Type"].startswith("text/html") and "Accept" in response["Vary"]
    assert client.get("/termes/inconnu/", HTTP_ACCEPT="text/turtle").status_code == 404
