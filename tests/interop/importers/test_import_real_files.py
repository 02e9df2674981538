"""Real files written by other programs: a SKOS thesaurus from PyPI atramhasis's fixtures (written by
skosprovider_rdf), a bilingual glossary without definitions written as TBX by translate-toolkit, a CSV whose columns
another tool named. What is kept, what is set aside with a warning, what is refused entry by entry; and, when the
moderator chooses it, the accepted entries imported while the refused ones are left out."""
import csv
import io

import pytest
from django.core.management import CommandError, call_command
from translate.storage import tbx

from lexique.interop.importers import ImportFileError, import_entries, read_entries
from lexique.interop.importers.service import Decisions
from lexique.models import Revision, Term
from tests.support import FIXTURES

pytestmark = pytest.mark.django_db
SKOS_FILES = FIXTURES / "skos"
GLOSSARY = [("billetterie", "ticketing"), ("médiation culturelle", "cultural mediation"),
            ("découvrabilité", "discoverability"), ("captation", "recording")]


def glossary_without_definitions() -> bytes:
    """A translator's fr→en glossary (terms and equivalents, nothing else) as translate-toolkit writes TBX."""
    store = tbx.tbxfile(sourcelanguage="fr", targetlanguage="en")
    for french, english in GLOSSARY:
        store.addsourceunit(french).target = english
    output = io.BytesIO()
    store.serialize(output)
    return output.getvalue()


def test_a_thesaurus_in_three_languages_is_read_with_the_others_set_aside_and_said():
    entries = read_entries((SKOS_FILES / "atramhasis-trees.ttl").read_bytes(), "ttl")
    by_english = {entry.content["headword_en"]: entry for entry in entries}
    assert set(by_english) == {"The Larch", "The Chestnut"}
    chestnut = by_english["The Chestnut"]
    # No French preferred label: the French alternative one is the term, and the entry says so.
    assert chestnut.content["headword_fr"] == "la châtaigne"
    assert chestnut.content["definition_en"] == "A different type of tree."
    assert [synonym["lang"] for synonym in chestnut.content["synonyms"]] == []
    assert any("nl" in warning and "laissés de côté" in warning for warning in chestnut.warnings)
    assert any("la châtaigne" in warning for warning in chestnut.warnings)


def test_the_thesaurus_import_reports_each_entry_and_writes_nothing_refused(moderator):
    entries = read_entries((SKOS_FILES / "atramhasis-trees.ttl").read_bytes(), "ttl")
    report = import_entries(entries=entries, by=moderator)
    assert not report.written and Revision.objects.count() == 0
    outcomes = {outcome.where: outcome for outcome in report.outcomes}
    larch, chestnut = outcomes["urn:x-skosprovider:trees/1"], outcomes["urn:x-skosprovider:trees/2"]
    # The larch has no French label at all: refused, with what was set aside before it.
    assert larch.action == "error"
    assert "laissés de côté" in " ".join(larch.messages) and "headword_fr" in " ".join(larch.messages)
    # The chestnut has a French term but an English definition only: kept, its missing definition said.
    assert chestnut.action == "new" and chestnut.missing_definition
    chosen = import_entries(entries=entries, by=moderator, decisions=Decisions(skip_refused=True))
    assert chosen.written
    assert list(Revision.objects.values_list("headword_fr", "definition_en")) == [
        ("la châtaigne", "A different type of tree.")]


def test_blank_node_sources_keep_their_citation_and_its_address():
    entries = read_entries((SKOS_FILES / "atramhasis-materials.ttl").read_bytes(), "ttl")
    sources = [source for entry in entries for source in entry.content["sources"]]
    assert {"title": "Nederlandse Art & Architecture Thesaurus, http://browser.aat-ned.nl//",
            "url": "http://browser.aat-ned.nl//"} in sources
    # A book cited without an address is a source like any other: its title is kept, no address made up.
    books = [source for source in sources if "Van Dale" in source["title"]]
    assert books and all("url" not in source for source in books)
    assert not [warning for entry in entries for warning in entry.warnings if "Van Dale" in warning]
    # Every label is in Dutch (nl-BE): set aside with a warning on each entry, not a refusal of the file.
    assert all(any("nl" in warning for warning in entry.warnings) for entry in entries)


