"""Recent changes: the publication log read newest first, narrowed by kind and domain. The page
/modifications-recentes/ and its Atom feed read it through here, with the same filters."""
from dataclasses import dataclass
from typing import Any

from django.utils.http import urlencode

from lexique.models import Domain, PublicationEvent


@dataclass(frozen=True)
class ChangesFilters:
    """What recent changes are narrowed to: a kind of publication and a domain's slug ('' for all)."""

    kind: str = ""
    domain: str = ""

    def query(self) -> dict[str, str]:
        """The filters as the page's and the feed's query string name them (`type`, `domaine`), set ones only."""
        return {name: value for name, value in (("type", self.kind), ("domaine", self.domain)) if value}

    def query_string(self) -> str:
        return urlencode(self.query())


def changes_filters(params: Any, *, domains: list[Domain] | None = None) -> ChangesFilters:
    """The filters a query string asks for, each kept only if it names a kind or a domain that exists."""
    kind = str(params.get("type", "") or "")
    domain = str(params.get("domaine", "") or "")
    if domain:
        known = domains if domains is not None else list(Domain.objects.only("slug"))
        domain = domain if any(item.slug == domain for item in known) else ""
    return ChangesFilters(kind=kind if kind in PublicationEvent.Kind.values else "", domain=domain)


def publication_log(filters: ChangesFilters, *, before: int | None = None, limit: int) -> list[PublicationEvent]:
    """Publications (new terms, new versions, retirements) newest first, `limit` of them, narrowed by `filters`,
    from the sequence `before` on when it is given."""
    events = PublicationEvent.objects.select_related("term", "revision").order_by("-sequence")
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.domain:
        events = events.filter(term__domains__slug=filters.domain)
    if before is not None:
        events = events.filter(sequence__lt=before)
    return list(events[:limit])
