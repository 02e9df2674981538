"""Addresses of the API, version 1 (mounted at /api/v1/)."""
from django.urls import URLPattern, include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from lexique.api import views
from lexique.api.caching import serve_cached_reads
from lexique.api.exceptions import not_found
from lexique.api.exports import FILE_PATTERN, export_file
from lexique.api.tasks import TASK_ID_PATTERN, TaskView

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("terms", views.TermViewSet, basename="term")
router.register("domains", views.DomainViewSet, basename="domain")
router.register("proposals", views.ProposalViewSet, basename="proposal")

# Most reads are anonymous and already cached: these addresses answer them before DRF's machinery.
CACHED_READS = {"term-list", "term-detail", "term-revisions", "domain-list", "domain-detail"}
for pattern in router.urls:
    if isinstance(pattern, URLPattern) and pattern.name in CACHED_READS:
        pattern.callback = serve_cached_reads(pattern.callback)

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("", include(router.urls)),
    path("changes/", serve_cached_reads(views.ChangesView.as_view()), name="changes"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    re_path(rf"^export/(?P<file_name>{FILE_PATTERN})$", export_file, name="export"),
    re_path(rf"^tasks/(?P<identifier>{TASK_ID_PATTERN})/$", TaskView.as_view(), name="task"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the strict CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"", not_found),  # anything else under /api/v1/, newlines included
]
