"""Reading CSV, TBX and SKOS files into entries, each the content a proposal takes; bad files refused whole.

Every reader is bounded: the file's size, the number of entries, and for XML no entities, no DTD,
no network and no huge trees (an XML bomb is refused, not expanded).
"""
import csv
import html
import io
import json
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from lexique.core.content import parse_synonym_line
from lexique.core.grammar import GRAMMAR_FIELD_NAMES, category_as_values, grammar_from_tbx, region_from_code
from lexique.core.names import term_slug
from lexique.core.sources import KEYS as SOURCE_KEYS
from lexique.core.sources import parse_source_line
from lexique.core.text import normalize
from lexique.interop.exporters.csv import (
    COLUMNS,
    DOMAIN_COLUMNS,
    REQUIRED_COLUMNS,
    SYNONYM_COLUMNS,
    domain_fact,
    unguard_cell,
)
from lexique.interop.exporters.tbx import (
    CATEGORY_BESIDE_NOTE,
    CATEGORY_NOTE,
    DEFINITION_NOTE,
    DOMAIN_ITEMS,
    DOMAINS_SECTION,
    LANGS,
    NAMESPACE,
    SOURCE_NOTE,
    STATUS_VALUES,
    category_from_notes,
)
from lexique.publishing.addresses import site_url

