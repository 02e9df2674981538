"""The lexicon as a spreadsheet: one row per term, one column per field and language, UTF-8 with a BOM.

Columns (the first row names them; docs/formats.md describes each):
slug, headword_fr, headword_en, part_of_speech_fr, gender_fr, region_fr, part_of_speech_en, gender_en, region_en,
category, definition_fr, definition_en, examples_fr, examples_en,
notes_fr, notes_en, synonyms_preferred_fr, synonyms_admitted_fr, synonyms_not_recommended_fr,
synonyms_preferred_en, synonyms_admitted_en, synonyms_not_recommended_en, sources, domains,
domain_names_fr, domain_names_en, domain_descriptions_fr, domain_descriptions_en, domain_positions, related.
A cell holding several values has one per line; a synonym is its text, or, when it says more,
"text | kind: acronym | region: qc" (lexique.core.content.synonym_line); a source is "title <url>", or, when
it says more, "title | author: … | year: … | publisher: … | pages: … | standard: … | definition: fr | url"
(lexique.core.sources).
The domain_* cells say, line for line, what each line of `domains` names, so that a file brings its domains
whole to another site.
"""
import csv
import io
from typing import Any

from django.utils.translation import gettext_lazy

from lexique.core.content import UsageStatus, synonym_line
from lexique.core.grammar import GRAMMAR_FIELD_NAMES
from lexique.core.sources import source_line
from lexique.interop.exporters.records import DataExporter, Domain, Records

LANGS = ("fr", "en")
STATUSES = (UsageStatus.PREFERRED, UsageStatus.ADMITTED, UsageStatus.NOT_RECOMMENDED)
SYNONYM_COLUMNS = {(status.value, lang): f"synonyms_{status.value}_{lang}" for lang in LANGS for status in STATUSES}
COLUMNS = (
    "slug", "headword_fr", "headword_en", *GRAMMAR_FIELD_NAMES, "category", "definition_fr", "definition_en",
    "examples_fr", "examples_en", "notes_fr", "notes_en", *SYNONYM_COLUMNS.values(), "sources", "domains",
    "domain_names_fr", "domain_names_en", "domain_descriptions_fr", "domain_descriptions_en", "domain_positions",
    "related",
)
# What each line of the `domains` cell names, one line each: a description's own line breaks are written as
# U+2028 (LINE SEPARATOR), which spreadsheets show as a break and which keeps the lines aligned.
DOMAIN_COLUMNS = {"name_fr": "domain_names_fr", "name_en": "domain_names_en",
                  "description_fr": "domain_descriptions_fr", "description_en": "domain_descriptions_en",
                  "position": "domain_positions"}
LINE_SEPARATOR = "\u2028"
# What a file read back must have: the French term (an entry without a definition is kept, said missing).
REQUIRED_COLUMNS = ("headword_fr",)
# A spreadsheet program runs a cell starting with one of these as a formula (OWASP's list: the tab
# and carriage return too, which some programs skip before looking).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
BOM = "\ufeff"


def _needs_guard(value: str) -> bool:
    # A cell that already starts with the guard before a formula character is guarded once more, so
    # that removing one guard on import always gives the text back.
    return value.startswith(FORMULA_STARTS) or (value.startswith(GUARD) and _needs_guard(value[1:]))


def guard_cell(value: str) -> str:
    """The cell as a spreadsheet shows it as text: a leading apostrophe before a would-be formula."""
    return GUARD + value if _needs_guard(value) else value


def unguard_cell(value: str) -> str:
    """The exact inverse of `guard_cell`, for the importer."""
    return value[1:] if value.startswith(GUARD) and _needs_guard(value[1:]) else value


def domain_cell(value: object) -> str:
    """One domain's fact as a line of its cell."""
    return str(value).replace("\r\n", "\n").replace("\n", LINE_SEPARATOR)


def domain_fact(line: str) -> str:
    """The inverse of `domain_cell`, for the importer."""
    return line.replace(LINE_SEPARATOR, "\n").strip()


def entry_row(entry: dict[str, Any], domains: dict[str, Domain] | None = None) -> dict[str, str]:
    row = {name: entry.get(name, "") for name in COLUMNS if name in entry and isinstance(entry[name], str)}
    row["slug"] = entry["slug"]
    for (status, lang), column in SYNONYM_COLUMNS.items():
        row[column] = "\n".join(synonym_line(synonym) for synonym in entry["synonyms"]
                                if synonym["lang"] == lang and synonym["status"] == status)
    row["sources"] = "\n".join(source_line(source) for source in entry["sources"])
    row["domains"] = "\n".join(entry["domains"])
    named = [(domains or {}).get(slug) for slug in entry["domains"]]
    for attribute, column in DOMAIN_COLUMNS.items():
        row[column] = "\n".join(domain_cell(getattr(domain, attribute)) if domain else "" for domain in named)
    row["related"] = "\n".join(entry["related"])
    return {name: guard_cell(row.get(name, "")) for name in COLUMNS}


class CsvExporter(DataExporter):
    """Writes the published set as CSV, for spreadsheets and for import back."""

    name = "csv"
    extension = "csv"
    api_file = "terms.csv"
    label = gettext_lazy("CSV (UTF-8) : pour un tableur, une colonne par champ et par langue")
    media_type = "text/csv; charset=utf-8"
    # 2: the domains' names, descriptions and order beside their identifiers; 3: each headword's part of speech,
    # gender and region; 4: a synonym's kind and region on its line
    layout_version = 4
    download_stem = "lexique-termes"

    def serialize(self, records: Records) -> bytes:
        buffer = io.StringIO()
        buffer.write(BOM)  # so that spreadsheet programs read the accents as UTF-8
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        domains = {domain.slug: domain for domain in records.domains}
        for entry in records.entries:
            writer.writerow(entry_row(entry, domains))
        return buffer.getvalue().encode("utf-8")
