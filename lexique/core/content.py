"""The shape of a term's content: its languages, its translated and Markdown fields, its usage statuses, and
what readers call each of them."""
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import get_language, gettext, override
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # What gettext_lazy returns, as the stubs name it (a Promise that stands for a str).
    from django.utils.functional import _StrPromise

HEADWORD_MAX_LENGTH = 200
# What a revision's summary may hold: longer ones are refused everywhere (pages, API, imports), never cut.
SUMMARY_MAX_LENGTH = 300

# The fields a revision snapshots and a term mirrors; the translated ones get _fr and _en columns.
TRANSLATED_FIELDS = ("headword", "definition", "examples", "notes")
LANGUAGES = ("fr", "en")
# Markdown fields whose HTML a term stores beside the source, rendered once when a revision is published.
MARKDOWN_FIELDS = ("definition", "examples", "notes")


class UsageStatus(models.TextChoices):
    """Normative status of a headword or synonym, after TBX's normativeAuthorization."""

    PREFERRED = "preferred", _("privilégié")
    ADMITTED = "admitted", _("admis")
    NOT_RECOMMENDED = "not_recommended", _("déconseillé")


class Region(models.TextChoices):
    """Where a designation is in use, as the Grand dictionnaire terminologique marks it (TBX's geographicalUsage).

    A designation without one is used everywhere the language is; "international" says so explicitly.
    """

    QUEBEC = "qc", _("Québec")
    FRANCE = "fr", _("France")
    BELGIUM = "be", _("Belgique")
    SWITZERLAND = "ch", _("Suisse")
    INTERNATIONAL = "intl", _("international")


class DesignationKind(models.TextChoices):
    """A shortened designation (TBX's termType): found and listed like any other, pointing to its full term."""

    ABBREVIATION = "abbreviation", _("abréviation")
    INITIALISM = "initialism", _("sigle")
    ACRONYM = "acronym", _("acronyme")


def synonym_details(synonym: dict[str, str]) -> list[str]:
    """What readers are told of a synonym besides its text, in their language: its usage status, then its kind
    (sigle, abréviation…) and region (Québec…) when it has them."""
    details = [status_label(synonym.get("status", ""))]
    for key, choices in (("kind", DesignationKind), ("region", Region)):
        value = synonym.get(key)
        if value:
            details.append(str(choices(value).label) if value in choices.values else value)
    return details


# A synonym's line in a spreadsheet cell (the cell names its language and status): its text, then what it says
# besides, " | kind: acronym | region: qc" (French names read too). A text alone is the line of before.
SYNONYM_LINE_KEYS = {"kind": "kind", "type": "kind", "region": "region", "région": "region"}
_SYNONYM_DETAIL = re.compile(r"^(?P<rest>.*\S)\s+\|\s*(?P<key>[^\s:|]+)\s*:\s*(?P<value>[^|:]*?)\s*$", re.S)


def synonym_line(synonym: Mapping[str, Any]) -> str:
    """A synonym as a line of its cell: `text`, or `text | kind: … | region: …` when it says more."""
    details = [f"{key}: {synonym[key]}" for key in ("kind", "region") if synonym.get(key)]
    return " | ".join([synonym["text"], *details])


def parse_synonym_line(line: str) -> dict[str, str]:
    """The inverse of `synonym_line`: {"text", and "kind", "region" when the line says them}. The values are
    checked where every synonym is (the services); a " | " that names no known detail belongs to the text."""
    found: dict[str, str] = {}
    rest = line.strip()
    while match := _SYNONYM_DETAIL.match(rest):
        key = SYNONYM_LINE_KEYS.get(match["key"].casefold())
        if key is None or key in found:
            break
        found[key] = _detail_value(key, match["value"])
        rest = match["rest"]
    return {"text": rest, **dict(reversed(list(found.items())))}


def _detail_value(key: str, value: str) -> str:
    """A kind or region as a file may name it: its code ('initialism', 'qc'), or its name in either language
    ('sigle', 'Québec'); anything else as it is, for the services to refuse."""
    choices: type[models.TextChoices] = DesignationKind if key == "kind" else Region
    wanted = value.casefold()
    for code, label in choices.choices:
        names = {code}
        for language in LANGUAGES:
            with override(language):
                names.add(str(label).casefold())
        if wanted in names:
            return code
    return value


def status_label(value: str) -> str:
    """The label of a usage status ('preferred' -> 'privilégié'); an unknown value as it is."""
    try:
        return str(UsageStatus(value).label)
    except ValueError:
        return value


def kind_label(value: str) -> str:
    """The label of a designation's kind ('initialism' -> 'sigle'); an unknown value as it is."""
    try:
        return str(DesignationKind(value).label)
    except ValueError:
        return value


def reader_language() -> str:
    """The language the page, feed or file being served is read in: 'fr' or 'en' (French when none is active)."""
    return (get_language() or "fr")[:2]


def unknown_domains_message(slugs: list[str]) -> str:
    """What every edge says of domains that do not exist (a proposal's, an export's, a command's)."""
    return gettext("Domaine inconnu : %(slugs)s") % {"slugs": ", ".join(slug[:60] for slug in slugs[:10])}


# Each language's name in that language, as language switches show it.
LANGUAGE_NAMES = {"fr": "français", "en": "English"}

# Each language's name in the reader's language, as a label beside a status shows it: "NFT (anglais, admis)".
LANGUAGE_LABELS: dict[str, "_StrPromise"] = {"fr": _("français"), "en": _("anglais")}


def language_label(code: str) -> str:
    """A content language's name in the reader's language ('en' -> 'anglais' on French pages), or the code."""
    label = LANGUAGE_LABELS.get(code)
    return str(label) if label is not None else code

# What readers call each content field, on every page (forms, diffs, reviews, conflicts, imports).
FIELD_LABELS: dict[str, "_StrPromise"] = {
    "headword_fr": _("Vedette (français)"), "headword_en": _("Vedette (anglais)"),
    "definition_fr": _("Définition (français)"), "definition_en": _("Définition (anglais)"),
    "examples_fr": _("Exemples d'usage (français)"), "examples_en": _("Exemples d'usage (anglais)"),
    "notes_fr": _("Notes (français)"), "notes_en": _("Notes (anglais)"),
    "category": _("Catégorie grammaticale"), "sources": _("Sources"), "synonyms": _("Synonymes"),
    "synonyms_fr": _("Synonymes (français)"), "synonyms_en": _("Synonymes (anglais)"),
    "domains": _("Domaines"), "related": _("Termes associés"),
    "part_of_speech_fr": _("Partie du discours (français)"), "part_of_speech_en": _("Partie du discours (anglais)"),
    "gender_fr": _("Genre (français)"), "gender_en": _("Genre (anglais)"),
    "region_fr": _("Région d'usage (français)"), "region_en": _("Région d'usage (anglais)"),
}


def field_label(name: str) -> str:
    """A content field's name as readers know it ('definition_fr' -> 'Définition (français)')."""
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name
