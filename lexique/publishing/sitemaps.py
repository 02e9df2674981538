"""sitemap.xml: every published term and the main pages, each in French and English with hreflang alternates.

Paged through Django's sitemap index: file n holds the published terms whose ids fall in the n-th range of
TERMS_PER_FILE ids, so at most twice as many addresses (one per language, well within the protocol's 50,000
and 50 MB). The index needs only the highest id (one index lookup, never a COUNT), a file is one range of
the primary key (never an OFFSET), and a term stays in the same file for ever, so a publication changes
one file's content, not every file after it. Files are written as text, not through a template, and kept
once per state of the published set (views.search_engines caches them).
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Page, Paginator
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property

from lexique.core.content import reader_language
from lexique.models import Domain, Edition, Term
from lexique.models.term import TermQuerySet

if TYPE_CHECKING:
    from django.contrib.sites.models import Site
    from django.contrib.sites.requests import RequestSite

# 4,000 addresses a file at most: a file read by its first reader after a publication is written in a few
# tens of milliseconds (5,000 ids took over 100 ms at a million terms).
TERMS_PER_FILE = 2_000
DEFAULT_LANGUAGE = "fr"

_Item = TypeVar("_Item")
# A page of PageSitemap: a URL name and its arguments.
_Page = tuple[str, dict[str, str]]


class _BilingualSitemap(Sitemap, Generic[_Item]):
    """Each item once per language, every entry naming the others (and x-default, French) as alternates."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site: Site | RequestSite | None = None) -> str:
        # The public address, as canonical links and the exports give it, whatever host was asked.
        return urlsplit(settings.SITE_URL).netloc

    def path(self, item: _Item) -> str:
        raise NotImplementedError

    def _urls(self, page: int | str, protocol: str, domain: str) -> list[dict[str, Any]]:
        urls = []
        for info in super()._urls(page, protocol, domain):  # type: ignore[misc]  # Django's hook, not in its stubs
            locations = {}
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    locations[code] = f"{protocol}://{domain}{self.path(info['item'])}"
            alternates = [{"location": location, "lang_code": code} for code, location in locations.items()]
            alternates.append({"location": locations[DEFAULT_LANGUAGE], "lang_code": "x-default"})
            urls += [{**info, "location": location, "alternates": alternates} for location in locations.values()]
        return urls

    def location(self, item: _Item) -> str:
        return self.path(item)


class IdRangePaginator(Paginator):
    """Pages of a queryset of terms by ranges of ids: page n holds the rows whose id is in
    ((n - 1) × per_page, n × per_page]. Ids never come back, so a page may hold fewer rows (terms never
    published, or retired), never more; the number of pages comes from the highest id, not a count."""

    object_list: QuerySet[Term]

    @cached_property
    def count(self) -> int:
        # Not a count of rows: the highest id, which numbers the pages as a count would.
        return Term.objects.aggregate(top=Max("pk"))["top"] or 0

    @cached_property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    def page(self, number: int | str) -> Page[Term]:
        number = self.validate_number(number)
        return Page(list(self.in_range(number)), number, self)

    def in_range(self, number: int) -> QuerySet[Term]:
        """The rows of page `number` (already validated)."""
        bottom = (number - 1) * self.per_page
        return self.object_list.filter(pk__gt=bottom, pk__lte=bottom + self.per_page)


class TermSitemap(_BilingualSitemap[Term]):
    limit = TERMS_PER_FILE

    def items(self) -> TermQuerySet:
        return Term.objects.published().order_by("pk").only("pk", "slug", "updated_at")

    @property
    def paginator(self) -> IdRangePaginator:
        return IdRangePaginator(self.items(), self.limit)

    @cached_property
    def _term_paths(self) -> dict[str, list[str]]:
        # One reverse per language for the whole file, not one per term and language.
        marker = "slug-of-the-term"
        paths: dict[str, list[str]] = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                paths[code] = reverse("lexique:term", kwargs={"slug": marker}).split(marker)
        return paths

    def path(self, item: Term) -> str:
        before, after = self._term_paths[reader_language()]
        return f"{before}{item.slug}{after}"

    def _urls(self, page: int | str, protocol: str, domain: str) -> list[dict[str, Any]]:
        # What the general method gives, written straight from each language's path around the slug:
        # switching the language twice per term was most of the time of a file of 5,000 terms.
        origin = f"{protocol}://{domain}"
        codes = [code for code, _name in settings.LANGUAGES]
        urls: list[dict[str, Any]] = []
        latest: datetime | None = None
        paginator = self.paginator
        rows = paginator.in_range(paginator.validate_number(page)).values_list("slug", "updated_at")
        for slug, lastmod in rows:
            locations = {code: f"{origin}{self._term_paths[code][0]}{slug}{self._term_paths[code][1]}"
                         for code in codes}
            alternates = [{"location": location, "lang_code": code} for code, location in locations.items()]
            alternates.append({"location": locations[DEFAULT_LANGUAGE], "lang_code": "x-default"})
            latest = lastmod if latest is None or (lastmod and lastmod > latest) else latest
            urls += [{"location": location, "lastmod": lastmod, "alternates": alternates}
                     for location in locations.values()]
        self.latest_lastmod = latest
        return urls

    def lastmod(self, item: Term) -> datetime | None:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        # One query, where Django's default would read every item.
        return Term.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class PageSitemap(_BilingualSitemap[_Page]):
    """The home page, the A–Z index, the domains and the editions."""

    def items(self) -> list[_Page]:
        pages: list[_Page] = [("lexique:home", {}), ("lexique:letters", {}), ("lexique:domains", {}),
                              ("lexique:editions", {}), ("downloads", {})]
        pages += [("lexique:domain", {"slug": slug}) for slug in Domain.objects.values_list("slug", flat=True)]
        numbers = Edition.objects.values_list("number", flat=True)
        pages += [("lexique:edition", {"number": number}) for number in numbers]
        return pages

    def path(self, item: _Page) -> str:
        name, kwargs = item
        return reverse(name, kwargs=kwargs)


def render_urlset(urls: Iterable[dict[str, Any]]) -> bytes:
    """The sitemap file of `urls` (as Sitemap.get_urls gives them), the XML Django's template writes."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    written: dict[int, str] = {}  # the alternates of a term are the same list for each of its addresses
    for url in urls:
        lines.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url.get("lastmod"):
            lines.append(f"<lastmod>{url['lastmod']:%Y-%m-%d}</lastmod>")
        alternates = url.get("alternates") or []
        if id(alternates) not in written:
            written[id(alternates)] = "".join(
                f'<xhtml:link rel="alternate" hreflang={quoteattr(alternate["lang_code"])} '
                f'href={quoteattr(alternate["location"])}/>' for alternate in alternates)
        lines.append(written[id(alternates)])
        lines.append("</url>")
    lines.append("</urlset>\n")
    return "".join(lines).encode()


SITEMAPS: dict[str, type[_BilingualSitemap[Any]]] = {"termes": TermSitemap, "pages": PageSitemap}
