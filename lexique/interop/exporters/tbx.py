"""The lexicon as TBX (ISO 30042:2019), dialect TBX-Basic, DCA style: for terminology and translation tools.

One conceptEntry per term: its domains (subjectField, by French name, pointing at the domain's refObject in
the back matter, which holds its identifier, names and descriptions in both languages, in the site's order),
related terms (crossReference inside the file, externalCrossReference to the term's page otherwise) and
sources (externalCrossReference with the title as text); a langSec per language with the definition and the
notes; a termSec for the headword (part of speech, gender, term type, preferred status, the examples as
context) and one per synonym (administrativeStatus: preferred, admitted, or deprecated for a form not
recommended).
"""
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy
from lxml import etree

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


def _element(parent: etree._Element, tag: str, text: str | None = None, **attributes: str | None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", {k: v for k, v in attributes.items() if v})
    if text is not None:
        element.text = text
    return element


def build_document(records: Records) -> etree._ElementTree:
    root = etree.Element(f"{{{NAMESPACE}}}tbx", nsmap={None: NAMESPACE}, type="TBX-Basic", style="dca")
    root.set(XML_LANG, "fr")
    header = _element(root, "tbxHeader")
    file_description = _element(header, "fileDesc")
    _element(_element(file_description, "titleStmt"), "title", records.names["fr"]["name"])
    _element(_element(file_description, "sourceDesc"), "p", f"{site_url()}/")
    text = _element(root, "text")
    # The core grammar wants at least one conceptEntry in a body: an empty selection has no body at all.
    body = _element(text, "body") if records.entries else None
    names = {domain.slug: domain.name_fr for domain in records.domains}
    in_file = {entry["slug"] for entry in records.entries}
    headwords = {entry["slug"]: entry["headword_fr"] for entry in records.entries}
    headwords.update({slug: names_[0] for slug, names_ in records.outside.items()})
    for entry in records.entries:
        _add_entry(body, entry, names, in_file, headwords)
    if records.domains:
        _add_domains(_element(text, "back"), records)
    document = etree.ElementTree(root)
    for href, kind in ((RNG_HREF, "http://relaxng.org/ns/structure/1.0"),
                       (SCH_HREF, "http://purl.oclc.org/dsdl/schematron")):
        root.addprevious(etree.ProcessingInstruction(
            "xml-model", f'href="{href}" type="application/xml" schematypens="{kind}"'))
    return document


def _add_domains(back: etree._Element, records: Records) -> None:
    """Every domain the file's entries name, whole, in the site's order: what brings them to another site."""
    section = _element(back, "refObjectSec", type=DOMAINS_SECTION)
    for domain in records.domains:
        reference = _element(section, "refObject", id=domain_id(domain.slug))
        for kind, attribute in DOMAIN_ITEMS.items():
            if getattr(domain, attribute):
                _element(reference, "item", getattr(domain, attribute), type=kind)


def _add_entry(body: etree._Element, entry: dict[str, Any], names: dict[str, str], in_file: set[str],
               headwords: dict[str, str | None]) -> None:
    slug = entry["slug"]
    concept = _element(body, "conceptEntry", id=concept_id(slug))
    for domain in entry["domains"]:
        _element(concept, "descrip", names.get(domain, domain), type="subjectField",
                 target=domain_id(domain) if domain in names else None)
    for other in entry["related"]:
        if other in in_file:
            _element(concept, "ref", headwords.get(other, other), type="crossReference", target=concept_id(other))
        else:
            _element(concept, "xref", headwords.get(other, other), type="externalCrossReference",
                     target=term_uri(other))
    for source in entry["sources"]:
        _element(concept, "xref", source["title"], type="externalCrossReference", target=source["url"])
    for lang in LANGS:
        synonyms = [synonym for synonym in entry["synonyms"] if synonym["lang"] == lang]
        headword = entry[f"headword_{lang}"]
        if not headword and not synonyms:
            continue  # a langSec needs a term; English texts without an English term stay out
        section = _element(concept, "langSec")
        section.set(XML_LANG, lang)
        if entry[f"definition_{lang}"]:
            _element(section, "descrip", entry[f"definition_{lang}"], type="definition")
        if entry[f"notes_{lang}"]:
            _element(section, "note", entry[f"notes_{lang}"])
        if headword:
            _add_headword(section, entry, lang, slug)
        for position, synonym in enumerate(synonyms, start=1):
            term_section = _element(section, "termSec", id=f"{concept_id(slug)}-{lang}-{position}")
            _element(term_section, "term", synonym["text"])
            _element(term_section, "termNote", STATUS_VALUES[synonym["status"]], type="administrativeStatus")


def _add_headword(section: etree._Element, entry: dict[str, Any], lang: str, slug: str) -> None:
    term_section = _element(section, "termSec", id=f"{concept_id(slug)}-{lang}")
    _element(term_section, "term", entry[f"headword_{lang}"])
    category = entry["category"] if lang == "fr" else ""
    for kind, value in category_notes(category):
        _element(term_section, "termNote", value, type=kind)
    _element(term_section, "termNote", STATUS_VALUES["preferred"], type="administrativeStatus")
    if entry[f"examples_{lang}"]:
        _element(term_section, "descrip", entry[f"examples_{lang}"], type="context")
    if category and CATEGORIES.get(category) is None:
        _element(term_section, "note", CATEGORY_NOTE + category)


class TbxExporter(DataExporter):
    """Writes the published set as a TBX-Basic file."""

    name = "tbx"
    extension = "tbx"
    api_file = "terms.tbx"
    label = gettext_lazy("TBX-Basic (ISO 30042) : pour les outils de terminologie et de traduction")
    # 2: the ISO 30042:2019 namespace (ed-2), no empty body; 3: the domains whole in the back matter.
    layout_version = 3
    media_type = "application/x-tbx+xml"
    download_stem = "lexique-termes"

    def serialize(self, records: Records) -> bytes:
        return etree.tostring(build_document(records), xml_declaration=True, encoding="UTF-8", pretty_print=True)
