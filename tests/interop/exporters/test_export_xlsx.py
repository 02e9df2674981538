"""XLSX: a workbook whose first sheet explains the columns in both languages, one sheet of concepts with the CSV's
columns, one of domains; LibreOffice opens it and saves it again with 0 differing cells, and the importer reads
both back. The CSV opened by LibreOffice: with the UTF-8 filter option, 0 differing cells."""
import csv
import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from lexique.interop.exporters.csv import COLUMNS, CsvExporter
from lexique.interop.exporters.xlsx import (
    CONCEPTS_SHEET,
    DOMAIN_HEADER,
    DOMAINS_SHEET,
    README_SHEET,
    XlsxExporter,
)
from lexique.interop.importers import read_entries
from lexique.interop.registry import API_FILES, by_extension
from tests.support.export_fixtures import exported_file
from tests.support.exports_data import rich_lexicon

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (Debian's libreoffice-calc-nogui) is "
                                                               "not installed: .ci/run installs it")
# LibreOffice's CSV filter options: comma, double quote, UTF-8 (76), from line 1.
CSV_UTF8 = "CSV:44,34,76,1"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.SITE_URL = "https://lexique.test"
    settings.MEDIA_ROOT = tmp_path / "media"


def cells(path_or_bytes):
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    workbook = load_workbook(source)
    return {sheet.title: [["" if value is None else value for value in row]
                          for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


def differing(first, second):
    """The cells, sheet by sheet, that differ between two tables (a missing cell counts as empty)."""
    count = 0
    for title in first.keys() | second.keys():
        rows_a, rows_b = first.get(title, []), second.get(title, [])
        for index in range(max(len(rows_a), len(rows_b))):
            row_a = rows_a[index] if index < len(rows_a) else []
            row_b = rows_b[index] if index < len(rows_b) else []
            for column in range(max(len(row_a), len(row_b))):
                a = row_a[column] if column < len(row_a) else ""
                b = row_b[column] if column < len(row_b) else ""
                count += str(a) != str(b)
    return count


def libreoffice(source, target, out_dir, profile, *infilter):
    command = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", *infilter,
               "--convert-to", target, "--outdir", str(out_dir), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return out_dir / f"{source.stem}.{target.split(':')[0]}"


def test_the_workbook_explains_its_columns_in_both_languages_then_holds_concepts_and_domains(tmp_path):
    terms = list(rich_lexicon())
    assert API_FILES["terms.xlsx"] is XlsxExporter and by_extension("xlsx") is XlsxExporter
    workbook = cells(exported_file(XlsxExporter, tmp_path))
    assert list(workbook) == [README_SHEET, CONCEPTS_SHEET, DOMAINS_SHEET]
    readme = workbook[README_SHEET]
    assert [row[0] for row in readme[1:]] == list(COLUMNS)
    assert all(row[1] and row[2] and row[1] != row[2] for row in readme[1:])
    concepts = workbook[CONCEPTS_SHEET]
    assert tuple(concepts[0]) == COLUMNS
    assert sorted(row[0] for row in concepts[1:]) == sorted(term.slug for term in terms)
    # A text cell is never run as a formula: no guard is written, the text is the lexicon's.
    nft = next(row for row in concepts if row[0] == "nft")
    assert nft[COLUMNS.index("definition_fr")] == "'=Jeton non fongible."
    assert workbook[DOMAINS_SHEET] == [list(DOMAIN_HEADER), ["diffusion", "Diffusion", "Distribution", "", "", "1"],
                                       ["patrimoine", "Patrimoine", "Heritage", "", "", "2"]]
    formulas = [cell for sheet in load_workbook(exported_file(XlsxExporter, tmp_path)).worksheets
                for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []


def test_the_workbook_reads_back_into_the_entries_the_csv_gives(tmp_path):
    rich_lexicon()
    from_xlsx = read_entries(exported_file(XlsxExporter, tmp_path).read_bytes(), "xlsx")
    from_csv = read_entries(exported_file(CsvExporter, tmp_path).read_bytes(), "csv")
    assert [(entry.slug, entry.content, entry.domain_names) for entry in from_xlsx] == [
        (entry.slug, entry.content, entry.domain_names) for entry in from_csv]
    assert from_xlsx[0].where == "feuille « Concepts », ligne 2"


@needs_libreoffice
def test_libreoffice_opens_and_saves_the_workbook_with_no_cell_changed_and_it_imports_the_same(tmp_path):
    rich_lexicon()
    source = exported_file(XlsxExporter, tmp_path)
    out = tmp_path / "saved"
    out.mkdir()
    saved = libreoffice(source, "xlsx:Calc MS Excel 2007 XML", out, tmp_path / "profile")
    assert differing(cells(source), cells(saved)) == 0
    concepts = tmp_path / "concepts"
    concepts.mkdir()
    # The concepts sheet (the second, LibreOffice's 12th option) as CSV, read by Python's csv module.
    libreoffice(source, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2", concepts,
                tmp_path / "profile")
    as_csv = concepts / f"{source.stem}-{CONCEPTS_SHEET}.csv"  # a sheet's file is named after it
    rows = list(csv.reader(io.StringIO(as_csv.read_text(encoding="utf-8"), newline="")))
    assert differing({"c": rows}, {"c": cells(source)[CONCEPTS_SHEET]}) == 0
    assert [entry.content for entry in read_entries(saved.read_bytes(), "xlsx")] == [
        entry.content for entry in read_entries(source.read_bytes(), "xlsx")]


@needs_libreoffice
def test_the_csv_converted_by_libreoffice_keeps_every_cell_with_the_utf8_option(tmp_path):
    """LibreOffice's headless CSV import does not read the BOM: without the charset option (76, UTF-8) it reads the
    file in the system's 8-bit charset and garbles every accented cell. docs/formats.md says so and gives the
    command; the workbook needs no option at all."""
    rich_lexicon()
    source = exported_file(CsvExporter, tmp_path)
    expected = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8-sig"), newline="")))
    with_option, plain = tmp_path / "utf8", tmp_path / "plain"
    with_option.mkdir()
    plain.mkdir()
    converted = libreoffice(source, "xlsx", with_option, tmp_path / "profile", f"--infilter={CSV_UTF8}")
    assert differing({"c": expected}, {"c": next(iter(cells(converted).values()))}) == 0
    garbled = libreoffice(source, "xlsx", plain, tmp_path / "profile")
    assert differing({"c": expected}, {"c": next(iter(cells(garbled).values()))}) > 0


def test_a_workbook_that_unpacks_too_large_or_is_no_workbook_is_refused_before_it_is_read(settings):
    import zipfile

    from lexique.interop.importers import ImportFileError

    settings.LEXIQUE_IMPORT_MAX_BYTES = 1024 * 1024
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (25 * 1024 * 1024) + b"</a>")
    assert len(bomb.getvalue()) < settings.LEXIQUE_IMPORT_MAX_BYTES
    with pytest.raises(ImportFileError, match="se décompresse"):
        read_entries(bomb.getvalue(), "xlsx")
    with pytest.raises(ImportFileError, match="XLSX illisible"):
        read_entries(b"headword_fr,definition_fr\r\n", "xlsx")


def test_a_workbook_without_a_sheet_of_terms_says_so(tmp_path):
    from openpyxl import Workbook

    from lexique.interop.importers import ImportFileError

    workbook = Workbook()
    workbook.active.append(["nom", "prénom"])
    path = tmp_path / "autre.xlsx"
    workbook.save(path)
    with pytest.raises(ImportFileError, match="headword_fr"):
        read_entries(path.read_bytes(), "xlsx")
