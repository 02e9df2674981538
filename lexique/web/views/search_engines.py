"""robots.txt and sitemap.xml: what crawlers may read, and where every term is."""
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lexique.platform.files import read_bytes
from lexique.platform.queue import queue_enabled
from lexique.publishing.sitemaps import SITEMAPS, Manifest, current_stamp, prepare_sitemaps, stored_manifest
from lexique.publishing.tasks import ask_for_sitemaps

# A stored file of the sitemap never changes (its name is its content's): kept in the cache a day.
SITEMAP_CACHE_SECONDS = 24 * 3600

# Pages with no use in a search engine: forms, accounts, moderation, endless result pages.
DISALLOWED = ("/admin/", "/comptes/", "/moderation/", "/recherche/", "/proposer/", "/mes-contributions/",
              "/propositions/", "/termes-suivis/", "/termes/*/signaler/", "/i18n/")


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


# How long a web process keeps the manifest it read (a worker's new one is seen within this time).
MANIFEST_CACHE_SECONDS = 30
_MANIFEST_KEY = "lexique:sitemap-manifest"


def _prepared_sitemap() -> Manifest | None:
    """The manifest of the sitemap to serve; None while a first one is being prepared.

    With a task queue a request never writes the sitemap: it serves the last one prepared, and asks a
    worker for a newer one if a publication (or a domain's edit) has come since. Without one, the first
    request after a publication brings it up to date, as every task runs where it is asked.
    """
    stamp = current_stamp()
    manifest: Manifest | None = cache.get(_MANIFEST_KEY)
    if manifest is None or manifest.stamp != stamp:
        manifest = stored_manifest()
    if manifest is None or manifest.stamp != stamp:
        if not queue_enabled():
            manifest = prepare_sitemaps()
        else:
            ask_for_sitemaps(stamp)
    if manifest is not None:
        cache.set(_MANIFEST_KEY, manifest, MANIFEST_CACHE_SECONDS)
    return manifest


def _served(name: str | None) -> HttpResponse:
    if name is None:
        raise Http404("No such page of the sitemap")
    # Stored files never change (named by their content): kept in the cache as long as it likes.
    content = cache.get(f"lexique:sitemap-file:{name}")
    if content is None:
        content = read_bytes(name)
        if content is None:
            raise Http404("No such page of the sitemap")
        cache.set(f"lexique:sitemap-file:{name}", content, SITEMAP_CACHE_SECONDS)
    return HttpResponse(content, content_type="application/xml")


def _not_yet() -> HttpResponse:
    response = HttpResponse(_("Le plan du site est en préparation."), status=503,
                            content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The list of the sitemap's files, as prepared after the last publication (see publishing.sitemaps)."""
    manifest = _prepared_sitemap()
    if manifest is None:
        return _not_yet()
    return _served(manifest.file("index"))


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One file of the sitemap (one range of the terms' primary key), as prepared after the last publication."""
    if section not in SITEMAPS:
        raise Http404("No sitemap section")
    page = request.GET.get("p", "1")
    if not (page.isascii() and page.isdigit() and 0 < len(page) <= 9):
        raise Http404("No such page of the sitemap")
    manifest = _prepared_sitemap()
    if manifest is None:
        return _not_yet()
    name = f"{section}-{int(page)}"
    response = _served(manifest.file(name))
    lastmod = manifest.lastmod.get(name)
    if lastmod:
        response["Last-Modified"] = http_date(datetime.fromisoformat(lastmod).replace(tzinfo=UTC).timestamp())
    return response
