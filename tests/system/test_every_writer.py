"""Exact, or refused: random content goes through propose → approve → every writer.

Either the services refuse it with a clear ValidationError, or every output parses with its
consumer's own library (rdflib, lxml, csv, json) and holds the content, with no server error.
"""
import csv
import io
import json
import re
import unicodedata
import warnings

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from lxml import etree, html
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from lexique import services

from lexique.publishing import citations
from lexique.interop.published import ExportOptions
from lexique.interop.exporters.csv import CsvExporter, unguard_cell
from lexique.interop.exporters.epub import EpubExporter
from lexique.interop.exporters.skos import SkosJsonLdExporter, SkosRdfXmlExporter, SkosTurtleExporter
from lexique.interop.exporters.tbx import TbxExporter
from lexique.models import Term
from lexique.core.text import markdown_text
from tests.support.export_fixtures import read_book
from tests.support.factories import UserFactory

# What breaks writers that build text by hand: markup, CDATA ends, entities, Markdown, quotes, formula
# starts, combining marks, astral and right-to-left characters, invisible ones, endless words.
WRITABLE = [
    "<script>alert(1)</script>", "]]>", "&amp;", "&nbsp;", "<![CDATA[x]]>", "**gras**", "[lien](javascript:x)",
    "`code`", "# titre", "> citation", "\\", "\"", "'", "{", "}", "|", "^", "`", "@", "=1+2", "-", "+", "%",
    "e\u0301", "\u0301", "👩🏽\u200d🎤", "\U0001f600", "\U00020000", "\xa0", "مكتبة", "ספרייה", "数字化", "x" * 300,
]
# What no format can write as it is (control characters, noncharacters, lone surrogates) and what a name
# may not hold (invisible or direction-changing characters): the services must refuse it, clearly.
HOSTILE = ["\x00", "\x01", "\x1f", "\x7f", "\x9f", "\ufffe", "\uffff", "\ufdd0", "\ud800", "\U0001fffe",
           "\u200b", "\u202e", "\ue000", "\n", "\t"]
