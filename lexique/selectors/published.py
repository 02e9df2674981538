"""Reads behind the API: the published terms with what their representation needs, and the changes feed."""
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.db.models import F, QuerySet

from lexique.models import PublicationEvent, Revision, Term
from lexique.models.term import TermQuerySet
from lexique.selectors import published_related


def published_terms() -> TermQuerySet:
    """Published terms with their domains and related terms fetched in a fixed number of queries."""
    return Term.objects.published().prefetch_related("domains", published_related()).annotate(
        published_version=F("current_revision__version")
    )


def term_keys(terms: QuerySet[Term]) -> QuerySet[Term, Any]:
    """(pk, sort_key, slug) of `terms`: what a page of the list needs to find its terms and its next cursor,
    read from the browsing index alone."""
    return terms.values_list("pk", "sort_key", "slug", named=True)


def publication_events(*, after: int, limit: int, before: datetime | None = None) -> list[Mapping[str, Any]]:
    """Up to `limit` + 1 events after sequence `after`, in sequence order, as rows of what their JSON
    shows; with `before`, only those recorded before that moment (the end of a time window).

    Sequences are handed out in commit order under a lock, so the events visible at any moment
    are a gap-free prefix of the log: reading "after N" never skips one that commits later.
    Their times are taken under the same lock, so they grow with the sequence, and the events before
    a moment are a prefix of the log too. The unique index on the sequence serves the range and its order.
    """
    events = PublicationEvent.objects.filter(sequence__gt=after)
    if before is not None:
        events = events.filter(created_at__lt=before)
    return list(
        events.order_by("sequence")
        .values("sequence", "kind", "term_id", "term__slug", "revision_id", "created_at",
                version=F("revision__version"))
        [: limit + 1]
    )


def first_sequence_since(moment: datetime) -> int:
    """The cursor that starts the feed at `moment`: the last sequence recorded before it."""
    before = PublicationEvent.objects.filter(created_at__lt=moment).order_by("-sequence").values_list(
        "sequence", flat=True
    ).first()
    return before or 0


def approved_history(term: Term) -> QuerySet[Revision]:
    return Revision.objects.approved().filter(term=term).select_related("author").order_by("version")


def term_page_state(slug: str) -> tuple[str, datetime] | None:
    """What a term's public page shows that can change, as (a stamp, when it last changed): the term's
    status and approved revision, its domains, and the status and revision of each term it links to
    (their headwords are the links' words). None when no term has this slug.

    Three reads by key: a page keyed on them stays valid across publications that leave the term
    alone, where a key on the whole set's version would be lost to each of them (an import's every batch).
    """
    term = Term.objects.filter(slug=slug).values_list("pk", "status", "current_revision_id", "updated_at").first()
    if term is None:
        return None
    pk, status, revision, updated_at = term
    changed_at: datetime = updated_at or datetime(1970, 1, 1, tzinfo=UTC)
    links = Term.related.through.objects.filter(from_term_id=pk).order_by("to_term_id").values_list(
        "to_term_id", "to_term__status", "to_term__current_revision_id", "to_term__updated_at")
    domains = Term.domains.through.objects.filter(term_id=pk).order_by("domain_id").values_list("domain_id", flat=True)
    stamp = [f"{pk}.{status}.{revision}", ",".join(str(domain) for domain in domains)]
    for linked, linked_status, linked_revision, linked_at in links:
        stamp.append(f"{linked}.{linked_status}.{linked_revision}")
        changed_at = max(changed_at, linked_at or changed_at)
    return "|".join(stamp), changed_at


def term_with_slug(slug: str) -> Term | None:
    """Any term with this slug, published or not (a new proposal cannot take its headword)."""
    return Term.objects.filter(slug=slug).first()
