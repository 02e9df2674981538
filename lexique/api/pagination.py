"""Pages of results: the client picks the page size up to a maximum; a wrong value is a 400, not a guess.

Lists of the published set never count it on each request (the count is kept per version) and turn
deep pages by walking an index: page numbers for compatibility, a keyset `cursor` that stays exact
while terms are published.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, NamedTuple

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from lexique.models import EditionEntry, Term
from lexique.search.ranking import RankedResults
from lexique.selectors import published_count
from lexique.selectors.paging import KeyPaginator, after_key
from lexique.selectors.published import term_keys


def positive_int(request: Request, name: str, *, default: int, maximum: int, minimum: int = 1) -> int:
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
    page_size: int = 20
    page_size_query_param: str = "page_size"
    max_page_size: int = 100
    last_page_strings = ()  # "page=last" would not be the integer the schema promises

    def get_page_number(self, request: Request, paginator: Paginator[Any]) -> int:
        # An integer from 1, strictly: "?page=" or "?page=x" is a 400, a page past the end a 404.
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not raw.isascii() or not raw.isdigit() or not raw.strip("0"):
            raise ValidationError({self.page_query_param: [_("Un numéro de page à partir de 1 est attendu.")]})
        if len(raw) > 18:
            raise NotFound(_("Page invalide."))
        return int(raw)

    def get_page_size(self, request: Request) -> int:
        return positive_int(request, self.page_size_query_param, default=self.page_size, maximum=self.max_page_size)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters


class SearchKey(NamedTuple):
    """A search's result as a page of the list needs it: its id (the representation reads the rest)."""

    pk: int


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
    request: Request  # set by paginate_queryset, before any response is made
    known_count: int | None
    next_cursor: str | None

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        self.request = request
        # The keyset follows headword order: with a search or another order, pages are numbered.
        self.cursor_page = self.cursor_query_param in request.query_params and not set(request.query_params) & {
            "q", "ordering"}
        self.known_count = None
        if set(request.query_params) <= _WHOLE_LIST | {"ordering"}:
            self.known_count = published_count()
        if self.cursor_page:
            return self._keyset_page(queryset, request)
        if "q" in request.query_params and queryset.model is not EditionEntry:
            found = getattr(request, "search_results", None)
            if found is not None and "ordering" not in request.query_params:
                # In the search's own order, its ranked ids are the list (its filters applied): a page is
                # its ids, read by the representation, never by the search's candidates again.
                keys = [SearchKey(pk) for pk in found.ids]
                return super().paginate_queryset(keys, request, view)  # type: ignore[arg-type]  # any sequence
            # A search's results are bounded candidates: read their ranked ids once, count and cut them
            # here, rather than running the search twice (once to count).
            results = RankedResults(queryset)
            return super().paginate_queryset(results, request, view)  # type: ignore[arg-type]  # any sequence pages
        return super().paginate_queryset(queryset, request, view)

    # A method where DRF has a class (it only calls it): the paginator depends on the request's count.
    def django_paginator_class(  # type: ignore[override]  # a method for DRF's class
        self, object_list: Any, per_page: int, **kwargs: Any
    ) -> Paginator[Any]:
        if self.known_count is None or not hasattr(object_list, "query"):
            return Paginator(object_list, per_page, **kwargs)
        # The whole published set (no filter applies here), in the list's order, as keys.
        keys = Term.objects.published()
        if object_list.query.order_by:
            keys = keys.order_by(*object_list.query.order_by)
        return KeyPaginator(object_list, per_page, count=self.known_count, ids=term_keys(keys), **kwargs)

    def _keyset_page(self, queryset: QuerySet[Any], request: Request) -> list[Any]:
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
    def _encode(term: Term) -> str:
        raw = json.dumps([term.sort_key, term.slug], ensure_ascii=False, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def _decode(self, value: str) -> tuple[str, str] | None:
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

    def get_paginated_response(self, data: Any) -> Response:
        if getattr(self, "cursor_page", False):
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
            page = self.page  # the page paginate_queryset read
            last = page.object_list[-1] if page is not None and page.object_list and page.has_next() else None
            keyset = hasattr(last, "sort_key") and not set(self.request.query_params) & {"q", "ordering"}
            response.data["next_cursor"] = self._encode(last) if last is not None and keyset else None
        # A search's `count` is its number of matches (counted up to a limit, `count_capped` past it),
        # not the number of ranked candidates its pages go through.
        found = getattr(self.request, "search_results", None)
        response.data["count_capped"] = bool(found and found.capped)
        if found is not None:
            response.data["count"] = max(found.total, response.data["count"])
            if found.facets:
                response.data["facets"] = found.facets
                response.data["facets_bounded"] = found.facets_bounded
        # Read before the terms themselves: following changes/?cursor=<version> replays
        # everything that may have changed while the pages were being fetched.
        response.data["version"] = getattr(self.request, "lexicon_version", None)
        return response

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        parameters.append({
            "name": self.cursor_query_param, "required": False, "in": "query",
            "description": "Keyset paging in headword order: empty to start, then the `next_cursor` of the "
                           "previous page (`page` is then ignored). Exact while terms are published. Ignored with "
                           "`q` or `ordering`.",
            "schema": {"type": "string", "maxLength": CURSOR_MAX_LENGTH, "pattern": f"^{CURSOR_PATTERN.pattern}$"},
        })
        return parameters

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
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
        paginated["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "True when a search matched more terms than it counts: `count` is then a lower bound.",
        }
        paginated["properties"]["facets"] = {
            "type": "object",
            "description": "With q: how many results each filter value would keep, by filter (domain, language, "
                           "status, region), each counted without its own filter: {\"region\": {\"qc\": 12}}. "
                           "Values with no result are left out.",
            "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
        }
        paginated["properties"]["facets_bounded"] = {
            "type": "boolean",
            "description": "With q: true when `facets` were counted among the first ranked results only (a "
                           "search with more matches than it ranks).",
        }
        paginated["required"] += ["version", "count_capped"]
        return paginated
