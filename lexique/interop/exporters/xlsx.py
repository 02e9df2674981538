"""The lexicon as a spreadsheet workbook (XLSX, openpyxl): what the CSV holds, typed as text, in three sheets.

1. "Lisez-moi - Read me": each column of the next sheet, what it holds, in French and in English.
2. "Concepts": one row per term, the CSV's columns (docs/formats.md), every cell a text cell (no formula guard is
   needed: a text cell is never run).
3. "Domaines - Domains": each domain the entries name: identifier, names, descriptions, place in the site's order.

The workbook is written with one fixed date (the last publication) in its properties and its archive, so that the
same lexicon gives the same bytes.
"""
import io
from typing import Any

from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from lexique.interop.exporters.csv import COLUMNS, entry_row, unguard_cell
from lexique.interop.exporters.records import DataExporter, Records
from lexique.interop.exporters.ziptimes import ZIP_DEFLATED, FixedTimeZipFile, zip_date

README_SHEET = "Lisez-moi - Read me"
CONCEPTS_SHEET = "Concepts"
DOMAINS_SHEET = "Domaines - Domains"
DOMAIN_HEADER = ("slug", "name_fr", "name_en", "description_fr", "description_en", "position")
# What each column holds, in French and in English: the workbook's first sheet.
COLUMN_HELP: dict[str, tuple[str, str]] = {
    "slug": ("Identifiant du terme (son adresse est /termes/<slug>/)", "The term's identifier (its address is "
             "/termes/<slug>/)"),
    "headword_fr": ("Terme en français (obligatoire)", "French term (required)"),
    "headword_en": ("Terme en anglais", "English term"),
    "part_of_speech_fr": ("Partie du discours du terme français : noun, verb, adjective, adverb, noun_phrase, "
                          "verb_phrase, adjective_phrase, adverb_phrase", "Part of speech of the French term: noun, "
                          "verb, adjective, adverb, noun_phrase, verb_phrase, adjective_phrase, adverb_phrase"),
    "gender_fr": ("Genre du terme français : masculine, feminine, epicene", "Gender of the French term: masculine, "
                  "feminine, epicene"),
    "region_fr": ("Région d'usage du terme français : qc, fr, be, ch, intl (vide : partout)",
                  "Region of use of the French term: qc, fr, be, ch, intl (empty: everywhere)"),
    "part_of_speech_en": ("Partie du discours du terme anglais (mêmes valeurs)", "Part of speech of the English term "
                          "(same values)"),
    "gender_en": ("Genre du terme anglais (mêmes valeurs)", "Gender of the English term (same values)"),
    "region_en": ("Région d'usage du terme anglais (mêmes valeurs)", "Region of use of the English term (same values)"),
    "category": ("Catégorie grammaticale que ces valeurs ne disent pas, abréviation française (n. m. pl., v. tr.…)",
                 "Grammatical category these values cannot say, French abbreviation (n. m. pl., v. tr.…)"),
    "definition_fr": ("Définition en français, Markdown (obligatoire)", "French definition, Markdown (required)"),
    "definition_en": ("Définition en anglais, Markdown", "English definition, Markdown"),
    "examples_fr": ("Exemples d'emploi en français, Markdown", "French examples of use, Markdown"),
    "examples_en": ("Exemples d'emploi en anglais, Markdown", "English examples of use, Markdown"),
    "notes_fr": ("Notes en français, Markdown", "French notes, Markdown"),
    "notes_en": ("Notes en anglais, Markdown", "English notes, Markdown"),
    "synonyms_preferred_fr": ("Synonymes français privilégiés, un par ligne", "Preferred French synonyms, one a line"),
    "synonyms_admitted_fr": ("Synonymes français admis, un par ligne", "Admitted French synonyms, one a line"),
    "synonyms_not_recommended_fr": ("Formes françaises déconseillées, une par ligne",
                                    "French forms not recommended, one a line"),
    "synonyms_preferred_en": ("Synonymes anglais privilégiés, un par ligne", "Preferred English synonyms, one a line"),
    "synonyms_admitted_en": ("Synonymes anglais admis, un par ligne", "Admitted English synonyms, one a line"),
    "synonyms_not_recommended_en": ("Formes anglaises déconseillées, une par ligne",
                                    "English forms not recommended, one a line"),
    "sources": ("Sources, une par ligne : « titre <https://adresse> », ou « titre | author: … | year: … | "
                "publisher: … | pages: … | standard: … | definition: fr | https://adresse »",
                "Sources, one a line: “title <https://address>”, or “title | author: … | year: … | publisher: … | "
                "pages: … | standard: … | definition: fr | https://address”"),
    "domains": ("Identifiants des domaines, un par ligne (feuille « Domaines »)",
                "Domain identifiers, one a line (sheet “Domains”)"),
    "domain_names_fr": ("Nom français de chaque domaine, ligne pour ligne",
                        "French name of each domain, line for line"),
    "domain_names_en": ("Nom anglais de chaque domaine, ligne pour ligne",
                        "English name of each domain, line for line"),
    "domain_descriptions_fr": ("Description française de chaque domaine, ligne pour ligne",
                               "French description of each domain, line for line"),
    "domain_descriptions_en": ("Description anglaise de chaque domaine, ligne pour ligne",
                               "English description of each domain, line for line"),
    "domain_positions": ("Place de chaque domaine dans l'ordre du site, ligne pour ligne",
                         "Place of each domain in the site's order, line for line"),
    "related": ("Identifiants des termes associés, un par ligne", "Identifiers of related terms, one a line"),
}
WRAPPED = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)


