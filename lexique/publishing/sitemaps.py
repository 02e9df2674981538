"""sitemap.xml: every published term and the main pages, each in French and English with hreflang alternates.

Paged through Django's sitemap index: TERMS_PER_FILE terms make a file of twice as many addresses (one per
language, well within the protocol's 50,000 and 50 MB); a file is one bounded query however large the
lexicon, rendered once per state of the published set (views.search_engines caches it).
"""
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import translation

from lexique.models import Domain, Edition, Term

TERMS_PER_FILE = 5_000
DEFAULT_LANGUAGE = "fr"


class _BilingualSitemap(Sitemap):
    """Each item once per language, every entry naming the others (and x-default, French) as alternates."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        # The public address, as canonical links and the exports give it, whatever host was asked.
        return urlsplit(settings.SITE_URL).netloc

    def path(self, item) -> str:
        raise NotImplementedError

    def _urls(self, page, protocol, domain):
        urls = []
        for info in super()._urls(page, protocol, domain):
            locations = {}
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    locations[code] = f"{protocol}://{domain}{self.path(info['item'])}"
            alternates = [{"location": location, "lang_code": code} for code, location in locations.items()]
            alternates.append({"location": locations[DEFAULT_LANGUAGE], "lang_code": "x-default"})
            urls += [{**info, "location": location, "alternates": alternates} for location in locations.values()]
        return urls

    def location(self, item):
        return self.path(item)


class TermSitemap(_BilingualSitemap):
    limit = TERMS_PER_FILE

    def items(self):
        return Term.objects.published().order_by("pk").only("pk", "slug", "updated_at")

    def path(self, item):
        return reverse("lexique:term", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # One query, where Django's default would read every item.
        return Term.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class PageSitemap(_BilingualSitemap):
    """The home page, the A–Z index, the domains and the editions."""

    def items(self):
        pages = [("lexique:home", {}), ("lexique:letters", {}), ("lexique:domains", {}), ("lexique:editions", {}),
                 ("downloads", {})]
        pages += [("lexique:domain", {"slug": slug}) for slug in Domain.objects.values_list("slug", flat=True)]
        numbers = Edition.objects.values_list("number", flat=True)
        pages += [("lexique:edition", {"number": number}) for number in numbers]
        return pages

    def path(self, item):
        name, kwargs = item
        return reverse(name, kwargs=kwargs)


SITEMAPS = {"termes": TermSitemap, "pages": PageSitemap}
