"""sitemap.xml: every published term and the main pages, each in French and English with hreflang alternates.

Paged through Django's sitemap index: file n holds the published terms whose ids fall in the n-th range of
TERMS_PER_FILE ids, so at most twice as many addresses (one per language, well within the protocol's 50,000
and 50 MB). The index needs only the highest id (one index lookup, never a COUNT), a file is one range of
the primary key (never an OFFSET), and a term stays in the same file for ever, so a publication changes
one file's content, not every file after it. Files are written as text, not through a template, by a task
after each publication, into the site's storage (`prepare_sitemaps`, below), from where views.search_engines
serves them.
"""
from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
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
from lexique.models import Domain, Edition, LexiconState, PublicationEvent, Term
from lexique.models.term import TermQuerySet
from lexique.platform import files

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


# --- Prepared files ------------------------------------------------------------------------------------
#
# The sitemap is written by a task after each publication (or, without a task queue, by the first request
# that finds it behind), into the site's storage: `sitemaps/manifest.json` names the file of each page of
# each section, and is written last, so that a reader finds a whole sitemap, the former one or the new one.
# Files are named by their content (never overwritten), so that the manifest is the one file that changes.
# A publication rewrites only the files of the terms its events name (the publication log read from the
# sequence the manifest was made at, by its index): at a million terms, one file of TERMS_PER_FILE ids, not
# a read of the whole table.

FOLDER = "sitemaps"
MANIFEST = f"{FOLDER}/manifest.json"
# Files no manifest has named for this long are removed (a reader holding an older manifest has long moved on).
PRUNE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Manifest:
    """What a prepared sitemap holds: the state it was made from, and the stored file of each page."""

    stamp: str
    # The last publication event it includes, as (sequence, term id, revision id, time): the publication
    # log it continues from, checked to be the same log (a restored or other database starts again).
    event: tuple[int, int, int | None, str] | None
    terms_per_file: int
    files: dict[str, str] = field(default_factory=dict)  # "index", "termes-3", "pages-1": stored name
    lastmod: dict[str, str] = field(default_factory=dict)  # "termes-3": ISO date of its newest term

    def file(self, name: str) -> str | None:
        """The stored file of "index" or of one page of a section ("termes-3")."""
        return self.files.get(name)

    def as_json(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest | None:
        try:
            values = json.loads(data)
            event = values["event"]
            return cls(stamp=values["stamp"], event=tuple(event) if event else None,  # type: ignore[arg-type]
                       terms_per_file=int(values["terms_per_file"]), files=dict(values["files"]),
                       lastmod=dict(values["lastmod"]))
        except (ValueError, KeyError, TypeError):
            return None  # unreadable: prepared again


def current_stamp() -> str:
    """The state a sitemap lists: the published set's version and time, the domains and the editions."""
    state = LexiconState.current()
    # The time of the last change too: a restored database may reuse a version number for other content.
    changed = state.changed_at.timestamp() if state.changed_at else 0
    return f"{state.version}-{changed:.6f}-{Domain.objects.count()}-{Edition.objects.count()}"


def stamp_version(stamp: str) -> int:
    """The version of the published set a stamp of `current_stamp` was read at."""
    return int(stamp.split("-", 1)[0])


def stored_manifest() -> Manifest | None:
    """The manifest of the sitemap prepared last, or None if none was."""
    data = files.read_bytes(MANIFEST)
    return Manifest.from_json(data) if data is not None else None


def _last_event() -> tuple[int, int, int | None, str] | None:
    row = PublicationEvent.objects.order_by("-sequence").values_list(
        "sequence", "term_id", "revision_id", "created_at").first()
    return None if row is None else (row[0], row[1], row[2], row[3].isoformat())


def _continues(manifest: Manifest | None, limit: int) -> bool:
    """Whether `manifest` was made from this publication log, with files of this size."""
    if manifest is None or manifest.event is None or manifest.terms_per_file != limit:
        return False
    sequence, term_id, revision_id, created_at = manifest.event
    row = PublicationEvent.objects.filter(sequence=sequence).values_list("term_id", "revision_id", "created_at").first()
    return row is not None and (row[0], row[1], row[2].isoformat()) == (term_id, revision_id, created_at)


def _store(name: str, content: bytes) -> str:
    stored = f"{FOLDER}/{name}-{hashlib.sha256(content).hexdigest()[:24]}.xml"
    if not files.exists(stored):
        files.put_bytes(stored, content)
    return stored


def prepare_sitemaps(*, progress: Callable[[int, int], None] | None = None) -> Manifest:
    """Write the files of the sitemap that the publications since the last one changed, then its manifest;
    the manifest now served. Nothing is written when the sitemap is already that of the current state."""
    stamp = current_stamp()
    previous = stored_manifest()
    if previous is not None and previous.stamp == stamp:
        return previous
    terms = TermSitemap()
    limit = terms.limit
    event = _last_event()
    pages = terms.paginator.num_pages
    found = dict(previous.files) if previous is not None else {}
    lastmod = dict(previous.lastmod) if previous is not None else {}
    if previous is not None and _continues(previous, limit) and event is not None:
        changed = PublicationEvent.objects.filter(sequence__gt=previous.event[0]).values_list(  # type: ignore[index]
            "term_id", flat=True)
        wanted = {(term_id - 1) // limit + 1 for term_id in changed.iterator(chunk_size=2000)}
        wanted |= {page for page in range(1, pages + 1) if f"termes-{page}" not in found}
    else:
        found, lastmod, wanted = {}, {}, set(range(1, pages + 1))
    wanted = {page for page in wanted if page <= pages}
    for done, page in enumerate(sorted(wanted), start=1):
        urls = terms.get_urls(page=page)
        found[f"termes-{page}"] = _store(f"termes-{page}", render_urlset(urls))
        latest = getattr(terms, "latest_lastmod", None)
        lastmod[f"termes-{page}"] = latest.date().isoformat() if latest else ""
        if progress is not None:
            progress(done, len(wanted))
    found = {name: stored for name, stored in found.items()
             if not name.startswith("termes-") or int(name.split("-", 1)[1]) <= pages}
    found["pages-1"] = _store("pages-1", render_urlset(PageSitemap().get_urls(page=1)))
    found["index"] = _store("index", _render_index(found, lastmod))
    manifest = Manifest(stamp=stamp, event=event, terms_per_file=limit, files=found, lastmod=lastmod)
    files.put_bytes(MANIFEST, manifest.as_json())
    _prune(set(found.values()))
    return manifest


def _render_index(found: dict[str, str], lastmod: dict[str, str]) -> bytes:
    """The sitemap index: each file of each section, at the public address, with its newest term's date."""
    origin = settings.SITE_URL.rstrip("/")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for section in SITEMAPS:
        numbers = sorted(int(name.split("-", 1)[1]) for name in found if name.startswith(f"{section}-"))
        address = origin + reverse("sitemap-section", kwargs={"section": section})
        for number in numbers:
            location = address if number == 1 else f"{address}?p={number}"
            date = lastmod.get(f"{section}-{number}")
            lines.append(f"<sitemap><loc>{escape(location)}</loc>" + (f"<lastmod>{date}</lastmod>" if date else "")
                         + "</sitemap>")
    lines.append("</sitemapindex>\n")
    return "".join(lines).encode()


def _prune(kept: set[str]) -> None:
    now = time.time()
    for name in files.names_in(FOLDER):
        stored = f"{FOLDER}/{name}"
        if stored != MANIFEST and stored not in kept and now - files.modified_at(stored) > PRUNE_SECONDS:
            files.delete(stored)
