"""Pages of long lists of the published set: counted once per version, each page's rows read from an index."""
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from lexique.publishing.caching import version_key


def _totally_ordered(queryset: QuerySet[Any, Any]) -> bool:
    """Whether the order of `queryset` ends with a unique column, so that walking it backwards meets
    exactly the same rows in the mirror order."""
    query = queryset.query
    ordering: Sequence[Any] = query.order_by or (query.default_ordering and queryset.model._meta.ordering) or ()
    return bool(ordering) and isinstance(ordering[-1], str) and ordering[-1].lstrip("-") in {"slug", "pk", "id"}


class BrowsingPaginator(Paginator):
    """Pages of a list whose size is already known (counted once per version): no COUNT per page, and
    each page's ids are read from an index first, from whichever end of the list is nearer, so that
    the last page costs what the first does (an OFFSET walks every row it skips).

    With `positions` (a name for the list, e.g. a domain and a language) and a list in keyset order
    (a sort key, then the slug), each page far from both ends leaves the keys of its first and last
    rows, with their positions, for this version of the published set: a later page seeks from the
    nearest one below it and skips only the rows between (a crawler paging on skips none), instead of
    walking from an end of the index.
    """

    object_list: QuerySet[Any]

    def __init__(self, object_list: QuerySet[Any], per_page: int | str, *, count: int,
                 ids: QuerySet[Any, Any] | None = None, id_field: str = "pk", positions: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count
        # The same rows in the same order without what only the page needs (joins for annotations),
        # or a listing kept in page order whose `id_field` names the rows of `object_list`.
        self.ids = object_list if ids is None else ids
        self.id_field = id_field
        self.positions = positions

    @property
    def count(self) -> int:
        return self.known_count

    def page(self, number: int | str) -> Page[Any]:
        number = self.validate_number(number)
        order = _keyset_order(self.ids)
        if self.positions and order:
            ids = [row[0] for row in self.window(self.ids.values_list(self.id_field, *order), number)]
        else:
            ids = self.window(self.ids.values_list(self.id_field, flat=True), number)
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return Page([rows[pk] for pk in ids if pk in rows], number, self)

    def window(self, queryset: QuerySet[Any, Any], number: int) -> list[Any]:
        """The rows of page `number` of `queryset` (in the list's order); with `positions`, rows of
        (id, sort key, slug)."""
        bottom = (number - 1) * self.per_page
        nearest_end = min(bottom, self.count - bottom - self.per_page)
        order = _keyset_order(queryset)
        if not self.positions or not order or nearest_end <= NEAR_END:
            return self._from_nearer_end(queryset, number)
        cache_key = version_key(f"positions.{self.positions}.{order[0]}")
        known = cache.get(cache_key) or {}
        start = max((position for position in known if position <= bottom), default=None)
        if start is not None and bottom - start < nearest_end:
            skip = bottom - start
            after = after_key(*known[start], inclusive=True, field=order[0])
            rows = list(queryset.filter(after)[skip:skip + self.per_page])
        else:
            rows = self._from_nearer_end(queryset, number)
        learnt = {bottom: tuple(rows[0][1:]), bottom + len(rows) - 1: tuple(rows[-1][1:])} if rows else {}
        if len(known) < MAX_LEARNT_KEYS and not learnt.keys() <= known.keys():
            cache.set(cache_key, {**known, **learnt}, settings.API_CACHE_SECONDS)
        return rows

    def _from_nearer_end(self, queryset: QuerySet[Any, Any], number: int) -> list[Any]:
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        after = self.count - top  # rows after this page
        if bottom <= after or not _totally_ordered(queryset):
            return list(queryset[bottom:top])
        # Nearer the end: the same rows, read backwards from the end of the index, put back in order.
        start = max(after, 0)
        rows = list(queryset.reverse()[start:start + self.count - bottom - start])
        rows.reverse()
        return rows


def _keyset_order(queryset: QuerySet[Any, Any]) -> tuple[str, str] | None:
    """(sort key field, "slug") when `queryset` is in such a keyset order, else None."""
    query = queryset.query
    order = tuple(query.order_by or (query.default_ordering and queryset.model._meta.ordering) or ())
    if len(order) == 2 and order[0] in KEYSET_FIELDS and order[1] == "slug":
        return order[0], order[1]
    return None


def after_key(sort_key: str, slug: str, *, inclusive: bool = False, field: str = "sort_key") -> Q:
    """Terms after (sort_key, slug) in the order of `field` then slug. The redundant `field >= …` is what
    lets the database start its index range there: with the OR alone, it walks the index from the beginning."""
    slug_after = Q(slug__gte=slug) if inclusive else Q(slug__gt=slug)
    at, after = Q(**{field: sort_key}), Q(**{f"{field}__gt": sort_key})
    return Q(**{f"{field}__gte": sort_key}) & (after | at & slug_after)


# The sort keys a list may be paged on by remembered positions (French and English headword order).
KEYSET_FIELDS = ("sort_key", "sort_key_english")
# Pages this close to either end of the list walk the index from that end. Deeper ones, in headword
# order, seek from the nearest key learnt from an earlier page of this version of the published set.
NEAR_END = 20_000
# The most positions kept per list and version (a few hundred kilobytes): enough for every page of 100
# terms of a lexicon of 100,000, or the pages readers actually visit of a larger one.
MAX_LEARNT_KEYS = 2_000


class KeyPaginator(BrowsingPaginator):
    """A BrowsingPaginator whose rows are the keys themselves (id, sort key, slug), read from the index
    alone: the page's representation is built from them by the caller. Deep pages in headword order
    seek from remembered positions."""

    def __init__(self, object_list: QuerySet[Any], per_page: int | str, *, count: int,
                 ids: QuerySet[Any, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, count=count, ids=ids, positions="headwords", **kwargs)

    def page(self, number: int | str) -> Page[Any]:
        number = self.validate_number(number)
        return Page(self.window(self.ids, number), number, self)
