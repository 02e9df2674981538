"""End to end: a glossary of 200 terms saved by LibreOffice is imported, reviewed, approved and published,
then exported as SKOS, TBX and CSV that rdflib, lxml with the TBX-Basic schema, Python's csv and
LibreOffice read back."""
import csv
import io
import shutil
import subprocess

import pytest
from lxml import etree, isoschematron
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from lexique import services
from lexique.interop.exporters.csv import COLUMNS
from lexique.interop.registry import EXPORTERS
from lexique.interop.importers import import_entries, read_entries
from lexique.models import Revision, Term
from tests.support import FIXTURES
from tests.support.factories import DomainFactory, UserFactory

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (Debian's libreoffice-calc-nogui) is not "
                                                        "installed: .ci/run installs it")
# LibreOffice's CSV filter: comma, double quote, UTF-8 (76), from line 1, every column as text (2).
CSV_FILTER = "44,34,76,1," + "/".join(f"{column}/2" for column in range(1, len(COLUMNS) + 1))
TERMS = 200


def libreoffice(source, target_format, out_dir, profile):
    """Convert `source` with LibreOffice headless and return the new file's path."""
    command = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               f"--infilter=CSV:{CSV_FILTER}" if source.suffix == ".csv" else "--infilter=calc8",
               "--convert-to", target_format, "--outdir", str(out_dir), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    extension = target_format.split(":")[0]
    return out_dir / f"{source.stem}.{extension}"


def glossary_rows():
    """What an organisation's spreadsheet holds: accents, two languages, synonyms, domains, links, sources."""
    rows = []
    for number in range(1, TERMS + 1):
        rows.append({
            "headword_fr": f"terme numérique {number:03d}", "headword_en": f"digital term {number:03d}",
            "category": "n. m." if number % 2 else "loc. n. f.",
            "definition_fr": f"Définition n° {number} : « œuvre », été, Noël.\nSeconde ligne.",
            "definition_en": f"Definition {number}.",
            "examples_fr": "=un exemple qui ressemble à une formule" if number == 7 else "",
            "synonyms_admitted_fr": f"synonyme {number}", "synonyms_not_recommended_en": f"legacy {number}",
            "sources": f"Source {number} <https://example.org/{number}>",
            "domains": "diffusion" if number % 3 else "diffusion\npatrimoine",
            "related": f"terme-numerique-{number - 1:03d}" if number > 1 else "",
        })
    return rows


@pytest.mark.django_db
def test_a_spreadsheet_of_200_terms_goes_through_moderation_and_comes_out_in_every_format(tmp_path, settings):
    settings.SITE_URL = "https://lexique.test"
    DomainFactory(slug="diffusion", name_fr="Diffusion", name_en="Distribution", position=1)
    DomainFactory(slug="patrimoine", name_fr="Patrimoine", name_en="Heritage", position=2)
    profile, work = tmp_path / "profile", tmp_path / "work"
    work.mkdir()

    # The glossary, typed in a spreadsheet and saved as CSV by LibreOffice (through its own format).
    written = io.StringIO()
    writer = csv.DictWriter(written, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(glossary_rows())
    typed = work / "glossaire.csv"
    typed.write_text(written.getvalue(), encoding="utf-8")
    spreadsheet = libreoffice(typed, "ods", work, profile)
    saved_dir = work / "saved"
    saved_dir.mkdir()
    saved = libreoffice(spreadsheet, "csv:Text - txt - csv (StarCalc):44,34,76,1", saved_dir, profile)

    # Imported as proposals: nothing is published yet; links to terms not yet published wait.
    importer, reviewer = UserFactory(moderator=True), UserFactory(moderator=True)
    report = import_entries(entries=read_entries(saved.read_bytes(), "csv"), by=importer)
    assert report.written and report.count("new") == TERMS, [o.messages for o in report.errors][:3]
    assert not Term.objects.published().exists()

    # Reviewed and approved by another moderator, then imported again: the links come as edits.
    for revision in Revision.objects.pending().order_by("pk"):
        services.approve(revision, by=reviewer)
    again = import_entries(entries=read_entries(saved.read_bytes(), "csv"), by=importer)
    assert again.count("edit") == TERMS - 1 and again.count("unchanged") == 1
    for revision in Revision.objects.pending().order_by("pk"):
        services.approve(revision, by=reviewer)
    assert Term.objects.published().count() == TERMS

    files = {}
    for name in ("skos-ttl", "tbx", "csv"):
        exporter_class = EXPORTERS[name]
        files[name] = work / f"lexique.{exporter_class.extension}"
        exporter_class(exporter_class.options()).write(files[name])

    graph = Graph().parse(files["skos-ttl"], format="turtle")
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == TERMS
    assert len(list(graph.subject_objects(SKOS.related))) == 2 * (TERMS - 1)  # each link both ways

    document = etree.parse(str(files["tbx"]))
    assert etree.RelaxNG(etree.parse(str(FIXTURES / "tbx" / "tbx-basic-dca.rng"))).validate(document)
    assert isoschematron.Schematron(etree.parse(str(FIXTURES / "tbx" / "tbx-basic-dca.sch"))).validate(document)
    assert len(document.getroot().findall(".//{urn:iso:std:iso:30042:ed-2}conceptEntry")) == TERMS

    rows = list(csv.DictReader(io.StringIO(files["csv"].read_text(encoding="utf-8-sig"))))
    by_headword = {row["headword_fr"]: row for row in rows}
    expected = {row["headword_fr"]: row for row in glossary_rows()}
    assert set(by_headword) == set(expected)
    assert by_headword["terme numérique 042"]["definition_fr"] == expected["terme numérique 042"]["definition_fr"]
    assert by_headword["terme numérique 007"]["examples_fr"] == "'=un exemple qui ressemble à une formule"

    # LibreOffice opens the exported CSV with its accents (the BOM says UTF-8) and keeps every cell.
    reread_dir = work / "reread"
    reread_dir.mkdir()
    ods = libreoffice(files["csv"], "ods", reread_dir, profile)
    back_dir = work / "back"
    back_dir.mkdir()
    back = libreoffice(ods, "csv:Text - txt - csv (StarCalc):44,34,76,1", back_dir, profile)
    back_rows = list(csv.DictReader(io.StringIO(back.read_text(encoding="utf-8-sig"))))
    assert [row["headword_fr"] for row in back_rows] == [row["headword_fr"] for row in rows]
    assert [row["definition_fr"] for row in back_rows] == [row["definition_fr"] for row in rows]
