"""Validation of the content a contributor proposes, before anything is written."""
from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from lexique.core.content import (
    HEADWORD_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    DesignationKind,
    Region,
    UsageStatus,
    unknown_domains_message,
)
from lexique.core.grammar import GRAMMAR_CHOICES, GRAMMAR_FIELD_NAMES, category_as_values
from lexique.core.inputs import clean_text
from lexique.core.sources import clean_source
from lexique.models import Term
from lexique.selectors import unknown_domains
from lexique.services.errors import UnknownReferenceError
from lexique.services.names import clean_headword

TEXT_FIELDS = {
    "headword_fr": HEADWORD_MAX_LENGTH,
    "headword_en": HEADWORD_MAX_LENGTH,
    "definition_fr": 5000,
    "definition_en": 5000,
    "examples_fr": 3000,
    "examples_en": 3000,
    "notes_fr": 3000,
    "notes_en": 3000,
    "category": 30,
}
LIST_FIELDS = ("sources", "synonyms", "domains", "related")
ALLOWED_KEYS = set(TEXT_FIELDS) | set(LIST_FIELDS) | set(GRAMMAR_FIELD_NAMES)
MAX_LIST_ITEMS = 30
# Fields that are one line of text: no line breaks or other control characters.
ONE_LINE_FIELDS = ("headword_fr", "headword_en", "category")
# Names a reader tells terms apart by: the rules of lexique.core.names apply (NFC, nothing hidden, no lookalike).
NAME_FIELDS = ("headword_fr", "headword_en")


def _summary_too_long() -> str:
    return _("Un résumé tient en %(count)d caractères au plus.") % {"count": SUMMARY_MAX_LENGTH}


# The one message for a summary too long, wherever it is typed (the API's serializers show it too).
SUMMARY_TOO_LONG = lazy(_summary_too_long, str)()


def clean_summary(summary: str, *, field: str = "summary") -> str:
    """A revision's summary, stripped; a ValidationError on `field` when it is longer than the limit.

    It is refused rather than cut, so that what its author wrote is never silently lost.
    """
    summary = (summary or "").strip()
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise ValidationError({field: [str(SUMMARY_TOO_LONG)]})
    return summary


def definition_missing(content: Any) -> bool:
    """Whether a term's content lacks its French definition: an equivalence-only entry (headwords, synonyms)."""
    return not str(content.get("definition_fr") or "").strip()


def publishes_without_definition() -> bool:
    """The lexicon's policy for entries without a definition (LEXIQUE_MISSING_DEFINITION): "publish" lets a
    moderator publish them as equivalence-only entries; "complete" (the default) keeps them as proposals until
    someone writes their definition."""
    return getattr(settings, "LEXIQUE_MISSING_DEFINITION", "complete") == "publish"


class KnownNames(Protocol):
    """What the checks of a content ask of the lexicon: which domains exist, which terms are published. The
    database answers by default; a batch of proposals answers from what it has read and is about to write
    (`services.workflow.ProposalBatch`), so that each proposal is checked as if those before it were written."""

    def domains(self, slugs: Iterable[str]) -> set[str]: ...

    def published(self, slugs: Iterable[str]) -> set[str]: ...


class _Database:
    def domains(self, slugs: Iterable[str]) -> set[str]:
        slugs = list(slugs)
        return set(slugs) - set(unknown_domains(slugs))

    def published(self, slugs: Iterable[str]) -> set[str]:
        slugs = list(slugs)
        return set(Term.objects.published().filter(slug__in=slugs).values_list("slug", flat=True)) if slugs else set()


DATABASE: KnownNames = _Database()


def clean_content(data: Any, *, term: Term | None = None, definition_required: bool = True,
                  known: KnownNames = DATABASE) -> dict[str, Any]:
    """Return the content normalised (stripped text, known keys only), or raise ValidationError.

    Errors are collected per field so that forms and the API can show them all at once. Only an import may
    propose an entry without a definition (`definition_required=False`): see `definition_missing`. `known` says
    which domains and published terms exist (the database's, unless a batch of proposals knows better).
    """
    if not isinstance(data, dict):
        raise ValidationError(_("Le contenu doit être un objet."))
    errors = {}
    unknown = sorted(set(data) - ALLOWED_KEYS)
    if unknown:
        errors["__all__"] = [_("Champs inconnus : %(fields)s.") % {"fields": ", ".join(unknown)}]

    content: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        value = data.get(name) or ""
        if not isinstance(value, str):
            errors[name] = [_("Ce champ doit être du texte.")]
            continue
        try:
            # Longer texts keep their tabs and line breaks; nothing that some format cannot write.
            value = clean_text(value, one_line=name in ONE_LINE_FIELDS)
        except ValidationError as error:
            errors[name] = error.messages
            continue
        if name in NAME_FIELDS:
            try:
                value = clean_headword(value, term=term)
            except ValidationError as error:
                errors[name] = error.messages
                continue
        if len(value) > limit:
            errors[name] = [
                _("%(count)d caractères au plus (il y en a %(actual)d).") % {"count": limit, "actual": len(value)}
            ]
        content[name] = value
    for name in ("headword_fr", "definition_fr") if definition_required else ("headword_fr",):
        if name not in errors and not content.get(name):
            errors[name] = [_("Ce champ est obligatoire.")]
    for name in GRAMMAR_FIELD_NAMES:
        try:
            content[name] = clean_grammar_value(name, data.get(name))
        except ValidationError as error:
            errors[name] = error.messages
    category_as_values(content)

    unknown_reference = False
    for name, check in (("sources", _clean_sources), ("synonyms", _clean_synonyms),
                        ("domains", _clean_domains), ("related", _clean_related)):
        value = data.get(name) or []
        if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
            errors[name] = [_("Une liste d'au plus %(count)d éléments est attendue.") % {"count": MAX_LIST_ITEMS}]
            continue
        try:
            content[name] = check(value, term=term, known=known)
        except ValidationError as error:
            errors[name] = error.messages
            unknown_reference = unknown_reference or isinstance(error, UnknownReferenceError)

    if errors:
        # Every error is given at once; naming what does not exist makes the whole an unknown reference.
        raise (UnknownReferenceError if unknown_reference else ValidationError)(errors)
    return content


