"""One rule per input: source addresses and texts are normalised or refused, and every writer writes what is kept."""
import warnings

import pytest
from django.core.exceptions import ValidationError
from rdflib import Graph, URIRef
from rdflib.namespace import Namespace

from lexique import services
from lexique.interop.exporters.skos import SkosRdfXmlExporter, SkosTurtleExporter
from lexique.web.forms import ProposalForm
from lexique.core.inputs import clean_source_url, clean_text
from tests.support.factories import UserFactory, content, publish_term

SCHEMA = Namespace("https://schema.org/")


@pytest.mark.parametrize("typed, kept", [
    ("https://example.org/search?q={term}", "https://example.org/search?q=%7Bterm%7D"),
    (" HTTPS://Example.ORG/a b|c^`\"<>\\ ", "https://example.org/a%20b%7Cc%5E%60%22%3C%3E%5C"),
    ("https://example.org/é?x=%zz&y=%41#a#b", "https://example.org/é?x=%25zz&y=%41#a%23b"),
    ("https://example.org/a\u200bb\u00a0c", "https://example.org/a%E2%80%8Bb%C2%A0c"),
    ("https://example.org/[1]", "https://example.org/%5B1%5D"),
    ("https://münchen.example/straße", "https://münchen.example/straße"),
])
def test_a_source_address_is_percent_encoded_where_a_uri_cannot_hold_a_character(typed, kept):
    assert clean_source_url(typed) == kept
    assert clean_source_url(kept) == kept


@pytest.mark.parametrize("typed", [
    "ftp://example.org/", "javascript:alert(1)", "example.org", "https://user:secret@example.org/",
    "https://example.org/a\x00b", "https://example.org/a\nb", "https://example.org/\x85a", "https://example.org/\ufffe",
    "https://example.org/" + "{" * 700, "https://exa{mple.org/", "https://example.org:99999/", "",
])
def test_a_source_address_that_no_format_can_write_is_refused(typed):
    with pytest.raises(ValidationError):
        clean_source_url(typed)


@pytest.mark.parametrize("text, one_line", [
    ("a\x01b", False), ("a\x7fb", False), ("a\x9ab", False), ("a\ufffeb", False), ("a\U0001ffffb", False),
    ("a\ufdd0b", False), ("a\ud800b", False), ("a\nb", True), ("a\u2028b", True), ("a\tb", True),
])
def test_a_text_with_a_character_no_format_can_write_is_refused(text, one_line):
    with pytest.raises(ValidationError):
        clean_text(text, one_line=one_line)


def test_line_separators_of_other_systems_become_line_breaks():
    assert clean_text(" un\x0bdeux\u2028trois\x0cquatre\r\ncinq ", one_line=False) == "un\ndeux\ntrois\nquatre\r\ncinq"


def test_a_definition_with_a_control_character_is_refused_by_the_services(contributor):
    with pytest.raises(ValidationError) as error:
        services.propose_term(author=contributor, content=content(definition_fr="a\x01b"))
    assert "U+0001" in error.value.message_dict["definition_fr"][0]


def _rdf(data, rdf_format):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(data=data, format=rdf_format)


@pytest.fixture
def templated_source(settings, tmp_path, moderator):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://lexique.test"
    return publish_term(moderator=moderator, sources=[
        {"title": "Recherche", "url": "https://example.org/search?q={term}&x=a|b^c`d\"e f"}])


def test_a_templated_source_address_is_stored_encoded(templated_source):
    assert templated_source.sources[0]["url"] == "https://example.org/search?q=%7Bterm%7D&x=a%7Cb%5Ec%60d%22e%20f"


def test_the_term_rdf_of_a_templated_source_answers_in_turtle(client, templated_source):
    response = client.get(templated_source.get_absolute_url(), HTTP_ACCEPT="text/turtle")
    assert response.status_code == 200
    urls = set(_rdf(response.content, "turtle").objects(None, SCHEMA.url))
    assert URIRef(templated_source.sources[0]["url"]) in urls


@pytest.mark.parametrize("exporter, rdf_format", [(SkosTurtleExporter, "turtle"), (SkosRdfXmlExporter, "xml")])
def test_the_skos_exports_of_a_templated_source_are_written(tmp_path, templated_source, exporter, rdf_format):
    path = tmp_path / f"out.{exporter.extension}"
    exporter(exporter.options()).write(path)
    urls = set(_rdf(path.read_bytes(), rdf_format).objects(None, SCHEMA.url))
    assert URIRef(templated_source.sources[0]["url"]) in urls


def test_the_api_and_the_form_apply_the_same_rule_to_a_source(client, contributor):
    client.force_login(contributor)
    response = client.post("/api/v1/proposals/", content(
        headword_fr="gabarit", sources=[{"title": "", "url": "https://example.org/?q={x}"}]),
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["sources"][0]["url"] == "https://example.org/?q=%7Bx%7D"
    form = ProposalForm({**content(headword_fr="gabarit"), "sources": "Titre | https://example.org/a|b"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sources"] == [{"title": "Titre", "url": "https://example.org/a|b"}]
    revision = services.propose_term(author=UserFactory(), content={
        **content(headword_fr="gabarit deux"), "sources": form.cleaned_data["sources"]})
    assert revision.sources == [{"title": "Titre", "url": "https://example.org/a%7Cb"}]


@pytest.mark.django_db
@pytest.mark.parametrize("stored", ["https://example.org/search?q={term}", "https://example.org/\x07bell"])
def test_an_address_stored_before_the_rule_never_stops_the_turtle_file(tmp_path, stored):
    """Revisions are never rewritten: an address stored before the input rule (here put in the published copy
    directly, as an older version of the site let it in) is written as well as it can be."""
    term = publish_term()
    type(term).objects.filter(pk=term.pk).update(sources=[{"title": "Ancienne source", "url": stored}])
    path = tmp_path / "lexique.ttl"
    SkosTurtleExporter(SkosTurtleExporter.options()).write(path)
    graph = Graph().parse(path, format="turtle")
    urls = {str(value) for source, value in graph.subject_objects(Namespace("https://schema.org/").url)
            if "#source-" in str(source)}
    assert urls == {clean_source_url(stored) if "{" in stored else stored}
