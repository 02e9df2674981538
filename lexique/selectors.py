"""Reads that are more than one queryset call: browsing, history, queues, logs."""
from django.db.models import Count, Q

from .models import Domain, ModerationLogEntry, Revision, Term

SEARCH_PAGE_SIZE = 20


def letters_with_counts():
    """[(letter, count)] for every A–Z initial that has published terms, plus '#' if any."""
    counts = dict(
        Term.objects.published().order_by().values_list("initial").annotate(count=Count("id")).values_list("initial", "count")
    )
    alphabet = [chr(code) for code in range(ord("A"), ord("Z") + 1)] + ["#"]
    return [(letter, counts.get(letter, 0)) for letter in alphabet]


def domains_with_counts():
    return Domain.objects.annotate(
        published_count=Count("terms", filter=Q(terms__status=Term.Status.PUBLISHED))
    )


def search_terms(query, *, domain=None):
    terms = Term.objects.published().search(query)
    if domain:
        terms = terms.filter(domains__slug=domain)
    return terms.prefetch_related("domains")


def term_history(term):
    """Every approved revision of a term, newest first, with its author and reviewer."""
    return term.revisions.approved().select_related("author", "reviewer").order_by("-number")


def pending_queue(*, domain=None, kind=None):
    """Pending proposals, oldest first; kind 'new' or 'edit', domain as proposed (a list)."""
    queue = Revision.objects.pending().select_related("term", "author", "base_revision").order_by("created_at", "id")
    if kind == "new":
        queue = queue.filter(base_revision__isnull=True)
    elif kind == "edit":
        queue = queue.filter(base_revision__isnull=False)
    # The domains a proposal names live in its JSON snapshot, which SQLite cannot query: filter here.
    return [revision for revision in queue if not domain or domain in revision.domain_slugs]


def proposals_of(user):
    """A contributor's proposals, newest first, with the moderators' answers."""
    return Revision.objects.filter(author=user).exclude(reverted_from__isnull=False).select_related(
        "term", "reviewer"
    ).order_by("-created_at", "-id")


def moderation_log(limit=200):
    return ModerationLogEntry.objects.select_related("actor", "term", "revision")[:limit]