FORMATS = {"csv": "csv", "xlsx": "xlsx", "tbx": "tbx", "ttl": "turtle", "rdf": "xml", "xml": "xml",
           "jsonld": "json-ld"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TERM_PATH = re.compile(r"/termes/(?P<slug>[^/]+)/$")
# The content of an entry: the dict the workflow services take (see _empty_content).
Content = dict[str, Any]


class ImportFileError(Exception):
    """The file cannot be imported; `problems` says what is wrong and where, in French."""

    def __init__(self, problems: Iterable[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


# What an entry may say about a term, field by field: the text fields, the synonyms of each language, the lists.
TEXT_FIELDS = ("headword_fr", "headword_en", *GRAMMAR_FIELD_NAMES, "category", "definition_fr", "definition_en",
               "examples_fr", "examples_en", "notes_fr", "notes_en")
FIELDS = TEXT_FIELDS + ("synonyms_fr", "synonyms_en", "sources", "domains", "related")


def carried_fields(content: Content) -> frozenset[str]:
    """The fields of `content` that hold something: what an entry says about its term."""
    carried = {name for name in TEXT_FIELDS if (content.get(name) or "").strip()}
    carried |= {f"synonyms_{synonym.get('lang')}" for synonym in content.get("synonyms") or []}
    carried |= {name for name in ("sources", "domains", "related") if content.get(name)}
    return frozenset(carried & set(FIELDS))


@dataclass(frozen=True)
class DomainFacts:
    """What a file says of a domain it names: used only to make a domain the site lacks, never to rename one."""

    name_fr: str
    name_en: str = ""
    description_fr: str = ""
    description_en: str = ""
    # Its place among the file's domains; None when the file does not say.
    position: int | None = None
    # Whether the file gives the domain's identifier; else its slug was made from its name, and a domain of the
    # site with that French name is taken to be it.
    identified: bool = True


@dataclass
class Entry:
    """One entry of a file: where it is, the term's identifier if the file gives one, and its content.

    A file says nothing of a field it does not carry: only the fields in `carried` change a term. `emptied`
    are the fields the file has a place for (a CSV column) but leaves empty, cleared only on request.
    """

    where: str
    slug: str
    content: Content
    # Domains the file names, slug -> DomainFacts, for those the site lacks.
    domain_names: dict[str, DomainFacts] = field(default_factory=dict)
    emptied: frozenset[str] = frozenset()
    # What was set aside while reading it (a label in a language the lexicon does not hold...), in French: shown
    # with the entry in the preview and the report, never a refusal.
    warnings: list[str] = field(default_factory=list)
    # Why the entry cannot be imported as the file has it (a row longer than the header, a TBX entry with no French
    # or English term), in French: the entry is refused, the others may still be imported if the moderator chooses.
    problems: list[str] = field(default_factory=list)

    @property
    def carried(self) -> frozenset[str]:
        return carried_fields(self.content)


# An import writes its entries in chunks, in bulk (services.ProposalBatch): 50,000 take a few minutes of a worker.
MAX_ENTRIES = 50_000


def max_bytes() -> int:
    return settings.LEXIQUE_IMPORT_MAX_BYTES


def max_entries() -> int:
    return getattr(settings, "LEXIQUE_IMPORT_MAX_ENTRIES", MAX_ENTRIES)


def read_entries(data: bytes, file_format: str, columns: dict[int, str] | None = None) -> list[Entry]:
    """The entries of a file in `file_format` (a key of FORMATS), or ImportFileError. `columns`: for a table (CSV,
    XLSX), the field the moderator chose for some columns, by position ("" leaves a column out)."""
    if len(data) > max_bytes():
        raise ImportFileError([_("Le fichier dépasse %(size)d Mo : découpez-le en plusieurs fichiers.")
                               % {"size": max_bytes() // (1024 * 1024)}])
    if file_format not in FORMATS:
        raise ImportFileError([_("Format inconnu : %(format)s (CSV, XLSX, TBX, TTL, RDF ou JSONLD).")
                               % {"format": str(file_format)[:20]}])
    if file_format in TABLE_FORMATS:
        entries = _table_entries(*_table(data, file_format), columns=columns or {})
    elif file_format == "tbx":
        entries = read_tbx(data)
    else:
        entries = read_skos(data, FORMATS[file_format])
    if not entries:
        raise ImportFileError([_("Le fichier ne contient aucun terme.")])
    return entries


def _too_many() -> ImportFileError:
    return ImportFileError([_("Le fichier contient plus de %(count)d termes : découpez-le en plusieurs fichiers.")
                            % {"count": max_entries()}])


def _empty_content() -> Content:
    return {"headword_fr": "", "headword_en": "", **dict.fromkeys(GRAMMAR_FIELD_NAMES, ""), "category": "",
            "definition_fr": "", "definition_en": "",
            "examples_fr": "", "examples_en": "", "notes_fr": "", "notes_en": "",
            "synonyms": [], "sources": [], "domains": [], "related": []}


# CSV -------------------------------------------------------------------------------------------------

# A table: its header, its rows each with its line number, how a line is named, whether cells carry the CSV's guard.
Table = tuple[list[str], list[tuple[int, list[str]]], str, bool]
TABLE_FORMATS = ("csv", "xlsx")


def _table(data: bytes, file_format: str) -> Table:
    return _csv_table(data) if file_format == "csv" else _xlsx_table(data)


def read_csv(data: bytes) -> list[Entry]:
    return _table_entries(*_csv_table(data))


def _csv_table(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError([_("Le fichier n'est pas en UTF-8 (ligne %(line)d) : enregistrez-le en « CSV UTF-8 ».")
                               % {"line": line}]) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        header = next(reader, [])
        rows: list[tuple[int, list[str]]] = []
        for row in reader:
            if len(rows) > max_entries():
                raise _too_many()
            rows.append((reader.line_num, row))
    except csv.Error as error:
        raise ImportFileError([_("CSV illisible ligne %(line)d : %(error)s") % {"line": reader.line_num,
                                                                              "error": error}]) from None
    return header, rows, _("ligne %(line)d"), True


def _table_entries(header: list[str], rows: list[tuple[int, list[str]]], where: str, guarded: bool, *,
                   columns: dict[int, str] | None = None) -> list[Entry]:
    """The entries of a table whose first row names the columns (a CSV file, a sheet): `rows` gives each row with
    its line number, `where` names a line. `guarded`: cells carry the CSV's guard against formulas (a sheet's text
    cells need none, and are taken as they are). `columns`: the moderator's choices (see `read_entries`)."""
    original = [name.strip() for name in header]
    header = _known_columns(original, rows, columns or {})
    _refuse_twice(header, original)
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError([_("Colonnes manquantes : %(names)s (la première ligne nomme les colonnes).")
                               % {"names": ", ".join(missing)}])
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise ImportFileError([_("Colonnes inconnues : %(names)s. Dites dans l'aperçu ce que chacune contient, "
                                 "ou laissez-la de côté.") % {"names": ", ".join(unknown)[:200]}])
    entries: list[Entry] = []
    for line, row in rows:
        if len(entries) >= max_entries():
            raise _too_many()
        cells = {name: unguard_cell(value or "") if guarded else value or ""
                 for name, value in zip(header, row, strict=False) if name}
        longer = len(row) > len(header) and any(value.strip() for value in row[len(header):])
        if not longer and not any(value.strip() for value in cells.values()):
            continue  # a blank line of a spreadsheet
        entry = _csv_entry(cells, where % {"line": line})
        if longer:
            entry.problems.append(_("Ligne %(line)d : plus de cellules que de colonnes.") % {"line": line})
        entries.append(entry)
    return _usable(entries)


def _usable(entries: list[Entry]) -> list[Entry]:
    """The entries of a file; refused whole when not one of them can be imported (every one says why)."""
    if entries and all(entry.problems for entry in entries):
        raise ImportFileError([problem for entry in entries for problem in entry.problems][:200])
    return entries


# What other tools call the columns, each to the column it is (names compared in lower case, without accents,
# spaces and dashes as "_"). `source` is the French term only beside a `target` (translate-toolkit's glossaries);
# alone, it is the sources.
COLUMN_ALIASES = {
    **dict.fromkeys(("term", "terme", "fr", "french", "francais", "term_fr", "terme_fr", "headword", "vedette",
                     "terme_francais", "entree"), "headword_fr"),
    **dict.fromkeys(("en", "english", "anglais", "term_en", "terme_en", "equivalent", "equivalent_en",
                     "terme_anglais", "english_term", "target"), "headword_en"),
    **dict.fromkeys(("definition", "def", "definition_francaise", "french_definition"), "definition_fr"),
    **dict.fromkeys(("definition_anglaise", "english_definition"), "definition_en"),
    **dict.fromkeys(("note", "notes", "remarque", "remarques", "comment", "comments", "commentaire"), "notes_fr"),
    **dict.fromkeys(("example", "examples", "exemple", "exemples", "context", "contexte"), "examples_fr"),
    **dict.fromkeys(("source", "references", "reference", "referencias"), "sources"),
    **dict.fromkeys(("categorie", "pos", "part_of_speech", "categorie_grammaticale"), "category"),
    **dict.fromkeys(("synonyms", "synonymes", "synonyme", "synonym"), "synonyms_admitted_fr"),
    **dict.fromkeys(("id", "identifiant", "identifier"), "slug"),
    # A domain by its name (another tool knows no identifier): the site's domain of that name, else a new one.
    **dict.fromkeys(("domain", "domaine", "domains", "domaines", "subject", "subject_field", "champ",
                     "domaine_d_emploi"), "domain_names_fr"),
    **dict.fromkeys(("en_definition",), "definition_en"),
    **dict.fromkeys(("synonyms_en", "english_synonyms", "synonymes_anglais"), "synonyms_admitted_en"),
    **dict.fromkeys(("notes_en", "english_notes", "note_en"), "notes_en"),
}


def _column_key(name: str) -> str:
    return re.sub(r"[\s\-()/.]+", "_", normalize(name)).strip("_")


def _known_columns(header: list[str], rows: list[tuple[int, list[str]]], chosen: dict[int, str]) -> list[str]:
    """The header with each column named as Lexique names it: as the moderator chose (`chosen`, by position: a
    column of COLUMNS, or "" to leave it out), else its own names as they are, other tools' names by COLUMN_ALIASES;
    a column nobody knows and that holds nothing is left out (named "", as an unnamed one)."""
    keys = [_column_key(name) for name in header]
    named: list[str] = []
    for index, (name, key) in enumerate(zip(header, keys, strict=True)):
        if index in chosen and (chosen[index] in COLUMNS or not chosen[index]):
            named.append(chosen[index])
        elif name in COLUMNS or not name:
            named.append(name)
        elif key == "source" and "target" in keys:
            named.append("headword_fr")
        elif key in COLUMN_ALIASES:
            named.append(COLUMN_ALIASES[key])
        elif key in COLUMNS:
            named.append(key)
        elif not any(index < len(row) and row[index].strip() for _line, row in rows):
            named.append("")  # a column of another tool's bookkeeping that says nothing here
        else:
            named.append(name)
    return named


def _refuse_twice(named: list[str], header: list[str]) -> None:
    """Two columns for one field are refused, each named."""
    taken: dict[str, list[str]] = {}
    for original, name in zip(header, named, strict=True):
        if name:
            taken.setdefault(name, []).append(original)
    twice = {name: originals for name, originals in taken.items() if len(originals) > 1}
    if twice:
        raise ImportFileError([_("Deux colonnes pour %(column)s : %(names)s.")
                               % {"column": column, "names": ", ".join(f"« {name} »" for name in names)[:200]}
                               for column, names in twice.items()])


@dataclass(frozen=True)
class ColumnReading:
    """How one column of a table is read: its position, its name in the file, the field it is read as ("": left
    out), and whether that field is known (else the import refuses the column until the moderator says)."""

    index: int
    name: str
    field: str
    known: bool


# The fields a column may be read as, in the preview's choices.
COLUMN_FIELDS = COLUMNS
# The columns that are not a content field of their own, as the preview names them.
_COLUMN_LABELS = {
    "slug": gettext_lazy("Identifiant du terme (slug)"),
    "domain_names_fr": gettext_lazy("Noms des domaines (français)"),
    "domain_names_en": gettext_lazy("Noms des domaines (anglais)"),
    "domain_descriptions_fr": gettext_lazy("Descriptions des domaines (français)"),
    "domain_descriptions_en": gettext_lazy("Descriptions des domaines (anglais)"),
    "domain_positions": gettext_lazy("Ordre des domaines"),
    "domains": gettext_lazy("Domaines (identifiants)"),
}


def column_label(name: str) -> str:
    """What a column holds, as the preview says it, in the active language."""
    from lexique.core.content import field_label

    label = _COLUMN_LABELS.get(name)
    if label is not None:
        return str(label)
    synonyms = next(((status, lang) for (status, lang), column in SYNONYM_COLUMNS.items() if column == name), None)
    if synonyms is not None:
        status, lang = synonyms
        return _("Synonymes %(status)s (%(language)s)") % {
            "status": {"preferred": _("privilégiés"), "admitted": _("admis"), "not_recommended": _("déconseillés")}[
                status],
            "language": {"fr": _("français"), "en": _("anglais")}[lang]}
    return field_label(name)


def column_readings(data: bytes, file_format: str, columns: dict[int, str] | None = None) -> list[ColumnReading]:
    """How each column of a CSV or XLSX file is read (names recognised, then the moderator's choices), for the
    preview to show and let the moderator change; [] for other formats or a file that cannot be read."""
    if file_format not in TABLE_FORMATS:
        return []
    try:
        header, rows, _where, _guarded = _table(data, file_format)
    except ImportFileError:
        return []
    header = [name.strip() for name in header]
    named = _known_columns(header, rows, columns or {})
    return [ColumnReading(index=index, name=name, field=field, known=not field or field in COLUMNS)
            for index, (name, field) in enumerate(zip(header, named, strict=True)) if name or field]


# How much larger than the largest file accepted a workbook may be once unpacked (its XML compresses about tenfold).
XLSX_UNPACKED_RATIO = 20


def read_xlsx(data: bytes) -> list[Entry]:
    return _table_entries(*_xlsx_table(data))


def _xlsx_table(data: bytes) -> Table:
    """A workbook as Lexique writes it (exporters/xlsx.py), or any whose first sheet with a `headword_fr` column in
    its first row holds the CSV's columns; every cell read as the text it shows."""
    # openpyxl loaded on the first workbook only, as rdflib is for SKOS.
    import zipfile

    from openpyxl import load_workbook

    from lexique.interop.exporters.xlsx import CONCEPTS_SHEET, cell_text

    try:
        # A workbook is a zip of XML: what it would unpack to is bounded before anything is read (no zip bomb).
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > XLSX_UNPACKED_RATIO * max_bytes():
            raise ImportFileError([_("Le classeur se décompresse en plus de %(size)d Mo : découpez-le en plusieurs "
                                     "fichiers.") % {"size": XLSX_UNPACKED_RATIO * max_bytes() // (1024 * 1024)}])
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError([_("Classeur XLSX illisible : %(error)s") % {"error": str(error)[:200]}]) from None
    try:
        sheets = sorted(workbook.worksheets, key=lambda sheet: sheet.title != CONCEPTS_SHEET)
        for sheet in sheets:
            rows = sheet.iter_rows(values_only=True)
            header = [cell_text(value) for value in next(rows, ())]
            if "headword_fr" not in (name.strip() for name in header):
                continue
            while header and not header[-1]:
                header.pop()
            numbered: list[tuple[int, list[str]]] = []
            for line, row in enumerate(rows, start=2):
                if len(numbered) > max_entries():
                    raise _too_many()
                numbered.append((line, [cell_text(value) for value in row]))
            return header, numbered, _("feuille « %(sheet)s », ligne %%(line)d") % {"sheet": sheet.title[:40]}, False
    finally:
        workbook.close()
    raise ImportFileError([_("Aucune feuille du classeur n'a de colonne headword_fr dans sa première ligne.")])


def _file_source(line: str) -> dict[str, str]:
    """A source from its line in a file (a cell, a TBX note): a part no key names is kept as the title's
    continuation, so that nothing the file says is dropped without a word."""
    source = parse_source_line(line)
    unknown = source.pop("unknown", None)
    if unknown:
        source["title"] = f"{source.get('title', '')} | {unknown}".strip(" |")
    if not source.get("title") and source.get("url"):
        source = {"title": source["url"], **{key: value for key, value in source.items() if key != "title"}}
    return source


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace("\r\n", "\n").split("\n") if line.strip()]


def _csv_entry(cells: dict[str, str], where: str) -> Entry:
    content = _empty_content()
    for name in content:
        if isinstance(content[name], str):
            content[name] = cells.get(name, "")
    category_as_values(content)  # a file of before, or typed by hand: "n. m." says the values
    for (status, lang), column in SYNONYM_COLUMNS.items():
        content["synonyms"] += [{**parse_synonym_line(line), "lang": lang, "status": status}
                                for line in _lines(cells.get(column, ""))]
    # Each line read by lexique.core.sources; what it cannot place is left for the services to refuse.
    content["sources"] += [_file_source(text) for text in _lines(cells.get("sources", ""))]
    content["domains"], domain_names = _csv_domains(cells)
    content["related"] = _lines(cells.get("related", ""))
    columns = {name for name in TEXT_FIELDS + ("sources", "domains", "related") if name in cells}
    columns |= {f"synonyms_{lang}" for (_status, lang), column in SYNONYM_COLUMNS.items() if column in cells}
    return Entry(where=where, slug=cells.get("slug", "").strip(), content=content,
                 domain_names=domain_names, emptied=frozenset(columns) - carried_fields(content))


def _csv_domains(cells: dict[str, str]) -> tuple[list[str], dict[str, DomainFacts]]:
    """The domains' identifiers of a row, and what its domain_* cells say of each, line for line."""
    if not cells.get("domains", "").strip() and cells.get("domain_names_fr", "").strip():
        # Named only (another tool's "domaine" column): a domain of the site with that name, else one made.
        written = [domain_fact(line) for line in cells["domain_names_fr"].replace("\r\n", "\n").split("\n")]
        named = {slugify(name)[:60]: DomainFacts(name_fr=name, identified=False) for name in written if name.strip()}
        return [slug for slug in named if slug], {slug: facts for slug, facts in named.items() if slug}
    lines = cells.get("domains", "").replace("\r\n", "\n").split("\n")
    facts = {attribute: cells.get(column, "").replace("\r\n", "\n").split("\n")
             for attribute, column in DOMAIN_COLUMNS.items()}
    slugs: list[str] = []
    names: dict[str, DomainFacts] = {}
    for index, line in enumerate(lines):
        slug = line.strip()
        if not slug:
            continue
        said = {attribute: domain_fact(values[index]) if index < len(values) else ""
                for attribute, values in facts.items()}
        position = said.pop("position")
        if said["name_fr"] or said["name_en"] or said["description_fr"] or said["description_en"] or position:
            names[slug] = DomainFacts(name_fr=said["name_fr"] or slug, name_en=said["name_en"],
                                      description_fr=said["description_fr"], description_en=said["description_en"],
                                      position=int(position) if position.isdigit() else None)
        slugs.append(slug)
    return slugs, names


# XML -------------------------------------------------------------------------------------------------

# A DOCTYPE that only names an external DTD, as TBX 2008 tools write for martif, is let through: the DTD is
# never loaded. An internal subset, where entities are declared, and any entity declaration are refused.
_DECLARATIONS = re.compile(rb"<!DOCTYPE[^>\[]*\[|<!ENTITY", re.IGNORECASE)


def _refuse_declarations() -> ImportFileError:
    return ImportFileError([_("Le fichier déclare une DTD ou des entités : refusé par sécurité.")])


def _xml_root(data: bytes) -> etree._Element:
    """The document's root, read with no DTD, no entity, no network and a bounded tree."""
    if _DECLARATIONS.search(data):
        raise _refuse_declarations()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = getattr(error, "lineno", 0) or 0
        raise ImportFileError([_("XML mal formé ligne %(line)d : %(error)s") % {"line": line, "error": error.msg}]) \
            from None
    # The byte check above misses other encodings (UTF-16...): what the parser read is what counts.
    docinfo = root.getroottree().docinfo
    if docinfo.doctype and (docinfo.encoding or "").lower() not in ("utf-8", "ascii", "us-ascii"):
        if _DECLARATIONS.search(data.decode(docinfo.encoding, errors="replace").encode()):
            raise _refuse_declarations()
    dtd = docinfo.internalDTD
    if dtd is not None and (any(True for _x in dtd.iterentities()) or any(True for _x in dtd.iterelements())):
        raise _refuse_declarations()
    # Beside an external DTD, an undeclared entity is kept as a reference, never expanded: refused too.
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise _refuse_declarations()
    return root


def _text(element: etree._Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


# TBX --------------------------------------------------------------------------------------------------

# ISO 30042:2019's namespace, then the one Lexique wrote before it followed the standard's (until its TBX
# layout 2): files downloaded then, and the TBX of editions frozen then, which are never rebuilt, still read.
TBX_NAMESPACES = (NAMESPACE, "urn:iso:std:iso:30042:ed:3.0")
# Usage statuses by administrativeStatus (TBX-Basic) or normativeAuthorization (TBX 2008's default dialect),
# with or without TBX-Basic's -admn-sts suffix; what neither says is an admitted form.
_STATUSES = {value.removesuffix("-admn-sts"): status for status, value in STATUS_VALUES.items()}
_STATUSES.update({"supersededTerm": "not_recommended", "standardizedTerm": "preferred"})
_STATUS_NOTES = ("administrativeStatus", "normativeAuthorization")


@dataclass(frozen=True)
class TbxVersion:
    """What tells two versions of TBX apart when reading: the names of the elements. The rest is shared."""

    name: str
    namespace: str
    concept: str
    language: str
    term_sections: tuple[str, ...]
    # Whether a concept's id is Lexique's own (c-<slug>), so that the entry keeps its identifier.
    own_ids: bool
    # Where the back matter lists reference objects (Lexique's domains).
    back_section: str = "refObjectSec"

    def tag(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}" if self.namespace else name


def _tbx_version(root: etree._Element) -> TbxVersion:
    name, namespace = etree.QName(root).localname, etree.QName(root).namespace or ""
    if name == "martif" and not namespace:
        # ISO 30042:2008, still written by many tools (translate-toolkit, MultiTerm, memoQ): termEntry, langSet,
        # tig or ntig (whose termGrp holds the term and its notes).
        # Lexique's own TBX 2008 export names its concepts c-<slug> too, and says so in its source description.
        own = any(_text(p) == f"{site_url()}/" for p in root.iterfind("martifHeader/fileDesc/sourceDesc/p"))
        return TbxVersion("TBX 2008", "", "termEntry", "langSet", ("tig", "ntig"), own_ids=own,
                          back_section="refObjectList")
    if name != "tbx":
        raise ImportFileError([_("Ce n'est pas un fichier TBX : l'élément racine est « %(name)s ».")
                               % {"name": name[:40]}])
    if namespace not in TBX_NAMESPACES:
        raise ImportFileError([_("TBX d'une version non prise en charge (espace de noms %(ns)s) : seuls "
                                 "ISO 30042:2019 (%(current)s) et TBX 2008 (martif) sont lus.")
                               % {"ns": namespace[:80] or "—", "current": NAMESPACE}])
    return TbxVersion("TBX 2019", namespace, "conceptEntry", "langSec", ("termSec",), own_ids=True)


def _children(element: etree._Element, version: TbxVersion, name: str,
              kind: str | None = None) -> Iterator[etree._Element]:
    """The `name` children of `element` of data category `kind`, with those set in a group (descripGrp,
    termNoteGrp...) or in a TBX 2008 ntig's termGrp."""
    tag, groups = version.tag(name), (version.tag(name + "Grp"), version.tag("termGrp"))
    for child in element:
        if child.tag == tag:
            if kind is None or child.get("type") == kind:
                yield child
        elif child.tag in groups:
            yield from _children(child, version, name, kind)


def _first_text(element: etree._Element, version: TbxVersion, name: str, kind: str | None = None) -> str:
    return _text(next(_children(element, version, name, kind), None))


def _definitions(element: etree._Element, version: TbxVersion) -> list[str]:
    # translate-toolkit writes a concept's definition as a descrip with no type.
    return [_text(d) for d in _children(element, version, "descrip") if d.get("type") in ("definition", None)]


def _lang(element: etree._Element) -> str:
    return (element.get(XML_LANG) or "").split("-")[0].split("_")[0].lower()


def read_tbx(data: bytes) -> list[Entry]:
    """TBX ISO 30042:2019 (TBX-Basic, as Lexique writes it, and other dialects' shared data categories) or TBX 2008."""
    root = _xml_root(data)
    version = _tbx_version(root)
    body = root.find(f"{version.tag('text')}/{version.tag('body')}")
    if body is None:
        raise ImportFileError([_("Ce fichier %(version)s n'a pas d'élément text/body : il ne contient aucun terme.")
                               % {"version": version.name}])
    concepts = body.findall(version.tag(version.concept))
    if len(concepts) > max_entries():
        raise _too_many()
    file_lang = _lang(root)
    domains = _tbx_domains(root, version)
    entries: list[Entry] = []
    references: dict[str, Entry] = {}
    for position, concept in enumerate(concepts, start=1):
        entry_id = concept.get("id") or ""
        where = _("entrée %(number)d (%(id)s)") % {"number": position, "id": entry_id[:60]}
        problems: list[str] = []
        entry, targets = _tbx_entry(concept, version, file_lang, where, problems, domains)
        entry.problems += problems
        entries.append(entry)
        if entry_id:
            references[entry_id] = entry
        entry.content["related"] = targets  # concept ids for now: slugs once every entry is read
    _usable(entries)
    for entry in entries:
        slugs = []
        for target in entry.content["related"]:
            if target.startswith("slug:"):
                slugs.append(target[5:])
            elif target in references:
                other = references[target]
                slugs.append(other.slug or term_slug(other.content["headword_fr"] or "-"))
        entry.content["related"] = [slug for position, slug in enumerate(slugs) if slug not in slugs[:position]]
    return entries


def _tbx_domains(root: etree._Element, version: TbxVersion) -> dict[str, tuple[str, DomainFacts]]:
    """The domains described in the back matter (as Lexique writes them), by refObject id: (slug, facts)."""
    found: dict[str, tuple[str, DomainFacts]] = {}
    back = root.find(f"{version.tag('text')}/{version.tag('back')}")
    if back is None:
        return found
    for section in back.findall(version.tag(version.back_section)):
        if section.get("type") != DOMAINS_SECTION:
            continue
        for position, reference in enumerate(section.findall(version.tag("refObject")), start=1):
            items = {DOMAIN_ITEMS[kind]: _text(item) for item in reference.iter(version.tag("item"))
                     if (kind := item.get("type") or "") in DOMAIN_ITEMS}
            slug = items.pop("slug", "") or ""
            reference_id = reference.get("id")
            if slug and reference_id:
                found[reference_id] = (slug, DomainFacts(
                    name_fr=items.get("name_fr", slug), name_en=items.get("name_en", ""),
                    description_fr=items.get("description_fr", ""), description_en=items.get("description_en", ""),
                    position=position,
                ))
    return found


def _tbx_entry(concept: etree._Element, version: TbxVersion, file_lang: str, where: str, problems: list[str],
               domains: dict[str, tuple[str, DomainFacts]]) -> tuple[Entry, list[str]]:
    """One concept as an Entry, and the targets of its cross references (concept ids, or slug:<slug> for a
    term of this site named by its address)."""
    entry_id = concept.get("id") or ""
    content = _empty_content()
    domain_names: dict[str, DomainFacts] = {}
    targets: list[str] = []
    for descrip in _children(concept, version, "descrip", "subjectField"):
        name = _text(descrip)
        described = domains.get(descrip.get("target") or "")
        if described:
            slug, facts = described
        elif name:
            slug, facts = slugify(name)[:60] or name, DomainFacts(name_fr=name, identified=False)
        else:
            continue
        content["domains"].append(slug)
        domain_names[slug] = facts
    for ref in _children(concept, version, "ref", "crossReference"):
        targets.append(ref.get("target") or "")
    for xref in _children(concept, version, "xref", "externalCrossReference"):
        target = xref.get("target") or ""
        own_term = _TERM_PATH.search(target) if target.startswith(site_url() + "/") else None
        if own_term:
            targets.append("slug:" + own_term["slug"])
        else:
            content["sources"].append({"title": _text(xref) or target, "url": target})
    for note in _children(concept, version, "note"):
        if _text(note).startswith(SOURCE_NOTE):
            content["sources"].append(_file_source(_text(note)[len(SOURCE_NOTE):]))
    languages: set[str] = set()
    for section in _children(concept, version, version.language):
        lang = _lang(section)
        terms = [(term_section, _first_text(term_section, version, "term"))
                 for name in version.term_sections for term_section in _children(section, version, name)]
        terms = [(term_section, text) for term_section, text in terms if text]
        if terms:
            languages.add(lang or "?")
        if lang not in LANGS:
            continue
        definitions = _definitions(section, version)
        notes = [_text(note) for note in _children(section, version, "note")]
        # Lexique's plain-text definition is followed by its Markdown source when the source says more.
        sources = [note[len(DEFINITION_NOTE):] for note in notes if note.startswith(DEFINITION_NOTE)]
        content[f"definition_{lang}"] = sources[0] if sources else definitions[0] if definitions else ""
        content[f"notes_{lang}"] = "\n\n".join(note for note in notes if not note.startswith(DEFINITION_NOTE))
        _read_terms(content, terms, lang, version, headword_id=f"{entry_id}-{lang}")
    if not languages:
        problems.append(_("%(where)s : aucun terme.") % {"where": where})
    elif not languages & set(LANGS):
        problems.append(_("%(where)s : aucun terme en français ni en anglais (langues : %(langs)s).")
                        % {"where": where, "langs": ", ".join(sorted(languages))[:80]})
    # A definition given for the whole concept is in the file's language, unless that language has its own.
    concept_definitions = _definitions(concept, version)
    if concept_definitions and file_lang in LANGS and not content[f"definition_{file_lang}"]:
        content[f"definition_{file_lang}"] = concept_definitions[0]
    slug = entry_id[2:] if version.own_ids and entry_id.startswith("c-") else ""
    return Entry(where=where, slug=slug, content=content, domain_names=domain_names), targets


def _read_terms(content: Content, terms: list[tuple[etree._Element, str]], lang: str, version: TbxVersion, *,
                headword_id: str) -> None:
    """The headword of one language (Lexique's own id, else the first preferred or unmarked term, else the
    first not deprecated, else the first) with its category and examples; every other term a synonym."""
    statuses = [_tbx_status(term_section, version) for term_section, _text_ in terms]
    chosen = next((i for i, (term_section, _t) in enumerate(terms) if term_section.get("id") == headword_id), None)
    for wanted in (("preferred", None), ("admitted",), ("admitted", "not_recommended")):
        if chosen is None:
            chosen = next((i for i, status in enumerate(statuses) if status in wanted), None)
    for index, (term_section, text) in enumerate(terms):
        if index == chosen:
            content[f"headword_{lang}"] = text
            content[f"examples_{lang}"] = _first_text(term_section, version, "descrip", "context")
            _read_grammar(content, term_section, version, lang)
        else:
            synonym = {"text": text, "lang": lang, "status": statuses[index] or "admitted"}
            region = region_from_code(_first_text(term_section, version, "termNote", "geographicalUsage"))
            content["synonyms"].append({**synonym, "region": region} if region else synonym)


def _tbx_status(term_section: etree._Element, version: TbxVersion) -> str | None:
    for kind in _STATUS_NOTES:
        value = _first_text(term_section, version, "termNote", kind)
        if value:
            return _STATUSES.get(value.removesuffix("-admn-sts"), "admitted")
    return None


def _read_grammar(content: Content, term_section: etree._Element, version: TbxVersion, lang: str) -> None:
    """A headword's part of speech, gender and region in `lang`, and the French free-text category: the inverse
    of the exporter's termNotes and notes (a file of before gives its category as it was)."""
    content[f"region_{lang}"] = region_from_code(_first_text(term_section, version, "termNote", "geographicalUsage"))
    notes = {_text(note) for note in _children(term_section, version, "note")}
    alone = next((note[len(CATEGORY_NOTE):].strip() for note in notes if note.startswith(CATEGORY_NOTE)), None)
    if lang == "fr" and alone is not None:
        content["category"] = alone  # its termNotes are only the free text's closest
        return
    part_of_speech, gender = grammar_from_tbx(*(_first_text(term_section, version, "termNote", kind)
                                                for kind in ("partOfSpeech", "termType", "grammaticalGender")))
    beside = None
    if lang == "fr":
        beside = next((note[len(CATEGORY_BESIDE_NOTE):].strip() for note in notes
                       if note.startswith(CATEGORY_BESIDE_NOTE)), None)
        content["category"] = beside if beside is not None else (
            "" if part_of_speech else _tbx_category(term_section, version))
    if lang == "en" or not content["category"] or beside is not None:
        content[f"part_of_speech_{lang}"], content[f"gender_{lang}"] = part_of_speech, gender


def _tbx_category(term_section: etree._Element, version: TbxVersion) -> str:
    for note in _children(term_section, version, "note"):
        if _text(note).startswith(CATEGORY_NOTE):
            return _text(note)[len(CATEGORY_NOTE):].strip()
    notes = {kind: _first_text(term_section, version, "termNote", kind).lower() or None
             for kind in ("partOfSpeech", "grammaticalGender", "termType")}
    return category_from_notes(notes)


# SKOS ------------------------------------------------------------------------------------------------

def _refuse_remote_contexts(data: bytes) -> None:
    """JSON-LD may name contexts by address, which rdflib would fetch: only contexts written inline are read."""
    try:
        document = json.loads(data)
    except ValueError as error:
        raise ImportFileError([_("JSON-LD illisible : %(error)s") % {"error": str(error)[:300]}]) from None
    pending = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import") and _names_an_address(value):
                    raise ImportFileError([_("Le fichier JSON-LD fait référence à un contexte distant : "
                                             "seuls les contextes écrits dans le fichier sont acceptés.")])
                pending.append(value)


def _names_an_address(context: Any) -> bool:
    if isinstance(context, str):
        return True
    if isinstance(context, list):
        return any(isinstance(item, str) for item in context)
    return False


def _list_position(value: object, concept: object) -> int:
    """A label's or source's place in its list; entries without one go last."""
    if value is None:
        return 10**6
    try:
        return int(str(value))  # a literal (text) of the file
    except ValueError:
        raise ImportFileError([_("Position « %(value)s » illisible pour %(concept)s : un nombre entier est attendu.")
                               % {"value": str(value)[:40], "concept": _node_name(concept)}]) from None


def _node_name(node: object) -> str:
    """A resource of an RDF file as a message names it: its address, never the internal id a parser gives a blank
    node."""
    from rdflib import URIRef

    return str(node)[:120] if isinstance(node, URIRef) else _("une ressource sans adresse")


def read_skos(data: bytes, rdf_format: str) -> list[Entry]:
    # rdflib (and the SKOS writer's names, which need it) loaded on the first SKOS file only: the
    # other imports, and every process that never reads one, start without it.
    from rdflib import RDF, Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, SKOS
    from rdflib.term import Node

    from lexique.interop.exporters.skos import (
        CATEGORY_NAME,
        COLLECTION_DEFINITIONS,
        LEXINFO,
        LINK_NAME,
        MARKDOWN_NAME,
        NORMATIVE,
        SCHEMA,
        SKOSXL,
        STATUS_NAME,
        read_grammar,
    )

    if rdf_format == "xml":
        _xml_root(data)  # the same guards as TBX before rdflib reads it
    elif rdf_format == "json-ld":
        _refuse_remote_contexts(data)
    graph = Graph()
    try:
        with warnings.catch_warnings():
            # rdflib 7.6's JSON-LD parser uses a class it deprecates itself.
            warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
            graph.parse(data=data, format=rdf_format)
    except Exception as error:  # rdflib raises many kinds, all meaning "not this syntax"
        raise ImportFileError([_("RDF illisible (%(format)s) : %(error)s") % {"format": rdf_format,
                                                                           "error": str(error)[:300]}]) from None
    concepts = sorted(set(graph.subjects(RDF.type, SKOS.Concept)), key=str)
    if len(concepts) > max_entries():
        raise _too_many()
    statuses = {str(value): status for status, value in NORMATIVE.items()}
    # LexInfo's other values that say the same (ISO 12620's normativeAuthorization).
    statuses.update({str(LEXINFO.standardizedTerm): "preferred", str(LEXINFO.supersededTerm): "not_recommended"})

    def local(predicate: Node, name: str) -> bool:
        return str(predicate).endswith(("#" + name, "/" + name))

    def literals(subject: Node, predicate: Node) -> list[Literal]:
        return [value for value in graph.objects(subject, predicate) if isinstance(value, Literal)]

    def language(value: Literal) -> str:
        return (value.language or "fr").split("-")[0].lower()

    def by_lang(subject: Node, predicate: Node, lang: str) -> str:
        values = sorted(str(v) for v in literals(subject, predicate) if language(v) == lang)
        return values[0] if values else ""

    def own(subject: Node, name: str, lang: str) -> str:
        """A literal of one of Lexique's own properties (known by its local name), in `lang`."""
        values = sorted(str(v) for p, v in graph.predicate_objects(subject)
                        if local(p, name) and isinstance(v, Literal) and language(v) == lang)
        return values[0] if values else ""

    def title_of(node: Node) -> str:
        for predicate in (DCTERMS.title, SCHEMA.name, DCTERMS.bibliographicCitation, SKOS.prefLabel):
            value = graph.value(node, predicate)
            if isinstance(value, Literal) and str(value).strip():
                return _citation_text(value)
        return ""

    slugs: dict[Node, str] = {}
    for concept in concepts:
        identifier = graph.value(concept, DCTERMS.identifier)
        match = _TERM_PATH.search(str(concept))
        slugs[concept] = str(identifier) if identifier else (match["slug"] if match else "")
    # A related term outside an export's domains is only named there: not an entry of the file.
    referenced = set(graph.objects(None, SKOS.related))
    stubs = {concept for concept in concepts if concept in referenced and not literals(concept, SKOS.definition)
             and graph.value(concept, DCTERMS.identifier) is None}
    # Lexique's complete files write skos:related both ways and the links as the lexicon holds them beside.
    links_as_held = any(local(predicate, LINK_NAME) for predicate in graph.predicates())
    entries: list[Entry] = []
    for number, concept in enumerate(concepts, start=1):
        content = _empty_content()
        set_aside: list[str] = []
        if concept in stubs:
            continue
        for lang in LANGS:
            content[f"headword_{lang}"] = by_lang(concept, SKOS.prefLabel, lang)
            content[f"definition_{lang}"] = (own(concept, MARKDOWN_NAME, lang)
                                             or by_lang(concept, SKOS.definition, lang))
            content[f"examples_{lang}"] = by_lang(concept, SKOS.example, lang)
            content[f"notes_{lang}"] = by_lang(concept, SKOS.scopeNote, lang)
        for predicate, value in graph.predicate_objects(concept):
            if local(predicate, CATEGORY_NAME):
                content["category"] = str(value)
        for label in graph.objects(concept, SKOSXL.prefLabel):
            form = graph.value(label, SKOSXL.literalForm)
            if isinstance(form, Literal) and language(form) in LANGS:
                for field, said in read_grammar(graph, label).items():
                    content[f"{field}_{language(form)}"] = said
        labelled: set[tuple[str, str]] = set()
        xl_labels: list[tuple[int, str, str, str]] = []
        regions: dict[tuple[str, str], str] = {}
        for predicate, plain_status in ((SKOSXL.altLabel, "admitted"), (SKOSXL.hiddenLabel, "not_recommended")):
            for label in graph.objects(concept, predicate):
                form = graph.value(label, SKOSXL.literalForm)
                if not isinstance(form, Literal):  # none, or not a literal: no label to read
                    continue
                normative = graph.value(label, LEXINFO.normativeAuthorization)
                status = statuses.get(str(normative), "") if normative is not None else ""
                status = status or next((str(v) for p, v in graph.predicate_objects(label)
                                         if local(p, STATUS_NAME)), plain_status)
                position = _list_position(graph.value(label, SCHEMA.position), concept)
                xl_labels.append((position, str(form), language(form), status))
                labelled.add((str(form), language(form)))
                region = read_grammar(graph, label)["region"]
                if region:
                    regions[(str(form), language(form))] = region
        plain: list[tuple[int, str, str, str]] = []
        for predicate, status in ((SKOS.altLabel, "admitted"), (SKOS.hiddenLabel, "not_recommended")):
            for value in literals(concept, predicate):
                key = (str(value), language(value))
                if key not in labelled:
                    plain.append((10**6, *key, status))
        other_languages: set[str] = set()
        for _position, text, lang, status in sorted(xl_labels) + sorted(plain):
            if lang not in LANGS:
                other_languages.add(lang)
            elif not content[f"headword_{lang}"] and status != "not_recommended":
                # A file with no preferred label in this language: its first other label is the term.
                content[f"headword_{lang}"] = text
                set_aside.append(_("pas de libellé préféré en %(lang)s : « %(text)s », libellé alternatif, est "
                                   "pris pour terme") % {"lang": lang, "text": text[:100]})
            else:
                synonym = {"text": text, "lang": lang, "status": status}
                if (text, lang) in regions:
                    synonym["region"] = regions[(text, lang)]
                content["synonyms"].append(synonym)
        other_languages |= {language(v) for v in literals(concept, SKOS.prefLabel)} - set(LANGS)
        if other_languages:
            set_aside.append(_("libellés en %(langs)s laissés de côté (le lexique tient le français et "
                               "l'anglais)") % {"langs": ", ".join(sorted(other_languages))[:80]})
        content["sources"] = _skos_sources(graph, concept, title_of, set_aside)
        linked = ([other for p, other in graph.predicate_objects(concept) if local(p, LINK_NAME)]
                  if links_as_held else list(graph.objects(concept, SKOS.related)))
        content["related"] = sorted(slugs[other] for other in linked if other in slugs and slugs[other])
        domain_names: dict[str, DomainFacts] = {}
        for collection in sorted(graph.subjects(SKOS.member, concept), key=str):
            identifier = graph.value(collection, DCTERMS.identifier)
            name_fr = by_lang(collection, SKOS.prefLabel, "fr")
            slug = str(identifier) if identifier else slugify(name_fr)[:60]
            if slug:
                content["domains"].append(slug)
                described = {}
                for lang in LANGS:
                    description = by_lang(collection, SKOS.definition, lang)
                    name = by_lang(collection, SKOS.prefLabel, lang)
                    # What Lexique writes for a domain without a description is not one.
                    generated = COLLECTION_DEFINITIONS[lang].format(name=name)
                    described[lang] = "" if description == generated else description
                domain_names[slug] = DomainFacts(
                    name_fr=name_fr or slug, name_en=by_lang(collection, SKOS.prefLabel, "en"),
                    description_fr=described["fr"], description_en=described["en"], identified=identifier is not None,
                    position=_list_position(graph.value(collection, SCHEMA.position), collection)
                    if graph.value(collection, SCHEMA.position) is not None else None)
        where = str(concept)[:200] if isinstance(concept, URIRef) else _("concept %(number)d (sans adresse)") % {
            "number": number}
        entries.append(Entry(where=where, slug=slugs[concept], content=content, domain_names=domain_names,
                             warnings=set_aside))
    return entries


_WEB_ADDRESS = re.compile(r"^https?://\S+$")
_LINK = re.compile(r"""href=["'](?P<url>https?://[^"'\s]+)["']|(?P<bare>https?://[^\s<>"']+)""")


def _citation_text(value: Any) -> str:
    """A literal as the text it reads: rdf:HTML (or text with markup) without its tags and entities."""
    text = str(value)
    if "<" in text or "&" in text:
        text = html.unescape(strip_tags(text))
        text = html.unescape(text)  # written escaped twice, as some tools do ("&amp;amp;")
    return " ".join(text.split())


def _skos_sources(graph: Any, concept: Any, title_of: Any, set_aside: list[str]) -> list[dict[str, str]]:
    """A concept's sources: Lexique's citations (schema:citation, with their parts and position) when the file has
    them, else each dcterms:source as it comes: an address (a URI, or a literal such as an xsd:anyURI), or a
    resource (named or blank) with a title and maybe an address (schema:url, foaf:page, or its own URI). A source
    cited in words only (a book, a standard) keeps its title, author, year, publisher, pages and number."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, FOAF

    from lexique.interop.exporters.skos import SCHEMA, SOURCE_DEFINITION_NAME

    citations = list(graph.objects(concept, SCHEMA.citation))
    found: list[tuple[int, dict[str, str]]] = []
    for node in citations or list(graph.objects(concept, DCTERMS.source)):
        position = _list_position(graph.value(node, SCHEMA.position), concept) if not isinstance(node, Literal) \
            else 10**6
        source: dict[str, str] = {}
        if isinstance(node, Literal):
            text = str(node).strip()
            source["title"] = text
            if _WEB_ADDRESS.match(text):
                source["url"] = text
        else:
            address = next((value for predicate in (SCHEMA.url, FOAF.page, DCTERMS.identifier)
                            for value in graph.objects(node, predicate) if _WEB_ADDRESS.match(str(value))), None)
            if address is None:  # a citation in words may link to its address (skosprovider writes rdf:HTML)
                citation = graph.value(node, DCTERMS.bibliographicCitation)
                linked = _LINK.search(str(citation)) if citation is not None else None
                address = (linked["url"] or linked["bare"]) if linked else None
            # A source's own URI is its address in other files; Lexique names its citations after the term's.
            own_uri = isinstance(node, URIRef) and not citations
            url = str(address) if address is not None else str(node) if own_uri else ""
            for key, predicate in (("author", DCTERMS.creator), ("year", DCTERMS.issued),
                                   ("publisher", DCTERMS.publisher), ("pages", SCHEMA.pagination),
                                   ("standard", DCTERMS.identifier)):
                value = next((str(value).strip() for value in graph.objects(node, predicate)
                              if isinstance(value, Literal) and not _WEB_ADDRESS.match(str(value))), "")
                if value:
                    source[key] = value
            supported = next((str(value) for predicate, value in graph.predicate_objects(node)
                              if str(predicate).endswith("#" + SOURCE_DEFINITION_NAME)), "")
            if supported:
                source["definition"] = supported
            if url:
                source["url"] = url
            source["title"] = title_of(node) or url or source.get("standard", "")
        if source.get("title"):
            found.append((position, {key: source[key] for key in SOURCE_KEYS if key in source}))
        else:
            set_aside.append(_("source sans titre ni adresse laissée de côté"))
    return [source for _position, source in sorted(found, key=lambda item: item[0])]
