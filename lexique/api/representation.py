"""The JSON of a published term and of a publication event, built from plain rows in one place.

Lists, the changes feed, a single term and the terms of an edition all come through here: the
serializers declare the fields (for the schema) and call these functions, so that the fast paths
and the documented shape cannot drift apart. Reading a page is a fixed number of queries that
fetch only the columns the JSON shows; building it is plain dictionaries, no serializer per row.
"""
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Self

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework import ISO_8601, serializers
from rest_framework.request import Request
from rest_framework.settings import api_settings

from lexique.core.content import LANGUAGES
from lexique.core.grammar import GRAMMAR_FIELD_NAMES, grammar_values
from lexique.core.sources import KEYS as SOURCE_KEYS
from lexique.editions.selectors import FrozenTerm
from lexique.models import PublicationEvent, Term

TRANSLATED = ("headword", "definition", "definition_html", "examples", "notes")
# What a term's JSON shows, as columns of the term table.
TERM_COLUMNS = (
    "id", "slug", *(f"{name}_{lang}" for name in TRANSLATED for lang in LANGUAGES), "category", *GRAMMAR_FIELD_NAMES,
    "synonyms", "sources", "current_revision_id", "first_published_at", "updated_at",
)
# Slugs that reverse() writes as they are; any other is reversed in full.
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARK = "slug-placeholder"
_moment = serializers.DateTimeField()  # DRF's own format and time zone, as the declared fields use

# A term's domain as (slug, name_fr, name_en), a related term as (slug, headword_fr, headword_en).
DomainRow = tuple[str, str | None, str | None]
RelatedRow = tuple[str, str | None, str | None]
# {term id: (its row of TERM_COLUMNS and version, its domains, its published related terms)}
TermRows = dict[int, tuple[dict[str, Any], list[DomainRow], list[RelatedRow]]]