def _text_row(sheet: Worksheet, values: list[str] | tuple[str, ...], *, header: bool = False) -> None:
    """A row of text cells: a value starting with "=" stays text, never a formula."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        cell.value = value
        cell.data_type = "s"
        if header:
            cell.font = BOLD
        elif "\n" in value:
            cell.alignment = WRAPPED


def build_workbook(records: Records) -> Workbook:
    workbook = Workbook()
    readme = workbook.active
    assert readme is not None, "a new workbook has a sheet"
    readme.title = README_SHEET
    _text_row(readme, ("colonne - column", "contenu", "content"), header=True)
    for column in COLUMNS:
        _text_row(readme, (column, *COLUMN_HELP[column]))
    readme.column_dimensions["A"].width = 30
    readme.column_dimensions["B"].width = 70
    readme.column_dimensions["C"].width = 70
    concepts = workbook.create_sheet(CONCEPTS_SHEET)
    _text_row(concepts, COLUMNS, header=True)
    domains = {domain.slug: domain for domain in records.domains}
    for entry in records.entries:
        row = entry_row(entry, domains)
        _text_row(concepts, [unguard_cell(row[column]) for column in COLUMNS])
    concepts.freeze_panes = "B2"
    sheet = workbook.create_sheet(DOMAINS_SHEET)
    _text_row(sheet, DOMAIN_HEADER, header=True)
    for domain in records.domains:
        _text_row(sheet, (domain.slug, domain.name_fr, domain.name_en, domain.description_fr, domain.description_en,
                          str(domain.position)))
    properties = workbook.properties
    properties.title = records.names["fr"]["name"]
    properties.creator = properties.lastModifiedBy = records.names["fr"]["name"]
    licence, url = records.licence
    properties.description = f"{licence} ({url})"
    properties.created = properties.modified = records.modified.replace(tzinfo=None, microsecond=0)
    return workbook


def workbook_bytes(workbook: Workbook, records: Records) -> bytes:
    """The workbook as XLSX bytes, dated by the data: openpyxl's own save dates it with the clock."""
    buffer = io.BytesIO()
    archive = FixedTimeZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)
    archive.date_time = zip_date(records.modified)
    ExcelWriter(workbook, archive).save()  # closes the archive
    return buffer.getvalue()


class XlsxExporter(DataExporter):
    """Writes the published set as an XLSX workbook, for spreadsheet programs and for import back."""

    name = "xlsx"
    extension = "xlsx"
    api_file = "terms.xlsx"
    label = gettext_lazy("XLSX : un classeur (LibreOffice, Excel), une feuille de termes, une de domaines, une "
                         "qui explique les colonnes")
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    layout_version = 3  # 2: each headword's part of speech, gender and region; 3: a synonym's kind and region
    download_stem = "lexique-termes"

    def serialize(self, records: Records) -> bytes:
        return workbook_bytes(build_workbook(records), records)


def cell_text(value: Any) -> str:
    """A cell read back as the text it shows: numbers a program typed as numbers too."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
