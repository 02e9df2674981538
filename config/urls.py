"""The site's URL map."""
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from lexique.web.urls import account_urlpatterns, download_urlpatterns
from lexique.web.views import search_engines

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("lexique.api.urls")),
    path("robots.txt", search_engines.robots, name="robots"),
    path("sitemap.xml", search_engines.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", search_engines.sitemap_section, name="sitemap-section"),
]

# The pages: French at the root, English under /en/, so a link carries its language.
urlpatterns += i18n_patterns(
    path("", include(download_urlpatterns)),
    path("", include("lexique.web.urls")),
    path("", include(account_urlpatterns)),
    prefix_default_language=False,
)

# An unreachable database is a 503 with Retry-After (JSON under /api/), any other failure a 500.
handler500 = "lexique.platform.outage.server_error"
