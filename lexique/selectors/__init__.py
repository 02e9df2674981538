"""Reads that are more than one queryset call: browsing, counts, history, queues, logs, review rows, discussion."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.html import escape, format_html, format_html_join

from lexique.core.content import (
    LANGUAGES,
    MARKDOWN_FIELDS,
    TRANSLATED_FIELDS,
    field_label,
    language_label,
    reader_language,
    synonym_details,
)
from lexique.core.diff import HasContent
from lexique.core.grammar import GRAMMAR_FIELD_NAMES, grammar_value_label
from lexique.core.sources import DEFINITION_LABELS, citation_html, citation_text
from lexique.core.text import render_markdown
from lexique.models import (
    Abbreviation,
    Comment,
    ContributorPreferences,
    Domain,
    DomainListing,
    ErrorReport,
    ModerationLogEntry,
    PublicationEvent,
    Revision,
    Term,
    TermFollow,
)
from lexique.models.discussion import CommentQuerySet
from lexique.publishing import figures
from lexique.publishing.caching import for_version
from lexique.publishing.changes import ChangesFilters, publication_log


def is_stale(revision: Revision, *, term: Term | None = None) -> bool:
    """A proposal is stale when the published version is no longer the one its author started from.

    Approving it would undo what was published since, so moderators must see the difference first.
    `term` is the revision's term when the caller holds it (locked, in a service).
    """
    term = term if term is not None else revision.term
    return revision.base_revision_id != term.current_revision_id


def public_name(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """The name under which a person's contributions are shown: full name if given, else username."""
    if user is None:
        return ""
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user.get_username())


