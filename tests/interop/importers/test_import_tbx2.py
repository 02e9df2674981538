"""TBX 2008 (ISO 30042:2008, root martif), as translation tools still write it: read into the same entries as
TBX 2019, with the same guards; a file written by translate-toolkit arrives in the moderation queue."""
import csv
import io

import pytest
from django.core.management import CommandError, call_command
from translate.storage import csvl10n, tbx

from lexique.interop.importers import ImportFileError, import_entries, read_entries
from lexique.interop.importers.readers import DomainFacts
from lexique.models import Revision, Term
from tests.support.helpers import listening_server

pytestmark = pytest.mark.django_db

GLOSSARY = [
    ("billetterie", "ticketing", "Vente et contrôle des billets d'un lieu ou d'un événement."),
    ("médiation culturelle", "cultural mediation", "Actions qui relient les œuvres et les publics."),
    ("découvrabilité", "discoverability", "Capacité d'un contenu à être trouvé parmi d'autres."),
]


def translate_toolkit_tbx(tmp_path) -> bytes:
    """A fr→en glossary saved as CSV, read and written as TBX by translate-toolkit.

    Its csv2tbx command names the languages en and xx whatever the file holds; the library it is made of
    (csvl10n and tbx stores) takes the glossary's real languages.
    """
    path = tmp_path / "glossaire.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target", "developer comments"])
        writer.writerows(GLOSSARY)
    with open(path, "rb") as handle:
        glossary = csvl10n.csvfile(handle)
    store = tbx.tbxfile(sourcelanguage="fr", targetlanguage="en")
    for row in glossary.units:
        unit = store.addsourceunit(row.source)
        unit.target = row.target
        unit.set_common_note(row.getnotes("developer"), source=True)
    output = io.BytesIO()
    store.serialize(output)
    return output.getvalue()


def test_a_glossary_written_by_translate_toolkit_becomes_proposals_with_its_headwords_and_equivalents(
        tmp_path, moderator):
    data = translate_toolkit_tbx(tmp_path)
    assert data.lstrip().startswith(b"<?xml") and b"<!DOCTYPE martif" in data and b"<termEntry>" in data

    preview = import_entries(entries=read_entries(data, "tbx"), by=moderator, dry_run=True)
    assert [(outcome.headword, outcome.action) for outcome in preview.outcomes] == [
        (headword, "new") for headword, _english, _definition in GLOSSARY]
    assert not preview.written and not Revision.objects.exists()

    report = import_entries(entries=read_entries(data, "tbx"), by=moderator)
    assert report.written and report.count("new") == 3
    proposals = Revision.objects.pending().order_by("id")
    assert [(p.headword_fr, p.headword_en, p.definition_fr) for p in proposals] == GLOSSARY
    assert not Term.objects.published().exists()


def test_the_import_command_reads_a_translate_toolkit_file(tmp_path, moderator):
    path = tmp_path / "glossaire.tbx"
    path.write_bytes(translate_toolkit_tbx(tmp_path))
    call_command("import_terms", str(path), "--user", moderator.username, "--approve")
    assert sorted(Term.objects.published().values_list("headword_en", flat=True)) == [
        "cultural mediation", "discoverability", "ticketing"]


# One glossary in both versions of TBX: TBX 2008's names, then TBX 2019's for the same elements.
NAMES_2008 = {"root": "martif", "concept": "termEntry", "language": "langSet", "term": "tig", "grouped": "ntig"}
NAMES_2019 = {"root": "tbx", "concept": "conceptEntry", "language": "langSec", "term": "termSec",
              "grouped": "termSec"}