# Texts of several lines may also hold line breaks, tabs and other systems' line separators.
LAYOUT = ["\n", "\r\n", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\n\n- un\n- deux\n"]


def _texts(fragments, alphabet):
    return st.lists(st.one_of(st.sampled_from(fragments), st.text(alphabet, max_size=12)), max_size=6).map("".join)


# Any character but surrogates, controls, noncharacters and unassigned ones; names none of the
# invisible or private-use characters either.
_VISIBLE = st.characters(exclude_categories=("Cs", "Cc", "Cn", "Cf", "Co", "Zl", "Zp"))
names = _texts(WRITABLE, _VISIBLE).filter(lambda text: any(char.isalnum() for char in text))
long_texts = _texts(WRITABLE + LAYOUT, st.characters(exclude_categories=("Cs", "Cc", "Cn")))
one_line = _texts(WRITABLE, _VISIBLE)
hostile = _texts(WRITABLE + HOSTILE, st.characters(exclude_categories=())).filter(
    lambda text: any(char in text for char in "".join(HOSTILE)))
urls = st.one_of(
    st.builds(lambda path: "https://example.org/" + path, one_line),
    st.builds(lambda path: "https://example.org/" + path, _texts(WRITABLE + LAYOUT + HOSTILE, st.characters())),
    st.builds(lambda scheme, rest: scheme + rest, st.sampled_from(["http://", "ftp://", "javascript:", "", "https:"]),
              one_line),
)


def _contents(*, headword=names, long=long_texts, short=one_line):
    return st.fixed_dictionaries({
        "headword_fr": headword, "headword_en": st.one_of(st.just(""), headword),
        "definition_fr": long.filter(lambda text: text.strip()), "definition_en": long,
        "examples_fr": long, "notes_en": long, "category": short.map(lambda text: text[:30]),
        "synonyms": st.lists(st.fixed_dictionaries({"text": headword, "lang": st.sampled_from(["fr", "en"])}),
                             max_size=2),
        "sources": st.lists(st.one_of(
            st.fixed_dictionaries({"title": short, "url": urls}),
            # A book, a standard or a printed glossary: every part, the address optional.
            st.fixed_dictionaries({"title": short}, optional={
                "url": urls, "author": short, "publisher": short, "pages": short, "standard": short,
                "year": st.one_of(st.integers(0, 9999).map(str), short),
                "definition": st.sampled_from(["fr", "en", "", "de"])}),
        ), max_size=2),
    })


# Most examples hold only what the rules accept (so that the writers are tried); the others put
# hostile characters in one kind of field.
contents = st.one_of(
    _contents(), _contents(),
    _contents(headword=hostile), _contents(long=hostile), _contents(short=hostile),
)


class Rollback(Exception):
    """Leaves the example's transaction: each example starts from the same empty lexicon."""


@pytest.fixture
def people(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://lexique.test"
    return UserFactory(), UserFactory(moderator=True)


@settings(max_examples=40, deadline=None, derandomize=True, print_blob=True, phases=[Phase.generate, Phase.shrink],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(data=contents)
def test_random_content_is_refused_or_written_by_every_writer(people, client, tmp_path, data):
    author, moderator = people
    cache.clear()
    try:
        with transaction.atomic():
            try:
                revision = services.propose_term(author=author, content=data)
            except services.ValidationError as error:
                event("refused")
                assert error.messages and all(message.strip() for message in error.messages)
                raise Rollback from None
            services.approve(revision, by=moderator)
            event("written by every writer")
            check_every_writer(client, tmp_path, Term.objects.get(pk=revision.term_id))
            raise Rollback
    except Rollback:
        pass


MARKDOWN = URIRef("https://lexique.test/vocabulaire#definitionMarkdown")


def check_every_writer(client, tmp_path, term):
    headword, definition = term.headword_fr, term.definition_fr
    for exporter, rdf_format in ((SkosTurtleExporter, "turtle"), (SkosRdfXmlExporter, "xml"),
                                 (SkosJsonLdExporter, "json-ld")):
        graph = read_rdf(written(exporter, tmp_path), rdf_format)
        assert Literal(headword, lang="fr") in set(graph.objects(None, SKOS.prefLabel)), rdf_format
        # The definition as plain text, and its Markdown beside it when that says more.
        plain = markdown_text(definition)
        if plain:
            assert Literal(plain, lang="fr") in set(graph.objects(None, SKOS.definition)), rdf_format
        if plain != definition:
            assert Literal(definition, lang="fr") in set(graph.objects(None, MARKDOWN)), rdf_format
        for source in term.sources:
            assert any(str(value) == source.get("url", source["title"]) for value in graph.objects()), rdf_format

    tbx = etree.fromstring(written(TbxExporter, tmp_path), etree.XMLParser(resolve_entities=False))
    assert headword in {element.text for element in tbx.iter("{*}term")}
    assert definition in "".join(tbx.itertext())

    rows = list(csv.reader(io.StringIO(written(CsvExporter, tmp_path).decode("utf-8-sig"), newline="")))
    assert headword in {unguard_cell(cell) for row in rows[1:] for cell in row}
    assert definition in {unguard_cell(cell) for row in rows[1:] for cell in row}

    book = read_book(written(EpubExporter, tmp_path))
    assert letters(headword) in letters(" ".join(" ".join(root.itertext()) for root in book.values()))

    response = client.get(f"/api/v1/terms/{term.slug}/")
    assert response.status_code == 200
    assert response.json()["headword"]["fr"] == headword and response.json()["definition"]["fr"] == definition

    page = client.get(term.get_absolute_url())
    assert page.status_code == 200
    structured = html.fromstring(page.content).xpath("//script[@type='application/ld+json']/text()")
    assert json.loads(structured[0])["name"] == headword
    rdf = client.get(term.get_absolute_url(), HTTP_ACCEPT="text/turtle")
    assert rdf.status_code == 200
    assert Literal(headword, lang="fr") in set(read_rdf(rdf.content, "turtle").objects(None, SKOS.prefLabel))

    feed = etree.fromstring(client.get("/flux/nouveaux-termes.atom").content)
    assert headword in "".join(feed.itertext())

    version = term.current_revision
    assert json.loads(citations.csl_json(term, version))[0]["title"] == headword
    assert balanced_braces(citations.bibtex(term, version))


def written(exporter, tmp_path):
    path = tmp_path / f"out.{exporter.extension}"
    exporter(exporter.options() if hasattr(exporter, "options") else ExportOptions(lang="bilingual")).write(path)
    return path.read_bytes()


def read_rdf(data, rdf_format):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(data=data, format=rdf_format)


def letters(text):
    """Letters and digits only: the e-book's typography changes spaces and quotes, never these."""
    return "".join(char for char in unicodedata.normalize("NFC", text) if char.isalnum())


def balanced_braces(bibtex):
    depth = 0
    for char in re.sub(r"\\[{}]", "", bibtex):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