def shows_contributions(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Whether `user` agreed to a public page of their contributions (off until they turn it on).

    Reads the preferences the user was loaded with (`select_related("…__contributor_preferences")`), so that
    a list of authors costs no query per row.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    try:
        preferences = user.contributor_preferences  # type: ignore[union-attr,attr-defined]  # the reverse one-to-one
    except ContributorPreferences.DoesNotExist:
        return False
    return bool(preferences.public_contributions)


def public_contributor(name: str) -> User | None:
    """The active account named `name` that agreed to show its contributions publicly, else None."""
    return (get_user_model().objects.filter(username=name, is_active=True,
                                            contributor_preferences__public_contributions=True)
            .select_related("contributor_preferences").first())


def public_contributions(user: User) -> QuerySet[Revision]:
    """The versions `user` wrote that moderators approved, of terms still published, newest first."""
    return (Revision.objects.approved().filter(author=user, term__status=Term.Status.PUBLISHED)
            .exclude(reverted_from__isnull=False).select_related("term").order_by("-reviewed_at", "-pk"))


def published_related(lookup: str = "related", *, to_attr: str | None = None) -> Prefetch:
    """Related terms that are still published, headword order, with just what a link to them needs."""
    return Prefetch(
        lookup,
        queryset=Term.objects.published().only("id", "slug", "headword_fr", "headword_en").order_by("sort_key"),
        to_attr=to_attr,
    )


def published_related_pairs() -> QuerySet[Any]:
    """(from id, to id) of every link between two published terms: a retired term is nobody's related term."""
    return Term.related.through.objects.filter(
        from_term__status=Term.Status.PUBLISHED, to_term__status=Term.Status.PUBLISHED
    ).values_list("from_term_id", "to_term_id")


def domain_rows() -> list[dict[str, Any]]:
    """Every domain in the site's order, as exports read it and editions freeze it: names and descriptions."""
    fields = ("id", "slug", "name_fr", "name_en", "description_fr", "description_en")
    return [{name: row[name] if name == "id" else row[name] or "" for name in fields}
            for row in Domain.objects.order_by("position", "slug").values(*fields)]


def unknown_domains(slugs: Iterable[str]) -> list[str]:
    """Those of `slugs` that name no domain, in their order."""
    slugs = list(slugs)
    known = set(Domain.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return [slug for slug in slugs if slug not in known]


def domains_with_counts() -> QuerySet[Domain]:
    """Every domain with `published_count`, the number of its published terms."""
    return Domain.objects.annotate(
        published_count=Count("terms", filter=Q(terms__status=Term.Status.PUBLISHED), distinct=True)
    )


class _PublishedCount(TypedDict):
    published_count: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    DomainWithCount = WithAnnotations[Domain, _PublishedCount]


def domains_with_published_counts() -> list[DomainWithCount]:
    """Every domain, in its order, with `published_count`: the counts computed once per version of the
    published set, not on every page."""

    counts = for_version("domain-counts", lambda: {
        int(name): total for name, total in figures.figures(figures.DOMAIN).items()})
    # Each domain gets its count just below.
    domains = cast("list[DomainWithCount]", list(Domain.objects.all()))
    for domain in domains:
        domain.published_count = counts.get(domain.pk, 0)
    return domains


def domain_listing(domain: Domain, *, lang: str = "fr") -> QuerySet[DomainListing]:
    """A domain's published terms in page order (`term_id` names each), read from one index."""
    order = "sort_key_english" if lang == "en" else "sort_key"
    return DomainListing.objects.filter(domain_id=domain.pk, published=True).order_by(order, "slug")


def published_count() -> int:
    """How many terms are published (a figure the database keeps, read once per version)."""

    return for_version("published-count", lambda: figures.figures(figures.ALL).get("", 0))


def letters_with_counts(*, lang: str = "fr") -> list[tuple[str, int]]:
    """[(letter, count)] for A–Z and '#', by the headwords of `lang` (English pages file by English headword).

    Figures the database keeps (publishing/figures.py), read once per version: browsing never counts.
    Abbreviations, acronyms and initialisms in that language count under their own letter too (IA under I).
    """
    terms = dict(terms_per_letter(lang=lang))
    abbreviations = for_version(f"letter-counts.{figures.ABBREVIATIONS}",
                                lambda: figures.figures(figures.ABBREVIATIONS))
    return [(letter, count + abbreviations.get(f"{lang}:{letter}", 0)) for letter, count in terms.items()]


def terms_per_letter(*, lang: str = "fr") -> list[tuple[str, int]]:
    """[(letter, count)] of the terms alone (what a letter's pages of terms go through)."""
    kind = figures.INITIAL_ENGLISH if lang == "en" else figures.INITIAL
    counts = for_version(f"letter-counts.{kind}", lambda: figures.figures(kind))
    alphabet = [chr(code) for code in range(ord("A"), ord("Z") + 1)] + ["#"]
    return [(letter, counts.get(letter, 0)) for letter in alphabet]


def terms_starting_with(letter: str, *, lang: str = "fr") -> QuerySet[Term]:
    return Term.objects.published().starting_with(letter, lang=lang)


# A letter's abbreviations are listed on its first page, at most this many (a range of one index).
ABBREVIATIONS_PER_LETTER = 500


def abbreviations_starting_with(letter: str, *, lang: str = "fr") -> list[tuple[Abbreviation, Term]]:
    """(abbreviation, its term) of the abbreviations, acronyms and initialisms of `lang` filed under `letter`, in
    alphabetical order: "IA → intelligence artificielle" under I."""
    rows = list(Abbreviation.objects.filter(lang=lang, initial=letter.upper()).order_by("key", "term_id")[
        :ABBREVIATIONS_PER_LETTER])
    terms = Term.objects.published().in_bulk({row.term_id for row in rows})
    return [(row, terms[row.term_id]) for row in rows if row.term_id in terms]


def pending_proposals_for(term: Term) -> QuerySet[Revision]:
    """Proposals for a term that wait for a moderator, oldest first."""
    return Revision.objects.pending().filter(term=term).select_related("author__contributor_preferences").order_by(
        "created_at", "id")


def term_history(term: Term) -> QuerySet[Revision]:
    """Every approved revision of a term, newest first, with its author and reviewer."""
    return Revision.objects.approved().filter(term=term).select_related(
        "author__contributor_preferences", "reviewer", "reverted_from").order_by(
        "-version"
    )


def pending_queue(*, domain: str | None = None, kind: str | None = None) -> list[Revision]:
    """Pending proposals, oldest first; kind 'new' or 'edit', domain as proposed (a list)."""
    queue = Revision.objects.pending().select_related("term", "author", "base_revision").order_by("created_at", "id")
    if kind == "new":
        queue = queue.filter(base_revision__isnull=True)
    elif kind == "edit":
        queue = queue.filter(base_revision__isnull=False)
    # The domains a proposal names live in its JSON snapshot, which SQLite cannot query: filter here.
    return [revision for revision in queue if not domain or domain in revision.domain_slugs]


def proposals_of(user: User) -> QuerySet[Revision]:
    """A contributor's proposals, newest first, with the moderators' answers.

    A round replaced by a later one (edited, resubmitted, brought up to date, merged) is not listed: its
    proposal is, once, as its latest round, whose page shows the earlier ones.
    """
    return Revision.objects.filter(author=user).exclude(reverted_from__isnull=False).exclude(
        state=Revision.State.SUPERSEDED).select_related(
        "term", "term__current_revision", "base_revision", "reviewer"
    ).order_by("-created_at", "-id")


def earlier_rounds(revision: Revision) -> list[Revision]:
    """The earlier rounds a resubmitted proposal replaces, newest first, each with its moderator's comment."""
    rounds = []
    seen = {revision.pk}
    current = revision
    while current.replaces_id and current.replaces_id not in seen:
        current = Revision.objects.select_related("reviewer", "author").get(pk=current.replaces_id)
        seen.add(current.pk)
        rounds.append(current)
    return rounds


def moderation_log(limit: int = 200) -> QuerySet[ModerationLogEntry]:
    return ModerationLogEntry.objects.select_related("actor", "term", "revision")[:limit]


def labelled_content(revision: HasContent | None, *, names: ContentNames | None = None) -> dict[str, Any]:
    """A revision's content with what readers call things: domain names, related headwords, status labels.

    For diffs and reviews, which would otherwise show codes and slugs. `names` answers for the database (a batch
    of proposals, which knows the terms it is about to write).
    """
    if revision is None:
        return {}
    data = revision.content()
    names = names or _DATABASE_NAMES
    domains = names.domain_names(data["domains"])
    data["domains"] = [domains.get(slug, slug) for slug in data["domains"]]
    for name in GRAMMAR_FIELD_NAMES:
        data[name] = grammar_value_label(name, data.get(name) or "")
    headwords = names.headwords(data["related"])
    data["related"] = [headwords.get(slug, slug) for slug in data["related"]]
    data["synonyms"] = [
        f"{item['text']} ({', '.join([language_label(item.get('lang', '')), *synonym_details(item)])})"
        for item in data["synonyms"]
    ]
    data["sources"] = [source_label(item) for item in data["sources"]]
    return data


class ContentNames(Protocol):
    """What a content's codes are called: domains by slug (in the language being served), terms by slug (their
    French headword, whatever their state)."""

    def domain_names(self, slugs: Iterable[str]) -> dict[str, str]: ...

    def headwords(self, slugs: Iterable[str]) -> dict[str, str]: ...


class _DatabaseNames:
    def domain_names(self, slugs: Iterable[str]) -> dict[str, str]:
        return dict(Domain.objects.filter(slug__in=list(slugs)).values_list("slug", "name"))

    def headwords(self, slugs: Iterable[str]) -> dict[str, str]:
        return dict(Term.objects.filter(slug__in=list(slugs)).values_list("slug", "headword_fr"))


_DATABASE_NAMES: ContentNames = _DatabaseNames()


def review_rows(current: HasContent | None, proposal: HasContent) -> list[dict[str, Any]]:
    """Every content field of two revisions side by side, Markdown rendered, in both languages.

    [{"name", "label", "lang", "before", "after", "changed"}]: `before` and `after` are safe HTML.
    """
    before, after = labelled_content(current), labelled_content(proposal)
    rows = []
    for name, label, lang, markdown in _review_fields():
        old, new = before.get(name), after.get(name)
        rows.append({
            "name": name, "label": label, "lang": lang,
            "before": _field_html(current, name, old, markdown) if current is not None else None,
            "after": _field_html(proposal, name, new, markdown),
            "changed": current is not None and (old or "") != (new or ""),
        })
    return rows


def _field_html(revision: HasContent, name: str, labelled: Any, markdown: bool) -> str:
    """One field as a reader sees it: sources as links (their text, "title <url>", is for diffs)."""
    if name == "sources":
        return _sources_html(revision.content()["sources"])
    return _as_html(labelled, markdown)


def source_label(source: dict[str, Any]) -> str:
    """A source as a diff shows it: its citation, its address, and the definition it supports."""
    lang = reader_language()
    text = citation_text(source, lang)
    if source.get("url"):
        text += f" <{source['url']}>"
    if source.get("definition") in DEFINITION_LABELS:
        text += f" ({DEFINITION_LABELS[source['definition']][lang]})"
    return text


def _sources_html(sources: list[dict[str, str]]) -> str:
    """Each source cited (lexique.core.sources), linked to its address when it is http(s)."""
    if not sources:
        return ""
    lang = reader_language()
    items = []
    for source in sources:
        items.append(format_html("<li>{}</li>", citation_html(source, lang, rel="nofollow", with_definition=True)))
    return "<ul>" + "".join(items) + "</ul>"


def _review_fields() -> list[tuple[str, str, str, bool]]:
    fields = []
    for lang in LANGUAGES:
        fields += [(f"{name}_{lang}", field_label(f"{name}_{lang}"), lang, name in MARKDOWN_FIELDS)
                   for name in TRANSLATED_FIELDS]
    fields += [(name, field_label(name), "", False) for name in GRAMMAR_FIELD_NAMES]
    fields += [("category", field_label("category"), "fr", False)]
    fields += [(name, field_label(name), "", False) for name in ("synonyms", "domains", "related", "sources")]
    return fields


def _as_html(value: Any, markdown: bool) -> str:
    if isinstance(value, list):
        if not value:
            return ""
        return "<ul>" + format_html_join("", "<li>{}</li>", ((item,) for item in value)) + "</ul>"
    if markdown:
        return render_markdown(value or "")
    return str(escape(value or ""))


def term_version(term: Term, version: int) -> Revision | None:
    """The approved revision that people cite as `version` of `term` (1, 2, 3 …)."""
    return Revision.objects.approved().filter(term=term, version=version).select_related("author", "reviewer").first()


@dataclass(frozen=True)
class VersionReferences:
    """What one version of a term pointed to: its domains and related terms, in the order it gave them.

    A related term that is no longer published is named without a link (`term` None).
    """

    domains: list[Domain]
    related: list[tuple[str, Term | None]]


def version_references(revision: Revision) -> VersionReferences:
    """The domains and related terms of a version, as its page shows them."""
    domains = Domain.objects.in_bulk(revision.domain_slugs, field_name="slug")
    terms = Term.objects.filter(slug__in=revision.related_slugs).only(
        "id", "slug", "status", "headword_fr", "headword_en").in_bulk(field_name="slug")
    related: list[tuple[str, Term | None]] = []
    for slug in revision.related_slugs:
        term = terms.get(slug)
        related.append((term.headword if term else slug, term if term and term.is_public else None))
    return VersionReferences(
        domains=[domains[slug] for slug in revision.domain_slugs if slug in domains], related=related)


@dataclass(frozen=True)
class Retirement:
    """What a retired term's address says: when and why it was retired, its last version, where to go."""

    term: Term
    retired_at: datetime | None
    reason: str
    last_version: Revision | None
    related: list[Term]


def term_retirement(slug: str) -> Retirement | None:
    """The retirement of the term at `slug`, or None when no retired term has it.

    The one read behind the retired term's page, its API address and its RDF: the last published
    version stays citable, and the related terms still published are where a reader goes next.
    """
    term = Term.objects.filter(slug=slug, status=Term.Status.RETIRED).select_related("current_revision").first()
    if term is None:
        return None
    entry = term.log_entries.filter(action=ModerationLogEntry.Action.RETIRED).order_by("-created_at", "-id").first()
    last = term.current_revision or Revision.objects.approved().filter(term=term).order_by("-version").first()
    related = list(term.related.model.objects.published().filter(pk__in=term.related.values("pk"))
                   .only("id", "slug", "headword_fr", "headword_en").order_by("sort_key"))
    return Retirement(term=term, retired_at=term.retired_at or (entry.created_at if entry else None),
                      reason=entry.comment if entry else "", last_version=last, related=related)


def proposal_thread(revision: Revision) -> list[dict[str, Any]]:
    """A proposal's discussion across its rounds, oldest first: comments and the moderators' decisions.

    [{"kind": "comment" | "decision", "at", "author", "comment" | "revision"}]
    """
    chain = [revision, *earlier_rounds(revision)]
    entries: list[dict[str, Any]] = [
        {"kind": "comment", "at": comment.created_at, "author": comment.author, "comment": comment}
        for comment in Comment.objects.filter(proposal__in=[item.pk for item in chain]).select_related(
            "author", "hidden_by"
        )
    ]
    entries += [
        {"kind": "decision", "at": item.reviewed_at, "author": item.reviewer, "revision": item}
        for item in chain
        if item.reviewed_at and item.review_comment
    ]
    return sorted(entries, key=lambda entry: entry["at"])


def term_discussion(term: Term) -> CommentQuerySet:
    """A term's own discussion (not its proposals'), oldest first."""
    return Comment.objects.filter(term=term, proposal__isnull=True).select_related("author", "hidden_by")


def discussion_size(slug: str) -> int:
    """How many visible messages the discussion of the term at `slug` holds (one count on the comments' index)."""
    return Comment.objects.filter(term__slug=slug, proposal__isnull=True, hidden_at__isnull=True).count()


RECENT_CHANGES_PAGE_SIZE = 50


def recent_changes(*, kind: str = "", domain: str = "", before: int | None = None,
                   limit: int = RECENT_CHANGES_PAGE_SIZE) -> list[PublicationEvent]:
    """The latest publications (new terms, new versions, retirements), newest first, from the publication log.

    `kind` and `domain` narrow them; `before` is the sequence to read on from (a page ends where the next
    begins, whatever is published meanwhile). One more than `limit` is read, to say whether there are more.
    """
    return publication_log(ChangesFilters(kind=kind, domain=domain), before=before, limit=limit + 1)


def followed_terms(user: User) -> QuerySet[Term]:
    """The published terms `user` follows, in headword order, with their published version."""
    return Term.objects.published().filter(followers__user=user).select_related("current_revision").order_by(
        "sort_key", "id")


def is_following(user: Any, term: Term) -> bool:
    return bool(user.is_authenticated and TermFollow.objects.filter(user=user, term=term).exists())


def queue_by_term(queue: list[Revision]) -> list[dict[str, Any]]:
    """Pending proposals grouped by term (a group in the order of its oldest proposal), each marked stale or not.

    Several proposals on one term are read together: approving one makes the others stale.
    """
    groups: dict[int, dict[str, Any]] = {}
    for revision in queue:
        revision.stale = is_stale(revision)  # type: ignore[attr-defined]  # for the queue page only
        groups.setdefault(revision.term_id, {"term": revision.term, "proposals": []})["proposals"].append(revision)
    return list(groups.values())


def error_reports(*, handled: bool = False, limit: int = 200) -> list[ErrorReport]:
    """Errors visitors reported: the open ones oldest first (the queue), or the latest handled ones."""
    reports = ErrorReport.objects.select_related("term", "handled_by")
    if handled:
        return list(reports.exclude(handled_at=None).order_by("-handled_at", "-pk")[:limit])
    return list(reports.open().order_by("created_at", "pk")[:limit])


def open_error_report_count() -> int:
    return ErrorReport.objects.open().count()