def glossary_file(names) -> bytes:
    """Two concepts: one with a subject field, definitions (one in a descripGrp), part of speech, gender, an
    example, a deprecated synonym and an admitted one (a 2008 ntig holds its term in a termGrp); one that
    names the other by cross reference and defines itself for the whole concept (in the file's language)."""
    is_2008 = names["root"] == "martif"
    n = names
    grouped_term = ("<termGrp><term>offre de billets</term>"
                    "<termNote type='administrativeStatus'>admittedTerm-admn-sts</termNote></termGrp>"
                    if is_2008 else
                    "<term>offre de billets</term>"
                    "<termNote type='administrativeStatus'>admittedTerm-admn-sts</termNote>")
    header = ("<martifHeader><fileDesc><sourceDesc><p>Glossaire</p></sourceDesc></fileDesc></martifHeader>"
              if is_2008 else
              "<tbxHeader><fileDesc><sourceDesc><p>Glossaire</p></sourceDesc></fileDesc></tbxHeader>")
    root = ("<!DOCTYPE martif SYSTEM 'TBXcoreStructV02.dtd'>\n<martif type='TBX' xml:lang='fr'>" if is_2008 else
            "<tbx xmlns='urn:iso:std:iso:30042:ed-2' type='TBX-Basic' style='dca' xml:lang='fr'>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
{root}{header}<text><body>
<{n['concept']} id="t1">
  <descrip type="subjectField">Diffusion et distribution</descrip>
  <{n['language']} xml:lang="fr">
    <descripGrp><descrip type="definition">Vente et contrôle des billets.</descrip></descripGrp>
    <{n['term']}>
      <term>billetterie</term>
      <termNote type="partOfSpeech">noun</termNote>
      <termNote type="grammaticalGender">feminine</termNote>
      <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
      <descrip type="context">La billetterie ouvre à midi.</descrip>
    </{n['term']}>
    <{n['term']}>
      <term>guichetterie</term>
      <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
    </{n['term']}>
    <{n['grouped']}>{grouped_term}</{n['grouped']}>
  </{n['language']}>
  <{n['language']} xml:lang="en-GB">
    <descrip type="definition">Selling and checking tickets.</descrip>
    <{n['term']}><term>ticketing</term></{n['term']}>
  </{n['language']}>
</{n['concept']}>
<{n['concept']} id="t2">
  <descrip type="definition">Les personnes qui assistent à une œuvre.</descrip>
  <ref type="crossReference" target="t1">billetterie</ref>
  <{n['language']} xml:lang="fr"><{n['term']}><term>public</term></{n['term']}></{n['language']}>
</{n['concept']}>
</body></text></{n['root']}>
""".encode()


EXPECTED = {
    "headword_fr": "billetterie", "headword_en": "ticketing", "category": "",
    "part_of_speech_fr": "noun", "gender_fr": "feminine", "region_fr": "",
    "part_of_speech_en": "", "gender_en": "", "region_en": "",
    "definition_fr": "Vente et contrôle des billets.", "definition_en": "Selling and checking tickets.",
    "examples_fr": "La billetterie ouvre à midi.", "examples_en": "", "notes_fr": "", "notes_en": "",
    "synonyms": [{"text": "guichetterie", "lang": "fr", "status": "not_recommended"},
                 {"text": "offre de billets", "lang": "fr", "status": "admitted"}],
    "sources": [], "domains": ["diffusion-et-distribution"], "related": [],
}


def test_a_hand_written_tbx_2008_file_maps_each_data_category():
    first, second = read_entries(glossary_file(NAMES_2008), "tbx")
    assert first.content == EXPECTED
    assert first.domain_names == {
        "diffusion-et-distribution": DomainFacts(name_fr="Diffusion et distribution", identified=False)}
    assert second.content["definition_fr"] == "Les personnes qui assistent à une œuvre."
    assert second.content["related"] == ["billetterie"]  # the slug the first entry's term will have
    assert first.where == "entrée 1 (t1)" and first.slug == ""


def test_tbx_2008_and_tbx_2019_give_the_same_entries():
    assert [entry.content for entry in read_entries(glossary_file(NAMES_2008), "tbx")] == \
           [entry.content for entry in read_entries(glossary_file(NAMES_2019), "tbx")]


def test_another_program_reads_the_hand_written_file_as_tbx_2008():
    store = tbx.tbxfile.parsestring(glossary_file(NAMES_2008), sourcelanguage="fr", targetlanguage="en-GB")
    assert [unit.source for unit in store.units] == ["billetterie", "public"]
    assert store.units[0].target == "ticketing"


def test_an_approved_tbx_2008_import_publishes_the_deprecated_form_as_not_recommended(moderator):
    import_entries(entries=read_entries(glossary_file(NAMES_2008), "tbx"), by=moderator, approve_now=True)
    term = Term.objects.published().get(headword_fr="billetterie")
    assert {s["text"]: s["status"] for s in term.synonyms} == {"guichetterie": "not_recommended",
                                                                "offre de billets": "admitted"}
    assert (term.category, term.part_of_speech_fr, term.gender_fr) == ("", "noun", "feminine")
    assert [slug for slug in Term.objects.published().get(headword_fr="public").current_revision.related_slugs] == [
        term.slug]


# Bad files: a clear report, and nothing written.

def martif(body: str, *, doctype: str = "") -> bytes:
    return (f"<?xml version='1.0' encoding='UTF-8'?>{doctype}<martif type='TBX' xml:lang='fr'>"
            f"<martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader>{body}</martif>"
            ).encode()


ENTRY = "<termEntry id='e{n}'><langSet xml:lang='fr'><tig><term>terme {n}</term></tig></langSet></termEntry>"


@pytest.mark.parametrize("data,expected", [
    (martif(""), "text/body"),
    (martif("<text/>"), "text/body"),
    (martif("<text><body><termEntry id='vide'><langSet xml:lang='fr'><tig><term> </term></tig></langSet>"
            "</termEntry></body></text>"), "entrée 1 (vide) : aucun terme"),
    (martif("<text><body><termEntry id='de'><langSet xml:lang='de'><tig><term>Kasse</term>"
            "</tig></langSet></termEntry></body></text>"), "entrée 1 (de) : aucun terme en français ni en anglais"),
    (martif("<text><body/></text>"), "aucun terme"),
    (b"<martif xmlns='urn:example'><text><body/></text></martif>", "racine"),
    (b"<tbx xmlns='urn:iso:std:iso:30042:ed-1'><text><body/></text></tbx>", "urn:iso:std:iso:30042:ed-2"),
    (martif("<text><body>" + ENTRY.format(n=1), doctype=""), "ligne"),
])
def test_a_bad_tbx_2008_file_gets_a_clear_report_and_nothing_is_written(tmp_path, moderator, data, expected):
    with pytest.raises(ImportFileError) as refused:
        read_entries(data, "tbx")
    assert expected in " ".join(refused.value.problems)
    path = tmp_path / "glossaire.tbx"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_terms", str(path), "--user", moderator.username, "--approve")
    assert not Term.objects.exists() and not Revision.objects.exists()


def test_a_tbx_2008_file_past_the_entry_limit_is_refused(settings):
    settings.LEXIQUE_IMPORT_MAX_ENTRIES = 2
    data = martif("<text><body>" + "".join(ENTRY.format(n=n) for n in range(3)) + "</body></text>")
    with pytest.raises(ImportFileError, match="plus de 2 termes"):
        read_entries(data, "tbx")


def test_a_tbx_2008_file_past_the_size_limit_is_refused(settings):
    settings.LEXIQUE_IMPORT_MAX_BYTES = 10_000
    data = martif("<text><body>" + "".join(ENTRY.format(n=n) for n in range(200)) + "</body></text>")
    with pytest.raises(ImportFileError, match="Mo"):
        read_entries(data, "tbx")


@pytest.mark.parametrize("doctype,body", [
    ("<!DOCTYPE martif [<!ENTITY e 'x'>]>", "<text><body>" + ENTRY.format(n="&e;") + "</body></text>"),
    ("<!DOCTYPE martif SYSTEM 'TBXcoreStructV02.dtd' [<!ENTITY % p 'x'>]>", "<text><body/></text>"),
    # Beside an external DTD an undeclared entity is not an XML error: it is refused all the same.
    ("<!DOCTYPE martif SYSTEM 'TBXcoreStructV02.dtd'>", "<text><body>" + ENTRY.format(n="&e;") + "</body></text>"),
])
def test_entities_in_a_tbx_2008_file_are_refused(doctype, body):
    with pytest.raises(ImportFileError, match="entités"):
        read_entries(martif(body, doctype=doctype), "tbx")


def test_entities_in_utf_16_are_refused_too():
    data = martif("<text/>", doctype="<!DOCTYPE martif SYSTEM 'x.dtd' [<!ENTITY e 'x'>]>").decode()
    data = data.replace("encoding='UTF-8'", "encoding='UTF-16'").encode("utf-16")
    with pytest.raises(ImportFileError, match="entités"):
        read_entries(data, "tbx")


@pytest.fixture
def listener():
    """A real HTTP server on 127.0.0.1 that counts the requests it gets."""
    with listening_server(b"<!ENTITY e 'x'>") as served:
        yield served


def test_the_dtd_a_tbx_2008_file_names_is_never_fetched(listener):
    url, asked = listener
    data = martif("<text><body>" + ENTRY.format(n=1) + "</body></text>",
                  doctype=f"<!DOCTYPE martif SYSTEM '{url}/TBXcoreStructV02.dtd'>")
    [entry] = read_entries(data, "tbx")
    assert entry.content["headword_fr"] == "terme 1"
    assert asked == []
