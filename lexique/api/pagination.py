"""Pages of results: the client picks the page size up to a maximum; a wrong value is a 400, not a guess.

Lists of the published set never count it on each request (the count is kept per version) and turn
deep pages by walking an index: page numbers for compatibility, a keyset `cursor` that stays exact
while terms are published.
"""
import base64
import binascii
import json
import re

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import replace_query_param


def _totally_ordered(queryset):
    """Whether the order of `queryset` ends with a unique column, so that walking it backwards meets
    exactly the same rows in the mirror order."""
    ordering = queryset.query.order_by or (queryset.query.default_ordering and queryset.model._meta.ordering) or ()
    return bool(ordering) and isinstance(ordering[-1], str) and ordering[-1].lstrip("-") in {"slug", "pk", "id"}


class BrowsingPaginator(Paginator):
    """Pages of a list whose size is already known (counted once per version): no COUNT per page, and
    each page's ids are read from an index first, from whichever end of the list is nearer, so that
    the last page costs what the first does (an OFFSET walks every row it skips)."""

    def __init__(self, object_list, per_page, *, count, ids=None, id_field="pk", **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count
        # The same rows in the same order without what only the page needs (joins for annotations),
        # or a listing kept in page order whose `id_field` names the rows of `object_list`.
        self.ids = object_list if ids is None else ids
        self.id_field = id_field

    @property
    def count(self):
        return self.known_count

    def page(self, number):
        number = self.validate_number(number)
        ids = self.window(self.ids.values_list(self.id_field, flat=True), number)
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

    def window(self, queryset, number):
        """The rows of page `number` of `queryset` (in the list's order)."""
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


def after_key(sort_key, slug, *, inclusive=False):
    """Terms after (sort_key, slug) in headword order. The redundant `sort_key >= …` is what lets the
    database start its index range there: with the OR alone, it walks the index from the beginning."""
    slug_after = Q(slug__gte=slug) if inclusive else Q(slug__gt=slug)
    return Q(sort_key__gte=sort_key) & (Q(sort_key__gt=sort_key) | Q(sort_key=sort_key) & slug_after)


# Pages this close to either end of the list walk the index from that end. Deeper ones, in headword
# order, seek from the nearest key learnt from an earlier page of this version of the published set.
NEAR_END = 20_000
# The most positions kept per version (a few hundred kilobytes): enough for every page of 100 terms
# of a lexicon of 100,000, or the pages readers actually visit of a larger one.
MAX_LEARNT_KEYS = 2_000


class KeyPaginator(BrowsingPaginator):
    """A BrowsingPaginator whose rows are the keys themselves (id, sort key, slug), read from the index
    alone: the page's representation is built from them by the caller.

    In headword order, each page far from both ends leaves the keys of its first and last terms,
    with their positions, for this version of the published set: a later page seeks from the nearest
    one below it and skips only the rows between (a crawler paging on skips none), instead of
    walking from an end of the index.
    """

    def page(self, number):
        number = self.validate_number(number)
        return self._get_page(self.window(self.ids, number), number, self)

    def window(self, queryset, number):
        bottom = (number - 1) * self.per_page
        nearest_end = min(bottom, self.count - bottom - self.per_page)
        if nearest_end <= NEAR_END or tuple(queryset.query.order_by) != ("sort_key", "slug"):
            return super().window(queryset, number)
        from django.core.cache import cache

        from lexique.api.caching import version_key

        cache_key = version_key("headword-positions")
        known = cache.get(cache_key) or {}
        start = max((position for position in known if position <= bottom), default=None)
        if start is not None and bottom - start < nearest_end:
            skip = bottom - start
            rows = list(queryset.filter(after_key(*known[start], inclusive=True))[skip:skip + self.per_page])
        else:
            rows = super().window(queryset, number)
        learnt = {bottom: rows[0][1:], bottom + len(rows) - 1: rows[-1][1:]} if rows else {}
        if len(known) < MAX_LEARNT_KEYS and not learnt.keys() <= known.keys():
            cache.set(cache_key, {**known, **learnt}, settings.API_CACHE_SECONDS)
        return rows


def positive_int(request, name, *, default, maximum, minimum=1):
    """An integer query parameter, strictly checked: the schema promises what the server enforces."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    # (Python refuses to read integers of thousands of digits: the length is checked first.)
    if not raw.isascii() or not raw.isdigit() or len(raw) > 20 or not minimum <= int(raw) <= maximum:
        raise ValidationError({name: [_("Un entier entre %(min)d et %(max)d est attendu.")
                                      % {"min": minimum, "max": maximum}]})
    return int(raw)


class PagePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()  # "page=last" would not be the integer the schema promises

    def get_page_number(self, request, paginator):
        # An integer from 1, strictly: "?page=" or "?page=x" is a 400, a page past the end a 404.
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not raw.isascii() or not raw.isdigit() or not raw.strip("0"):
            raise ValidationError({self.page_query_param: [_("Un numéro de page à partir de 1 est attendu.")]})
        if len(raw) > 18:
            raise NotFound(_("Page invalide."))
        return int(raw)

    def get_page_size(self, request):
        return positive_int(request, self.page_size_query_param, default=self.page_size, maximum=self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters


CURSOR_PATTERN = re.compile(r"[A-Za-z0-9_-]*")
CURSOR_MAX_LENGTH = 700
# Parameters that leave the list of terms whole (only its order, page or representation change).
_WHOLE_LIST = {"page", "page_size", "lang", "format", "cursor"}


class TermPagination(PagePagination):
    """Pages of terms, with the version of the published set they were read at.

    `?cursor=` (empty to start, then each page's `next_cursor`) pages by keyset in headword order:
    no term is skipped or repeated when others are published meanwhile, and a deep page costs what
    the first does. Page numbers still work.
    """

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        # The keyset follows headword order: with a search or another order, pages are numbered.
        self.cursor_page = self.cursor_query_param in request.query_params and not set(request.query_params) & {
            "q", "ordering"}
        self.known_count = None
        if set(request.query_params) <= _WHOLE_LIST | {"ordering"}:
            from lexique.selectors import published_count

            self.known_count = published_count()
        if self.cursor_page:
            return self._keyset_page(queryset, request)
        from lexique.models import EditionEntry

        if "q" in request.query_params and queryset.model is not EditionEntry:
            # A search's results are bounded candidates: read their ranked ids once, count and cut them
            # here, rather than running the search twice (once to count).
            from lexique.selectors import RankedResults

            queryset = RankedResults(queryset)
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page, **kwargs):
        if self.known_count is None or not hasattr(object_list, "query"):
            return Paginator(object_list, per_page, **kwargs)
        from lexique.api.selectors import term_keys
        from lexique.models import Term

        # The whole published set (no filter applies here), in the list's order, as keys.
        keys = Term.objects.published()
        if object_list.query.order_by:
            keys = keys.order_by(*object_list.query.order_by)
        return KeyPaginator(object_list, per_page, count=self.known_count, ids=term_keys(keys), **kwargs)

    def _keyset_page(self, queryset, request):
        self.page_size_value = self.get_page_size(request)
        after = self._decode(request.query_params[self.cursor_query_param])
        queryset = queryset.order_by("sort_key", "slug")
        self.cursor_count = self.known_count if self.known_count is not None else queryset.count()
        if after is not None:
            sort_key, slug = after
            queryset = queryset.filter(after_key(sort_key, slug))
        rows = list(queryset[: self.page_size_value + 1])
        self.has_more = len(rows) > self.page_size_value
        rows = rows[: self.page_size_value]
        self.next_cursor = self._encode(rows[-1]) if self.has_more else None
        return rows

    @staticmethod
    def _encode(term):
        raw = json.dumps([term.sort_key, term.slug], ensure_ascii=False, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def _decode(self, value):
        if value == "":
            return None
        if len(value) > CURSOR_MAX_LENGTH or not CURSOR_PATTERN.fullmatch(value):
            raise ValidationError({self.cursor_query_param: [_("Curseur invalide : reprenez celui d'une réponse.")]})
        try:
            raw = base64.urlsafe_b64decode(value.encode("ascii") + b"=" * (-len(value) % 4))
            sort_key, slug = json.loads(raw)
            if isinstance(sort_key, str) and isinstance(slug, str):
                return sort_key, slug
        except (ValueError, UnicodeError, binascii.Error, TypeError):
            pass
        # Well formed but not one we made: like a page past the end, nothing is there.
        raise NotFound(_("Curseur inconnu : reprenez celui d'une réponse."))

    def get_paginated_response(self, data):
        if getattr(self, "cursor_page", False):
            from rest_framework.response import Response

            url = self.request.build_absolute_uri()
            next_url = None
            if self.next_cursor:
                next_url = replace_query_param(url, self.cursor_query_param, self.next_cursor)
            response = Response({
                "count": self.cursor_count,
                "next": next_url, "previous": None, "results": data, "next_cursor": self.next_cursor,
            })
        else:
            response = super().get_paginated_response(data)
            last = self.page.object_list[-1] if self.page.object_list and self.page.has_next() else None
            keyset = last is not None and hasattr(last, "sort_key") and not set(self.request.query_params) & {
                "q", "ordering"}
            response.data["next_cursor"] = self._encode(last) if keyset else None
        # Read before the terms themselves: following changes/?cursor=<version> replays
        # everything that may have changed while the pages were being fetched.
        response.data["version"] = getattr(self.request, "lexicon_version", None)
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append({
            "name": self.cursor_query_param, "required": False, "in": "query",
            "description": "Keyset paging in headword order: empty to start, then the `next_cursor` of the "
                           "previous page (`page` is then ignored). Exact while terms are published. Ignored with "
                           "`q` or `ordering`.",
            "schema": {"type": "string", "maxLength": CURSOR_MAX_LENGTH, "pattern": f"^{CURSOR_PATTERN.pattern}$"},
        })
        return parameters

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["version"] = {
            "type": "integer",
            "description": "Version of the published set (= the changes feed's cursor) when this page was read.",
        }
        paginated["properties"]["next_cursor"] = {
            "type": "string", "nullable": True,
            "description": "The `cursor` of the next page in headword order (null on the last page, and with q "
                           "or ordering).",
        }
        paginated["required"].append("version")
        return paginated