@dataclass
class Output:
    """What the JSON of one request depends on: its languages, its absolute addresses (reversed once,
    completed per slug) and the time zone its moments are written in."""

    request: Request | HttpRequest
    languages: tuple[str, ...] = LANGUAGES
    _templates: dict[tuple[str, str | None], list[str]] = field(default_factory=dict)
    _zone: tzinfo | None = None

    def moment(self, value: datetime | None) -> str | None:
        """A moment as DRF's DateTimeField writes it (ISO 8601 in the current time zone, UTC as "Z")."""
        if value is None:
            return None
        if self._zone is None:
            self._zone = timezone.get_current_timezone()
        if not settings.USE_TZ or timezone.is_naive(value) or api_settings.DATETIME_FORMAT != ISO_8601:
            return _moment.to_representation(value)
        text = value.astimezone(self._zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    @classmethod
    def for_context(cls, context: Mapping[str, Any]) -> Self:
        return cls(context["request"], tuple(context.get("languages", LANGUAGES)))

    def _address(self, name: str, slug: str, lang: str | None = None) -> str:
        if not _PLAIN_SLUG.fullmatch(slug):
            return self._reverse(name, slug, lang)
        key = (name, lang)
        template = self._templates.get(key)
        if template is None:
            template = self._templates[key] = self._reverse(name, _MARK, lang).split(_MARK)
        return slug.join(template)

    def _reverse(self, name: str, slug: str, lang: str | None) -> str:
        if lang is None:
            return self.request.build_absolute_uri(reverse(name, kwargs={"slug": slug}))
        with translation.override(lang):
            return self.request.build_absolute_uri(reverse(name, kwargs={"slug": slug}))

    def term(self, slug: str) -> str:
        return self._address("api:term-detail", slug)

    def domain(self, slug: str) -> str:
        return self._address("api:domain-detail", slug)

    def web(self, slug: str, lang: str) -> str:
        return self._address("lexique:term", slug, lang)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _sources(sources: list[dict[str, Any]] | None) -> list[dict[str, str | None]] | None:
    if sources is None:
        return None
    # A key missing from a stored source is left out, as DRF leaves out a read-only field it cannot read.
    return [{key: _text(source[key]) for key in SOURCE_KEYS if key in source} for source in sources]


def term_representation(
    row: Mapping[str, Any], domains: Iterable[DomainRow], related: Iterable[RelatedRow], output: Output
) -> dict[str, Any]:
    """The JSON of a term from `row` (TERM_COLUMNS and `version`), its domains as (slug, name_fr, name_en)
    and its published related terms as (slug, headword_fr, headword_en), in their order."""
    languages = output.languages
    slug = row["slug"]

    def translated(name: str) -> dict[str, str]:
        return {lang: row[f"{name}_{lang}"] or "" for lang in languages}

    return {
        "slug": _text(slug),
        "url": output.term(slug),
        "web_url": {lang: output.web(slug, lang) for lang in languages},
        "headword": translated("headword"),
        "definition": translated("definition"),
        "definition_html": translated("definition_html"),
        "examples": translated("examples"),
        "notes": translated("notes"),
        "category": _text(row["category"]),
        "grammar": {lang: grammar_values(row, lang) for lang in languages},
        "synonyms": [synonym for synonym in row["synonyms"] or [] if synonym.get("lang", "fr") in languages],
        "sources": _sources(row["sources"]),
        "domains": [
            {"slug": domain_slug, "name": _pick(languages, name_fr, name_en), "url": output.domain(domain_slug)}
            for domain_slug, name_fr, name_en in domains
        ],
        "related": [
            {"slug": term_slug, "headword": _pick(languages, headword_fr, headword_en), "url": output.term(term_slug)}
            for term_slug, headword_fr, headword_en in related
        ],
        "revision": row["current_revision_id"],
        "version": row["version"],
        "first_published_at": output.moment(row["first_published_at"]),
        "updated_at": output.moment(row["updated_at"]),
    }


def _pick(languages: Iterable[str], text_fr: str | None, text_en: str | None) -> dict[str, str]:
    texts = {"fr": text_fr, "en": text_en}
    return {lang: texts[lang] or "" for lang in languages}


def instance_representation(term: Term | FrozenTerm, output: Output) -> dict[str, Any]:
    """The JSON of a term object (a Term, or an edition's FrozenTerm) through the same function."""
    row = {name: getattr(term, name) for name in TERM_COLUMNS if name != "id"}
    version = getattr(term, "published_version", None)
    if version is None:
        version = getattr(getattr(term, "current_revision", None), "version", None)
    row["version"] = version
    domains = term.domains.all() if hasattr(term.domains, "all") else term.domains
    related = term.related.all() if hasattr(term.related, "all") else term.related
    return term_representation(
        row,
        [(domain.slug, domain.name_fr, domain.name_en) for domain in domains],
        [(other.slug, other.headword_fr, other.headword_en) for other in related],
        output,
    )


def term_rows(ids: Iterable[int]) -> TermRows:
    """{id: (row, domains, related)} of the published terms among `ids`: three queries, whatever their number."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = Term.objects.published().filter(pk__in=wanted).order_by().values(
        *TERM_COLUMNS, version=F("current_revision__version")
    )
    found: TermRows = {row["id"]: (row, [], []) for row in rows}
    if not found:
        return {}
    output = Term.domains.through.objects.filter(term_id__in=list(found)).order_by(
        "term_id", "domain__position", "domain__slug"
    ).values_list("term_id", "domain__slug", "domain__name_fr", "domain__name_en")
    for term_id, slug, name_fr, name_en in output:
        found[term_id][1].append((slug, name_fr, name_en))
    pairs = Term.related.through.objects.filter(
        from_term_id__in=list(found), to_term__status=Term.Status.PUBLISHED
    ).order_by("from_term_id", "to_term__sort_key", "to_term__slug").values_list(
        "from_term_id", "to_term__slug", "to_term__headword_fr", "to_term__headword_en"
    )
    for term_id, slug, headword_fr, headword_en in pairs:
        found[term_id][2].append((slug, headword_fr, headword_en))
    return found


def term_representations(ids: Collection[int], output: Output) -> list[dict[str, Any]]:
    """The JSON of the published terms `ids`, in that order (a term retired meanwhile is left out)."""
    found = term_rows(ids)
    return [term_representation(*found[pk], output) for pk in ids if pk in found]


def event_row(event: PublicationEvent) -> dict[str, Any]:
    """A PublicationEvent object as the row `change_representation` reads."""
    return {
        "sequence": event.sequence, "kind": event.kind, "term__slug": event.term.slug,
        "revision_id": event.revision_id, "version": getattr(event, "version", None), "created_at": event.created_at,
    }


def change_representation(
    event: Mapping[str, Any], term: dict[str, Any] | None, output: Output
) -> dict[str, Any]:
    """The JSON of a publication event (a row of selectors.publication_events, or `event_row`); `term` is
    the JSON of the term as published now, None once it has been retired."""
    return {
        "sequence": event["sequence"],
        "kind": event["kind"],
        "slug": _text(event["term__slug"]),
        "revision": event["revision_id"],
        "version": event["version"],
        "occurred_at": output.moment(event["created_at"]),
        "term": None if event["kind"] == PublicationEvent.Kind.RETIRED else term,
    }


def change_representations(events: Collection[Mapping[str, Any]], output: Output) -> list[dict[str, Any]]:
    """The JSON of publication event rows, each with its term as published now: a fixed number of queries."""
    found = term_rows({event["term_id"] for event in events if event["kind"] != PublicationEvent.Kind.RETIRED})
    terms = {pk: term_representation(*found[pk], output) for pk in found}
    return [change_representation(event, terms.get(event["term_id"]), output) for event in events]
