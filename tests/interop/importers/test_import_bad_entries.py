"""One bad entry is reported with its place in the file (line, entry number), and the others can still be imported
when the moderator chooses; a file none of whose entries can be imported is refused whole. Messages never show the
internal id an RDF parser gives a blank node."""
import re

import pytest

from lexique.interop.importers import ImportFileError, import_entries, read_entries
from lexique.interop.importers.service import Decisions
from lexique.models import Revision

pytestmark = pytest.mark.django_db

BLANK_NODE_ID = re.compile(r"\b_?:?N[0-9a-f]{32}\b|_:[A-Za-z0-9]+")


def test_a_row_longer_than_its_header_is_refused_with_its_line_and_the_others_may_be_imported(moderator):
    data = ("headword_fr,definition_fr\r\nbilletterie,Vente des billets.\r\ncaptation,Enregistrement.,en trop\r\n"
            "médiation,Actions vers les publics.\r\n").encode()
    entries = read_entries(data, "csv")
    report = import_entries(entries=entries, by=moderator)
    assert not report.written
    [error] = report.errors
    assert error.where == "ligne 3" and "plus de cellules que de colonnes" in error.messages[0]
    chosen = import_entries(entries=entries, by=moderator, decisions=Decisions(skip_refused=True))
    assert chosen.written and chosen.count_error == 1
    assert sorted(Revision.objects.values_list("headword_fr", flat=True)) == ["billetterie", "médiation"]


def test_a_tbx_entry_in_other_languages_only_is_refused_by_its_number_and_the_others_may_be_imported(moderator):
    data = ("<?xml version='1.0' encoding='UTF-8'?><martif type='TBX' xml:lang='fr'><martifHeader><fileDesc>"
            "<sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader><text><body>"
            "<termEntry id='a'><langSet xml:lang='fr'><tig><term>billetterie</term></tig></langSet></termEntry>"
            "<termEntry id='de'><langSet xml:lang='de'><tig><term>Kasse</term></tig></langSet></termEntry>"
            "</body></text></martif>").encode()
    entries = read_entries(data, "tbx")
    report = import_entries(entries=entries, by=moderator, decisions=Decisions(skip_refused=True))
    assert report.written
    assert [(outcome.where, outcome.action) for outcome in report.outcomes] == [
        ("entrée 1 (a)", "new"), ("entrée 2 (de)", "error")]
    assert "aucun terme en français ni en anglais" in " ".join(report.outcomes[1].messages)


def test_a_file_whose_every_entry_is_bad_is_refused_whole():
    with pytest.raises(ImportFileError, match="Ligne 2 : plus de cellules"):
        read_entries(b"headword_fr\r\nbilletterie,en trop\r\n", "csv")


THESAURUS = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
[] a skos:Concept ; skos:prefLabel "billetterie"@fr, "ticketing"@en, "kassa"@nl ;
   skos:definition "Vente des billets."@fr ;
   dcterms:source [ dcterms:title "Glossaire imprimé du spectacle, 2019" ] ,
                  [ dcterms:title "Guide en ligne" ; schema:url "https://example.org/guide" ] .
"""


def test_blank_nodes_keep_their_titles_and_no_message_shows_a_parser_id(moderator):
    [entry] = read_entries(THESAURUS.encode(), "ttl")
    assert entry.where == "concept 1 (sans adresse)"
    # A printed glossary, cited without an address, is a source of its own (lexique.core.sources).
    assert {"title": "Guide en ligne", "url": "https://example.org/guide"} in entry.content["sources"]
    assert any(source["title"] == "Glossaire imprimé du spectacle, 2019" and not source.get("url")
               for source in entry.content["sources"])
    assert any("nl" in warning for warning in entry.warnings)
    report = import_entries(entries=[entry], by=moderator, dry_run=True)
    said = " ".join([outcome.where for outcome in report.outcomes]
                    + [message for outcome in report.outcomes for message in outcome.messages])
    assert not BLANK_NODE_ID.search(said), said
