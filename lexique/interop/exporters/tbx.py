"""The lexicon as TBX, dialect TBX-Basic: ISO 30042:2019 (DCA style), and ISO 30042:2008 (`martif`), which most
translation tools (translate-toolkit, SDL MultiTerm, memoQ) still read. The two share every data category and
differ in the names of the elements (conceptEntry/termEntry, langSec/langSet, termSec/tig) and of the header.

One conceptEntry per term: its domains (subjectField, by French name, pointing at the domain's refObject in the
back matter, which holds its identifier, names and descriptions in both languages, in the site's order), related
terms (crossReference inside the file, externalCrossReference to the term's page otherwise) and sources
(externalCrossReference with the title as text; or, for a term one of whose sources says more than a title and an
address, a note per source, "Source : " and its line of lexique.core.sources); a langSec per language with the
definition and the notes; a termSec for the headword (part of speech, gender, term type, region as
geographicalUsage, preferred status, the examples as context) and one per synonym (administrativeStatus:
preferred, admitted, or deprecated for a form not recommended).
"""
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy
from lxml import etree

from lexique.core.grammar import REGION_CODES, tbx_grammar
from lexique.core.sources import has_details, source_line
from lexique.core.text import markdown_text
from lexique.interop.exporters.records import DataExporter, Records
from lexique.publishing.addresses import site_url, term_uri

# The namespace ISO 30042:2019 gives TBX (its second edition), which the official TBX-Basic schemas expect.
NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGS = ("fr", "en")
# The official schemas a validating tool fetches (xml-model): LTAC-Global's TBX core grammar and the
# TBX-Basic dialect's rules for the DCA style.
RNG_HREF = "https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng"
SCH_HREF = "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch"
STATUS_VALUES = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "not_recommended": "deprecatedTerm-admn-sts",
}
# The usual French abbreviations, as TBX-Basic's part of speech, grammatical gender and term type.
CATEGORIES = {
    "n.": ("noun", None, None),
    "n. m.": ("noun", "masculine", None),
    "n. f.": ("noun", "feminine", None),
    "loc. n.": ("noun", None, "phrase"),
    "loc. n. m.": ("noun", "masculine", "phrase"),
    "loc. n. f.": ("noun", "feminine", "phrase"),
    "v.": ("verb", None, None),
    "loc. v.": ("verb", None, "phrase"),
    "adj.": ("adjective", None, None),
    "loc. adj.": ("adjective", None, "phrase"),
    "adv.": ("adverb", None, None),
    "sigle": ("noun", None, "acronym"),
    "abrév.": ("noun", None, "abbreviation"),
}
# What TBX-Basic cannot say (a plural, an unusual category) is kept word for word in a note of the headword.
CATEGORY_NOTE = "Catégorie grammaticale : "
# The same, for a headword whose part of speech and gender are the term's controlled values: its termNotes say
# them, and the free text says what they do not.
CATEGORY_BESIDE_NOTE = "Catégorie grammaticale, en plus : "
# A definition is written as plain text; when its Markdown source says more (emphasis, links, lists), the source
# follows in a note of the language section that starts with this, so that an import gets it back exactly.
DEFINITION_NOTE = "Définition (Markdown) : "
# A source that says more than a title and an address is a note of the concept that starts with this.
SOURCE_NOTE = "Source : "
# From these rules on (Records.rules), definitions are plain text and the header gives the licence.
PLAIN_RULES = 4


@dataclass(frozen=True)
class Dialect:
    """The names one version of TBX gives the elements Lexique writes."""

    namespace: str
    concept: str
    language: str
    term_section: str
    back_section: str

    def tag(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}" if self.namespace else name


TBX_2019 = Dialect(NAMESPACE, "conceptEntry", "langSec", "termSec", "refObjectSec")
TBX_2008 = Dialect("", "termEntry", "langSet", "tig", "refObjectList")
# TBX-Basic 2008's published structure and constraints, named as its own files name them.
MARTIF_DTD = "TBXBasiccoreStructV02.dtd"
MARTIF_XCS = "TBXBasicXCSV02.xcs"


def category_notes(category: str) -> tuple[tuple[str, str], ...]:
    """The termNotes for a category: the closest TBX-Basic can say (the rest goes in CATEGORY_NOTE)."""
    if not category:
        return ()
    known = CATEGORIES.get(category) or CATEGORIES.get(category.removesuffix(" pl."))
    part_of_speech, gender, term_type = known or ("other", None, None)
    notes = [("partOfSpeech", part_of_speech)]
    if gender:
        notes.append(("grammaticalGender", gender))
    if term_type:
        notes.append(("termType", term_type))
    return tuple(notes)


def category_from_notes(notes: Mapping[str, str | None]) -> str:
    """The French abbreviation for termNotes read from a file (the inverse of `category_notes`)."""
    wanted = (notes.get("partOfSpeech"), notes.get("grammaticalGender"), notes.get("termType"))
    for category, values in CATEGORIES.items():
        if values == wanted:
            return category
    return ""


