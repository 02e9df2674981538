"""Round trips: export, import into an empty lexicon, export again: the same content, for each format."""
import io
import warnings

import pytest
from django.db import transaction
from openpyxl import load_workbook
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from lexique.interop.registry import DATA_FORMATS, EXPORTERS
from lexique.interop.importers import import_entries, read_entries
from lexique.models import Domain, Term
from tests.support.exports_data import CITED_SOURCES, cited_lexicon, rich_lexicon
from tests.support.factories import UserFactory

RDF_SYNTAX = {"skos-ttl": "turtle", "skos-rdf": "xml", "skos-jsonld": "json-ld", "ontolex": "turtle"}


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://lexique.test"


def export(name, tmp_path):
    exporter_class = EXPORTERS[name]
    path = tmp_path / f"{name}.{exporter_class.extension}"
    exporter_class(exporter_class.options()).write(path)
    return path.read_bytes()


def exported_then_forgotten(name, tmp_path, lexicon=rich_lexicon):
    """The export of a rich lexicon, made inside a savepoint that is then rolled back: the lexicon is
    empty again (no term, revision or domain), as a new site's would be."""
    with transaction.atomic():
        lexicon()
        data = export(name, tmp_path)
        transaction.set_rollback(True)
    assert not Term.objects.exists() and not Domain.objects.exists()
    return data


def same_content(name, before, after):
    if name in RDF_SYNTAX:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
            graphs = [Graph().parse(data=data, format=RDF_SYNTAX[name]) for data in (before, after)]
        for graph in graphs:  # the scheme is dated by the last publication, which the import makes anew
            graph.remove((None, DCTERMS.modified, None))
            graph.remove((None, DCTERMS.created, None))
        return isomorphic(*graphs)
    if name == "xlsx":  # dated by the last publication, which the import makes anew: the cells must be the same
        return workbook_cells(before) == workbook_cells(after)
    return before == after


def workbook_cells(data):
    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


@pytest.mark.parametrize("lexicon", [rich_lexicon, cited_lexicon], ids=["web-sources", "cited-sources"])
@pytest.mark.parametrize("name", DATA_FORMATS)
@pytest.mark.django_db
def test_export_import_into_an_empty_lexicon_and_export_again_gives_the_same_content(name, lexicon, tmp_path):
    before = exported_then_forgotten(name, tmp_path, lexicon)
    moderator = UserFactory(moderator=True)
    extension = EXPORTERS[name].extension
    report = import_entries(entries=read_entries(before, extension), by=moderator, approve_now=True)
    assert report.written, [outcome.messages for outcome in report.errors]
    after = export(name, tmp_path)
    assert same_content(name, before, after), (before.decode()[:3000], after.decode()[:3000])


@pytest.mark.parametrize("name", DATA_FORMATS)
@pytest.mark.django_db
def test_a_book_a_standard_and_a_printed_glossary_come_back_from_every_format_exactly(name, tmp_path):
    data = exported_then_forgotten(name, tmp_path, cited_lexicon)
    report = import_entries(entries=read_entries(data, EXPORTERS[name].extension),
                            by=UserFactory(moderator=True), approve_now=True)
    assert report.written, [outcome.messages for outcome in report.errors]
    assert Term.objects.get(slug="terminologie").sources == CITED_SOURCES
    # The terms whose sources are web pages cited the old way keep that shape: nothing added to them.
    assert Term.objects.get(slug="decouvrabilite").sources[0] == {
        "title": "Office québécois de la langue française", "url": "https://vitrinelinguistique.oqlf.gouv.qc.ca/"}


@pytest.mark.parametrize("name", ["csv", "xlsx"])
@pytest.mark.django_db
def test_spreadsheets_bring_back_each_synonyms_kind_and_region(name, tmp_path):
    from tests.support.factories import publish_term

    synonyms = [{"text": "IA", "lang": "fr", "status": "preferred", "kind": "initialism", "region": "qc"},
                {"text": "AI", "lang": "en", "status": "admitted", "kind": "initialism"},
                {"text": "intellect artificiel", "lang": "fr", "status": "not_recommended", "region": "fr"}]
    with transaction.atomic():
        publish_term(headword_fr="intelligence artificielle", headword_en="artificial intelligence",
                     synonyms=synonyms)
        before = {(term.slug, term.headword_fr): term.synonyms for term in Term.objects.published()}
        data = export(name, tmp_path)
        transaction.set_rollback(True)
    report = import_entries(entries=read_entries(data, EXPORTERS[name].extension), by=UserFactory(moderator=True),
                            approve_now=True)
    assert report.written, [outcome.messages for outcome in report.errors]
    after = {(term.slug, term.headword_fr): term.synonyms for term in Term.objects.published()}
    assert after == before
    assert [s for s in after[("intelligence-artificielle", "intelligence artificielle")] if s.get("kind")]
