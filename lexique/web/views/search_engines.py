"""robots.txt and sitemap.xml: what crawlers may read, and where every term is."""
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from lexique.models import Domain, Edition, LexiconState
from lexique.publishing.caching import published_page
from lexique.publishing.sitemaps import SITEMAPS, render_urlset

# A file of the sitemap is a function of the published set, the domains and the editions: kept until one changes.
SITEMAP_CACHE_SECONDS = 24 * 3600

# Pages with no use in a search engine: forms, accounts, moderation, endless result pages.
DISALLOWED = ("/admin/", "/comptes/", "/moderation/", "/recherche/", "/proposer/", "/mes-contributions/",
              "/propositions/", "/i18n/")


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    site = settings.SITE_URL.rstrip("/")
    lines = ["User-agent: *"]
    for path in DISALLOWED:
        lines.append(f"Disallow: {path}")
        if path not in ("/admin/", "/i18n/"):
            lines.append(f"Disallow: /en{path}")
    lines += ["", f"Sitemap: {site}{reverse('sitemap')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The list of the sitemap's files: the highest term id numbers them (see publishing.sitemaps), kept
    once per version of the published set."""
    sections: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = dict(SITEMAPS)
    return published_page(
        request, lambda: sitemap_views.index(request, sections, sitemap_url_name="sitemap-section"), personal=False)


def _sitemap_file(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SITEMAPS:
        raise Http404("No sitemap section")
    sitemap = SITEMAPS[section]()
    try:
        urls = sitemap.get_urls(page=request.GET.get("p", 1), protocol=request.scheme)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page of the sitemap") from None
    response = HttpResponse(render_urlset(urls), content_type="application/xml")
    lastmod = getattr(sitemap, "latest_lastmod", None)
    if lastmod is not None:
        response["Last-Modified"] = http_date(lastmod.timestamp())
    return response


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One file of the sitemap: one range of the terms' primary key, written as text (a few tens of
    milliseconds for 5,000 terms), and kept once per state of what it lists."""
    state = LexiconState.current()
    # The time of the last change too: a restored database may reuse a version number for other content.
    changed = state.changed_at.timestamp() if state.changed_at else 0
    stamp = f"{state.version}-{changed:.6f}-{Domain.objects.count()}-{Edition.objects.count()}"
    page = request.GET.get("p", "1")
    key = "lexique:sitemap:" + hashlib.blake2b(f"{stamp}|{section}|{page}".encode(), digest_size=16).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        content, last_modified = cached
        response = HttpResponse(content, content_type="application/xml")
        if last_modified:
            response["Last-Modified"] = last_modified
        return response
    response = _sitemap_file(request, section)
    if response.status_code == 200:
        cache.set(key, (response.content, response.get("Last-Modified")), SITEMAP_CACHE_SECONDS)
    return response