def test_a_translators_glossary_without_definitions_is_kept_as_proposals_that_say_the_definition_is_missing(
        moderator):
    entries = read_entries(glossary_without_definitions(), "tbx")
    assert [(entry.content["headword_fr"], entry.content["headword_en"]) for entry in entries] == GLOSSARY
    report = import_entries(entries=entries, by=moderator, approve_now=True)
    assert report.written and not report.errors and report.count_missing_definition == len(GLOSSARY)
    assert all("Définition manquante" in " ".join(outcome.messages) for outcome in report.outcomes)
    # The lexicon's default policy keeps them for contributors to complete: proposals, nothing published.
    assert not Term.objects.published().exists()
    assert sorted(Revision.objects.filter(state=Revision.State.PENDING).values_list("headword_en", flat=True)) == \
        sorted(english for _french, english in GLOSSARY)


# A French term longer than any the lexicon takes: an entry refused whatever else it says.
TOO_LONG = "captation " * 25


def other_tool_csv(rows) -> bytes:
    """A glossary whose columns another tool named, with a column of its own bookkeeping left empty."""
    written = io.StringIO()
    writer = csv.writer(written, lineterminator="\r\n")
    writer.writerow(["Terme", "Term (EN)", "Définition", "Source", "fuzzy"])
    writer.writerows(rows)
    return written.getvalue().encode("utf-8")


def test_columns_named_by_another_tool_are_recognised():
    data = other_tool_csv([["billetterie", "ticketing", "Vente des billets.", "https://example.org/b", ""]])
    [entry] = read_entries(data, "csv")
    assert entry.content["headword_fr"] == "billetterie" and entry.content["headword_en"] == "ticketing"
    assert entry.content["definition_fr"] == "Vente des billets."
    assert entry.content["sources"] == [{"title": "https://example.org/b", "url": "https://example.org/b"}]


def test_an_unknown_column_that_holds_something_and_two_columns_for_one_field_are_refused():
    with pytest.raises(ImportFileError, match="Colonnes inconnues : fuzzy"):
        read_entries(other_tool_csv([["billetterie", "ticketing", "Vente.", "", "oui"]]), "csv")
    twice = b"term,terme,definition\r\na,b,c\r\n"
    with pytest.raises(ImportFileError, match="Deux colonnes pour headword_fr"):
        read_entries(twice, "csv")


def test_accepted_entries_are_imported_and_refused_ones_left_out_only_when_the_moderator_chooses(moderator):
    data = other_tool_csv([["billetterie", "ticketing", "Vente des billets.", "", ""],
                           [TOO_LONG, "recording", "Enregistrement.", "", ""],
                           ["médiation", "mediation", "Actions vers les publics.", "", ""]])
    entries = read_entries(data, "csv")
    refused = import_entries(entries=entries, by=moderator)
    assert not refused.written and Revision.objects.count() == 0
    chosen = import_entries(entries=entries, by=moderator, decisions=Decisions(skip_refused=True))
    assert chosen.written
    assert [(outcome.headword, outcome.action) for outcome in chosen.outcomes] == [
        ("billetterie", "new"), (TOO_LONG, "error"), ("médiation", "new")]
    assert sorted(Revision.objects.values_list("headword_fr", flat=True)) == ["billetterie", "médiation"]


def test_the_command_leaves_refused_entries_out_only_with_skip_refused(moderator, tmp_path):
    path = tmp_path / "glossaire.csv"
    path.write_bytes(other_tool_csv([["billetterie", "ticketing", "Vente des billets.", "", ""],
                                     [TOO_LONG, "recording", "Enregistrement.", "", ""]]))
    with pytest.raises(CommandError, match="--skip-refused"):
        call_command("import_terms", str(path), "--user", moderator.username, stdout=io.StringIO())
    assert Revision.objects.count() == 0
    out = io.StringIO()
    call_command("import_terms", str(path), "--user", moderator.username, "--skip-refused", stdout=out)
    assert "Imported: 1 new" in out.getvalue() and "1 error" in out.getvalue()
    assert list(Revision.objects.values_list("headword_fr", flat=True)) == ["billetterie"]