def concept_id(slug: str) -> str:
    return f"c-{slug}"


def domain_id(slug: str) -> str:
    return f"domaine-{slug}"


# The back matter's list of domains, and what each item of a domain says.
DOMAINS_SECTION = "subjectFieldList"
DOMAIN_ITEMS = {"identifier": "slug", "name-fr": "name_fr", "name-en": "name_en",
                "description-fr": "description_fr", "description-en": "description_en"}


def definition_texts(definition: str, rules: int = PLAIN_RULES) -> tuple[str, str]:
    """A definition as a TBX file gives it: the plain text, and the Markdown source when it says more (else "")."""
    if rules < PLAIN_RULES:
        return definition, ""
    plain = markdown_text(definition)
    return plain, ("" if plain == definition else definition)


def _element(parent: etree._Element, tag: str, text: str | None = None, *, dialect: Dialect = TBX_2019,
             **attributes: str | None) -> etree._Element:
    element = etree.SubElement(parent, dialect.tag(tag), {k: v for k, v in attributes.items() if v})
    if text is not None:
        element.text = text
    return element


def _file_description(header: etree._Element, records: Records, dialect: Dialect) -> None:
    file_description = _element(header, "fileDesc", dialect=dialect)
    _element(_element(file_description, "titleStmt", dialect=dialect), "title", records.names["fr"]["name"],
             dialect=dialect)
    if records.rules >= PLAIN_RULES:
        name, url = records.licence
        _element(_element(file_description, "publicationStmt", dialect=dialect), "p", f"{name} ({url})",
                 dialect=dialect)
    _element(_element(file_description, "sourceDesc", dialect=dialect), "p", f"{site_url()}/", dialect=dialect)


def _add_text(root: etree._Element, records: Records, dialect: Dialect) -> None:
    text = _element(root, "text", dialect=dialect)
    # The core grammar wants at least one conceptEntry in a body: an empty selection has no body at all.
    body = _element(text, "body", dialect=dialect) if records.entries else None
    names = {domain.slug: domain.name_fr for domain in records.domains}
    in_file = {entry["slug"] for entry in records.entries}
    headwords = {entry["slug"]: entry["headword_fr"] for entry in records.entries}
    headwords.update({slug: names_[0] for slug, names_ in records.outside.items()})
    writer = _EntryWriter(dialect, records.rules, names, in_file, headwords)
    for entry in records.entries:
        writer.add(body, entry)
    if records.domains:
        _add_domains(_element(text, "back", dialect=dialect), records, dialect)


def build_document(records: Records) -> etree._ElementTree:
    root = etree.Element(f"{{{NAMESPACE}}}tbx", nsmap={None: NAMESPACE}, type="TBX-Basic", style="dca")
    root.set(XML_LANG, "fr")
    _file_description(_element(root, "tbxHeader"), records, TBX_2019)
    _add_text(root, records, TBX_2019)
    document = etree.ElementTree(root)
    for href, kind in ((RNG_HREF, "http://relaxng.org/ns/structure/1.0"),
                       (SCH_HREF, "http://purl.oclc.org/dsdl/schematron")):
        root.addprevious(etree.ProcessingInstruction(
            "xml-model", f'href="{href}" type="application/xml" schematypens="{kind}"'))
    return document


def build_martif(records: Records) -> etree._ElementTree:
    """The same entries as TBX-Basic 2008: `martif`, `termEntry`, `langSet`, `tig`."""
    root = etree.Element("martif", type="TBX-Basic")
    root.set(XML_LANG, "fr")
    header = _element(root, "martifHeader", dialect=TBX_2008)
    _file_description(header, records, TBX_2008)
    _element(_element(header, "encodingDesc", dialect=TBX_2008), "p", MARTIF_XCS, dialect=TBX_2008, type="XCSURI")
    _add_text(root, records, TBX_2008)
    return etree.ElementTree(root)


def _add_domains(back: etree._Element, records: Records, dialect: Dialect) -> None:
    """Every domain the file's entries name, whole, in the site's order: what brings them to another site."""
    section = _element(back, dialect.back_section, dialect=dialect, type=DOMAINS_SECTION)
    for domain in records.domains:
        reference = _element(section, "refObject", dialect=dialect, id=domain_id(domain.slug))
        for kind, attribute in DOMAIN_ITEMS.items():
            if getattr(domain, attribute):
                _element(reference, "item", getattr(domain, attribute), dialect=dialect, type=kind)