def _grammar_messages() -> dict[str, str]:
    return {"part_of_speech": _("Partie du discours inconnue : %(value)s"), "gender": _("Genre inconnu : %(value)s"),
            "region": _("Région d'usage inconnue : %(value)s")}


def clean_grammar_value(name: str, value: Any) -> str:
    """A headword's part of speech, gender or region in one language (`part_of_speech_fr`…): one of its
    controlled values (lexique.core.grammar), or ''; a ValidationError names any other."""
    value = "" if value is None else value
    field = name.rsplit("_", 1)[0]
    if not isinstance(value, str) or (value and value not in GRAMMAR_CHOICES[field].values):
        raise ValidationError(_grammar_messages()[field] % {"value": str(value)[:30]})
    return value


def _clean_sources(items: list[Any], *, term: Term | None, known: KnownNames) -> list[dict[str, str]]:
    """Each source by the one rule of lexique.core.sources (its address normalised, or refused)."""
    sources = []
    for number, item in enumerate(items, start=1):
        try:
            sources.append(clean_source(item))
        except ValidationError as error:
            raise ValidationError([_("Source %(number)d : %(message)s") % {"number": number, "message": message}
                                   for message in error.messages]) from None
    return sources


def _clean_synonyms(items: list[Any], *, term: Term | None, known: KnownNames) -> list[dict[str, str]]:
    statuses = set(UsageStatus.values)
    synonyms = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            raise ValidationError(_("Chaque synonyme a un texte."))
        text = clean_headword(clean_text(item["text"], one_line=True), term=term)
        lang = item.get("lang", "fr")
        status = item.get("status", UsageStatus.ADMITTED)
        if len(text) > HEADWORD_MAX_LENGTH:
            raise ValidationError(
                _("Synonyme trop long : %(count)d caractères au plus.") % {"count": HEADWORD_MAX_LENGTH}
            )
        if lang not in ("fr", "en"):
            raise ValidationError(_("Langue de synonyme inconnue : %(lang)s") % {"lang": str(lang)[:10]})
        if status not in statuses:
            raise ValidationError(_("Statut d'usage inconnu : %(status)s") % {"status": str(status)[:30]})
        synonym = {"text": text, "lang": lang, "status": status}
        # A region and a kind only when given: synonyms written before they existed keep their exact shape.
        for key, choices, message in (
            ("region", Region.values, _("Région d'usage inconnue : %(value)s")),
            ("kind", DesignationKind.values, _("Type de désignation inconnu : %(value)s")),
        ):
            value = item.get(key) or ""
            if value and value not in choices:
                raise ValidationError(message % {"value": str(value)[:30]})
            if value:
                synonym[key] = value
        synonyms.append(synonym)
    # The preferred forms come first, as in the Grand dictionnaire terminologique.
    order: dict[str, int] = {UsageStatus.PREFERRED: 0, UsageStatus.ADMITTED: 1, UsageStatus.NOT_RECOMMENDED: 2}
    return sorted(synonyms, key=lambda s: order[s["status"]])


def _clean_domains(items: list[Any], *, term: Term | None, known: KnownNames) -> list[str]:
    slugs = _unique_strings(items)
    found = known.domains(slugs) if slugs else set()
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise UnknownReferenceError(unknown_domains_message(unknown))
    return slugs


def _clean_related(items: list[Any], *, term: Term | None, known: KnownNames) -> list[str]:
    slugs = _unique_strings(items)
    if term is not None and term.slug in slugs:
        raise ValidationError(_("Un terme ne peut pas être associé à lui-même."))
    published = known.published(slugs) if slugs else set()
    unknown = [slug for slug in slugs if slug not in published]
    if unknown:
        raise UnknownReferenceError(_("Terme associé inconnu : %(slugs)s") % {"slugs": ", ".join(unknown)})
    return slugs


def _unique_strings(items: list[Any]) -> list[str]:
    if not all(isinstance(item, str) for item in items):
        raise ValidationError(_("Une liste d'identifiants est attendue."))
    return list(dict.fromkeys(item.strip() for item in items if item.strip()))