@dataclass
class _EntryWriter:
    """Writes the entries of one file in one dialect."""

    dialect: Dialect
    rules: int
    names: dict[str, str]  # domain slug -> French name
    in_file: set[str]
    headwords: dict[str, str | None]

    def _element(self, parent: etree._Element, tag: str, text: str | None = None,
                 **attributes: str | None) -> etree._Element:
        return _element(parent, tag, text, dialect=self.dialect, **attributes)

    def add(self, body: etree._Element, entry: dict[str, Any]) -> None:
        slug = entry["slug"]
        concept = self._element(body, self.dialect.concept, id=concept_id(slug))
        for domain in entry["domains"]:
            self._element(concept, "descrip", self.names.get(domain, domain), type="subjectField",
                          target=domain_id(domain) if domain in self.names else None)
        for other in entry["related"]:
            if other in self.in_file:
                self._element(concept, "ref", self.headwords.get(other, other), type="crossReference",
                              target=concept_id(other))
            else:
                self._element(concept, "xref", self.headwords.get(other, other), type="externalCrossReference",
                              target=term_uri(other))
        # Sources as the old shape had them (a title and an address) are links; once one says more (an author, a
        # standard, a definition it supports, no address…), each is a note in the order of the list, its one line.
        detailed = any(has_details(source) for source in entry["sources"])
        for source in entry["sources"]:
            if detailed:
                self._element(concept, "note", SOURCE_NOTE + source_line(source))
            else:
                self._element(concept, "xref", source["title"], type="externalCrossReference", target=source["url"])
        for lang in LANGS:
            synonyms = [synonym for synonym in entry["synonyms"] if synonym["lang"] == lang]
            headword = entry[f"headword_{lang}"]
            if not headword and not synonyms:
                continue  # a langSec needs a term; English texts without an English term stay out
            section = self._element(concept, self.dialect.language)
            section.set(XML_LANG, lang)
            if entry[f"definition_{lang}"]:
                plain, source = definition_texts(entry[f"definition_{lang}"], self.rules)
                self._element(section, "descrip", plain, type="definition")
                if source:
                    self._element(section, "note", DEFINITION_NOTE + source)
            if entry[f"notes_{lang}"]:
                self._element(section, "note", entry[f"notes_{lang}"])
            if headword:
                self._add_headword(section, entry, lang, slug)
            for position, synonym in enumerate(synonyms, start=1):
                term_section = self._element(section, self.dialect.term_section,
                                             id=f"{concept_id(slug)}-{lang}-{position}")
                self._element(term_section, "term", synonym["text"])
                if synonym.get("region") in REGION_CODES:
                    self._element(term_section, "termNote", REGION_CODES[synonym["region"]], type="geographicalUsage")
                self._element(term_section, "termNote", STATUS_VALUES[synonym["status"]],
                              type="administrativeStatus")

    def _add_headword(self, section: etree._Element, entry: dict[str, Any], lang: str, slug: str) -> None:
        term_section = self._element(section, self.dialect.term_section, id=f"{concept_id(slug)}-{lang}")
        self._element(term_section, "term", entry[f"headword_{lang}"])
        category = entry["category"] if lang == "fr" else ""
        part_of_speech, gender = entry.get(f"part_of_speech_{lang}", ""), entry.get(f"gender_{lang}", "")
        controlled = bool(part_of_speech or gender)
        for kind, value in tbx_grammar(part_of_speech, gender) if controlled else category_notes(category):
            self._element(term_section, "termNote", value, type=kind)
        if entry.get(f"region_{lang}"):
            self._element(term_section, "termNote", REGION_CODES[entry[f"region_{lang}"]], type="geographicalUsage")
        self._element(term_section, "termNote", STATUS_VALUES["preferred"], type="administrativeStatus")
        if entry[f"examples_{lang}"]:
            self._element(term_section, "descrip", entry[f"examples_{lang}"], type="context")
        if category and controlled:
            self._element(term_section, "note", CATEGORY_BESIDE_NOTE + category)
        elif category and CATEGORIES.get(category) is None:
            self._element(term_section, "note", CATEGORY_NOTE + category)


class TbxExporter(DataExporter):
    """Writes the published set as a TBX-Basic file."""

    name = "tbx"
    extension = "tbx"
    api_file = "terms.tbx"
    label = gettext_lazy("TBX-Basic (ISO 30042) : pour les outils de terminologie et de traduction")
    # 2: the ISO 30042:2019 namespace (ed-2), no empty body; 3: the domains whole in the back matter;
    # 4: definitions as plain text (their Markdown in a note when it says more), the licence in the header.
    layout_version = 5  # 5: each headword's part of speech, gender and region in its own language
    media_type = "application/x-tbx+xml"
    download_stem = "lexique-termes"

    def serialize(self, records: Records) -> bytes:
        return etree.tostring(build_document(records), xml_declaration=True, encoding="UTF-8", pretty_print=True)


class Tbx2008Exporter(DataExporter):
    """Writes the published set as TBX-Basic 2008 (`martif`), for translation tools that read no other TBX."""

    name = "tbx-2008"
    extension = "tbx"
    api_file = "terms-2008.tbx"
    label = gettext_lazy("TBX-Basic 2008 (martif) : pour les outils de traduction (memoQ, MultiTerm, "
                         "translate-toolkit)")
    layout_version = 2
    media_type = "application/x-tbx+xml"
    download_stem = "lexique-termes-2008"

    def serialize(self, records: Records) -> bytes:
        return etree.tostring(build_martif(records), xml_declaration=True, encoding="UTF-8", pretty_print=True,
                              doctype=f'<!DOCTYPE martif SYSTEM "{MARTIF_DTD}">')
